"""A county leader opens the dashboard, narrows it to a 专班 and clicks through to the list."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from core.models import User
from core.roles import Role
from projects.models import Project
from tests.browser.conftest import no_horizontal_scroll
from tests.factories import (
    TEST_PASSWORD,
    PetitionFactory,
    ProjectFactory,
    TaskForceFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_opens_the_dashboard_and_clicks_through_to_the_filtered_list(
    live_server: Any,
    page: Any,
    make_user: Callable[..., User],
    screenshot: Callable[[Any, str], Path],
) -> None:
    cache.clear()
    today = timezone.localdate()
    make_user(Role.LEADER, username="wang", full_name="王建国")
    chengguan = TaskForceFactory.create(name="城关镇专班")
    nanhu = TaskForceFactory.create(name="南湖镇专班")
    ProjectFactory.create(
        name="锦绣华府", task_force=chengguan, construction_status=Project.Status.STOPPED
    )
    ProjectFactory.create(
        name="御景湾", task_force=nanhu, construction_status=Project.Status.STOPPED
    )
    ProjectFactory.create(
        name="翡翠家园",
        task_force=chengguan,
        contract_delivery_date=today + datetime.timedelta(days=300),
    )
    PetitionFactory.create(received_date=today)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "wang")
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.click("header .nav-link:has-text('领导驾驶舱')")
    page.wait_for_selector("#chart-deliveries svg")
    assert page.locator("[data-figure=projects]").inner_text().startswith("3")
    assert page.locator("[data-figure=risk-high]").inner_text() == "高 2"
    assert "数据截至" in page.locator("#as-of").inner_text()
    assert no_horizontal_scroll(page)
    screenshot(page, "dashboard-01-county")

    page.select_option("#id_task_force", str(chengguan.pk))
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(f"**/dashboard/?*task_force={chengguan.pk}*")
    assert page.locator("[data-figure=risk-high]").inner_text() == "高 1"

    page.click("[data-figure=risk-high]")
    page.wait_for_url("**/projects/?*risk=high*")
    assert page.locator("tbody tr").count() == 1
    assert "锦绣华府" in page.locator("tbody").inner_text()
    assert page.locator("#id_task_force").input_value() == str(chengguan.pk)
    assert page.locator("#id_risk").input_value() == "high"
    screenshot(page, "dashboard-02-list")
    assert page.console_errors == []
