"""Main navigation, marked active by URL namespace, shown on every page."""

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

NAV_ITEMS = [
    ("home", "工作台", "bi-house-door", "home"),
    ("projects", "台账", "bi-journal-text", "projects:list"),
    ("petitions", "信访", "bi-envelope-paper", "petitions:list"),
    ("dispatch", "调度与报告", "bi-calendar-week", "dispatch:index"),
    ("dashboard", "领导驾驶舱", "bi-speedometer2", "dashboard"),
    ("imports", "导入", "bi-file-earmark-arrow-up", "imports:index"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    current = ""
    if match is not None:
        current = match.namespace or match.url_name or ""
    return {
        "nav_items": [
            {
                "key": key,
                "label": label,
                "icon": icon,
                "url_name": url_name,
                "active": key == current,
            }
            for key, label, icon, url_name in NAV_ITEMS
        ]
    }


def county(request: HttpRequest) -> dict[str, Any]:
    from django.conf import settings

    return {"county_name": settings.COUNTY_NAME}


def ledger_rule(request: HttpRequest) -> dict[str, Any]:
    """台账未更新 in the pages' words: the due weekday (周五) and the week now judged by it."""
    from django.utils import timezone

    from core.dates import report_due_week, report_due_weekday_label

    return {
        "report_due_day": report_due_weekday_label(),
        "report_due_week": report_due_week(timezone.localdate()),
    }


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Unread count for the bell in the header, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from core.selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(actor=user))}


def session(request: HttpRequest) -> dict[str, Any]:
    """When the session ends if left idle (for the warning), and a form's fields kept from a
    session that ended, for the page they belong to (core.sessions)."""
    from core.sessions import rescue_pending, rescue_take

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        pending = rescue_pending(request) if hasattr(request, "session") else None
        return {"rescue_pending": pending}
    return {
        "session_expires_in": session_seconds_left(request),
        "session_warning": settings.SESSION_WARNING_SECONDS,
        "rescued_form": rescue_take(request),
    }


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until this session ends if nothing more happens: idle time, or the absolute
    lifetime when that comes first."""
    from core.middleware import started_at

    left = settings.SESSION_COOKIE_AGE
    started = started_at(request)
    if started is not None:
        left = min(left, int(started + settings.SESSION_ABSOLUTE_SECONDS - time.time()))
    return max(0, left)
