"""GET /api/dashboard/: the page's figures from the same selector, filters and scope."""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.models import User
from dispatch.dashboard.selectors import dashboard_data
from petitions.models import Petition
from projects.models import Project
from tests.dispatch.test_dashboard_links import TODAY, seed_petitions
from tests.factories import DepartmentFactory, PetitionFactory

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


def test_api_gives_the_on_time_acceptance_rate_the_pages_show(
    petitions: dict[str, Project], leader: User, client_for: Callable[[User], Client]
) -> None:
    # given three 受理 / 不予受理 decisions this month, two within the 15 days, one a day late,
    # and one from last month that does not count
    due = datetime.date(2026, 11, 16)
    for decided, status, received in [
        (datetime.date(2026, 11, 15), "accepted", datetime.date(2026, 11, 1)),
        (datetime.date(2026, 11, 16), "accepted", datetime.date(2026, 11, 1)),
        (datetime.date(2026, 11, 17), "not_accepted", datetime.date(2026, 11, 1)),
        (datetime.date(2026, 10, 31), "not_accepted", datetime.date(2026, 10, 20)),
    ]:
        PetitionFactory.create(
            project=petitions["nanyuan"],
            received_date=received,
            decision_due_date=due,
            decided_date=decided,
            status=status,
        )

    # when the API, the dashboard page and the petition register (this month) are read
    body = api(leader).get("/api/dashboard/").json()["petitions"]
    page = client_for(leader).get("/dashboard/")
    register = client_for(leader).get("/petitions/")

    # then all three give 2 of 3, rounded half up to 66.7% as core/rounding.py rounds
    shown = page.context["d"].petitions.acceptance_on_time_rate
    assert (body["decided"], body["decided_on_time"]) == (3, 2)
    assert body["acceptance_on_time_rate"] == str(shown) == "0.667"
    assert register.context["rates"].acceptance_on_time_rate == shown
    assert "<span>按期受理率</span><strong>66.7%</strong>" in register.content.decode()


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
    petition_fields = schema["components"]["schemas"]["PetitionFigures"]["properties"]
    assert "acceptance_on_time_rate" in petition_fields
