"""Writes of the core app: the security log, user accounts and in-app notifications."""

import logging
from collections.abc import Iterable
from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from core.masking import mask_personal_text
from core.models import Department, Notification, Preference, SecurityEvent, User
from core.roles import Role

security_logger = logging.getLogger("baozhaofang.security")


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    username: str = "",
    user: User | None = None,
) -> SecurityEvent:
    """Append one event to the security log (and the process log, for the log collector).

    The log can never be purged, so it keeps the path without its query string and with any
    phone or ID number in it (or in a typed username) masked."""
    ip = path = method = agent = ""
    if request is not None:
        ip = get_client_ip_address(request) or ""
        path = mask_personal_text(request.path)[:500]
        method = request.method or ""
        agent = mask_personal_text(request.META.get("HTTP_USER_AGENT", ""))[:300]
        if (
            user is None
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            user = request.user
    if user is not None and not username:
        username = user.get_username()
    username = mask_personal_text(username)
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


def notifications_send(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
) -> int:
    """Tell each recipient once; with a `key`, a second send of the same key is a no-op. A title
    longer than the column (a long task title after "新督办事项：") is shortened with an ellipsis;
    the whole text is on the page the notification links to."""
    limit = Notification._meta.get_field("title").max_length or len(title)
    if len(title) > limit:
        title = f"{title[: limit - 1]}…"
    rows = [
        Notification(recipient=user, kind=kind, title=title, body=body, url=url, key=key)
        for user in {u.pk: u for u in recipients}.values()
    ]
    if key:
        already = set(
            Notification.objects.filter(
                key=key, recipient__in=[n.recipient for n in rows]
            ).values_list("recipient_id", flat=True)
        )
        rows = [n for n in rows if n.recipient_id not in already]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    return len(rows)


def notification_open(*, actor: User, pk: int) -> Notification:
    """Mark one of the actor's notifications read (someone else's is not found)."""
    notification = Notification.objects.get(pk=pk, recipient=actor)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_set(*, actor: User, key: str, value: Any) -> Preference:
    """Remember one of the actor's choices (the caller has checked the value)."""
    preference, _ = Preference.objects.update_or_create(
        user=actor, key=key, defaults={"value": value}
    )
    return preference


@transaction.atomic
def preference_clear(*, actor: User, key: str) -> None:
    Preference.objects.filter(user=actor, key=key).delete()
