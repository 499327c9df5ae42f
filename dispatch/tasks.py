"""Celery tasks of the work cycle: thin wrappers over the services, safe to run twice."""

import datetime
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from dispatch import services
from dispatch.reports import services as report_services
from dispatch.reports.periods import previous_period


@shared_task(name="dispatch.tasks.reminders_send")
def reminders_send(day: str = "") -> int:
    """催报 every Friday (see the beat schedule); a second run in the same week tells nobody.

    立即催报 passes the day it was pressed (ISO date): a worker that reaches the task after
    midnight on Sunday still reminds of the week the leader saw.
    """
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.reminders_send(today=today)


class ReportTask(Task):
    """Retries with exponential backoff; when the last retry fails, the admins are told."""

    autoretry_for = (Exception,)
    max_retries = 3
    retry_backoff = 60
    retry_backoff_max = 15 * 60
    retry_jitter = True
    acks_late = True

    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        report_services.report_failure_record(
            kind=kwargs.get("kind") or (args[0] if args else ""), task_id=task_id, error=exc
        )


@shared_task(base=ReportTask)
def report_generate(kind: str, period_start: str) -> int:
    """Generate (or regenerate) the report of the period containing period_start (ISO date)."""
    report = report_services.report_generate(
        kind=kind, period_start=datetime.date.fromisoformat(period_start)
    )
    return report.pk


@shared_task(base=ReportTask)
def report_generate_scheduled(kind: str) -> int:
    """What beat runs: the period that has just ended (last week, month or quarter)."""
    start, _ = previous_period(kind, timezone.localdate())
    report = report_services.report_generate(kind=kind, period_start=start)
    return report.pk
