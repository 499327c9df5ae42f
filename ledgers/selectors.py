"""Reads of the ledger entries: a project's tabs and trend, and their county-wide sums.

The `area` arguments are `projects.selectors.area_q(via="project__")`: entries of the projects
of one township or 专班.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth

from core.models import User
from dispatch.selectors import task_list
from ledgers.models import (
    OPEN_PROBLEM_STATUSES,
    DeliveryRecord,
    FundingRecord,
    Inspection,
    Problem,
    ProgressReport,
)
from petitions.selectors import petition_list
from projects.models import Project


def project_entries(project: Project, *, actor: User) -> dict[str, Any]:
    """Every tab of the project page: one query each, whatever the number of rows.

    Tasks and petitions go through their own scoped selectors: a department user sees on a
    project page only what the department may see elsewhere.
    """
    return {
        "reports": list(
            ProgressReport.objects.filter(project=project)
            .select_related("reporter")
            .order_by("-period_start")
        ),
        "problems": list(
            Problem.objects.filter(project=project)
            .select_related("responsible_department")
            .order_by("status", "-reported_date")
        ),
        "funding": list(FundingRecord.objects.filter(project=project).order_by("-date", "-pk")),
        "deliveries": list(DeliveryRecord.objects.filter(project=project).order_by("-date", "-pk")),
        "inspections": list(Inspection.objects.filter(project=project).order_by("-date", "-pk")),
        "milestones": list(project.milestones.order_by("planned_date", "pk")),
        "tasks": list(
            task_list(actor=actor).filter(project=project).order_by("status", "deadline")
        ),
        "petitions": list(petition_list(actor=actor).filter(project=project)),
        "funding_totals": dict(
            FundingRecord.objects.filter(project=project)
            .values_list("status")
            .annotate(total=Sum("amount"))
        ),
    }


def project_trend(project: Project) -> dict[str, list[Any]]:
    """Weekly progress % and cumulative homes delivered, for the trend chart."""
    reports = list(
        ProgressReport.objects.filter(project=project)
        .order_by("period_start")
        .values_list("period_start", "progress_percent")
    )
    deliveries = list(
        DeliveryRecord.objects.filter(project=project).order_by("date").values_list("date", "units")
    )
    weeks, progress, delivered = [], [], []
    cumulative, i = 0, 0
    for week, percent in reports:
        while i < len(deliveries) and deliveries[i][0] < week + datetime.timedelta(days=7):
            cumulative += deliveries[i][1]
            i += 1
        weeks.append(week.isoformat())
        progress.append(float(percent))
        delivered.append(cumulative)
    return {"weeks": weeks, "progress": progress, "delivered": delivered}


def deliveries_by_month(*, year: int, area: Q | None = None) -> dict[int, int]:
    """Homes handed over per month of the year (交房记录): month → units.

    Their sum is the "units delivered this year" of 年度交房任务完成率.
    """
    rows = (
        DeliveryRecord.objects.filter(area or Q(), date__year=year)
        .annotate(month=ExtractMonth("date"))
        .order_by()
        .values_list("month")
        .annotate(units=Sum("units"))
    )
    return dict(rows)


def funds_disbursed(*, area: Q | None = None) -> Decimal:
    """资金到位 (万元): funding records whose money has arrived, whatever the source."""
    total = FundingRecord.objects.filter(
        area or Q(), status=FundingRecord.Status.DISBURSED
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def open_problem_projects(*, area: Q | None = None) -> dict[str, int]:
    """Projects with an open problem of each type: what the ledger's problem filter lists."""
    rows = (
        Problem.objects.filter(area or Q(), status__in=OPEN_PROBLEM_STATUSES)
        .order_by()
        .values_list("problem_type")
        .annotate(n=Count("project", distinct=True))
    )
    return dict(rows)
