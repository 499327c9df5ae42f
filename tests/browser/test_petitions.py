"""The petition office registers a complaint by phone; the department answers and closes it."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from core.roles import Role
from petitions.models import Petition
from tests.browser.conftest import no_horizontal_scroll
from tests.factories import (
    TEST_PASSWORD,
    DepartmentFactory,
    PetitionFactory,
    ProjectFactory,
    valid_id_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_register_by_phone_then_department_replies_and_closes(
    live_server: Any,
    page: Any,
    browser: Any,
    make_user: Callable[..., User],
    screenshot: Callable[[Any, str], Path],
) -> None:
    dept = DepartmentFactory.create(name="县住建局")
    make_user(Role.PETITION, username="xf", full_name="赵信访")
    make_user(Role.DEPARTMENT, username="zj", full_name="钱部门", department=dept)
    project = ProjectFactory.create(name="锦绣华府", code="BJF-001")
    earlier = PetitionFactory.create(petitioner_phone="13900001111", project=project)

    login(page, live_server.url, "xf")
    page.click("header .nav-link:has-text('信访')")
    page.click("text=登记信访件")
    page.select_option("#id_channel", "phone")
    page.fill("#id_petitioner_name", "孙业主")
    page.fill("#id_petitioner_phone", "13900001111")
    page.fill("#id_petitioner_id_number", valid_id_number(3))
    page.fill("#id_headcount", "1")
    page.select_option("#id_category", "delayed_delivery")
    page.fill("#id_summary", "来电反映锦绣华府停工，要求明确交房时间")
    page.locator("#id_petitioner_id_number").focus()
    page.wait_for_selector(f".duplicate-hint:has-text('{earlier.number}')")
    page.click(".link-duplicate")
    page.locator("#id_project + .ts-wrapper input, .ts-control input").first.fill("锦绣")
    page.wait_for_selector(".ts-dropdown .option:has-text('锦绣华府')")
    page.click(".ts-dropdown .option:has-text('锦绣华府')")
    assert no_horizontal_scroll(page)
    screenshot(page, "petition-01-register")
    page.click("#register-form button[type=submit]")
    page.wait_for_selector("h1:has-text('XF-')")
    petition = Petition.objects.get(petitioner_name="孙业主")
    assert petition.duplicate_of == earlier
    assert petition.project == project

    page.click("button.accordion-button:has-text('受理')")
    page.click("#act-accept button[type=submit]")
    page.wait_for_selector(".alert-success:has-text('已受理')")
    page.click("button.accordion-button:has-text('交办')")
    page.select_option("#id_assign-department", str(dept.pk))
    page.click("#act-assign button[type=submit]")
    page.wait_for_selector(".alert-success:has-text('已交办')")
    screenshot(page, "petition-02-assigned")
    assert page.console_errors == []

    other = browser.new_context(viewport={"width": 1366, "height": 768})
    dept_page = other.new_page()
    login(dept_page, live_server.url, "zj")
    dept_page.goto(f"{live_server.url}/petitions/")
    assert dept_page.locator("tbody tr").count() == 1
    dept_page.click(f"text={petition.number}")
    assert "139****1111" in dept_page.locator("dl.facts").first.inner_text()
    dept_page.click("button.accordion-button:has-text('答复')")
    dept_page.fill("#id_reply-note", "已约谈开发企业，12月底前复工，明年6月交房")
    dept_page.click("#act-reply button[type=submit]")
    dept_page.wait_for_selector(".alert-success:has-text('已答复')")
    dept_page.click("button.accordion-button:has-text('办结')")
    dept_page.check("input[name=close-satisfaction][value=basic]")
    dept_page.click("#act-close button[type=submit]")
    dept_page.wait_for_selector(".alert-success:has-text('已办结')")
    assert "已办结" in dept_page.locator("h1").inner_text()
    assert "基本满意" in dept_page.locator(".timeline").inner_text()
    screenshot(dept_page, "petition-03-closed")
    other.close()
