"""Report periods: a Monday–Sunday week, a calendar month, a calendar quarter."""

import datetime

from core.dates import monday_of
from dispatch.models import Report

Kind = Report.Kind


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


def period_bounds(kind: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of a kind that contains the day: first and last day, inclusive."""
    if kind == Kind.WEEKLY:
        start = monday_of(day)
        return start, start + datetime.timedelta(days=6)
    if kind == Kind.MONTHLY:
        start = day.replace(day=1)
        return start, _month_end(start)
    if kind == Kind.QUARTERLY:
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        return start, _month_end(start.replace(month=start.month + 2))
    raise ValueError(f"unknown report kind: {kind}")


def previous_period(kind: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period that ended before the one containing today: what a schedule generates."""
    start, _ = period_bounds(kind, today)
    return period_bounds(kind, start - datetime.timedelta(days=1))


def period_label(kind: str, start: datetime.date, end: datetime.date) -> str:
    if kind == Kind.WEEKLY:
        return f"{start:%Y年%m月%d日}—{end:%m月%d日}"
    if kind == Kind.MONTHLY:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
