"""批量填报 in Chromium: a 专班 files its week of 10 projects with the keyboard and a column
pasted from Excel, sees a wrong cell marked in place, then saves all rows at once."""

import datetime
import re
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
from projects.models import Project
from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.factories import ProgressReportFactory, ProjectFactory, TaskForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY = datetime.datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LAST_WEEK = datetime.date(2026, 11, 23)
LONG_NAME = (
    "城关镇人民政府与县城市建设投资发展集团有限公司联合实施的城北片区棚户区改造安置房暨配套商业综合体"
    "及地下停车场建设项目（一期、二期、三期）保障性住房工程第二标段及周边市政道路、给排水、燃气配套工程"
)


def ten_projects(member: User) -> list[Project]:
    force = TaskForceFactory.create(name="城关镇专班", members=[member])
    projects = [
        ProjectFactory.create(
            code=f"CG-{i:03d}", name=LONG_NAME if i == 1 else f"城关项目{i}", task_force=force
        )
        for i in range(1, 11)
    ]
    for p in projects:
        ProgressReportFactory.create(
            project=p,
            period_start=LAST_WEEK,
            report_date=LAST_WEEK + datetime.timedelta(days=4),
            progress_percent=Decimal("40"),
        )
    return projects


def test_a_task_force_files_its_week_with_keyboard_and_paste(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    time_machine: Any,
) -> None:
    time_machine.move_to(FRIDAY, tick=True)
    member = make_user(Role.TASKFORCE, username="zhang", full_name="张专班")
    projects = ten_projects(member)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    log_in(page, live_server.url, "zhang")
    expect(page.locator(".week-desk")).to_contain_text("本周填报 0/10")
    with page.expect_navigation():
        page.click(".week-desk >> text=批量填报")
    rows = page.locator("tr.week-row.is-open")
    expect(rows).to_have_count(10)
    expect(page.locator(".unreported-tag")).to_have_count(10)
    expect(page.locator("[name='rows-0-progress_percent']")).to_have_value("40.0")
    name = page.locator("tr.week-row .name-clamp").first
    assert name.get_attribute("title") == LONG_NAME
    assert name.bounding_box()["height"] < 50  # two lines at most

    # Keyboard: type, Enter goes down the column, arrows move across.
    page.click("[name='rows-0-progress_percent']")
    for i in range(10):
        page.keyboard.type(str(41 + i))
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "rows-9-progress_percent"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.name") == "rows-8-delivered_this_week"
    page.keyboard.type("12")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("document.activeElement.name") == "rows-8-construction_status"
    page.keyboard.press("3")  # the third status: 半停工
    expect(page.locator("[name='rows-8-construction_status']")).to_have_value("semi_stopped")

    # A column copied from Excel (one value per line) fills the cells downwards.
    workers = "\n".join(["1,230", *[str(30 + i) for i in range(1, 10)]]) + "\n"
    page.evaluate("text => navigator.clipboard.writeText(text)", workers)
    page.click("[name='rows-0-workers_on_site']")
    page.keyboard.press("Control+V")
    expect(page.locator("#week-announce")).to_contain_text("已粘贴 10 个单元格")
    expect(page.locator("[name='rows-9-workers_on_site']")).to_have_value("39")
    # Two columns at once: 到位资金 and 进展说明 of the first two rows.
    page.evaluate("text => navigator.clipboard.writeText(text)", "120.5\t主体封顶\n0\t外立面施工\n")
    page.click("[name='rows-0-funds_received']")
    page.keyboard.press("Control+V")
    expect(page.locator("[name='rows-1-note']")).to_have_value("外立面施工")

    # A wrong cell is marked as it is typed, and again in place by the server.
    page.fill("[name='rows-4-progress_percent']", "145")
    expect(page.locator("tr.week-row").nth(4).locator(".cell-error")).to_contain_text("0到100")
    screenshot(page, "week-01-typing", readme="week-keyboard-paste")
    assert no_horizontal_scroll(page)
    with page.expect_navigation():
        page.click("button:has-text('保存本周填报') >> nth=0")
    expect(page.locator(".alert-danger")).to_contain_text("本批填报均未保存")
    bad = page.locator("[name='rows-4-progress_percent']")
    expect(bad).to_have_class(re.compile("is-invalid"))
    expect(page.locator("tr.week-row").nth(4).locator(".cell-error")).to_contain_text(
        "不能超过100%"
    )
    expect(page.locator("[name='rows-9-workers_on_site']")).to_have_value("39")
    screenshot(page, "week-02-error-in-place", readme="week-error-in-place")
    assert ProgressReport.objects.filter(period_start=datetime.date(2026, 11, 30)).count() == 0

    bad.fill("45")
    with page.expect_navigation():
        page.click("button:has-text('保存本周填报') >> nth=0")
    expect(page.locator(".alert-success")).to_contain_text("已保存10个项目")
    expect(page.locator("tr.week-row.is-reported")).to_have_count(10)
    screenshot(page, "week-03-saved")
    saved = {r.project_id: r for r in ProgressReport.objects.filter(period_start="2026-11-30")}
    assert len(saved) == 10
    assert saved[projects[0].pk].workers_on_site == 1230
    assert saved[projects[0].pk].note == "主体封顶"
    assert saved[projects[8].pk].construction_status == Project.Status.SEMI_STOPPED
    assert saved[projects[9].pk].progress_percent == Decimal("50")
    projects[8].refresh_from_db()
    assert projects[8].units_delivered == 12
    assert page.console_errors == []


def test_the_week_on_a_phone_is_one_card_per_project(
    live_server: Any,
    phone: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    time_machine: Any,
) -> None:
    time_machine.move_to(FRIDAY, tick=True)
    member = make_user(Role.TASKFORCE, username="zhang")
    ten_projects(member)

    log_in(phone, live_server.url, "zhang")
    phone.goto(f"{live_server.url}/projects/week/")
    expect(phone.locator("tr.week-row.is-open")).to_have_count(10)
    assert no_horizontal_scroll(phone)
    status = phone.locator("[name='rows-0-construction_status']").bounding_box()
    assert status["width"] > 300  # a full-width control for a thumb
    screenshot(phone, "week-04-phone", readme="week-phone")
    assert phone.console_errors == []
