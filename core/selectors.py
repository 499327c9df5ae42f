"""Reads of the core app: the in-app notification list, remembered preferences and the
directory of accounts."""

from typing import Any

from django.db.models import Q, QuerySet

from core.models import Notification, Preference, User
from core.roles import Role


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor).order_by("-created_at", "-pk")


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def preference_value(*, actor: User, key: str) -> Any:
    """The actor's remembered choice, or None when they never made one."""
    return Preference.objects.filter(user=actor, key=key).values_list("value", flat=True).first()


def user_directory(*, actor: User) -> QuerySet[User]:
    """The accounts a role needs to name (README, API): administrators see every account;
    leaders and 专班 members the active staff they assign tasks to and invite to meetings;
    the petition office the leaders who take cases (包案领导); a department its own people.
    Administrators' accounts are listed to administrators only."""
    active = User.objects.filter(is_active=True)
    if actor.has_role(Role.ADMIN):
        return active
    staff = active.exclude(is_superuser=True).exclude(groups__name=Role.ADMIN)
    if actor.has_role(Role.LEADER, Role.TASKFORCE):
        return staff
    mine = Q(pk=actor.pk)
    if actor.has_role(Role.PETITION):
        mine |= Q(groups__name=Role.LEADER)
    if actor.has_role(Role.DEPARTMENT) and actor.department_id is not None:
        mine |= Q(department_id=actor.department_id)
    return staff.filter(pk__in=staff.filter(mine).values("pk"))
