"""A 专班 member keeps a project's ledger in the browser and sees figures and history change."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from core.roles import Role
from tests.browser.conftest import no_horizontal_scroll
from tests.factories import TEST_PASSWORD, ProjectFactory, TaskForceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_edits_project_and_adds_a_progress_report(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[[Any, str], Path],
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
