"""台账未更新: each week's report is due by the end of the setting's weekday (default Friday,
Asia/Shanghai); a ledger is overdue when the latest week whose due day is over has no report.

The county: 上周已报 reported only last week (11-30), 本周已报 only this week (12-07), 两周都报
both, 已交付 none (exempt). The list's flag, the API, the dashboard, the 工作台 and 未按时填报 are
read on each day of the week of 12-07 and on either side of midnight after the due day.
"""

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from time_machine import TimeMachineFixture

from core.models import User
from projects.models import Project
from tests.conftest import SHANGHAI
from tests.factories import ProgressReportFactory, ProjectFactory

LAST_WEEK = datetime.date(2026, 11, 30)
THIS_WEEK = datetime.date(2026, 12, 7)


def at(day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def county(roles: None) -> dict[str, Project]:
    projects = {
        name: ProjectFactory.create(name=name) for name in ("上周已报", "本周已报", "两周都报")
    }
    projects["已交付"] = ProjectFactory.create(
        name="已交付", construction_status=Project.Status.DELIVERED
    )
    for name, weeks in (
        ("上周已报", [LAST_WEEK]),
        ("本周已报", [THIS_WEEK]),
        ("两周都报", [LAST_WEEK, THIS_WEEK]),
    ):
        for week in weeks:
            ProgressReportFactory.create(
                project=projects[name], period_start=week, report_date=week
            )
    return projects


def overdue_names(client: Client) -> set[str]:
    """The API's flag, checked against the dashboard, the 工作台, the list and 未按时填报."""
    body = client.get("/api/projects/?flag=stale&page_size=50").json()
    names = {row["name"] for row in body["results"]}
    assert client.get("/dashboard/").context["d"].totals["stale"] == len(names)
    assert client.get("/").context["totals"]["stale"] == len(names)
    listed = client.get("/projects/").context["page"].object_list
    assert {p.name for p in listed if p.flag_ledger_overdue} == names
    groups = client.get("/dispatch/unreported/").context["groups"]
    assert {row.project.name for _, rows in groups for row in rows} == names
    return names


BY_FRIDAY = {
    "mon": (at(7, 9, 0), {"本周已报"}),
    "thu": (at(10, 9, 0), {"本周已报"}),
    "fri-23:59": (at(11, 23, 59), {"本周已报"}),
    "sat-00:00": (at(12, 0, 0), {"上周已报"}),
    "sun": (at(13, 18, 0), {"上周已报"}),
    "next-mon": (at(14, 0, 0), {"上周已报"}),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("moment", "overdue"), BY_FRIDAY.values(), ids=BY_FRIDAY.keys())
def test_a_week_is_due_once_its_friday_is_over_in_the_county(
    moment: datetime.datetime,
    overdue: set[str],
    county: dict[str, Project],
    leader: User,
    client_for: Callable[[User], Client],
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(moment, tick=False)
    assert overdue_names(client_for(leader)) == overdue


@pytest.mark.django_db
def test_the_due_weekday_and_its_labels_come_from_the_setting(
    county: dict[str, Project],
    leader: User,
    client_for: Callable[[User], Client],
    time_machine: TimeMachineFixture,
    settings: object,
) -> None:
    settings.LEDGER_REPORT_DUE_WEEKDAY = 2  # type: ignore[attr-defined]
    time_machine.move_to(at(8, 23, 59), tick=False)
    client = client_for(leader)
    assert overdue_names(client) == {"本周已报"}
    page = client.get("/dashboard/").content.decode()
    assert "11月30日当周进度未在周二前填报" in page
    assert "7天" not in client.get("/projects/").content.decode()

    time_machine.move_to(at(9, 0, 0), tick=False)
    assert overdue_names(client) == {"上周已报"}
    assert "12月7日当周进度未在周二前填报" in client.get("/projects/").content.decode()
