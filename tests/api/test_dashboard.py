"""GET /api/dashboard/: the page's figures from the same selector, filters and scope."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.models import User
from dispatch.dashboard.selectors import dashboard_data
from petitions.models import Petition
from projects.models import Project
from tests.dispatch.test_dashboard_links import TODAY, seed_petitions
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def petitions() -> dict[str, Project]:
    return seed_petitions()


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_gives_the_page_figures_from_the_same_selector(
    petitions: dict[str, Project], leader: User
) -> None:
    body = api(leader).get("/api/dashboard/").json()
    d = dashboard_data(actor=leader, today=TODAY)
    assert body["projects"] == d.totals["projects"] == 2
    assert (body["units_delivered_this_year"], body["annual_target"]) == (10, 40)
    assert body["target_rate"] == "0.250"
    assert body["petitions"]["received"] == d.petitions.received == 10
    assert body["petitions"]["overdue_this_month"] == 1
    assert body["petitions_overdue"] == 2
    assert [(w["name"], w["petitions"]) for w in body["collective_warnings"]] == [("书香公馆", 4)]
    assert body["links"]["collective"] == "/petitions/?flag=warning"
    assert len(body["monthly_deliveries"]) == 12
    assert set(body["risk"]) == {"high", "medium", "low"}


def test_api_filters_as_the_page_does(petitions: dict[str, Project], leader: User) -> None:
    client = api(leader)
    task_force = petitions["shuxiang"].task_force
    body = client.get("/api/dashboard/", {"task_force": task_force.pk}).json()
    assert (body["task_force"], body["annual_target"], body["target_rate"]) == (
        task_force.pk,
        20,
        "0.500",
    )
    assert body["links"]["projects"] == f"/projects/?task_force={task_force.pk}"
    body = client.get("/api/dashboard/", {"township": "城关镇"}).json()
    assert (body["township"], body["annual_target"], body["petitions"]["received"]) == (
        "城关镇",
        None,
        9,
    )
    refused = client.get("/api/dashboard/", {"township": "不存在镇", "task_force": "x"})
    assert refused.status_code == 400
    assert set(refused.json()) == {"township", "task_force"}


def test_api_counts_within_the_callers_scope(
    petitions: dict[str, Project], make_user: Callable[..., User]
) -> None:
    dept = DepartmentFactory.create(name="县住建局")
    staff = make_user("department", username="dept9", department=dept)
    Petition.objects.filter(project=petitions["nanyuan"]).update(department=dept)
    body = api(staff).get("/api/dashboard/").json()
    assert body["petitions"]["received"] == 2
    assert body["petitions_overdue"] == 1
    assert body["collective_warnings"] == []
    assert APIClient().get("/api/dashboard/").status_code == 401


def test_api_schema_documents_the_dashboard(leader: User) -> None:
    schema = api(leader).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/dashboard/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"township", "task_force"}
    fields = schema["components"]["schemas"]["Dashboard"]["properties"]
    assert {"units_delivered_this_year", "annual_target", "target_rate"} <= set(fields)
