"""Periods that have not ended, and problems resolved by the period's end.

On Tuesday 2026-12-01 the week of 11-30…12-06, December and the fourth quarter are all still
running: each is built as of that day and says so, nothing counts as of a day still to come.
Generating without a day builds the last complete period, whatever day of it one asks on.
"""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from core.models import User
from dispatch import tasks
from dispatch.reports import monthly, quarterly, services
from dispatch.reports.quarterly import weeks_due
from ledgers.models import Problem
from projects.models import Project
from tests.dispatch.reports_helpers import change, noon, stamp
from tests.factories import (
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def move_to(time_machine: TimeMachineFixture, day: D) -> None:
    time_machine.move_to(datetime.datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))


@pytest.fixture
def december_first(time_machine: TimeMachineFixture) -> Project:
    """Tasks due before, on and after Tue 2026-12-01; a project reporting every week since
    September."""
    tf = TaskForceFactory.create(name="甲专班")
    project = stamp(ProjectFactory.create(code="P1", task_force=tf), D(2026, 9, 1))
    for due, title in [
        (D(2026, 11, 27), "上周五到期"),
        (D(2026, 12, 2), "周三到期"),
        (D(2026, 12, 4), "周五到期"),
        (D(2026, 12, 29), "月底到期"),
    ]:
        task = SupervisionTaskFactory.create(title=title, deadline=due, project=project)
        type(task).objects.filter(pk=task.pk).update(created_at=noon(D(2026, 11, 20)))
    monday = D(2026, 9, 28)
    while monday <= D(2026, 11, 30):
        report = ProgressReportFactory.create(
            project=project, period_start=monday, report_date=monday + datetime.timedelta(days=3)
        )
        stamp(report, monday + datetime.timedelta(days=3))
        monday += datetime.timedelta(days=7)
    move_to(time_machine, D(2026, 12, 1))
    return project


def test_unfinished_week_counts_no_task_as_overdue_before_its_deadline(
    december_first: Project,
) -> None:
    report = services.report_generate(kind="weekly", period_start=D(2026, 12, 1))
    assert report.data["title"].endswith("（2026年11月30日—12月06日，截至12月1日）")
    assert report.data["as_of"] == "2026-12-01"
    assert report.as_of == D(2026, 12, 1)
    assert [(t["title"], t["days_overdue"]) for t in report.data["overdue_tasks"]] == [
        ("上周五到期", 4)
    ]
    assert (report.period_start, report.period_end) == (D(2026, 11, 30), D(2026, 12, 6))


def test_unfinished_month_counts_no_task_due_later_in_the_month(december_first: Project) -> None:
    report = services.report_generate(kind="monthly", period_start=D(2026, 12, 1))
    assert report.data["title"].endswith("月通报（2026年12月，截至12月1日）")
    assert report.data["period_label"] == "2026年12月（截至12月1日）"
    assert [t["title"] for t in report.data["overdue_tasks"]] == ["上周五到期"]


def test_unfinished_quarter_counts_no_week_to_come_as_missed(december_first: Project) -> None:
    """By Tue 12-01 the weeks that ended in Q4 are those of 09-28 … 11-23: all reported. The
    week of 11-30 runs on, and the four after it have not begun."""
    data = quarterly.build(D(2026, 10, 1), D(2026, 12, 1))
    ledger = next(i for i in data["rows"][0]["items"] if i["code"] == "ledger_on_time")
    assert ledger["raw"] == 1.0


def test_a_complete_period_is_titled_without_an_as_of_day(december_first: Project) -> None:
    report = services.report_generate(kind="monthly", period_start=D(2026, 11, 1))
    assert report.data["title"].endswith("月通报（2026年11月）")
    assert report.data["period_label"] == "2026年11月"
    assert report.as_of == D(2026, 11, 30)


@pytest.mark.parametrize(
    ("start", "as_of", "first", "last", "count"),
    [
        (D(2026, 7, 1), D(2026, 9, 30), D(2026, 6, 29), D(2026, 9, 21), 13),
        (D(2026, 10, 1), D(2026, 12, 31), D(2026, 9, 28), D(2026, 12, 21), 13),
        (D(2026, 10, 1), D(2026, 12, 1), D(2026, 9, 28), D(2026, 11, 23), 9),
        (D(2026, 10, 1), D(2026, 12, 6), D(2026, 9, 28), D(2026, 11, 30), 10),
    ],
)
def test_each_week_is_judged_by_the_quarter_it_ends_in(
    start: D, as_of: D, first: D, last: D, count: int
) -> None:
    weeks = weeks_due(start, as_of)
    assert (weeks[0], weeks[-1], len(weeks)) == (first, last, count)


def test_no_week_has_ended_on_the_first_days_of_a_quarter() -> None:
    assert weeks_due(D(2027, 1, 1), D(2027, 1, 2)) == []


@pytest.mark.parametrize(
    ("kind", "today", "start"),
    [
        ("weekly", D(2026, 12, 1), D(2026, 11, 23)),
        ("monthly", D(2026, 12, 8), D(2026, 11, 1)),
        ("monthly", D(2026, 12, 31), D(2026, 11, 1)),
        ("quarterly", D(2026, 12, 8), D(2026, 7, 1)),
    ],
)
def test_generate_now_without_a_day_builds_the_last_complete_period(
    client_for: Callable[[User], Client],
    leader: User,
    time_machine: TimeMachineFixture,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    today: D,
    start: D,
) -> None:
    move_to(time_machine, today)
    client = client_for(leader)
    page = client.get(reverse("dispatch:report_list")).content.decode()
    assert 'name="period"' in page
    assert f'value="{today - datetime.timedelta(days=7)}"' not in page
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.report_generate, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dispatch:report_generate"), {"kind": kind, "period": ""})
    assert queued == [(kind, start.isoformat())]


def test_api_generate_without_a_period_builds_the_last_complete_one(
    leader: User, time_machine: TimeMachineFixture
) -> None:
    move_to(time_machine, D(2026, 12, 8))
    client = APIClient()
    client.force_authenticate(leader)
    response = client.post("/api/reports/generate/", {"kind": "monthly"}, format="json")
    assert response.status_code == 202
    assert response.json() == {"period_start": "2026-11-01", "period_end": "2026-11-30"}


def test_problems_count_as_resolved_by_their_resolution_date() -> None:
    """October: three problems found. One resolved on 10-20, one entered already resolved with
    its resolution on 11-10 (its only history row, dated when it was found, says resolved),
    one open: 1 of 3 resolved by 10-31, not 2."""
    tf = TaskForceFactory.create(name="甲专班")
    project = stamp(ProjectFactory.create(task_force=tf), D(2026, 9, 1))
    early = stamp(
        ProblemFactory.create(project=project, reported_date=D(2026, 10, 2)), D(2026, 10, 2)
    )
    change(early, D(2026, 10, 20), status="resolved", resolved_date=D(2026, 10, 20))
    later = ProblemFactory.create(
        project=project,
        reported_date=D(2026, 10, 5),
        status=Problem.Status.RESOLVED,
        resolved_date=D(2026, 11, 10),
        resolution="已协调落实。",
    )
    stamp(later, D(2026, 10, 5))
    stamp(ProblemFactory.create(project=project, reported_date=D(2026, 10, 8)), D(2026, 10, 8))

    figures = monthly.build(D(2026, 10, 1), D(2026, 10, 31))
    problems = figures["problems"]
    assert (problems["total"], problems["resolved"], problems["open"]) == (3, 1, 2)
    assert problems["resolved_in_period"] == 1
    assert figures["task_forces"][0]["open_problems"] == 2
    assert sum(r["resolved"] for r in problems["by_type"]) == 1

    q4 = quarterly.build(D(2026, 10, 1), D(2026, 10, 31))
    item = next(i for i in q4["rows"][0]["items"] if i["code"] == "problem_resolution")
    assert item["raw"] == pytest.approx(1 / 3, abs=1e-3)
    november = monthly.build(D(2026, 11, 1), D(2026, 11, 30))["problems"]
    assert (november["resolved"], november["resolved_in_period"]) == (2, 1)
