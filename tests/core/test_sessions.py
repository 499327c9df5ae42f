"""Idle sessions: a warning before they end, and typed work that survives the end."""

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client

from core.models import User
from core.sessions import RESCUE_KEY
from ledgers.models import ProgressReport
from projects.models import Project
from tests.factories import TEST_PASSWORD

REPORT = {
    "period_start": "2026-11-30",
    "report_date": "2026-11-30",
    "construction_status": Project.Status.LAGGING,
    "progress_percent": "63.5",
    "workers_on_site": "41",
    "funds_received": "0",
    "note": "外立面脚手架搭设，预计下周完成",
    "delivered_this_week": "",
}


def logged_in(user: User) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    return client


def test_a_form_saved_after_the_session_idled_out_comes_back_after_login(
    taskforce_member: User, own_project: Project, time_machine: Any
) -> None:
    client = logged_in(taskforce_member)
    url = f"/projects/{own_project.pk}/report/new/"
    assert client.get(url).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=31))

    sent = client.post(url, REPORT)

    assert sent.status_code == 302
    assert sent["Location"].startswith("/accounts/login/?next=")
    assert not ProgressReport.objects.exists()
    login_page = client.get(sent["Location"]).content.decode()
    assert "登录已超时（30分钟未操作）" in login_page
    assert "外立面脚手架" not in login_page

    back = client.post(
        sent["Location"], {"username": taskforce_member.username, "password": TEST_PASSWORD}
    )
    assert back["Location"] == url
    page = client.get(url)
    rescued = page.context["rescued_form"]
    assert rescued["data"]["note"] == [REPORT["note"]]
    assert rescued["data"]["progress_percent"] == ["63.5"]
    assert "csrfmiddlewaretoken" not in rescued["data"]
    assert 'id="rescued-form"' in page.content.decode()
    assert client.get(url).context["rescued_form"] is None  # handed over once


def test_another_person_logging_in_on_that_browser_does_not_get_the_fields(
    taskforce_member: User, own_project: Project, make_user: Callable[..., User], time_machine: Any
) -> None:
    client = logged_in(taskforce_member)
    url = f"/projects/{own_project.pk}/report/new/"
    time_machine.shift(datetime.timedelta(minutes=31))
    client.post(url, REPORT)
    other = make_user("admin", username="admin9")

    client.post("/accounts/login/", {"username": other.username, "password": TEST_PASSWORD})

    assert client.get(url).context["rescued_form"] is None
    assert RESCUE_KEY not in client.session


def test_a_form_sent_past_the_absolute_lifetime_is_kept_too(
    taskforce_member: User, own_project: Project, time_machine: Any, settings: Any
) -> None:
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    client = logged_in(taskforce_member)
    url = f"/projects/{own_project.pk}/report/new/"
    for _ in range(4):
        time_machine.shift(datetime.timedelta(minutes=14))
        client.get("/")
    time_machine.shift(datetime.timedelta(minutes=5))  # busy, but 61 minutes after login

    sent = client.post(url, REPORT)

    assert sent["Location"].startswith("/accounts/login/?next=")
    assert "登录已超过1小时" in client.get(sent["Location"]).content.decode()
    client.post(
        sent["Location"], {"username": taskforce_member.username, "password": TEST_PASSWORD}
    )
    assert client.get(url).context["rescued_form"]["data"]["workers_on_site"] == ["41"]


def test_requests_from_scripts_and_the_api_are_not_kept(
    taskforce_member: User, own_project: Project, time_machine: Any
) -> None:
    client = logged_in(taskforce_member)
    time_machine.shift(datetime.timedelta(minutes=31))
    client.post(
        f"/projects/{own_project.pk}/report/new/", REPORT, headers={"X-Requested-With": "fetch"}
    )
    client.post("/api/progress-reports/", REPORT)
    assert RESCUE_KEY not in client.session


def test_keepalive_renews_the_session_and_says_for_how_long(
    taskforce_member: User, time_machine: Any
) -> None:
    client = logged_in(taskforce_member)
    time_machine.shift(datetime.timedelta(minutes=20))
    answer = client.post("/session/keepalive/")
    assert answer.status_code == 200
    assert answer.json() == {"expires_in": 1800}
    time_machine.shift(datetime.timedelta(minutes=20))
    assert client.get("/").status_code == 200  # 40 minutes after login, still in
    assert client.get("/session/keepalive/").status_code == 405

    time_machine.shift(datetime.timedelta(minutes=31))
    assert client.post("/session/keepalive/").status_code == 401


def test_pages_tell_the_script_when_the_session_ends(
    client_for: Callable[[User], Client], taskforce_member: User
) -> None:
    page = client_for(taskforce_member).get("/").content.decode()
    assert 'data-session-expires-in="1800"' in page
    assert 'data-session-warning="300"' in page
    assert "继续工作" in page
