"""Writes of the reports: generate (a draft is rewritten, a version a leader has remarked on or
published stays and the next one is a new version), leaders' remark and publication, read marks,
and the monthly market figures."""

import datetime
import logging
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, User
from core.roles import Role
from core.sequences import year_sequence_next
from core.services import notifications_send
from core.xlsx import Sheet, write_official_workbook
from dispatch.models import AssessmentScore, MarketFigure, Report, ReportSequence
from dispatch.permissions import (
    can_comment_report,
    can_enter_market_figures,
    can_generate_reports,
)
from dispatch.reports import monthly, quarterly, weekly
from dispatch.reports.drafting import draft
from dispatch.reports.periods import (
    as_of_day,
    as_of_note,
    period_bounds,
    period_label,
    previous_period,
)

logger = logging.getLogger(__name__)

Builder = Callable[[datetime.date, datetime.date], dict[str, Any]]
SheetMaker = Callable[[str, dict[str, Any]], list[Sheet]]
KINDS: dict[str, tuple[Builder, SheetMaker]] = {
    Report.Kind.WEEKLY: (weekly.build, weekly.sheets),
    Report.Kind.MONTHLY: (monthly.build, monthly.sheets),
    Report.Kind.QUARTERLY: (quarterly.build, quarterly.sheets),
}
READER_ROLES = [Role.ADMIN, Role.LEADER, Role.TASKFORCE]
# Queued by name: the tasks module imports this one, never the other way round.
GENERATE_TASK = "dispatch.tasks.report_generate"


def report_title(kind: str, start: datetime.date, end: datetime.date, as_of: datetime.date) -> str:
    """XX县保交房月通报（2026年12月）, or （2026年12月，截至12月1日） while the month runs."""
    period = "，".join(filter(None, [period_label(kind, start, end), as_of_note(end, as_of)]))
    return f"{settings.COUNTY_NAME}保交房{Report.Kind(kind).label}（{period}）"


def _row_for_period(kind: str, start: datetime.date, end: datetime.date) -> Report:
    """The version of the period to write, locked: the latest one while no leader has written a
    批示 on it or published it, else a new version (so is the first one).

    Two workers generating the same period both reach here: the unique constraint lets one
    insert win, the other's insert fails inside its savepoint and it locks the winner's row.
    """
    latest = (
        Report.objects.select_for_update()
        .filter(kind=kind, period_start=start)
        .order_by("-version")
        .first()
    )
    if latest is not None and not latest.is_settled:
        return latest
    version = latest.version + 1 if latest is not None else 1
    try:
        with transaction.atomic():
            return Report.objects.create(
                kind=kind,
                period_start=start,
                period_end=end,
                version=version,
                generated_at=timezone.now(),
            )
    except IntegrityError:
        return Report.objects.select_for_update().get(
            kind=kind, period_start=start, version=version
        )


def report_readers() -> list[User]:
    return list(
        User.objects.filter(Q(groups__name__in=READER_ROLES) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )


def report_generate(*, kind: str, period_start: datetime.date, actor: User | None = None) -> Report:
    """Build the snapshot and the Excel file of the period containing `period_start`.

    A period that has not ended is built as of today and titled so (截至12月1日): a task due
    tomorrow is not overdue, a week still to come is not a missed update. The figures are read
    first, outside any lock (they take the longest); then the version to write is created or
    locked (`_row_for_period`): a draft is rewritten, a version with a leader's 批示 or
    published is never touched. Leaders, admins and 专班 staff are told once per version. Who
    may ask for it is checked by `report_request`; the schedule needs no one.
    """
    if kind not in KINDS:
        raise ValidationError({"kind": "未知的报告类型。"})
    start, end = period_bounds(kind, period_start)
    today = timezone.localdate()
    if start > today:
        raise ValidationError({"period_start": "该期间尚未开始，不能生成报告。"})
    build, make_sheets = KINDS[kind]
    as_of = as_of_day(end, today)
    title = report_title(kind, start, end, as_of)
    label, note = period_label(kind, start, end), as_of_note(end, as_of)
    data = {
        "title": title,
        "period_label": f"{label}（{note}）" if note else label,
        "as_of": as_of.isoformat(),
        **build(start, as_of),
    }
    data["document"] = draft(kind, data, as_of)
    workbook = write_official_workbook(make_sheets(title, data))
    with transaction.atomic():
        report = _row_for_period(kind, start, end)
        if report.doc_serial is None:
            _issue_number(report)
        old_file = report.file.name
        report.period_end = end
        report.generated_at = timezone.now()
        report.data = data
        report.file.save(f"{kind}-{start:%Y%m%d}.xlsx", ContentFile(workbook.read()), save=False)
        report.full_clean()
        report.save()
        if kind == Report.Kind.QUARTERLY:
            _replace_scores(report, data)
        version = f"（第{report.version}版）" if report.version > 1 else ""
        notifications_send(
            recipients=report_readers(),
            kind=Notification.Kind.REPORT,
            title=f"新报告：{title}{version}",
            url=reverse("dispatch:report_detail", args=[report.pk]),
            key=f"report:{report.pk}",
        )
        if old_file and old_file != report.file.name:
            storage = report.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    logger.info(
        "report generated kind=%s period=%s actor=%s", kind, start, actor.pk if actor else None
    )
    return report


def _issue_number(report: Report) -> None:
    """The next 发文字号 of the year it is issued in, from a locked counter row.

    A draft keeps its number while it is regenerated (the number is reserved, not yet issued);
    a new version is a new document with a number of its own. The counter row stays locked
    until the report's transaction commits, so two reports built at once never share a number.
    """
    year = timezone.localdate().year

    def highest_used() -> int:
        return Report.objects.filter(doc_year=year).aggregate(n=Max("doc_serial"))["n"] or 0

    (serial,) = year_sequence_next(ReportSequence, year=year, highest_used=highest_used)
    report.doc_year, report.doc_serial = year, serial


def _replace_scores(report: Report, data: dict[str, Any]) -> None:
    AssessmentScore.objects.filter(report=report).delete()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            report=report,
            task_force_id=row["task_force_id"],
            indicator_id=ind["id"],
            raw_value=item["raw"],
            score=item["score"],
        )
        for row in data["rows"]
        for ind, item in zip(data["indicators"], row["items"], strict=True)
    )


@transaction.atomic
def report_request(
    *, actor: User, kind: str, day: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """生成报告 on demand (page or API): a worker builds it once this transaction commits.

    Without a day, the last complete period of the kind (上周, 上月, 上季度): a day of the
    current period builds it as of today, which every reader is told about.
    """
    if not can_generate_reports(actor):
        raise PermissionDenied("您没有生成报告的权限。")
    if kind not in KINDS:
        raise ValidationError({"kind": "未知的报告类型。"})
    today = timezone.localdate()
    start, end = period_bounds(kind, day) if day else previous_period(kind, today)
    if start > today:
        raise ValidationError({"period": "该期间尚未开始，不能生成报告。"})
    transaction.on_commit(lambda: current_app.tasks[GENERATE_TASK].delay(kind, start.isoformat()))
    return start, end


@transaction.atomic
def report_comment_publish(*, actor: User, report: Report, remark: str, publish: bool) -> Report:
    """A leader's 批示 on a report, and its publication to everyone who reads reports.

    Publication is final: the published version is the document people were sent; a correction
    is a new version, generated again."""
    if not can_comment_report(actor):
        raise PermissionDenied("只有县领导和系统管理员可以批示和发布报告。")
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.published and not publish:
        raise ValidationError({"published": "报告已发布，不能撤回；如需更正，请重新生成新版本。"})
    report.remark = remark.strip()
    if publish and not report.published:
        report.published_at = timezone.now()
    elif not publish:
        report.published_at = None
    report.published = publish
    report.full_clean()
    report.save(update_fields=["remark", "published", "published_at"])
    return report


def report_mark_read(*, actor: User, report: Report) -> int:
    """Opening a report reads its notification: the unread mark in the list goes away."""
    return Notification.objects.filter(
        recipient=actor, key=f"report:{report.pk}", read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def market_figure_save(*, actor: User, month: datetime.date, data: dict[str, Any]) -> MarketFigure:
    """Enter or correct one month's market figures (one row per month)."""
    if not can_enter_market_figures(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以填报市场数据。")
    figure = MarketFigure.objects.select_for_update().filter(month=month).first() or MarketFigure(
        month=month
    )
    for name in ("sales_area", "sales_units", "inventory_area", "inventory_units"):
        setattr(figure, name, data.get(name))
    figure.entered_by = actor
    figure.full_clean()
    figure._history_user = actor  # type: ignore[attr-defined]
    figure.save()
    return figure


def report_failure_record(*, kind: str, task_id: str, error: BaseException) -> None:
    """A report that failed all its retries: logged, and the admins see it in their messages."""
    logger.error("report generation failed kind=%s task=%s: %r", kind, task_id, error)
    admins = User.objects.filter(
        Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True
    ).distinct()
    label = Report.Kind(kind).label if kind in Report.Kind.values else kind
    notifications_send(
        recipients=admins,
        kind=Notification.Kind.REPORT,
        title=f"报告生成失败：{label}",
        body=f"任务 {task_id} 重试后仍失败：{error!r}"[:1000],
        url=reverse("dispatch:report_list"),
        key=f"report-failed:{task_id}",
    )
