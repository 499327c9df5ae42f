"""Main navigation, marked active by URL namespace, shown on every page."""

from typing import Any

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


def notifications(request: HttpRequest) -> dict[str, Any]:
    """Unread count for the bell in the header, counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from core.selectors import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(actor=user))}
