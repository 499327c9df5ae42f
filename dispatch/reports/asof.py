"""The ledger as it stood at the end of a day, for every project at once.

`projects.history.project_as_of` rebuilds one project; a report reads all 20,000, so here each
kind of row is read in one query from its history table: the latest history row of each object
dated up to the end of the day (PostgreSQL's DISTINCT ON; elsewhere the rows are reduced in
Python), dropping objects whose latest row is a deletion.
"""

import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Max

from core.dates import report_due_week
from ledgers.models import ProgressReport
from projects.history import end_of_day
from projects.models import Project


def rows_as_of(
    model: type[models.Model], day: datetime.date, fields: list[str]
) -> list[dict[str, Any]]:
    """The given fields of every object of the model as it stood at the end of the day."""
    historical = model.history.model  # type: ignore[attr-defined]
    qs = historical.objects.filter(history_date__lte=end_of_day(day)).order_by(
        "id", "-history_date", "-history_id"
    )
    wanted = ["id", "history_type", *[f for f in fields if f != "id"]]
    if connection.vendor == "postgresql":
        rows = qs.distinct("id").values(*wanted).iterator(chunk_size=5000)
        return [r for r in rows if r.pop("history_type") != "-"]
    latest: dict[int, dict[str, Any]] = {}
    for r in qs.values(*wanted).iterator(chunk_size=5000):
        latest.setdefault(r["id"], r)
    return [r for r in latest.values() if r.pop("history_type") != "-"]


PROJECT_FIELDS = [
    "id",
    "code",
    "name",
    "township_id",
    "task_force_id",
    "construction_status",
    "progress_percent",
    "units_sold",
    "units_delivered",
    "contract_delivery_date",
    "last_report_date",
]


def projects_as_of(day: datetime.date) -> dict[int, dict[str, Any]]:
    """Every project's ledger row at the end of the day, by id.

    The last report date is taken from the progress reports entered by then (it is derived from
    them), so a project row last saved weeks earlier still shows the report of that week.
    """
    projects = {r["id"]: r for r in rows_as_of(Project, day, PROJECT_FIELDS)}
    last_reports = (
        ProgressReport.history.filter(
            history_type="+", history_date__lte=end_of_day(day), report_date__lte=day
        )
        .order_by()
        .values_list("project_id")
        .annotate(last=Max("report_date"))
    )
    for project_id, last in last_reports:
        if project_id in projects:
            projects[project_id]["last_report_date"] = last
    return projects


def overdue_ledgers_as_of(day: datetime.date, projects: dict[int, dict[str, Any]]) -> set[int]:
    """台账未更新 as it stood on the day (the rule of projects.selectors.overdue_ledger_q): the
    projects still being built with no report for core.dates.report_due_week(day) entered by the
    day's end, a report since deleted or moved to another week not counting."""
    week = report_due_week(day)
    history = ProgressReport.history.filter(history_date__lte=end_of_day(day))
    latest: dict[int, dict[str, Any]] = {}
    for r in (
        history.filter(id__in=history.filter(period_start=week).values("id"))
        .order_by("id", "-history_date", "-history_id")
        .values("id", "history_type", "period_start", "project_id")
    ):
        latest.setdefault(r["id"], r)
    reported = {
        r["project_id"]
        for r in latest.values()
        if r["history_type"] != "-" and r["period_start"] == week
    }
    return {
        pid
        for pid, p in projects.items()
        if p["construction_status"] != Project.Status.DELIVERED and pid not in reported
    }
