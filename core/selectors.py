"""Reads of the core app: the in-app notification list."""

from django.db.models import QuerySet

from core.models import Notification, User


def notification_list(*, actor: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=actor).order_by("-created_at", "-pk")


def unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
