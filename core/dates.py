"""Calendar helpers shared by ledgers, reports and demo data."""

import datetime

from django.conf import settings

WEEKDAY_LABELS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: weekly reports are keyed by it."""
    return day - datetime.timedelta(days=day.weekday())


def window_start(today: datetime.date, days: int) -> datetime.date:
    """First day of "the last N days": today and the N-1 days before it. Every rolling window
    of the platform (collective petitions, warnings) counts this way."""
    return today - datetime.timedelta(days=days - 1)


def report_due_day(week: datetime.date) -> datetime.date:
    """The day by whose end the progress report of the week (its Monday) is due."""
    return week + datetime.timedelta(days=settings.LEDGER_REPORT_DUE_WEEKDAY - 1)


def report_due_week(today: datetime.date) -> datetime.date:
    """The latest week whose report is due by now: its due day is over (not merely begun), so
    on the due day itself the week before is the one a ledger is judged by (台账未更新)."""
    week = monday_of(today)
    return week if today > report_due_day(week) else week - datetime.timedelta(days=7)


def report_due_weekday_label() -> str:
    """The due day as people say it (周五), for every label of the rule."""
    return WEEKDAY_LABELS[settings.LEDGER_REPORT_DUE_WEEKDAY - 1]
