"""Reads of the project ledger."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from core.models import User
from projects.models import Project


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Reports dated before this day do not count: the ledger is stale (台账未更新)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.STALE_LEDGER_DAYS)


def stale_q(today: datetime.date | None = None) -> Q:
    """Projects still being built whose last progress report is too old (or missing)."""
    cutoff = stale_cutoff(today)
    return ~Q(construction_status=Project.Status.DELIVERED) & (
        Q(last_report_date__isnull=True) | Q(last_report_date__lt=cutoff)
    )


def project_list(*, actor: User, search: str = "") -> QuerySet[Project]:
    """Every project with the related rows a ledger table shows; everyone may read all projects."""
    qs = Project.objects.select_related(
        "developer", "general_contractor", "task_force", "responsible_leader"
    )
    if search:
        qs = qs.filter(
            Q(name__icontains=search)
            | Q(code__icontains=search)
            | Q(developer__name__icontains=search)
            | Q(general_contractor__name__icontains=search)
        )
    return qs.order_by("code")


def county_totals(*, today: datetime.date | None = None) -> dict[str, int]:
    """Headline ledger figures for the home page."""
    totals = Project.objects.aggregate(
        units_sold=Sum("units_sold"), units_delivered=Sum("units_delivered")
    )
    sold = totals["units_sold"] or 0
    delivered = totals["units_delivered"] or 0
    return {
        "projects": Project.objects.count(),
        "units_sold": sold,
        "units_delivered": delivered,
        "units_undelivered": sold - delivered,
        "stopped": Project.objects.filter(construction_status=Project.Status.STOPPED).count(),
        "stale": Project.objects.filter(stale_q(today)).count(),
    }
