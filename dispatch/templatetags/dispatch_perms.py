"""Permission checks for the dispatch buttons other apps' pages show (督办, 未按时填报)."""

from django import template

from core.models import User
from dispatch import permissions

register = template.Library()


@register.filter
def can_raise_task_from(user: User, source: str) -> bool:
    return bool(user.is_authenticated) and permissions.can_raise_task_from(user, source)


@register.filter
def can_view_unreported(user: User) -> bool:
    return bool(user.is_authenticated) and permissions.can_view_unreported(user)
