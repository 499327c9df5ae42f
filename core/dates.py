"""Calendar helpers shared by ledgers, reports and demo data."""

import datetime


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week: weekly reports are keyed by it."""
    return day - datetime.timedelta(days=day.weekday())
