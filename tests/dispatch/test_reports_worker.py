"""A real Celery worker over Redis generates a report queued from the page's task (CI runs this)."""

import datetime
import time
from typing import Any

import pytest

from core.models import User
from dispatch import tasks
from dispatch.models import Report
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_generates_a_report(worker: None, leader: User, settings: Any) -> None:
    ProjectFactory.create()
    tasks.report_generate.delay("monthly", "2026-10-15")
    deadline = time.monotonic() + 90
    report = None
    while report is None and time.monotonic() < deadline:
        report = Report.objects.filter(kind="monthly").first()
        time.sleep(0.5)
    assert report is not None, "the worker did not generate the report"
    assert (report.period_start, report.period_end) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )
    assert report.data["delivery"]["projects"] == 0  # the project was entered after October
    assert leader.notifications.filter(key=f"report:{report.pk}").exists()
