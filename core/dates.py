"""Calendar helpers shared by ledgers, reports and demo data."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# No ledger entry is dated before this: the county's unfinished sold projects were sold from
# the 2000s on, so an earlier date is a slip (1900-01-01, a two-digit year read as 0020).
EARLIEST_ENTRY_DATE = datetime.date(2000, 1, 1)

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


def county_today() -> datetime.date:
    """Today in the county's time zone (settings.TIME_ZONE), whatever zone a request activated:
    timezone.localdate() looks the active zone up in a context variable, and an import checks
    tens of thousands of dates."""
    return datetime.datetime.now(timezone.get_default_timezone()).date()


def entry_date_problem(day: datetime.date, label: str) -> str | None:
    """Why a date typed on a ledger entry cannot be right, or None: it lies after today in the
    county (Asia/Shanghai), or before EARLIEST_ENTRY_DATE. Every ledger model checks its dates
    here (in clean(), which the forms, the API, 批量填报 and the survey import all run)."""
    today = county_today()
    if day > today:
        return f"{label}{day:%Y-%m-%d}晚于今天（{today:%Y-%m-%d}），不能登记尚未发生的日期。"
    if day < EARLIEST_ENTRY_DATE:
        return f"{label}{day:%Y-%m-%d}早于{EARLIEST_ENTRY_DATE:%Y-%m-%d}，请核对年份。"
    return None


def entry_date_errors(entry: models.Model, fields: list[str]) -> dict[str, str]:
    """The entry's dates checked by entry_date_problem, each message naming its field. A value
    its field could not read is left to the field's own error."""
    errors: dict[str, str] = {}
    for name in fields:
        day = getattr(entry, name)
        if isinstance(day, datetime.date):
            label = getattr(entry._meta.get_field(name), "verbose_name", name)
            problem = entry_date_problem(day, str(label))
            if problem:
                errors[name] = problem
    return errors


def check_entry_dates(entry: models.Model, fields: list[str]) -> None:
    errors = entry_date_errors(entry, fields)
    if errors:
        raise ValidationError(errors)


def counted_day(
    stated: datetime.date | None, recorded_at: datetime.datetime | None
) -> datetime.date | None:
    """The day an event counts on for timeliness (按期): the later of the day it states and the
    day the server recorded it, so a date typed earlier than the event (补录) is kept and shown
    but never makes late work count as on time (issue 15)."""
    if stated is None or recorded_at is None:
        return stated
    return max(stated, timezone.localdate(recorded_at))
