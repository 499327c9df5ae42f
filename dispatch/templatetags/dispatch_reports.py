"""The 报告 card of the dispatch overview fetches its own rows, so any page can include it."""

from typing import Any

from django import template

from dispatch.permissions import can_read_reports
from dispatch.reports.selectors import report_list_for

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_reports(context: dict[str, Any], count: int = 8) -> list[Any]:
    """The newest reports with the reader's unread marks; none for who may not read them."""
    user = context["request"].user
    if not user.is_authenticated or not can_read_reports(user):
        return []
    return list(report_list_for(actor=user)[:count])
