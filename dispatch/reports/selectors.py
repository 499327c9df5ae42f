"""Reads of the reports: the list with the reader's unread marks and each version's standing,
a period's versions, market figures."""

from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from core.models import Notification, User
from dispatch.models import MarketFigure, Report
from dispatch.permissions import can_read_reports


def report_list_for(*, actor: User, kind: str = "") -> QuerySet[Report]:
    """Reports newest first, each with `unread` (the reader has not opened its notification)
    and `latest_version` (of its kind and period: a lower version is superseded).

    Nothing for a reader who may not read reports (department staff), whichever page or API asks.
    """
    if not can_read_reports(actor):
        return Report.objects.none()
    unread = Notification.objects.filter(
        recipient=actor,
        read_at__isnull=True,
        key=Concat(Value("report:"), Cast(OuterRef("pk"), CharField())),
    )
    newest = Report.objects.filter(kind=OuterRef("kind"), period_start=OuterRef("period_start"))
    qs = Report.objects.defer("data").annotate(
        unread=Exists(unread),
        latest_version=Subquery(newest.order_by("-version").values("version")[:1]),
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-period_start", "kind", "-version")


def report_versions(report: Report) -> list[Report]:
    """Every version of the report's kind and period, newest first, for the version bar."""
    return list(
        Report.objects.filter(kind=report.kind, period_start=report.period_start)
        .only("pk", "version", "generated_at", "published", "published_at", "remark")
        .order_by("-version")
    )


def market_figure_list() -> QuerySet[MarketFigure]:
    return MarketFigure.objects.select_related("entered_by").order_by("-month")
