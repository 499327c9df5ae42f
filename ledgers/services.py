"""Writes of the ledger entries (进度填报, 问题, 资金, 交房, 检查).

Each saves the entry with its history row and, in the same transaction, refreshes the project's
derived figures, so the ledger row is never out of step with its entries.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum

from core.models import User
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from ledgers.photos.services import files_delete_on_commit, photo_files
from projects.figures import project_refresh_figures, projects_refresh_figures
from projects.models import Project
from projects.permissions import REFUSED_EDIT, can_edit_project
from projects.services import save_with_history

REPORT_FIELDS = [
    "period_start",
    "report_date",
    "construction_status",
    "progress_percent",
    "workers_on_site",
    "funds_received",
    "note",
]
PROBLEM_FIELDS = [
    "problem_type",
    "description",
    "amount",
    "responsible_department",
    "deadline",
    "status",
    "reported_date",
    "resolved_date",
    "resolution",
]
FUNDING_FIELDS = ["source", "amount", "status", "date", "note"]
DELIVERY_FIELDS = ["date", "units", "area", "note"]
INSPECTION_FIELDS = [
    "date",
    "kind",
    "findings",
    "severity",
    "injuries",
    "direct_loss",
    "rectification_deadline",
    "rectified_date",
]


def _lock_project(actor: User, project: Project) -> Project:
    """Serialise writes to one project's ledger so derived figures add up under concurrency."""
    locked = Project.objects.select_for_update().select_related("task_force").get(pk=project.pk)
    if not can_edit_project(actor, locked):
        raise PermissionDenied(REFUSED_EDIT)
    return locked


def _assign(entry: models.Model, data: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    for name, value in data.items():
        setattr(entry, name, value)


def _save_entry(
    *,
    actor: User,
    entry: Any,
    data: dict[str, Any],
    allowed: list[str],
    reason: str,
    refresh_reason: str,
    check: Callable[[Project], None] | None = None,
) -> Any:
    """Lock the project, run the entry's own check against it, save, recount the figures."""
    project = _lock_project(actor, entry.project)
    if check is not None:
        check(project)
    _assign(entry, data, allowed)
    entry.project = project
    save_with_history(entry, actor=actor, reason=reason)
    project_refresh_figures(project=project, actor=actor, reason=refresh_reason)
    return entry


class Sold(Protocol):
    """What the delivery rules read of a project (a model instance or a locked row's values)."""

    @property
    def units_sold(self) -> int: ...

    @property
    def sold_area(self) -> Decimal: ...


def _delivered_units(project: Project, *, excluding: int | None = None) -> int:
    """Homes handed over so far: the opening balance (期初) and the delivery records."""
    qs = DeliveryRecord.objects.filter(project=project)
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return project.units_delivered_opening + int(qs.aggregate(n=Sum("units"))["n"] or 0)


def delivery_fits(project: Sold, total: int) -> None:
    """Cumulative deliveries never exceed the units sold."""
    if total > project.units_sold:
        raise ValidationError(
            {"units": f"累计交房将达到{total}套，超过已售套数{project.units_sold}套，请核对。"}
        )


def _check_delivery_fits(project: Project, units: int, *, excluding: int | None = None) -> None:
    delivery_fits(project, _delivered_units(project, excluding=excluding) + (units or 0))


@dataclass(frozen=True)
class ReportRow:
    """One project's weekly report within a batch: the form fields and homes handed over."""

    project: Project
    data: dict[str, Any]
    delivered_this_week: int = 0


class BatchRejected(ValidationError):
    """Some rows of a batch are wrong: nothing of it was saved. `rows` maps a row's position to
    its error, so each message can be shown beside the row (or cell) it belongs to."""

    def __init__(self, rows: dict[int, ValidationError]) -> None:
        super().__init__(f"{len(rows)}行有误，本批填报均未保存，请修改后重新提交。")
        self.rows = rows


WEEK_REPORTED = "week_reported"


def _week_taken(report: ProgressReport) -> ValidationError | None:
    """The week already has a report: say so with its id, so pages can link to it."""
    existing = (
        ProgressReport.objects.filter(project=report.project, period_start=report.period_start)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is None:
        return None
    return ValidationError(
        {
            "period_start": ValidationError(
                "该项目%(week)s这一周已有进度填报（记录号%(report_id)s），请修改原记录。",
                code=WEEK_REPORTED,
                params={"week": f"{report.period_start:%Y-%m-%d}", "report_id": existing},
            )
        }
    )


@transaction.atomic
def progress_reports_file(
    *, actor: User, rows: Sequence[ReportRow], reason: str = ""
) -> list[ProgressReport]:
    """A week's reports of many projects in one transaction: every row is saved, or none.

    The single form and the API file one row through here, the 批量填报 screen a 专班's week,
    so the rules (one report per project and week, deliveries within units sold, the derived
    figures) are the same whichever way a report comes in. Every row is checked before any is
    written, and `BatchRejected` names each wrong row.
    """
    ids = sorted({row.project.pk for row in rows})
    locked = {
        p.pk: p
        for p in Project.objects.select_for_update()
        .select_related("task_force")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    refused = [p for p in locked.values() if not can_edit_project(actor, p)]
    if refused:
        raise PermissionDenied(f"{REFUSED_EDIT}（{refused[0].code}）")
    delivered = dict(
        DeliveryRecord.objects.filter(project_id__in=ids)
        .values_list("project_id")
        .annotate(n=Sum("units"))
    )
    errors: dict[int, ValidationError] = {}
    planned: list[tuple[ProgressReport, DeliveryRecord | None]] = []
    weeks: set[tuple[int, Any]] = set()
    for i, row in enumerate(rows):
        project = locked[row.project.pk]
        try:
            before = project.units_delivered_opening + (delivered.get(project.pk) or 0)
            planned.append(_plan_report(actor, project, row, before))
        except ValidationError as exc:
            errors[i] = exc
            continue
        report = planned[-1][0]
        if (project.pk, report.period_start) in weeks:
            errors[i] = ValidationError("同一项目同一周在本批中出现了两次。")
        weeks.add((project.pk, report.period_start))
    if errors:
        raise BatchRejected(errors)
    for report, delivery in planned:
        if delivery is not None:
            save_with_history(delivery, actor=actor, reason=reason)
        save_with_history(report, actor=actor, reason=reason)
    projects_refresh_figures(project_ids=ids, actor=actor, reason="进度填报")
    return [report for report, _ in planned]


def _plan_report(
    actor: User, project: Project, row: ReportRow, delivered_before: int
) -> tuple[ProgressReport, DeliveryRecord | None]:
    """Build and check one row's report (and its delivery record) without writing anything."""
    report = ProgressReport(project=project, reporter=actor)
    _assign(report, row.data, REPORT_FIELDS)
    delivery = None
    if row.delivered_this_week:
        try:
            delivery_fits(project, delivered_before + row.delivered_this_week)
        except ValidationError as exc:
            raise ValidationError({"delivered_this_week": exc.message_dict["units"]}) from None
        delivery = DeliveryRecord(
            project=project,
            date=report.report_date,
            units=row.delivered_this_week,
            area=area_for(project, row.delivered_this_week),
            note="随周进度填报登记",
        )
    report.units_delivered_cumulative = delivered_before + row.delivered_this_week
    if report.period_start is not None:
        taken = _week_taken(report)
        if taken is not None:
            raise taken
    report.full_clean(validate_unique=False, validate_constraints=False)
    if delivery is not None:
        delivery.full_clean()
    return report, delivery


@transaction.atomic
def progress_report_create(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    delivered_this_week: int = 0,
    reason: str = "",
) -> ProgressReport:
    """A weekly report; homes handed over this week become a delivery record of the report day."""
    row = ReportRow(project=project, data=data, delivered_this_week=delivered_this_week)
    try:
        (report,) = progress_reports_file(actor=actor, rows=[row], reason=reason)
    except BatchRejected as exc:
        raise exc.rows[0] from None
    return report


def area_for(project: Sold, units: int) -> Decimal:
    """Delivered area in proportion to sold area, when the report gives only the unit count."""
    if not project.units_sold:
        return Decimal(0)
    return (project.sold_area / project.units_sold * units).quantize(Decimal("0.01"))


@transaction.atomic
def progress_report_update(
    *, actor: User, report: ProgressReport, data: dict[str, Any], reason: str = ""
) -> ProgressReport:
    saved: ProgressReport = _save_entry(
        actor=actor,
        entry=report,
        data=data,
        allowed=REPORT_FIELDS,
        reason=reason,
        refresh_reason="修改进度填报",
    )
    return saved


@transaction.atomic
def problem_create(
    *, actor: User, project: Project, data: dict[str, Any], reason: str = ""
) -> Problem:
    saved: Problem = _save_entry(
        actor=actor,
        entry=Problem(project=project),
        data=data,
        allowed=PROBLEM_FIELDS,
        reason=reason,
        refresh_reason="新增问题",
    )
    return saved


@transaction.atomic
def problem_update(
    *, actor: User, problem: Problem, data: dict[str, Any], reason: str = ""
) -> Problem:
    saved: Problem = _save_entry(
        actor=actor,
        entry=problem,
        data=data,
        allowed=PROBLEM_FIELDS,
        reason=reason,
        refresh_reason="更新问题",
    )
    return saved


@transaction.atomic
def funding_record_create(
    *, actor: User, project: Project, data: dict[str, Any], reason: str = ""
) -> FundingRecord:
    saved: FundingRecord = _save_entry(
        actor=actor,
        entry=FundingRecord(project=project),
        data=data,
        allowed=FUNDING_FIELDS,
        reason=reason,
        refresh_reason="新增资金记录",
    )
    return saved


@transaction.atomic
def funding_record_update(
    *, actor: User, record: FundingRecord, data: dict[str, Any], reason: str = ""
) -> FundingRecord:
    saved: FundingRecord = _save_entry(
        actor=actor,
        entry=record,
        data=data,
        allowed=FUNDING_FIELDS,
        reason=reason,
        refresh_reason="更新资金记录",
    )
    return saved


@transaction.atomic
def delivery_create(
    *, actor: User, project: Project, data: dict[str, Any], reason: str = ""
) -> DeliveryRecord:
    saved: DeliveryRecord = _save_entry(
        actor=actor,
        entry=DeliveryRecord(project=project),
        data=data,
        allowed=DELIVERY_FIELDS,
        reason=reason,
        refresh_reason="新增交房记录",
        check=lambda locked: _check_delivery_fits(locked, data.get("units") or 0),
    )
    return saved


@transaction.atomic
def delivery_update(
    *, actor: User, delivery: DeliveryRecord, data: dict[str, Any], reason: str = ""
) -> DeliveryRecord:
    units = data.get("units", delivery.units)
    saved: DeliveryRecord = _save_entry(
        actor=actor,
        entry=delivery,
        data=data,
        allowed=DELIVERY_FIELDS,
        reason=reason,
        refresh_reason="修改交房记录",
        check=lambda locked: _check_delivery_fits(locked, units, excluding=delivery.pk),
    )
    return saved


@transaction.atomic
def inspection_create(
    *, actor: User, project: Project, data: dict[str, Any], reason: str = ""
) -> Inspection:
    saved: Inspection = _save_entry(
        actor=actor,
        entry=Inspection(project=project),
        data=data,
        allowed=INSPECTION_FIELDS,
        reason=reason,
        refresh_reason="新增检查记录",
    )
    return saved


@transaction.atomic
def inspection_update(
    *, actor: User, inspection: Inspection, data: dict[str, Any], reason: str = ""
) -> Inspection:
    saved: Inspection = _save_entry(
        actor=actor,
        entry=inspection,
        data=data,
        allowed=INSPECTION_FIELDS,
        reason=reason,
        refresh_reason="修改检查记录",
    )
    return saved


@transaction.atomic
def ledger_entry_delete(*, actor: User, entry: Any, reason: str = "") -> None:
    """Remove a mistaken entry; its history keeps it, and the project's figures are recounted."""
    project = _lock_project(actor, entry.project)
    photos = photo_files(entry) if isinstance(entry, ProgressReport | Inspection) else []
    entry._history_user = actor
    entry._change_reason = reason.strip()[:100] or "删除"
    entry.delete()
    files_delete_on_commit(photos)
    project_refresh_figures(project=project, actor=actor, reason=f"删除{entry._meta.verbose_name}")
