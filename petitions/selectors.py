"""Reads of the petition register."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import User
from petitions.models import OPEN_STATUSES, Petition
from petitions.permissions import sees_only_own_department


def petition_list(*, actor: User) -> QuerySet[Petition]:
    """Petitions the actor may see: all of them, or those of the actor's department."""
    qs = Petition.objects.select_related("project", "department", "case_leader")
    if sees_only_own_department(actor):
        qs = qs.filter(department_id=actor.department_id) if actor.department_id else qs.none()
    return qs.order_by("-received_date", "-number")


def overdue_q(today: datetime.date | None = None) -> Q:
    """Open petitions past their handling deadline."""
    today = today or timezone.localdate()
    return Q(status__in=OPEN_STATUSES, due_date__lt=today)


def open_counts(*, actor: User, today: datetime.date | None = None) -> dict[str, int]:
    qs = petition_list(actor=actor)
    return {
        "open": qs.filter(status__in=OPEN_STATUSES).count(),
        "overdue": qs.filter(overdue_q(today)).count(),
    }
