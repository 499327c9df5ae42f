"""An idle session in Chromium: the warning with 继续工作, and a save after it expired anyway —
the person logs in again and finds the form as they had typed it."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from core.models import User
from core.roles import Role
from ledgers.models import ProgressReport
from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.factories import TEST_PASSWORD, ProjectFactory, TaskForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOTE = "地下室防水施工，雨天停工半天"


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_an_expired_session_keeps_what_was_typed(
    live_server: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    time_machine: Any,
    request: pytest.FixtureRequest,
    screen: str,
) -> None:
    time_machine.move_to(FRIDAY, tick=True)
    page = request.getfixturevalue(screen)
    member = make_user(Role.TASKFORCE, username="wang", full_name="王专班")
    project = ProjectFactory.create(
        name="滨江花园", task_force=TaskForceFactory.create(name="城关镇专班", members=[member])
    )
    page.clock.install(time=FRIDAY.timestamp())
    log_in(page, live_server.url, "wang")
    page.goto(f"{live_server.url}/projects/{project.pk}/report/new/")
    page.select_option("#id_construction_status", "lagging")
    page.fill("#id_progress_percent", "12.5")
    page.fill("#id_workers_on_site", "36")
    page.fill("#id_note", NOTE)

    # 26 idle minutes: the warning counts down; 继续工作 keeps the session.
    page.clock.fast_forward("26:00")
    dialog = page.locator("#session-modal")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("登录将在 3 分")
    screenshot(page, f"session-01-warning-{screen}", readme=f"session-warning-{screen}")
    with page.expect_response("**/session/keepalive/") as kept:
        dialog.locator("button:has-text('继续工作')").click()
    assert kept.value.json() == {"expires_in": 1800}
    expect(dialog).to_be_hidden()

    # Then really idle past 30 minutes, on the server and in the page.
    time_machine.shift(datetime.timedelta(minutes=31))
    page.clock.fast_forward("31:00")
    expect(dialog).to_contain_text("请直接点击页面上的“保存”")
    screenshot(page, f"session-02-expired-{screen}")
    dialog.locator("button:has-text('知道了')").click()
    expect(dialog).to_be_hidden()
    with page.expect_navigation():
        page.click("form.entry-form button:has-text('保存')")
    assert "/accounts/login/" in page.url
    expect(page.locator(".alert-warning")).to_contain_text("您刚才填写的内容已保留")
    screenshot(page, f"session-03-login-{screen}", readme=f"session-login-{screen}")
    assert not ProgressReport.objects.exists()

    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith(f"/projects/{project.pk}/report/new/")
    expect(page.locator(".rescued-note")).to_contain_text("尚未保存")
    expect(page.locator("#id_note")).to_have_value(NOTE)
    expect(page.locator("#id_progress_percent")).to_have_value("12.5")
    expect(page.locator("#id_construction_status")).to_have_value("lagging")
    assert no_horizontal_scroll(page)
    screenshot(page, f"session-04-restored-{screen}", readme=f"session-restored-{screen}")

    with page.expect_navigation():
        page.click("form.entry-form button:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("进度填报已保存")
    report = ProgressReport.objects.get()
    assert (report.note, report.progress_percent, report.workers_on_site) == (
        NOTE,
        Decimal("12.5"),
        36,
    )
    assert page.console_errors == []
