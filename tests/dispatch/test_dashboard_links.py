"""Every counted figure of the dashboard equals the rows of the list it opens."""

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from core.models import User
from petitions.models import Petition
from projects.models import Project
from tests.conftest import SUITE_NOW
from tests.factories import (
    AnnualTargetFactory,
    DeliveryRecordFactory,
    PetitionFactory,
    ProjectFactory,
    TaskForceFactory,
)

pytestmark = pytest.mark.django_db
TODAY = SUITE_NOW.date()  # Mon 2026-11-30
D = datetime.date
# Figures that are amounts or rates, or units rather than rows: their lists are sorted views.
NOT_ROW_COUNTS = {"undelivered", "sold", "delivered", "delivered-this-year"}
NOT_ROW_COUNTS |= {"delivered-this-year-units", "funding-gap", "funds", "wages"}
NOT_ROW_COUNTS |= {"petitions-closure", "petitions-satisfaction"}
FIGURE = re.compile(r'<a data-figure="([^"]+)"[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def petitions() -> dict[str, Project]:
    return seed_petitions()


def seed_petitions() -> dict[str, Project]:
    """书香公馆: 4 petitions in the 7-day warning window and 3 before it; 南苑: 2 in the window
    (no warning); an overdue petition from July and one received this month."""
    tf = TaskForceFactory.create(name="城关镇专班")
    shuxiang = ProjectFactory.create(name="书香公馆", township="城关镇", task_force=tf)
    nanyuan = ProjectFactory.create(name="南苑小区", township="城关镇", task_force=tf)
    for day in [D(2026, 11, 24), D(2026, 11, 26), D(2026, 11, 28), D(2026, 11, 30)]:
        PetitionFactory.create(project=shuxiang, received_date=day, due_date=day + 15 * DAY)
    for day in [D(2026, 11, 3), D(2026, 11, 10), D(2026, 11, 20)]:
        PetitionFactory.create(project=shuxiang, received_date=day, due_date=D(2026, 12, 20))
    for day in [D(2026, 11, 25), D(2026, 11, 27)]:
        PetitionFactory.create(project=nanyuan, received_date=day, due_date=day + 15 * DAY)
    PetitionFactory.create(
        project=nanyuan,
        received_date=D(2026, 7, 10),
        status=Petition.Status.ASSIGNED,
        due_date=D(2026, 9, 8),
    )
    PetitionFactory.create(received_date=D(2026, 11, 2), due_date=D(2026, 11, 17))
    AnnualTargetFactory.create(year=2026, units=40)
    AnnualTargetFactory.create(year=2026, task_force=tf, units=20)
    DeliveryRecordFactory.create(project=shuxiang, date=D(2026, 3, 1), units=10)
    return {"shuxiang": shuxiang, "nanyuan": nanyuan}


DAY = datetime.timedelta(days=1)


def figures(page: str) -> dict[str, tuple[str, int]]:
    """data-figure → (link, the number the figure shows: in bold, else the first one)."""
    found = {}
    for name, url, text in FIGURE.findall(page):
        bold = re.search(r"<strong>(.*?)</strong>", text)
        shown = bold.group(1) if bold else re.sub(r"<[^>]+>", " ", text)
        number = re.search(r"\d[\d,]*", shown)
        if number:
            found[name] = (html.unescape(url), int(number.group().replace(",", "")))
    return found


def rows(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"]


def test_every_counted_figure_is_the_row_count_of_its_list(
    petitions: dict[str, Project], leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    for query in ({}, {"township": "城关镇"}):
        shown = figures(client.get("/dashboard/", query).content.decode())
        assert {"petitions-overdue-this-month", "collective", "warn-petitions-overdue"} <= set(
            shown
        )
        for name, (url, value) in shown.items():
            if name in NOT_ROW_COUNTS or name.startswith("risk-"):
                continue
            page = rows(client, url)
            if name == "collective":  # projects under a warning: the petitions' projects
                projects = {p.project_id for p in page.paginator.object_list}
                assert len(projects) == value, (query, name, url)
            else:
                assert page.paginator.count == value, (query, name, url)


def test_the_three_mismatches_of_issue_14(
    petitions: dict[str, Project], leader: User, client_for: Callable[[User], Client]
) -> None:
    """逾期 in 本月信访 is this month's; 集体上访预警 opens the warning's petitions; 书香公馆 4件
    opens those 4, not the project's 7."""
    shown = figures(client_for(leader).get("/dashboard/").content.decode())
    assert shown["petitions-overdue-this-month"][1] == 1
    assert shown["warn-petitions-overdue"][1] == 2
    assert shown["collective"][1] == 1
    assert shown[f"collective-{petitions['shuxiang'].pk}"][1] == 4
    listed = rows(client_for(leader), shown[f"collective-{petitions['shuxiang'].pk}"][0])
    assert listed.paginator.count == 4


def test_the_petition_list_and_project_page_link_a_warning_to_its_petitions(
    petitions: dict[str, Project], petition_clerk: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(petition_clerk)
    page = client.get("/petitions/").content.decode()
    link = re.search(r'href="(\?project=\d+&amp;flag=warning)"', page)
    assert link is not None
    assert rows(client, "/petitions/" + html.unescape(link.group(1))).paginator.count == 4
