"""Reads of the work cycle: meetings, supervision tasks, reports."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import User
from dispatch.models import AnnualTarget, DispatchMeeting, Report, SupervisionTask
from dispatch.permissions import sees_all_tasks


def task_list(*, actor: User) -> QuerySet[SupervisionTask]:
    qs = SupervisionTask.objects.select_related("project", "assignee_department", "assignee_user")
    if not sees_all_tasks(actor):  # department staff, or no reading role at all
        qs = qs.filter(
            Q(assignee_department_id=actor.department_id, assignee_department__isnull=False)
            | Q(assignee_user=actor)
        )
    return qs.order_by("deadline", "pk")


def overdue_task_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return ~Q(status=SupervisionTask.Status.DONE) & Q(deadline__lt=today)


def meeting_list() -> QuerySet[DispatchMeeting]:
    return DispatchMeeting.objects.select_related("chair").order_by("-date")


def report_list() -> QuerySet[Report]:
    return Report.objects.order_by("-period_start", "kind")


def annual_target(*, year: int, task_force_id: int | None = None) -> int | None:
    """年度交房任务 (units): the county's, or one 专班's; None where none was set."""
    target = AnnualTarget.objects.filter(year=year, task_force_id=task_force_id).first()
    return target.units if target is not None else None
