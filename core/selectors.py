"""Reads of the core app: the in-app notification list and remembered preferences."""

from typing import Any

from django.db.models import QuerySet

from core.models import Notification, Preference, User


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor).order_by("-created_at", "-pk")


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def preference_value(*, actor: User, key: str) -> Any:
    """The actor's remembered choice, or None when they never made one."""
    return Preference.objects.filter(user=actor, key=key).values_list("value", flat=True).first()
