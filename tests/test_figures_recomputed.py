"""The demo county's figures worked out again by hand from the raw tables: the dashboard (as
GET /api/dashboard/ gives it), the last week's 周调度简报, the last month's 月通报 and the last
quarter's 季度考核 must say the same (issue 14, "Done when").

The recomputation reads the rows as they are (a delivery, a problem, a petition carries its own
dates), not the report code's history reads, so the two are independent ways to one answer.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.models import User
from demo.seeder import DemoSeeder
from dispatch.models import AnnualTarget, Report, SupervisionTask
from dispatch.reports import services
from dispatch.reports.periods import previous_period
from ledgers.models import DeliveryRecord, Problem
from petitions.models import DEADLINE_STATUSES, Petition
from projects.models import Project
from tests.conftest import SUITE_NOW

TODAY = SUITE_NOW.date()


def by_hand(num: int, den: int | None) -> float | None:
    """A rate as an official table prints it, worked out without core.rounding."""
    if not den:
        return None
    return float((Decimal(num) / Decimal(den)).quantize(Decimal("0.001"), ROUND_HALF_UP))


def between(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


@pytest.fixture
def county(roles: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    DemoSeeder(projects=24, seed=14, weeks=30).run()


def resolved_by(problem: Problem, day: datetime.date) -> bool:
    return problem.status == Problem.Status.RESOLVED and between(
        problem.resolved_date, datetime.date.min, day
    )


@pytest.mark.django_db
def test_dashboard_figures_from_the_raw_tables(county: None) -> None:
    api = APIClient()
    api.force_authenticate(User.objects.get(username="leader1"))  # the demo's county leader
    body = api.get("/api/dashboard/").json()

    projects = list(Project.objects.all())
    month_start = TODAY.replace(day=1)
    this_year = sum(d.units for d in DeliveryRecord.objects.all() if d.date.year == TODAY.year)
    target = AnnualTarget.objects.get(year=TODAY.year, task_force=None).units
    petitions = list(Petition.objects.all())
    received = [p for p in petitions if between(p.received_date, month_start, TODAY)]
    accepted = [p for p in petitions if between(p.accepted_date, month_start, TODAY)]
    closed = [
        p
        for p in accepted
        if p.status == Petition.Status.CLOSED and between(p.closed_date, month_start, TODAY)
    ]
    overdue = [
        p
        for p in petitions
        if p.status in DEADLINE_STATUSES and p.due_date is not None and p.due_date < TODAY
    ]
    tasks_overdue = [
        t
        for t in SupervisionTask.objects.all()
        if t.status != SupervisionTask.Status.DONE and t.deadline < TODAY
    ]

    assert body["projects"] == len(projects)
    assert body["units_sold"] == sum(p.units_sold for p in projects)
    assert body["units_delivered"] == sum(p.units_delivered for p in projects)
    assert body["units_delivered_this_year"] == this_year
    assert body["annual_target"] == target
    assert body["target_rate"] == f"{by_hand(this_year, target):.3f}"
    assert body["statuses"] == {
        s: sum(p.construction_status == s for p in projects) for s in Project.Status.values
    }
    assert Decimal(body["funding_gap"]) == sum(p.funding_gap for p in projects)
    assert Decimal(body["wages_owed"]) == sum(p.wages_owed for p in projects)
    assert body["petitions"]["received"] == len(received)
    assert body["petitions"]["accepted"] == len(accepted)
    assert body["petitions"]["closed"] == len(closed)
    closure = by_hand(len(closed), len(accepted))
    assert body["petitions"]["closure_rate"] == (None if closure is None else f"{closure:.3f}")
    assert body["petitions"]["overdue_this_month"] == sum(p in received for p in overdue)
    assert body["petitions_overdue"] == len(overdue)
    assert body["tasks_overdue"] == len(tasks_overdue)


@pytest.mark.django_db
def test_report_figures_from_the_raw_tables(county: None) -> None:
    problems = list(Problem.objects.all())
    deliveries = list(DeliveryRecord.objects.all())
    petitions = list(Petition.objects.all())

    start, end = previous_period(Report.Kind.WEEKLY, TODAY)
    week = services.report_generate(kind="weekly", period_start=start).data["summary"]
    assert week["new_problems"] == sum(between(p.reported_date, start, end) for p in problems)
    assert week["resolved_problems"] == sum(
        p.status == Problem.Status.RESOLVED and between(p.resolved_date, start, end)
        for p in problems
    )
    assert week["delivered_units"] == sum(
        d.units for d in deliveries if between(d.date, start, end)
    )
    assert week["new_petitions"] == sum(between(p.received_date, start, end) for p in petitions)

    start, end = previous_period(Report.Kind.MONTHLY, TODAY)
    month = services.report_generate(kind="monthly", period_start=start).data
    found = [p for p in problems if p.reported_date <= end]
    resolved = [p for p in found if resolved_by(p, end)]
    assert (month["problems"]["total"], month["problems"]["resolved"]) == (
        len(found),
        len(resolved),
    )
    assert month["problems"]["resolution_rate"] == by_hand(len(resolved), len(found))
    assert month["delivery"]["delivered_month"] == sum(
        d.units for d in deliveries if between(d.date, start, end)
    )
    year_start = end.replace(month=1, day=1)
    ytd = sum(d.units for d in deliveries if between(d.date, year_start, end))
    target = AnnualTarget.objects.get(year=end.year, task_force=None).units
    assert month["delivery"]["delivered_ytd"] == ytd
    assert month["delivery"]["completion_rate"] == by_hand(ytd, target)
    accepted = [p for p in petitions if between(p.accepted_date, start, end)]
    closed = [
        p
        for p in accepted
        if p.status == Petition.Status.CLOSED and between(p.closed_date, start, end)
    ]
    assert (month["petitions"]["accepted"], month["petitions"]["closed"]) == (
        len(accepted),
        len(closed),
    )
    assert month["petitions"]["closure_rate"] == by_hand(len(closed), len(accepted))
    assert month["overdue_tasks"] == sorted(month["overdue_tasks"], key=lambda t: t["deadline"])
    assert all(t["days_overdue"] > 0 for t in month["overdue_tasks"])

    start, end = previous_period(Report.Kind.QUARTERLY, TODAY)
    quarter = services.report_generate(kind="quarterly", period_start=start).data
    task_force_of = dict(Project.objects.values_list("pk", "task_force_id"))
    total: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for p in problems:
        if p.reported_date <= end:
            total[task_force_of[p.project_id]] += 1
            done[task_force_of[p.project_id]] += resolved_by(p, end)
    index = [i["code"] for i in quarter["indicators"]].index("problem_resolution")
    shown = {r["task_force_id"]: r["items"][index]["raw"] for r in quarter["rows"]}
    assert shown == {tf: by_hand(done[tf], total.get(tf)) for tf in shown}
    assert any(v is not None for v in shown.values())
