"""Writes of the ledger entries (问题, 资金, 交房, 检查), the removal of any entry, and
the delivery rules the weekly reports share (progress.py).

Each saves the entry with its history row and, in the same transaction, refreshes the project's
derived figures, so the ledger row is never out of step with its entries.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum

from core.models import User
from core.versioning import claim_version
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from ledgers.photos.services import files_delete_on_commit, photo_files
from projects.figures import project_refresh_figures
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
    expected_version: int | None = None,
    check: Callable[[Project], None] | None = None,
) -> Any:
    """Lock the project, refuse a stale edit, run the entry's own check against the project,
    save, recount the figures."""
    project = _lock_project(actor, entry.project)
    if entry.pk is not None:
        claim_version(entry, expected_version or 0)
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


def area_for(project: Sold, units: int) -> Decimal:
    """Delivered area in proportion to sold area, when the report gives only the unit count."""
    if not project.units_sold:
        return Decimal(0)
    return (project.sold_area / project.units_sold * units).quantize(Decimal("0.01"))


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
    *,
    actor: User,
    problem: Problem,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Problem:
    saved: Problem = _save_entry(
        actor=actor,
        entry=problem,
        data=data,
        allowed=PROBLEM_FIELDS,
        expected_version=expected_version,
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
    *,
    actor: User,
    record: FundingRecord,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> FundingRecord:
    saved: FundingRecord = _save_entry(
        actor=actor,
        entry=record,
        data=data,
        allowed=FUNDING_FIELDS,
        expected_version=expected_version,
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
    *,
    actor: User,
    delivery: DeliveryRecord,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> DeliveryRecord:
    units = data.get("units", delivery.units)
    saved: DeliveryRecord = _save_entry(
        actor=actor,
        entry=delivery,
        data=data,
        allowed=DELIVERY_FIELDS,
        expected_version=expected_version,
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
    *,
    actor: User,
    inspection: Inspection,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Inspection:
    saved: Inspection = _save_entry(
        actor=actor,
        entry=inspection,
        data=data,
        allowed=INSPECTION_FIELDS,
        expected_version=expected_version,
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
