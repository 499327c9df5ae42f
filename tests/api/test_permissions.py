"""API permissions per role: the same rules, scopes and masking as the pages."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.models import Department, User
from petitions.models import Petition
from projects.models import Project
from tests.factories import (
    DepartmentFactory,
    PetitionFactory,
    SupervisionTaskFactory,
    UserFactory,
    valid_id_number,
)

ApiFor = Callable[[User], APIClient]
pytestmark = pytest.mark.django_db


def test_no_credentials_is_401_asking_for_a_token(roles: None) -> None:
    response = APIClient().get("/api/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_token_from_username_and_password_opens_the_api(leader: User) -> None:
    client = APIClient()
    response = client.post(
        "/api/auth/token/", {"username": "leader1", "password": "Test#pass2026"}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/projects/").status_code == 200


def test_wrong_password_gets_no_token(leader: User) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "leader1", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_session_writes_need_the_csrf_token(leader: User, own_project: Project) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(leader)
    assert client.get(f"/api/projects/{own_project.pk}/").status_code == 200
    response = client.patch(f"/api/projects/{own_project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_taskforce_member_edits_own_project_only(
    api_for: ApiFor, taskforce_member: User, own_project: Project, other_project: Project
) -> None:
    client = api_for(taskforce_member)
    own = client.patch(
        f"/api/projects/{own_project.pk}/", {"name": "新名称", "version": 1}, format="json"
    )
    other = client.patch(
        f"/api/projects/{other_project.pk}/", {"name": "新名称", "version": 1}, format="json"
    )
    assert own.status_code == 200
    assert other.status_code == 403
    assert other.json() == {"detail": "只有本项目所属专班的成员和系统管理员可以修改该项目台账。"}
    other_project.refresh_from_db()
    assert other_project.name != "新名称"


def test_taskforce_member_writes_entries_of_own_project_only(
    api_for: ApiFor, taskforce_member: User, own_project: Project, other_project: Project
) -> None:
    client = api_for(taskforce_member)
    body = {"date": "2026-11-01", "units": 5}
    assert (
        client.post("/api/deliveries/", {**body, "project": own_project.pk}, format="json")
    ).status_code == 201
    refused = client.post("/api/deliveries/", {**body, "project": other_project.pk}, format="json")
    assert refused.status_code == 403
    assert not other_project.deliveries.exists()


def test_taskforce_member_cannot_create_a_project_in_another_task_force(
    api_for: ApiFor, taskforce_member: User, other_project: Project
) -> None:
    response = api_for(taskforce_member).post(
        "/api/projects/",
        {
            "code": "N-1",
            "name": "新项目",
            "township": "城关镇",
            "developer": other_project.developer_id,
            "total_floor_area": "1000",
            "total_units": 10,
            "task_force": other_project.task_force_id,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"task_force": ["只能选择您所在的专班。"]}


@pytest.mark.parametrize("role_fixture", ["leader", "petition_clerk", "department_user"])
def test_roles_outside_task_forces_read_but_do_not_write_the_ledger(
    request: pytest.FixtureRequest, api_for: ApiFor, role_fixture: str, own_project: Project
) -> None:
    client = api_for(request.getfixturevalue(role_fixture))
    assert client.get(f"/api/projects/{own_project.pk}/").status_code == 200
    assert client.get(f"/api/problems/?project={own_project.pk}").status_code == 200
    patch = client.patch(f"/api/projects/{own_project.pk}/", {"version": 1}, format="json")
    create = client.post("/api/projects/", {}, format="json")
    entry = client.post(
        "/api/deliveries/",
        {"project": own_project.pk, "date": "2026-11-01", "units": 1},
        format="json",
    )
    assert (patch.status_code, create.status_code, entry.status_code) == (403, 403, 403)


def _petition(department: Department | None = None, **kwargs: object) -> Petition:
    return PetitionFactory.create(
        department=department,
        status=Petition.Status.ASSIGNED if department else Petition.Status.REGISTERED,
        petitioner_phone="13812345678",
        petitioner_id_number=valid_id_number(7),
        **kwargs,
    )


def test_department_sees_only_petitions_assigned_to_it(
    api_for: ApiFor, department_user: User
) -> None:
    mine = _petition(department_user.department)
    other = _petition(DepartmentFactory.create(name="县财政局"))
    unassigned = _petition()
    client = api_for(department_user)
    listed = [p["id"] for p in client.get("/api/petitions/").json()["results"]]
    assert listed == [mine.pk]
    assert client.get(f"/api/petitions/{other.pk}/").status_code == 404
    assert client.get(f"/api/petitions/{unassigned.pk}/").status_code == 404


def test_department_sees_only_its_tasks(api_for: ApiFor, department_user: User) -> None:
    mine = SupervisionTaskFactory.create(assignee_department=department_user.department)
    SupervisionTaskFactory.create(assignee_department=DepartmentFactory.create(name="县财政局"))
    listed = [t["id"] for t in api_for(department_user).get("/api/tasks/").json()["results"]]
    assert listed == [mine.pk]


@pytest.mark.parametrize(
    ("role_fixture", "whole"),
    [
        ("admin_user", True),
        ("petition_clerk", True),
        ("leader", False),
        ("taskforce_member", False),
        ("department_user", False),
    ],
)
def test_personal_data_is_masked_except_for_petition_office_and_admin(
    request: pytest.FixtureRequest, api_for: ApiFor, role_fixture: str, whole: bool
) -> None:
    user = request.getfixturevalue(role_fixture)
    petition = _petition(user.department or DepartmentFactory.create(name="县住建局"))
    client = api_for(user)
    shown = [
        client.get("/api/petitions/").json()["results"][0],
        client.get(f"/api/petitions/{petition.pk}/").json(),
    ]
    for data in shown:
        if whole:
            assert data["petitioner_phone"] == "13812345678"
            assert data["petitioner_id_number"] == petition.petitioner_id_number
        else:
            assert data["petitioner_phone"] == "138****5678"
            assert (
                data["petitioner_id_number"]
                == f"330522********{petition.petitioner_id_number[-4:]}"
            )


def test_department_replies_to_its_petition_but_cannot_accept(
    api_for: ApiFor, department_user: User
) -> None:
    assigned = _petition(department_user.department, accepted_date="2026-11-03")
    registered = _petition()
    registered.department = department_user.department
    registered.save()
    client = api_for(department_user)
    reply = client.post(
        f"/api/petitions/{assigned.pk}/transition/",
        {"action": "reply", "note": "已协调开发企业于年底前交房。"},
        format="json",
    )
    accept = client.post(
        f"/api/petitions/{registered.pk}/transition/", {"action": "accept"}, format="json"
    )
    assert reply.status_code == 200
    assert reply.json()["status"] == "replied"
    assert accept.status_code == 403
    assert accept.json() == {"detail": "您无权对该信访件执行“受理”。"}


def test_only_petition_office_and_admin_register_petitions(
    api_for: ApiFor, petition_clerk: User, leader: User
) -> None:
    body = {
        "channel": "phone",
        "petitioner_name": "李四",
        "category": "delayed_delivery",
        "summary": "要求交房。",
    }
    assert api_for(leader).post("/api/petitions/", body, format="json").status_code == 403
    assert api_for(petition_clerk).post("/api/petitions/", body, format="json").status_code == 201


def test_imports_are_seen_by_their_uploader_and_admins(
    api_for: ApiFor, taskforce_member: User, leader: User
) -> None:
    assert api_for(leader).post("/api/imports/", {}, format="multipart").status_code == 403
    other = UserFactory.create(username="someone")
    assert api_for(other).get("/api/imports/").json()["count"] == 0


def test_token_endpoint_is_locked_like_the_login_page(leader: User) -> None:
    client = APIClient()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "leader1", "password": "x"}, format="json")
    locked = client.post(
        "/api/auth/token/", {"username": "leader1", "password": "Test#pass2026"}, format="json"
    )
    assert locked.status_code == 400
    assert "token" not in locked.json()


def test_the_user_directory_lists_only_what_each_role_needs(
    api_for: ApiFor,
    admin_user: User,
    leader: User,
    taskforce_member: User,
    petition_clerk: User,
    department_user: User,
) -> None:
    colleague = UserFactory.create(username="dept2", department=department_user.department)
    UserFactory.create(
        username="other-bureau", department=DepartmentFactory.create(name="县财政局")
    )
    UserFactory.create(username="gone", is_active=False)

    def names(user: User) -> set[str]:
        response = api_for(user).get("/api/users/?page_size=200")
        assert response.status_code == 200
        return {row["username"] for row in response.json()["results"]}

    everyone = {"admin1", "leader1", "tf1", "xf1", "dept1", "dept2", "other-bureau"}
    assert names(admin_user) == everyone
    assert names(leader) == names(taskforce_member) == everyone - {"admin1"}
    assert names(petition_clerk) == {"leader1", "xf1"}
    assert names(department_user) == {"dept1", colleague.username}
