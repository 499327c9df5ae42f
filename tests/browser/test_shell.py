"""A person logs in, sees the finished layout, moves around the navigation and logs out."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from core.roles import Role
from tests.browser.conftest import no_horizontal_scroll
from tests.factories import TEST_PASSWORD, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_logs_in_and_walks_the_navigation(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[[Any, str], Path],
) -> None:
    make_user(Role.LEADER, username="leader1", full_name="王建国")
    ProjectFactory.create(name="锦绣华府")

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    screenshot(page, "shell-01-login")
    page.fill("input[name=username]", "leader1")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "王建国" in page.locator("header").inner_text()
    assert page.locator(".stat-card").count() == 4
    assert no_horizontal_scroll(page)
    screenshot(page, "shell-02-home")

    for label, heading in [
        ("台账", "项目台账"),
        ("信访", "信访件"),
        ("调度与报告", "调度与报告"),
        ("领导驾驶舱", "领导驾驶舱"),
        ("导入", "摸排表导入"),
    ]:
        page.click(f"header .nav-link:has-text('{label}')")
        page.wait_for_load_state()
        assert heading in page.locator("h1").inner_text()
        assert page.locator("header .nav-link.active").inner_text().strip() == label
        assert no_horizontal_scroll(page), label
        screenshot(page, f"shell-03-{label}")
        if label == "台账":
            assert "锦绣华府" in page.locator("table").inner_text()

    page.click("header .dropdown-toggle")
    page.click("text=退出登录")
    page.wait_for_url("**/accounts/login/")
    assert page.console_errors == []


def test_wrong_password_shows_the_reason_in_chinese(
    live_server: Any, page: Any, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, username="leader1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "leader1")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".alert-danger").inner_text()
