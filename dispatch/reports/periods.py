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
    """The last complete period: the one that ended before the one containing today. What a
    schedule generates, and what 立即生成 builds when no day is given."""
    start, _ = period_bounds(kind, today)
    return period_bounds(kind, start - datetime.timedelta(days=1))


def as_of_day(end: datetime.date, today: datetime.date) -> datetime.date:
    """The day a period's figures stand at: its end, or today while it has not ended. Nothing
    is ever counted as of a day still to come."""
    return min(end, today)


def period_label(kind: str, start: datetime.date, end: datetime.date) -> str:
    if kind == Kind.WEEKLY:
        return f"{start:%Y年%m月%d日}—{end:%m月%d日}"
    if kind == Kind.MONTHLY:
        return f"{start.year}年{start.month}月"
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


def as_of_note(end: datetime.date, as_of: datetime.date) -> str:
    """截至12月1日 for a period built before it ended; nothing for a complete one."""
    return f"截至{as_of.month}月{as_of.day}日" if as_of < end else ""
