"""Pieces every report shares: number formats for the JSON snapshot, 专班 names, named lists.

A snapshot holds only JSON values (dates as ISO text, amounts as numbers rounded to 2 places,
rates as fractions rounded as core.rounding does), so it reads the same whatever the ledger
does later.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q

from core import rounding
from core.xlsx import Column
from dispatch.models import SupervisionTask
from ledgers.models import Problem
from projects.history import end_of_day
from projects.models import Project, TaskForce

STATUS_LABELS = dict(Project.Status.choices)
PROBLEM_TYPE_LABELS = dict(Problem.Type.choices)
LAGGING_STATUSES = [Project.Status.STOPPED, Project.Status.SEMI_STOPPED, Project.Status.LAGGING]


def half_up(value: float, places: int = 2) -> float:
    return float(rounding.half_up(value, places))


def ratio(num: float, den: float) -> float | None:
    """A rate as the fraction a table prints (0.813); None (shown as —) when nothing divides."""
    value = rounding.rate(num, den)
    return None if value is None else float(value)


def amount(value: Decimal | float | int | None) -> float:
    return half_up(float(value or 0))


def iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def serial_column() -> Column:
    """序号 1, 2, 3 … of one sheet (a fresh counter per sheet)."""
    counter = iter(range(1, 10**9))
    return Column("序号", 6, lambda r: next(counter))


def task_force_names() -> dict[int, str]:
    return dict(TaskForce.objects.order_by("name").values_list("pk", "name"))


def project_ref(p: dict[str, Any], names: dict[int, str]) -> dict[str, Any]:
    """What a named list shows of a project."""
    return {
        "code": p["code"],
        "name": p["name"],
        "task_force": names.get(p["task_force_id"], ""),
    }


def delay_days(p: dict[str, Any], day: datetime.date) -> int:
    """延期天数 on the day, as Project.delay_days_on counts it, for a row read from history."""
    contract = p["contract_delivery_date"]
    if contract is None or p["units_sold"] - p["units_delivered"] <= 0:
        return 0
    return max(0, (day - contract).days)


def resolved_by(problem: dict[str, Any], day: datetime.date) -> bool:
    """A problem counts as resolved on a day when it was resolved on or before it: its
    resolution date decides, not its status (a row entered already resolved carries that status
    from the day it was found)."""
    return (
        problem["status"] == Problem.Status.RESOLVED
        and problem["resolved_date"] is not None
        and problem["resolved_date"] <= day
    )


def overdue_tasks_as_of(day: datetime.date) -> list[dict[str, Any]]:
    """督办事项 overdue at the end of the day: assigned by then, past the deadline, not done by
    then. Tasks carry the date of each step (deadline, done date, when it was recorded), so this
    needs no history; a completion recorded after the day (补录) was not done by then."""
    done_by_then = (
        Q(status=SupervisionTask.Status.DONE)
        & (Q(done_date__isnull=True) | Q(done_date__lte=day))
        & (Q(done_recorded_at__isnull=True) | Q(done_recorded_at__lte=end_of_day(day)))
    )
    tasks = (
        SupervisionTask.objects.filter(deadline__lt=day, created_at__lte=end_of_day(day))
        .exclude(done_by_then)
        .select_related("project", "assignee_department", "assignee_user")
        .order_by("deadline", "pk")
    )
    return [
        {
            "title": t.title,
            "project": str(t.project) if t.project else "",
            "assignee": str(t.assignee_department or t.assignee_user or ""),
            "deadline": t.deadline.isoformat(),
            "days_overdue": (day - t.deadline).days,
        }
        for t in tasks
    ]
