"""The figures a project derives from its ledger entries, recomputed by every write.

已交房套数 = 期初已交房 + the delivery records; 施工状态, 形象进度 and 最近填报日期 from the latest
progress report; 资金缺口 and 欠薪 from the open problems. Entry services call this after every
write (one project or many), so a figure is never typed and never out of step.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from core.bulk import Cleaner, bulk_history, fast_bulk_update, in_batches
from core.models import User
from ledgers.models import OPEN_PROBLEM_STATUSES, DeliveryRecord, Problem, ProgressReport
from projects.models import Project

PROJECT_RELATIONS = [
    "township",
    "developer",
    "construction_unit",
    "general_contractor",
    "task_force",
    "responsible_leader",
]
FIGURES = [
    "units_delivered",
    "last_report_date",
    "funding_gap",
    "wages_owed",
    "construction_status",
    "progress_percent",
]


class EntrySums(NamedTuple):
    """What the figures are made of, by project id: homes delivered by the delivery records,
    the last report date, the newest report's (status, progress), and the open problems'
    amounts by (project, type)."""

    delivered: dict[int, int]
    last_dates: dict[int, Any]
    latest: dict[int, tuple[str, Decimal]]
    money: dict[tuple[int, str], Decimal]


def _figures(openings: dict[int, int], entries: EntrySums) -> dict[int, dict[str, Any]]:
    """The rule itself. Status and progress are left out for a project with no progress
    report: they stay as they are."""
    out: dict[int, dict[str, Any]] = {}
    for pid, opening in openings.items():
        figures: dict[str, Any] = {
            "units_delivered": opening + (entries.delivered.get(pid) or 0),
            "last_report_date": entries.last_dates.get(pid),
            "funding_gap": entries.money.get((pid, Problem.Type.FUNDING_GAP)) or Decimal(0),
            "wages_owed": entries.money.get((pid, Problem.Type.WAGE_ARREARS)) or Decimal(0),
        }
        if pid in entries.latest:
            figures["construction_status"], figures["progress_percent"] = entries.latest[pid]
        out[pid] = figures
    return out


def derived_figures(openings: dict[int, int]) -> dict[int, dict[str, Any]]:
    """What each project's entries in the ledger make its figures, by project id (`openings`:
    its 期初已交房). One set of aggregate queries for all of them (per 5,000 on SQLite)."""
    entries = EntrySums({}, {}, {}, {})
    for ids in in_batches(sorted(openings)):
        entries.delivered.update(
            DeliveryRecord.objects.filter(project_id__in=ids)
            .order_by()  # the models' ordering would join the projects
            .values_list("project_id")
            .annotate(n=Sum("units"))
        )
        reports = ProgressReport.objects.filter(project_id__in=ids).order_by()
        entries.last_dates.update(reports.values_list("project_id").annotate(d=Max("report_date")))
        newest = reports.order_by("project_id", "-period_start", "-report_date")
        if connection.vendor == "postgresql":
            newest = newest.distinct("project_id")  # one row a project, not a year of weeks
        for pid, status, progress in newest.values_list(
            "project_id", "construction_status", "progress_percent"
        ):
            entries.latest.setdefault(pid, (status, progress))
        entries.money.update(
            ((pid, ptype), total)
            for pid, ptype, total in Problem.objects.filter(
                project_id__in=ids, status__in=OPEN_PROBLEM_STATUSES
            )
            .order_by()
            .values_list("project_id", "problem_type")
            .annotate(total=Sum("amount"))
        )
    return _figures(openings, entries)


def projects_set_figures(
    projects: list[Project],
    *,
    deliveries: Iterable[DeliveryRecord],
    reports: Iterable[ProgressReport],
    problems: Iterable[Problem],
) -> None:
    """Give new projects, before they are inserted, the figures of their first entries (an
    imported sheet's new rows), summed here as the queries of `derived_figures` sum them in
    the ledger: each project is created as it will stand, with one history row, instead of
    created and then recounted. The import's tests recount afterwards and find no change."""
    entries = EntrySums({}, {}, {}, {})
    for record in deliveries:
        pid = record.project_id
        entries.delivered[pid] = entries.delivered.get(pid, 0) + record.units
    newest: dict[int, tuple[Any, Any]] = {}
    for report in reports:
        pid = report.project_id
        last = entries.last_dates.get(pid)
        if last is None or report.report_date > last:
            entries.last_dates[pid] = report.report_date
        order = (report.period_start, report.report_date)
        if pid not in newest or order > newest[pid]:
            newest[pid] = order
            entries.latest[pid] = (report.construction_status, report.progress_percent)
    for problem in problems:
        if problem.status in OPEN_PROBLEM_STATUSES:
            key = (problem.project_id, problem.problem_type)
            entries.money[key] = entries.money.get(key, Decimal(0)) + problem.amount
    figures = _figures({p.pk: p.units_delivered_opening for p in projects}, entries)
    clean = Cleaner(Project)
    for project in projects:
        for name, value in figures[project.pk].items():
            setattr(project, name, value)
        clean(project, list(figures[project.pk]))


@transaction.atomic
def project_refresh_figures(*, project: Project, actor: User | None, reason: str) -> None:
    """Recompute one project's derived figures, in the caller's transaction."""
    projects_refresh_figures(project_ids=[project.pk], actor=actor, reason=reason)


@transaction.atomic
def projects_refresh_figures(
    *, project_ids: list[int], actor: User | None, reason: str
) -> list[Project]:
    """Recompute the figures derived from the ledger entries, with a history row per change.

    The projects are locked and compared by their figures alone; only those that change are
    loaded whole (for their history rows), so an import that leaves figures as they were
    costs a few queries.
    """
    held: dict[int, tuple[Any, ...]] = {}
    for ids in in_batches(sorted(project_ids)):
        rows = Project.objects.select_for_update().filter(pk__in=ids)
        held.update(
            (r[0], r[1:]) for r in rows.values_list("pk", "units_delivered_opening", *FIGURES)
        )
    figures = derived_figures({pid: row[0] for pid, row in held.items()})
    moved: dict[int, list[str]] = {}
    for pid, row in held.items():
        now = dict(zip(FIGURES, row[1:], strict=True))
        changed = [name for name, value in figures[pid].items() if now[name] != value]
        if changed:
            moved[pid] = changed
    if not moved:
        return []
    changed_projects: list[Project] = []
    changed_fields: set[str] = set()
    clean = Cleaner(Project)
    stamp = timezone.now()
    for ids in in_batches(sorted(moved)):
        for project in Project.objects.filter(pk__in=ids).order_by("pk"):
            for name in moved[project.pk]:
                setattr(project, name, figures[project.pk][name])
            project.updated_at = stamp  # bulk updates do not apply auto_now
            clean(project, moved[project.pk])  # the figures and the project's invariants
            changed_fields.update(moved[project.pk])
            changed_projects.append(project)
    fast_bulk_update(changed_projects, [*sorted(changed_fields), "updated_at"])
    bulk_history(changed_projects, actor=actor, reason=reason)
    return changed_projects
