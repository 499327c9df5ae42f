"""The single weekly-report form: last week beside it, a second look at odd progress, a link
to the report that already covers the week."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from core.models import User
from ledgers.models import ProgressReport
from projects.models import Project
from tests.factories import ProgressReportFactory

FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _friday(time_machine: Any) -> None:
    time_machine.move_to(FRIDAY, tick=False)


@pytest.fixture
def last_week(own_project: Project) -> ProgressReport:
    return ProgressReportFactory.create(
        project=own_project,
        period_start=datetime.date(2026, 11, 23),
        report_date=datetime.date(2026, 11, 27),
        construction_status=Project.Status.SEMI_STOPPED,
        progress_percent=Decimal("24"),
        workers_on_site=35,
        note="塔吊检修",
    )


def report_data(**overrides: Any) -> dict[str, Any]:
    return {
        "period_start": "2026-11-30",
        "report_date": "2026-12-04",
        "construction_status": Project.Status.NORMAL,
        "progress_percent": "26",
        "workers_on_site": "40",
        "funds_received": "0",
        "note": "",
        "delivered_this_week": "",
        **overrides,
    }


def url(project: Project) -> str:
    return f"/projects/{project.pk}/report/new/"


def test_the_form_shows_last_weeks_report(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    last_week: ProgressReport,
) -> None:
    page = client_for(taskforce_member).get(url(own_project)).content.decode()
    assert "上次填报：2026-11-23 这一周" in page
    assert "半停工" in page
    assert "24.0%" in page
    assert "塔吊检修" in page


@pytest.mark.parametrize(
    ("progress", "words"), [("2.4", "是否小数点错位"), ("60", "超过20个百分点")]
)
def test_a_fall_or_a_jump_in_progress_is_saved_only_once_confirmed(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    last_week: ProgressReport,
    progress: str,
    words: str,
) -> None:
    client = client_for(taskforce_member)

    asked = client.post(url(own_project), report_data(progress_percent=progress))
    assert asked.status_code == 200
    assert words in asked.context["form"].errors["progress_percent"][0]
    assert 'type="checkbox" name="confirm_progress"' in asked.content.decode()
    assert ProgressReport.objects.count() == 1

    saved = client.post(
        url(own_project), report_data(progress_percent=progress, confirm_progress="on")
    )
    assert saved.status_code == 302
    own_project.refresh_from_db()
    assert own_project.progress_percent == Decimal(progress)


def test_a_small_rise_needs_no_confirmation(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    last_week: ProgressReport,
) -> None:
    response = client_for(taskforce_member).post(url(own_project), report_data())
    assert response.status_code == 302


def test_a_week_already_reported_links_to_that_report(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    filed = ProgressReportFactory.create(
        project=own_project,
        period_start=datetime.date(2026, 11, 30),
        report_date=datetime.date(2026, 12, 1),
    )
    response = client_for(taskforce_member).post(url(own_project), report_data())
    assert response.status_code == 200
    assert response.context["reported_url"] == f"/projects/{own_project.pk}/report/{filed.pk}/edit/"
    assert "打开该周的填报记录" in response.content.decode()
