"""Calendar helpers shared by ledgers, reports and demo data."""

import datetime


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: weekly reports are keyed by it."""
    return day - datetime.timedelta(days=day.weekday())


def window_start(today: datetime.date, days: int) -> datetime.date:
    """First day of "the last N days": today and the N-1 days before it. Every rolling window
    of the platform (stale ledgers, collective petitions, warnings) counts this way."""
    return today - datetime.timedelta(days=days - 1)
