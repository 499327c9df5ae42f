import pytest
from django.contrib.auth.models import Group, Permission

from core.roles import Role


def perms_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_the_five_roles_exist_after_migrate() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


@pytest.mark.django_db
def test_admin_role_holds_every_domain_permission() -> None:
    domain = Permission.objects.filter(
        content_type__app_label__in=["projects", "ledgers", "petitions", "dispatch"]
    )
    assert set(domain) <= set(Group.objects.get(name=Role.ADMIN).permissions.all())


@pytest.mark.django_db
def test_leader_reads_everything_and_writes_only_report_remarks() -> None:
    perms = perms_of(Role.LEADER)
    assert {"projects.view_project", "petitions.view_petition", "dispatch.view_report"} <= perms
    writes = {p for p in perms if not p.split(".")[1].startswith("view_")}
    assert writes == {"dispatch.change_report"}


@pytest.mark.django_db
def test_taskforce_edits_ledger_but_not_petitions() -> None:
    perms = perms_of(Role.TASKFORCE)
    assert {
        "projects.change_project",
        "ledgers.add_progressreport",
        "ledgers.change_problem",
    } <= perms
    assert "petitions.change_petition" not in perms
    assert "projects.delete_project" not in perms


@pytest.mark.django_db
def test_petition_office_registers_petitions_and_only_reads_projects() -> None:
    perms = perms_of(Role.PETITION)
    assert {"petitions.add_petition", "petitions.change_petition", "projects.view_project"} <= perms
    assert "projects.change_project" not in perms


@pytest.mark.django_db
def test_department_updates_its_tasks_and_petitions_only() -> None:
    perms = perms_of(Role.DEPARTMENT)
    assert {"dispatch.change_supervisiontask", "petitions.change_petition"} <= perms
    assert "petitions.add_petition" not in perms
    assert "ledgers.change_progressreport" not in perms


@pytest.mark.django_db
def test_role_members_get_model_permissions_through_their_group(make_user: object) -> None:
    user = make_user(Role.TASKFORCE)  # type: ignore[operator]
    assert user.has_perm("projects.change_project")
    assert not user.has_perm("petitions.add_petition")
