"""Dating test rows in the past: history rows and creation times as if entered on a given day."""

import datetime
from typing import Any

from django.db import models
from django.utils import timezone


def noon(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def stamp(obj: Any, day: datetime.date, hour: int = 12) -> Any:
    """Date the object's newest history row (the save just made) on the given day."""
    row = obj.history.order_by("-history_id").first()
    type(row).objects.filter(pk=row.pk).update(history_date=noon(day, hour))
    return obj


def change(obj: models.Model, day: datetime.date, hour: int = 12, **fields: Any) -> Any:
    """Change fields and save, the history row dated on the given day."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return stamp(obj, day, hour)
