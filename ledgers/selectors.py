"""Reads of a project's ledger entries: the tabs and the trend of the project page."""

import datetime
from typing import Any

from django.db.models import Sum

from core.models import User
from dispatch.selectors import task_list
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
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
