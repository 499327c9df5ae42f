"""Writes of the core app: the security log and user accounts."""

import logging
from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest

from core.models import Department, SecurityEvent, User
from core.roles import Role

security_logger = logging.getLogger("baozhaofang.security")


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    username: str = "",
    user: User | None = None,
) -> SecurityEvent:
    """Append one event to the security log (and the process log, for the log collector)."""
    ip = path = method = agent = ""
    if request is not None:
        ip = get_client_ip_address(request) or ""
        path = request.get_full_path()[:500]
        method = request.method or ""
        agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        if (
            user is None
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            user = request.user
    if user is not None and not username:
        username = user.get_username()
    event = SecurityEvent.objects.create(
        kind=kind,
        username=username[:150],
        user=user,
        ip_address=ip or None,
        path=path,
        method=method,
        user_agent=agent,
    )
    security_logger.info("%s user=%s ip=%s path=%s", kind, username, ip, path)
    return event


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    full_name: str,
    roles: Iterable[str],
    department: Department | None = None,
    title: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    """Create an account holding the given roles; admins also get the Django admin site."""
    roles = list(roles)
    user = User(
        username=username,
        full_name=full_name,
        department=department,
        title=title,
        phone=phone,
        is_superuser=is_superuser,
        is_staff=is_superuser or Role.ADMIN in roles,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
