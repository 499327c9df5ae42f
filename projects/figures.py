"""The figures a project derives from its ledger entries, recomputed by every write.

已交房套数 = 期初已交房 + the delivery records; 施工状态, 形象进度 and 最近填报日期 from the latest
progress report; 资金缺口 and 欠薪 from the open problems. Entry services call this after every
write (one project or many), so a figure is never typed and never out of step.
"""

from decimal import Decimal
from typing import Any

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


@transaction.atomic
def project_refresh_figures(*, project: Project, actor: User | None, reason: str) -> None:
    """Recompute one project's derived figures, in the caller's transaction."""
    projects_refresh_figures(project_ids=[project.pk], actor=actor, reason=reason)


@transaction.atomic
def projects_refresh_figures(
    *, project_ids: list[int], actor: User | None, reason: str
) -> list[Project]:
    """Recompute the figures derived from the ledger entries, with a history row per change.

    units_delivered from the deliveries; status, progress and last report date from the
    latest progress report; funding gap and wages owed from the open problems. One set of
    aggregate queries for all of them (per 5,000 on SQLite), so the importer uses it too.
    """
    locked: dict[int, Project] = {}
    delivered: dict[int, int] = {}
    last_dates: dict[int, Any] = {}
    latest: dict[int, tuple[str, Decimal]] = {}
    money: dict[tuple[int, str], Decimal] = {}
    for ids in in_batches(sorted(project_ids)):
        locked.update((p.pk, p) for p in Project.objects.select_for_update().filter(pk__in=ids))
        delivered.update(
            DeliveryRecord.objects.filter(project_id__in=ids)
            .values_list("project_id")
            .annotate(n=Sum("units"))
        )
        reports = ProgressReport.objects.filter(project_id__in=ids)
        last_dates.update(reports.values_list("project_id").annotate(d=Max("report_date")))
        newest = reports.order_by("project_id", "-period_start", "-report_date")
        if connection.vendor == "postgresql":
            newest = newest.distinct("project_id")  # one row a project, not a year of weeks
        for pid, status, progress in newest.values_list(
            "project_id", "construction_status", "progress_percent"
        ):
            latest.setdefault(pid, (status, progress))
        money.update(
            ((pid, ptype), total)
            for pid, ptype, total in Problem.objects.filter(
                project_id__in=ids, status__in=OPEN_PROBLEM_STATUSES
            )
            .values_list("project_id", "problem_type")
            .annotate(total=Sum("amount"))
        )
    changed_projects: list[Project] = []
    changed_fields: set[str] = set()
    clean = Cleaner(Project)
    for pid, project in locked.items():
        figures: dict[str, Any] = {
            "units_delivered": project.units_delivered_opening + (delivered.get(pid) or 0),
            "last_report_date": last_dates.get(pid),
            "funding_gap": money.get((pid, Problem.Type.FUNDING_GAP)) or Decimal(0),
            "wages_owed": money.get((pid, Problem.Type.WAGE_ARREARS)) or Decimal(0),
        }
        if pid in latest:
            figures["construction_status"], figures["progress_percent"] = latest[pid]
        changed = [name for name, value in figures.items() if getattr(project, name) != value]
        if not changed:
            continue
        for name in changed:
            setattr(project, name, figures[name])
        project.updated_at = timezone.now()  # bulk_update does not apply auto_now
        clean(project, changed)  # the figures and the project's invariants
        changed_fields.update(changed)
        changed_projects.append(project)
    if changed_projects:
        fast_bulk_update(changed_projects, [*sorted(changed_fields), "updated_at"])
        bulk_history(changed_projects, actor=actor, reason=reason)
    return changed_projects
