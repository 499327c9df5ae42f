"""A 专班 member keeps a project's ledger in the browser and sees figures and history change."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from core.models import User
from core.roles import Role
from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.factories import TEST_PASSWORD, ProjectFactory, TaskForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_edits_project_and_adds_a_progress_report(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
) -> None:
    member = make_user(Role.TASKFORCE, username="zhang", full_name="张专班")
    own = ProjectFactory.create(
        name="锦绣华府", task_force=TaskForceFactory.create(name="城关镇专班", members=[member])
    )
    other = ProjectFactory.create(
        name="御景湾", task_force=TaskForceFactory.create(name="南湖镇专班")
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "zhang")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.click("header .nav-link:has-text('台账')")
    page.fill("input[name=q]", "锦绣")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/projects/?q=*")
    assert page.locator("tbody tr").count() == 1
    assert no_horizontal_scroll(page)
    screenshot(page, "ledger-01-list")

    page.click("tbody a:has-text('锦绣华府')")
    page.wait_for_url(f"**/projects/{own.pk}/")
    page.click("text=编辑项目")
    page.fill("#id_contact_person", "李联络")
    page.fill("#id_change_reason", "联系人调整")
    screenshot(page, "ledger-02-edit")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/projects/{own.pk}/")
    assert "项目信息已保存" in page.locator(".alert-success").inner_text()

    page.click("text=填报进度")
    page.select_option("#id_construction_status", "lagging")
    page.fill("#id_progress_percent", "75")
    page.fill("#id_workers_on_site", "120")
    page.fill("#id_delivered_this_week", "20")
    page.fill("#id_note", "主体封顶，开始外立面施工")
    screenshot(page, "ledger-03-report")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/projects/{own.pk}/?tab=reports")
    assert "20" in page.locator(".figure:has-text('已交房套数') .value").inner_text()
    assert "75.0" in page.locator(".figure:has-text('形象进度') .value").inner_text()
    assert "进度滞后" in page.locator("h1").inner_text()
    assert page.locator("#trend-chart svg").count() == 1
    assert no_horizontal_scroll(page)
    screenshot(page, "ledger-04-project")

    page.click("button:has-text('变更记录')")
    page.wait_for_selector("#tab-history.show.active")
    history = page.locator("#tab-history").inner_text()
    assert "变更说明：联系人调整" in history
    assert "李联络" in history
    assert "进度填报" in history
    screenshot(page, "ledger-05-history")
    assert page.console_errors == []

    page.goto(f"{live_server.url}/projects/{other.pk}/edit/")
    assert "无权访问" in page.locator("h1").inner_text()
    screenshot(page, "ledger-06-refused")


LONG_NAME = (
    "城关镇人民政府与县城市建设投资发展集团有限公司联合实施的城北片区棚户区改造安置房暨配套商业综合体"
    "及地下停车场建设项目（一期、二期、三期）保障性住房工程第二标段及周边市政道路、给排水、燃气配套工程"
)


def ledger_of_long_names(member: User) -> None:
    force = TaskForceFactory.create(name="城关镇专班", members=[member])
    for i in range(1, 41):
        ProjectFactory.create(
            code=f"CG-{i:03d}",
            name=f"{LONG_NAME}{i}" if i % 3 == 1 else f"城关项目{i}",
            task_force=force,
            units_sold=1171,
            total_units=1500,
        )


def test_the_ledger_stays_readable_with_official_length_names(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
) -> None:
    member = make_user(Role.TASKFORCE, username="zhang")
    ledger_of_long_names(member)
    log_in(page, live_server.url, "zhang")
    page.goto(f"{live_server.url}/projects/")

    name = page.locator("tbody .col-name .name-clamp").first
    assert name.get_attribute("title") == f"{LONG_NAME}1"
    assert name.bounding_box()["height"] < 50  # two lines, the rest on hover
    for header in ["风险", "最近填报", "未交", "施工状态"]:
        box = page.locator(f"thead th:has-text('{header}')").bounding_box()
        assert box["x"] + box["width"] <= 1366, f"{header} is off-screen at 1366"
    assert no_horizontal_scroll(page)
    screenshot(page, "ledger-07-long-names", readme="ledger-long-names")

    # The header stays while the rows scroll under it.
    scroller = page.locator(".ledger-scroll")
    top = scroller.bounding_box()["y"]
    scroller.evaluate("el => { el.scrollTop = 600; }")
    expect(page.locator("tbody tr").first).not_to_be_in_viewport()
    assert abs(page.locator("thead th.col-code").bounding_box()["y"] - top) < 2

    # More columns than fit: the table scrolls sideways under one narrow frozen column.
    page.click("button:has-text('显示列')")
    for label in ["开发企业", "总包单位", "总建筑面积", "合同交房日期", "包案领导"]:
        page.check(f".column-chooser label:has-text('{label}')")
    with page.expect_navigation():
        page.click(".column-chooser button:has-text('保存')")
    expect(page.locator("thead")).to_contain_text("开发企业")
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    code = page.locator("tbody td.col-code").first.bounding_box()
    assert abs(code["x"] - scroller.bounding_box()["x"]) < 2
    assert code["width"] < 140  # the one frozen column is narrow
    screenshot(page, "ledger-08-scrolled-right", readme="ledger-scrolled")

    page.reload()
    expect(page.locator("thead")).to_contain_text("包案领导")  # remembered per user
    assert page.console_errors == []


def test_the_ledger_on_a_phone_is_a_card_per_project(
    live_server: Any,
    phone: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
) -> None:
    member = make_user(Role.TASKFORCE, username="zhang")
    ledger_of_long_names(member)
    log_in(phone, live_server.url, "zhang")
    phone.goto(f"{live_server.url}/projects/")

    cards = phone.locator(".ledger-item")
    expect(cards).to_have_count(40)
    expect(phone.locator(".ledger-card")).to_be_hidden()
    first = cards.first
    expect(first).to_contain_text("未交房")
    expect(first).to_contain_text("风险")
    assert first.locator(".name-clamp").bounding_box()["height"] < 55
    assert no_horizontal_scroll(phone)
    expect(phone.locator("#more-filters")).to_be_hidden()
    phone.click("button[aria-controls=more-filters]")
    expect(phone.locator("#id_status")).to_be_visible()
    screenshot(phone, "ledger-09-phone", readme="ledger-phone")
    assert phone.console_errors == []
