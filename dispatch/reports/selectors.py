"""Reads of the reports: the list with the reader's unread marks, market figures."""

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat

from core.models import Notification, User
from dispatch.models import MarketFigure, Report
from dispatch.permissions import can_read_reports


def report_list_for(*, actor: User, kind: str = "") -> QuerySet[Report]:
    """Reports newest first, each with `unread`: the reader has not opened its notification.

    Nothing for a reader who may not read reports (department staff), whichever page or API asks.
    """
    if not can_read_reports(actor):
        return Report.objects.none()
    unread = Notification.objects.filter(
        recipient=actor,
        read_at__isnull=True,
        key=Concat(Value("report:"), Cast(OuterRef("pk"), CharField())),
    )
    qs = Report.objects.defer("data").annotate(unread=Exists(unread))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-period_start", "kind")


def market_figure_list() -> QuerySet[MarketFigure]:
    return MarketFigure.objects.select_related("entered_by").order_by("-month")
