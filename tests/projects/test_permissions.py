"""Only members of a project's own 专班 (and admins) change it; everyone else reads — by URL too."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from core.models import SecurityEvent, User
from ledgers.services import problem_create
from projects.models import Project
from projects.services import project_update
from tests.factories import DeliveryRecordFactory, ProblemFactory, ProgressReportFactory

WRITE_URLS = [
    "/projects/{pk}/edit/",
    "/projects/{pk}/report/new/",
    "/projects/{pk}/problem/new/",
    "/projects/{pk}/funding/new/",
    "/projects/{pk}/delivery/new/",
    "/projects/{pk}/inspection/new/",
    "/projects/{pk}/milestones/new/",
]


@pytest.mark.parametrize("url", WRITE_URLS)
def test_member_opens_every_form_of_own_project(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project, url: str
) -> None:
    assert client_for(taskforce_member).get(url.format(pk=own_project.pk)).status_code == 200


@pytest.mark.parametrize("url", WRITE_URLS)
def test_member_is_refused_every_form_of_another_task_force(
    client_for: Callable[[User], Client], taskforce_member: User, other_project: Project, url: str
) -> None:
    client = client_for(taskforce_member)
    assert client.get(url.format(pk=other_project.pk)).status_code == 403
    assert client.post(url.format(pk=other_project.pk), {"name": "改名"}).status_code == 403
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED).count() == 2


def test_member_cannot_edit_entries_of_another_task_force_by_url(
    client_for: Callable[[User], Client], taskforce_member: User, other_project: Project
) -> None:
    client = client_for(taskforce_member)
    report = ProgressReportFactory.create(project=other_project)
    problem = ProblemFactory.create(project=other_project)
    delivery = DeliveryRecordFactory.create(project=other_project)
    pk = other_project.pk
    for url in [
        f"/projects/{pk}/report/{report.pk}/edit/",
        f"/projects/{pk}/problem/{problem.pk}/edit/",
        f"/projects/{pk}/delivery/{delivery.pk}/edit/",
    ]:
        assert client.get(url).status_code == 403


def test_entry_of_one_project_cannot_be_reached_through_another(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    foreign = ProblemFactory.create(project=other_project)
    response = client_for(taskforce_member).get(
        f"/projects/{own_project.pk}/problem/{foreign.pk}/edit/"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role_fixture", ["leader", "petition_clerk", "department_user"])
def test_other_roles_read_but_cannot_write(
    request: pytest.FixtureRequest,
    client_for: Callable[[User], Client],
    own_project: Project,
    role_fixture: str,
) -> None:
    client = client_for(request.getfixturevalue(role_fixture))
    assert client.get(f"/projects/{own_project.pk}/").status_code == 200
    assert client.get("/projects/").status_code == 200
    assert client.get(f"/projects/{own_project.pk}/edit/").status_code == 403
    assert client.get("/projects/new/").status_code == 403


def test_admin_edits_any_project(
    client_for: Callable[[User], Client], admin_user: User, other_project: Project
) -> None:
    assert client_for(admin_user).get(f"/projects/{other_project.pk}/edit/").status_code == 200


def test_services_refuse_outsiders_whatever_the_entry_point(
    taskforce_member: User, other_project: Project
) -> None:
    with pytest.raises(PermissionDenied):
        project_update(
            actor=taskforce_member,
            project=other_project,
            data={"name": "改名"},
            expected_version=other_project.version,
        )
    with pytest.raises(PermissionDenied):
        problem_create(
            actor=taskforce_member,
            project=other_project,
            data={"problem_type": "other", "description": "x", "reported_date": "2026-11-01"},
        )
    other_project.refresh_from_db()
    assert other_project.name != "改名"


def test_edit_buttons_show_only_to_those_who_may_edit(
    client_for: Callable[[User], Client], taskforce_member: User, leader: User, own_project: Project
) -> None:
    url = f"/projects/{own_project.pk}/"
    assert "编辑项目" in client_for(taskforce_member).get(url).content.decode()
    assert "编辑项目" not in client_for(leader).get(url).content.decode()


def test_only_own_task_force_deletes_entries(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    client = client_for(taskforce_member)
    foreign = DeliveryRecordFactory.create(project=other_project)
    url = f"/projects/{other_project.pk}/delivery/{foreign.pk}/delete/"
    assert client.post(url).status_code == 403
    mine = DeliveryRecordFactory.create(project=own_project)
    response = client.post(f"/projects/{own_project.pk}/delivery/{mine.pk}/delete/")
    assert response.status_code == 302
    assert client.get(f"/projects/{own_project.pk}/delivery/{mine.pk}/edit/").status_code == 404
