"""Scheduled work of the dispatch cycle: thin wrappers over the services, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from dispatch import services


@shared_task(name="dispatch.tasks.reminders_send")
def reminders_send() -> int:
    """催报 every Friday (see the beat schedule); a second run in the same week tells nobody."""
    return services.reminders_send(today=timezone.localdate())
