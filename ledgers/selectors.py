"""Reads of the ledger entries: a project's tabs and trend, and their county-wide sums.

The `area` arguments are `projects.selectors.area_q(via="project__")`: entries of the projects
of one township or 专班.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth

from core.models import User
from ledgers.models import (
    OPEN_PROBLEM_STATUSES,
    DeliveryRecord,
    FundingRecord,
    Inspection,
    Photo,
    Problem,
    ProgressReport,
)
from ledgers.photos.selectors import STRIP_SIZE, project_photos
from projects.models import Project, TaskForce


def project_entries(project: Project, *, actor: User) -> dict[str, Any]:
    """The ledger's tabs of the project page: one query each, whatever the number of rows.

    Tasks and petitions are the tabs of the apps above (projects.extensions).
    """
    return {
        "reports": list(
            ProgressReport.objects.filter(project=project)
            .select_related("reporter")
            .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("pk")))
            .order_by("-period_start")
        ),
        "problems": list(
            Problem.objects.filter(project=project)
            .select_related("responsible_department")
            .order_by("status", "-reported_date")
        ),
        "funding": list(FundingRecord.objects.filter(project=project).order_by("-date", "-pk")),
        "deliveries": list(DeliveryRecord.objects.filter(project=project).order_by("-date", "-pk")),
        "inspections": list(
            Inspection.objects.filter(project=project)
            .prefetch_related(Prefetch("photos", queryset=Photo.objects.order_by("pk")))
            .order_by("-date", "-pk")
        ),
        "photos": list(project_photos(project)[:STRIP_SIZE]),
        "photo_count": Photo.objects.filter(project=project).count(),
        "milestones": list(project.milestones.order_by("planned_date", "pk")),
        "funding_totals": dict(
            FundingRecord.objects.filter(project=project)
            .values_list("status")
            .annotate(total=Sum("amount"))
        ),
    }


def project_trend(project: Project) -> dict[str, list[Any]]:
    """Weekly progress % and cumulative homes delivered (from the opening balance), for the trend
    chart."""
    reports = list(
        ProgressReport.objects.filter(project=project)
        .order_by("period_start")
        .values_list("period_start", "progress_percent")
    )
    deliveries = list(
        DeliveryRecord.objects.filter(project=project).order_by("date").values_list("date", "units")
    )
    weeks, progress, delivered = [], [], []
    cumulative, i = project.units_delivered_opening, 0  # homes handed over before the ledger
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


def reports_before(*, project_ids: list[int], week: datetime.date) -> dict[int, ProgressReport]:
    """Each project's latest report of a week before `week`: "last week" beside this week's
    form. One query whatever the number of projects."""
    latest = (
        ProgressReport.objects.filter(project=OuterRef("project"), period_start__lt=week)
        .order_by("-period_start")
        .values("pk")[:1]
    )
    rows = ProgressReport.objects.filter(
        project_id__in=project_ids, period_start__lt=week, pk=Subquery(latest)
    )
    return {r.project_id: r for r in rows}


@dataclass
class WeekLine:
    """One project of a 专班's week: this week's report if filed, and the one before it."""

    project: Project
    report: ProgressReport | None
    previous: ProgressReport | None

    @property
    def reported(self) -> bool:
        return self.report is not None


def week_sheet(*, task_force: TaskForce, week: datetime.date) -> tuple[list[WeekLine], int]:
    """The projects a 专班 reports on for one week, and how many are exempt (已全部交付)."""
    projects = list(
        Project.objects.filter(task_force=task_force)
        .exclude(construction_status=Project.Status.DELIVERED)
        .order_by("code")
    )
    ids = [p.pk for p in projects]
    filed = {
        r.project_id: r
        for r in ProgressReport.objects.filter(project_id__in=ids, period_start=week)
    }
    before = reports_before(project_ids=ids, week=week)
    exempt = Project.objects.filter(
        task_force=task_force, construction_status=Project.Status.DELIVERED
    ).count()
    lines = [WeekLine(p, filed.get(p.pk), before.get(p.pk)) for p in projects]
    return lines, exempt
