"""Bad input is a 4xx with field errors in JSON, never a 500 — also on PostgreSQL."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import User
from petitions.models import Petition
from projects.models import Project

ApiFor = Callable[[User], APIClient]
pytestmark = pytest.mark.django_db

BIG = "9223372036854775808"  # one past PostgreSQL's bigint


@pytest.fixture
def client(api_for: ApiFor, admin_user: User) -> APIClient:
    return api_for(admin_user)


def _project_body(project: Project, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "E-1",
        "name": "项目",
        "township": "城关镇",
        "developer": project.developer_id,
        "total_floor_area": "1000",
        "total_units": 10,
        "task_force": project.task_force_id,
    }
    return {**body, **changes}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"total_units": "abc"}, "total_units"),
        ({"total_units": -1}, "total_units"),
        ({"total_units": 2**40}, "total_units"),
        ({"total_floor_area": "1e20"}, "total_floor_area"),
        ({"total_floor_area": "NaN"}, "total_floor_area"),
        ({"total_floor_area": "1.005"}, "total_floor_area"),
        ({"contract_delivery_date": "2026-02-30"}, "contract_delivery_date"),
        ({"contract_delivery_date": "明年"}, "contract_delivery_date"),
        ({"name": "长" * 201}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"whitelisted": "maybe"}, "whitelisted"),
        ({"developer": int(BIG)}, "developer"),
        ({"developer": "x"}, "developer"),
        ({"task_force": None}, "task_force"),
        ({"units_sold": 11}, "units_sold"),
        ({"sold_area": "2000"}, "sold_area"),
        ({"bogus": 1}, "bogus"),
        ({"units_delivered": 5}, "units_delivered"),
        ({"name": 4}, "name"),
        ({"total_units": "10"}, "total_units"),
        ({"total_units": 10.0}, "total_units"),
        ({"total_floor_area": 1000}, "total_floor_area"),
        ({"whitelisted": 1}, "whitelisted"),
        ({"developer": "1"}, "developer"),
        ({"developer": True}, "developer"),
    ],
)
def test_bad_project_fields_are_400_with_the_field_named(
    client: APIClient, other_project: Project, changes: dict[str, Any], field: str
) -> None:
    response = client.post("/api/projects/", _project_body(other_project, **changes), format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    assert all(isinstance(m, str) and m for m in errors[field])
    assert Project.objects.count() == 1


def test_unknown_field_message_is_chinese(client: APIClient, other_project: Project) -> None:
    response = client.post(
        "/api/projects/", _project_body(other_project, colour="red"), format="json"
    )
    assert response.json() == {"colour": ["未知或只读字段，不能提交。"]}


def test_unknown_enum_in_body_lists_the_field(client: APIClient, other_project: Project) -> None:
    response = client.post(
        "/api/inspections/",
        {"project": other_project.pk, "date": "2026-11-01", "kind": "fire"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["kind"]


@pytest.mark.parametrize(
    "query",
    [
        "/api/projects/?status=bogus",
        "/api/projects/?risk=extreme",
        "/api/projects/?o=height",
        f"/api/projects/?task_force={BIG}",
        "/api/projects/?task_force=-1",
        "/api/projects/?task_force=abc",
        "/api/petitions/?received_from=2026-13-45",
        f"/api/petitions/?project={BIG}",
        f"/api/problems/?project={BIG}",
        "/api/deliveries/?date=yesterday",
        "/api/projects/?page_size=0",
        "/api/projects/?page_size=201",
        "/api/projects/?page_size=abc",
    ],
)
def test_bad_filters_are_400(client: APIClient, query: str, other_project: Project) -> None:
    response = client.get(query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert all(isinstance(v, list) for v in response.json().values())


@pytest.mark.parametrize(
    "path",
    [
        f"/api/projects/{BIG}/",
        "/api/projects/99999999999999999999/",
        "/api/projects/-1/",
        "/api/projects/abc/",
        f"/api/petitions/{BIG}/transition/",
        f"/api/reports/{BIG}/file/",
        "/api/projects/?page=99999999999999999999",
        "/api/no-such-thing/",
        "/api/projects",
    ],
)
def test_unknown_objects_and_paths_are_json_404(client: APIClient, path: str) -> None:
    response = client.get(path) if "transition" not in path else client.post(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_nul_byte_in_query_is_400_json(client: APIClient) -> None:
    response = client.get("/api/projects/?q=a%00b")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求参数中包含非法字符。"}


def test_malformed_json_is_400(client: APIClient) -> None:
    response = client.post("/api/companies/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_transition_with_unknown_action_or_bad_days(client: APIClient) -> None:
    from tests.factories import PetitionFactory

    petition = PetitionFactory.create()
    url = f"/api/petitions/{petition.pk}/transition/"
    assert list(client.post(url, {"action": "approve"}, format="json").json()) == ["action"]
    days = client.post(url, {"action": "extend", "days": 31, "note": "x"}, format="json")
    assert list(days.json()) == ["days"]


def test_boolean_filter_takes_true_or_false_only(client: APIClient) -> None:
    assert client.get("/api/reports/?published=true").status_code == 200
    assert list(client.get("/api/reports/?published=0.4").json()) == ["published"]


def test_unknown_ordering_is_400_and_known_ones_sort(
    client: APIClient, other_project: Project
) -> None:
    for bad in ("-secret", ",", "name,"):
        refused = client.get(f"/api/companies/?ordering={bad}")
        assert refused.status_code == 400
        assert list(refused.json()) == ["ordering"]
    assert client.get("/api/companies/?ordering=-name,id").status_code == 200


def test_form_encoded_bodies_are_415(client: APIClient) -> None:
    response = client.post("/api/companies/", {"name": "表单企业"}, format="multipart")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_an_extension_after_the_handling_deadline_is_a_400_naming_it(client: APIClient) -> None:
    from tests.factories import PetitionFactory

    petition = PetitionFactory.create(
        status=Petition.Status.ACCEPTED,
        accepted_date=datetime.date(2026, 9, 1),
        due_date=datetime.date(2026, 10, 31),
        handling_due_date=datetime.date(2026, 10, 31),
    )
    url = f"/api/petitions/{petition.pk}/transition/"
    refused = client.post(url, {"action": "extend", "days": 30, "note": "需鉴定"}, format="json")
    assert refused.status_code == 400
    assert "办理期限已于2026-10-31届满，期限届满后不能再延期" in str(refused.json())
    petition.refresh_from_db()
    assert (petition.due_date, petition.extended_days) == (datetime.date(2026, 10, 31), 0)


def test_a_back_dated_reply_without_a_reason_is_a_400_naming_the_field(
    client: APIClient,
) -> None:
    from tests.factories import PetitionFactory

    petition = PetitionFactory.create(
        status=Petition.Status.ASSIGNED,
        accepted_date=datetime.date(2026, 11, 2),
        due_date=datetime.date(2027, 1, 1),
        handling_due_date=datetime.date(2027, 1, 1),
    )
    url = f"/api/petitions/{petition.pk}/transition/"
    body = {"action": "reply", "note": "已答复", "on": "2026-11-20"}
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["backdate_reason"]
    done = client.post(url, {**body, "backdate_reason": "纸质答复已送达"}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == Petition.Status.REPLIED
