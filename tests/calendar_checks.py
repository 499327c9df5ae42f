"""Invariants of data that must hold on any day: shared by the demo and calendar tests.

Each check returns the violations it found as readable lines (empty when all is well), so a
failing test names the rows and dates that broke the rule.
"""

import datetime
from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from dispatch.models import AnnualTarget, Report
from dispatch.reports.asof import PROJECT_FIELDS, projects_as_of
from dispatch.reports.periods import previous_period
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from petitions.models import Petition
from projects.models import Project

DOMAIN_APPS = ("core", "projects", "ledgers", "petitions", "dispatch", "imports")
# Dates that lie ahead by nature: deadlines, plans, contracts, the end of an open period.
FORWARD_LOOKING = {
    "deadline",
    "due_date",
    "handling_due_date",
    "decision_due_date",
    "contract_delivery_date",
    "expected_delivery_date",
    "planned_date",
    "rectification_deadline",
    "period_end",
}


def _domain_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in DOMAIN_APPS]


def existing_rows() -> dict[str, set[object]]:
    """The rows already there when a test begins: what the data migrations wrote when the test
    database was set up, on the real clock. future_dated_rows leaves them out."""
    return {
        m._meta.label: set(m._default_manager.values_list("pk", flat=True))
        for m in _domain_models()
    }


def future_dated_rows(before: dict[str, set[object]]) -> list[str]:
    """Every date and timestamp of the domain apps (history rows included) written since
    `before` that lies after today / now, except the forward-looking ones above."""
    today, now = timezone.localdate(), timezone.now()
    found = []
    for model in _domain_models():
        for f in model._meta.concrete_fields:
            if f.name in FORWARD_LOOKING or not isinstance(f, models.DateField):
                continue
            bound = now if isinstance(f, models.DateTimeField) else today
            late = model._default_manager.filter(**{f"{f.attname}__gt": bound}).exclude(
                pk__in=before.get(model._meta.label, set())
            )
            for value in late.values_list(f.attname, flat=True)[:3]:
                found.append(f"{model._meta.label}.{f.name} = {value} > {bound}")
    return found


def entry_order_errors() -> list[str]:
    """Dates within one entry come in their natural order."""
    found = [
        f"report {r.pk}: week {r.period_start} reported {r.report_date}"
        for r in ProgressReport.objects.all()
        if r.period_start.weekday() != 0 or r.report_date < r.period_start
    ]
    found += [
        f"problem {p.pk}: reported {p.reported_date}, resolved {p.resolved_date}"
        for p in Problem.objects.exclude(resolved_date=None)
        if p.resolved_date is not None and p.resolved_date < p.reported_date
    ]
    for p in Petition.objects.all():
        steps = [
            p.received_date,
            p.decided_date,
            p.accepted_date,
            p.first_replied_date,
            p.closed_date,
        ]
        dates = [d for d in steps if d is not None]
        if dates != sorted(dates):
            found.append(f"petition {p.number}: steps out of order {steps}")
    return found


def ledger_consistency_errors() -> list[str]:
    """Each project's ledger, now and as it stood at the end of every day an entry was made
    (read as the reports and the 台账截至 view read it), agrees with the delivery records and
    progress reports made by then."""
    deliveries: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for d in DeliveryRecord.objects.all():
        deliveries[d.project_id].append((d.date, d.units))
    reports: dict[int, list[ProgressReport]] = defaultdict(list)
    for r in ProgressReport.objects.order_by("report_date"):
        reports[r.project_id].append(r)

    def as_of(project_id: int, day: datetime.date) -> tuple[int, ProgressReport | None]:
        units = sum(u for d, u in deliveries[project_id] if d <= day)
        made = [r for r in reports[project_id] if r.report_date <= day]
        return units, made[-1] if made else None

    def compare(project_id: int, day: datetime.date, row: dict[str, Any]) -> None:
        units, latest = as_of(project_id, day)
        shown: tuple[object, ...] = (row["units_delivered"], row["last_report_date"])
        expected: tuple[object, ...] = (units, latest.report_date if latest else None)
        if latest is not None:
            shown += (row["construction_status"], row["progress_percent"])
            expected += (latest.construction_status, latest.progress_percent)
        if shown != expected:
            found.append(f"project {project_id} on {day}: ledger {shown}, entries {expected}")

    found: list[str] = []
    for r in ProgressReport.objects.all():
        units, _ = as_of(r.project_id, r.report_date)
        if r.units_delivered_cumulative != units:
            said = r.units_delivered_cumulative
            found.append(f"report {r.pk} of {r.report_date}: {said} delivered, not {units}")
    today = timezone.localdate()
    days = {today, *DeliveryRecord.objects.values_list("date", flat=True)}
    days |= set(ProgressReport.objects.values_list("report_date", flat=True))
    for day in sorted(days):
        for project_id, row in projects_as_of(day).items():
            compare(project_id, day, row)
    for row in Project.objects.values(*PROJECT_FIELDS):
        compare(row["id"], today, row)
    return found


def _delivered(start: datetime.date | None, end: datetime.date) -> int:
    rows = DeliveryRecord.objects.filter(date__lte=end)
    if start is not None:
        rows = rows.filter(date__gte=start)
    return sum(rows.values_list("units", flat=True))


def report_delivery_errors() -> list[str]:
    """The reports' delivery figures are the delivery records of their period (the seeder
    enters no opening balances, so every unit delivered has its record)."""
    found = []
    for report in Report.objects.all():
        start, end, data = report.period_start, report.period_end, report.data
        shown: dict[str, int] = {}
        if report.kind == Report.Kind.WEEKLY:
            summary = data["summary"]
            shown = {"week": summary["delivered_units"], "total": summary["units_delivered"]}
        elif report.kind == Report.Kind.MONTHLY:
            delivery = data["delivery"]
            shown = {
                "month": delivery["delivered_month"],
                "year": delivery["delivered_ytd"],
                "total": delivery["units_delivered"],
            }
        expected = {
            "week": _delivered(start, end),
            "month": _delivered(start, end),
            "year": _delivered(end.replace(month=1, day=1), end),
            "total": _delivered(None, end),
        }
        for key, value in shown.items():
            if value != expected[key]:
                found.append(f"{report.kind} {start}: {key} {value}, records {expected[key]}")
    return found


def report_period_errors() -> list[str]:
    """Reports cover the last complete period of their kind, and the year's target exists."""
    today = timezone.localdate()
    found = []
    for report in Report.objects.all():
        expected = previous_period(report.kind, today)
        if (report.period_start, report.period_end) != expected:
            found.append(
                f"{report.kind} report of {report.period_start}: {today} expects {expected}"
            )
        for year in {report.period_start.year, report.period_end.year}:
            if not AnnualTarget.objects.filter(year=year, task_force=None).exists():
                found.append(f"{report.kind} report {report.period_start}: no {year} target")
    return found
