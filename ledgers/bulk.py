"""Ledger entries for many projects at once: what an imported survey sheet adds.

The same rules as the one-entry services in ledgers/services.py (the model's checks, deliveries
within the units sold with their area in proportion, one progress report a week), applied row
by row before anything is written; then the rows are written in bulk with their history and
the projects' figures are recounted once.
"""

from collections.abc import Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.bulk import (
    Cleaner,
    RowErrors,
    bulk_history,
    fast_bulk_insert,
    fast_bulk_update,
    in_batches,
    maker,
)
from core.dates import monday_of
from core.models import User
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from ledgers.services.entries import (
    DELIVERY_FIELDS,
    PROBLEM_FIELDS,
    _assign,
    area_for,
    delivery_fits,
)
from projects.figures import projects_refresh_figures, projects_set_figures
from projects.models import Project
from projects.permissions import REFUSED_EDIT, editable_task_forces
from projects.services import projects_insert_many, projects_plan_many


class Held(NamedTuple):
    """What the rules read of a locked project (not a model instance: thousands are held)."""

    pk: int
    task_force_id: int
    units_sold: int
    sold_area: Decimal
    units_delivered: int
    construction_status: str
    progress_percent: Decimal


Entries = Sequence[tuple[int, dict[str, Any]]]


@transaction.atomic
def ledger_entries_add_many(
    *,
    actor: User,
    reason: str,
    deliveries: Entries = (),
    reports: Entries = (),
    problems: Entries = (),
) -> dict[str, list[Any]]:
    """Entries for many projects at once (an imported sheet), by project id, all or none.

    Each kind keeps its own rules: deliveries within the units sold and with their area in
    proportion; one report a week, so this week's report of a project is updated when it has
    one; the model's checks on every entry. One recount of the figures at the end.
    RowErrors keys are ("delivery" | "report" | "problem", position).
    """
    ids = sorted({pid for pid, _ in (*deliveries, *reports, *problems)})
    editable = set(editable_task_forces(actor).values_list("pk", flat=True))
    locked: dict[int, Held] = {}
    for batch in in_batches(ids):
        rows = Project.objects.select_for_update().filter(pk__in=batch).values_list(*Held._fields)
        locked.update((row[0], Held(*row)) for row in rows)
    if any(p.task_force_id not in editable for p in locked.values()):
        raise PermissionDenied(REFUSED_EDIT)
    made = _plan_entries(actor, locked, deliveries, reports, problems)
    _write_entries(made, actor=actor, reason=reason)
    projects_refresh_figures(project_ids=ids, actor=actor, reason=reason)
    return made


@transaction.atomic
def projects_create_with_entries(
    *,
    actor: User,
    reason: str,
    rows: list[dict[str, Any]],
    deliveries: Entries = (),
    reports: Entries = (),
    problems: Entries = (),
) -> tuple[list[Project], dict[str, list[Any]]]:
    """New projects with their first entries (an imported sheet's new rows), all or none;
    entries name their project by its position in `rows`.

    The rules are those of `projects_create_many` and `ledger_entries_add_many`. The entries
    are planned first, so each project is inserted with the figures they give it and one
    history row, rather than inserted, recounted and updated. RowErrors keys are positions in
    `rows`, or (kind, position) for an entry.
    """
    projects = projects_plan_many(actor=actor, rows=rows)
    fields = attrgetter(*Held._fields)
    locked = {p.pk: Held(*fields(p)) for p in projects}

    ids = [p.pk for p in projects]

    def by_id(entries: Entries) -> Entries:
        return [(ids[i], data) for i, data in entries]

    made = _plan_entries(
        actor, locked, by_id(deliveries), by_id(reports), by_id(problems), new=True
    )
    projects_set_figures(
        projects,
        deliveries=made["deliveries"],
        reports=made["reports"],
        problems=made["problems"],
    )
    projects_insert_many(projects, actor=actor, reason=reason)
    _write_entries(made, actor=actor, reason=reason)
    return projects, made


def _plan_entries(
    actor: User,
    locked: dict[int, Held],
    deliveries: Entries,
    reports: Entries,
    problems: Entries,
    *,
    new: bool = False,
) -> dict[str, list[Any]]:
    """Every entry checked by its kind's rules, unsaved; RowErrors if any is refused.
    `new`: the projects are not in the ledger yet, so they have no report this week."""
    errors: dict[Any, ValidationError] = {}
    delivered = {pid: p.units_delivered for pid, p in locked.items()}
    made: dict[str, list[Any]] = {
        "deliveries": _plan_deliveries(locked, deliveries, delivered, errors),
        "problems": _plan_problems(problems, errors),
    }
    made["reports"], made["changed_reports"] = _plan_reports(
        actor, locked, reports, delivered, errors, new
    )
    if errors:
        raise RowErrors(errors)
    return made


def _write_entries(made: dict[str, list[Any]], *, actor: User, reason: str) -> None:
    """Write planned entries with their history rows."""
    for kind in ("deliveries", "problems", "reports"):
        fast_bulk_insert(made[kind], assign_ids=True)
        bulk_history(made[kind], actor=actor, reason=reason, kind="+")
    if made["changed_reports"]:
        fast_bulk_update(made["changed_reports"], ["construction_status", "progress_percent"])
        bulk_history(made["changed_reports"], actor=actor, reason=reason)


def _plan_deliveries(
    locked: dict[int, Held],
    entries: Entries,
    delivered: dict[int, int],
    errors: dict[Any, ValidationError],
) -> list[DeliveryRecord]:
    """`delivered` (project → homes handed over) grows with each planned delivery."""
    planned = []
    clean = Cleaner(DeliveryRecord)
    for i, (pid, data) in enumerate(entries):
        project = locked[pid]
        record = DeliveryRecord(project_id=pid)
        _assign(record, data, DELIVERY_FIELDS)
        if "area" not in data:
            record.area = area_for(project, record.units or 0)
        try:
            delivery_fits(project, delivered[pid] + (record.units or 0))
            clean(record)
        except ValidationError as exc:
            errors[("delivery", i)] = exc
            continue
        delivered[pid] += record.units
        planned.append(record)
    return planned


def _plan_problems(entries: Entries, errors: dict[Any, ValidationError]) -> list[Problem]:
    planned = []
    clean = Cleaner(Problem)
    for i, (pid, data) in enumerate(entries):
        problem = Problem(project_id=pid)
        _assign(problem, data, PROBLEM_FIELDS)
        try:
            clean(problem)
        except ValidationError as exc:
            errors[("problem", i)] = exc
            continue
        planned.append(problem)
    return planned


def _plan_reports(
    actor: User,
    locked: dict[int, Held],
    entries: Entries,
    delivered: dict[int, int],
    errors: dict[Any, ValidationError],
    new: bool,
) -> tuple[list[ProgressReport], list[ProgressReport]]:
    """This week's report of each project: status and progress as given, the rest as reported
    already this week (or as the project stands)."""
    today = timezone.localdate()
    monday = monday_of(today)
    this_week: dict[int, ProgressReport] = {}
    pids = [] if new else [pid for pid, _ in entries]
    for batch in in_batches(pids):
        for report in ProgressReport.objects.filter(project_id__in=batch, period_start=monday):
            this_week[report.project_id] = report
    created: list[ProgressReport] = []
    changed: list[ProgressReport] = []
    clean = Cleaner(ProgressReport)
    new_report = maker(ProgressReport)
    for i, (pid, data) in enumerate(entries):
        project = locked[pid]
        existing = this_week.get(pid)
        if existing is None:
            report = new_report()
            report.project_id = pid
            report.period_start = monday
            report.report_date = today
            report.construction_status = project.construction_status
            report.progress_percent = project.progress_percent
            report.units_delivered_cumulative = delivered[pid]
            report.reporter_id = actor.pk
            target = created
            _assign(report, data, ["construction_status", "progress_percent", "note"])
        else:
            figures = {k: v for k, v in data.items() if k != "note"}  # the reporter's note stays
            if all(getattr(existing, k) == v for k, v in figures.items()):
                continue
            report, target = existing, changed
            _assign(report, figures, ["construction_status", "progress_percent"])
        try:
            clean(report)
        except ValidationError as exc:
            errors[("report", i)] = exc
            continue
        this_week[pid] = report
        target.append(report)
    return created, changed
