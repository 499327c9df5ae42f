"""Writes of the weekly progress reports (进度填报): one, or a 专班's week in one transaction.

A report may bring the homes handed over that week, saved as a delivery record of the report day.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from core.models import User
from ledgers.models import DeliveryRecord, ProgressReport
from ledgers.services.entries import (
    REPORT_FIELDS,
    _assign,
    _save_entry,
    area_for,
    delivery_fits,
)
from projects.figures import projects_refresh_figures
from projects.models import Project
from projects.permissions import REFUSED_EDIT, can_edit_project
from projects.services import save_with_history


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


@transaction.atomic
def progress_report_update(
    *,
    actor: User,
    report: ProgressReport,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> ProgressReport:
    saved: ProgressReport = _save_entry(
        actor=actor,
        entry=report,
        data=data,
        allowed=REPORT_FIELDS,
        expected_version=expected_version,
        reason=reason,
        refresh_reason="修改进度填报",
    )
    return saved
