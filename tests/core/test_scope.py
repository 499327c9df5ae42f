"""Data scope holds on every page that shows petitions or tasks, and redirects stay on site."""

from collections.abc import Callable

from django.test import Client

from core.models import User
from projects.models import Project
from tests.factories import (
    DepartmentFactory,
    PetitionFactory,
    SupervisionTaskFactory,
    UserFactory,
)


def test_an_account_without_a_role_sees_no_petitions(
    client_for: Callable[[User], Client], db: None
) -> None:
    petition = PetitionFactory.create()
    nobody = UserFactory.create()
    client = client_for(nobody)
    assert client.get("/petitions/").context["page"].paginator.count == 0
    assert client.get(f"/petitions/{petition.pk}/").status_code == 404


def test_department_sees_only_its_petitions_and_tasks_on_a_project_page(
    client_for: Callable[[User], Client], department_user: User, own_project: Project
) -> None:
    mine = PetitionFactory.create(project=own_project, department=department_user.department)
    theirs = PetitionFactory.create(project=own_project, department=DepartmentFactory.create())
    my_task = SupervisionTaskFactory.create(
        project=own_project, assignee_department=department_user.department, title="我的督办"
    )
    SupervisionTaskFactory.create(project=own_project, title="别人的督办")
    response = client_for(department_user).get(f"/projects/{own_project.pk}/")
    assert response.context["petitions"] == [mine]
    assert response.context["tasks"] == [my_task]
    html = response.content.decode()
    assert theirs.number not in html
    assert "别人的督办" not in html


def test_company_form_never_redirects_off_site(
    client_for: Callable[[User], Client], taskforce_member: User
) -> None:
    client = client_for(taskforce_member)
    for evil in ["//evil.example/x", "https://evil.example/", "/\\evil.example"]:
        response = client.post(
            f"/projects/companies/new/?next={evil}", {"name": f"公司{len(evil)}"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/projects/"
    response = client.post("/projects/companies/new/?next=/projects/new/", {"name": "某公司"})
    assert response["Location"] == "/projects/new/"


def test_malformed_and_huge_filter_values_are_not_500(
    client_for: Callable[[User], Client], leader: User
) -> None:
    client = client_for(leader)
    for url in [
        "/petitions/?project=99999999999999999999999",
        "/petitions/?project=-1e30",
        "/petitions/export.xlsx?project=abc",
        "/petitions/?received_from=2026-99-99",
        "/projects/?task_force=99999999999999999999&page=99999999",
    ]:
        assert client.get(url).status_code == 200, url
    for url in ["/projects/?q=%00", "/petitions/?q=a%00b", "/projects/export.xlsx?q=%00"]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "非法字符" in response.content.decode()
