"""A leader takes the reports as files, at a desk (1366×768) and on a phone (390×844): each
report's Word and Excel file within reach from the list; 下载Word / 下载Excel / 打印 on its
page."""

import datetime
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import expect

from core.models import User
from core.roles import Role
from dispatch.reports.services import report_generate
from tests.browser.conftest import log_in, no_horizontal_scroll
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def report_templates(db: None) -> None:
    """The reports' wording comes from a data migration; transactional tests flush it, so
    restore it (the migration only adds what is missing)."""
    import_module("dispatch.migrations.0005_report_documents").forwards(apps, None)


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_leader_downloads_a_report_as_word_and_excel_from_the_list_and_its_page(
    live_server: Any,
    make_user: Callable[..., User],
    screenshot: Callable[..., Path],
    settings: Any,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    report_templates: None,
    screen: str,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    page = request.getfixturevalue(screen)
    make_user(Role.LEADER, username="wang", full_name="王建国")
    ProjectFactory.create_batch(3)
    for kind, day in [
        ("quarterly", datetime.date(2026, 7, 1)),
        ("monthly", datetime.date(2026, 10, 1)),
        ("weekly", datetime.date(2026, 11, 23)),
    ]:
        report_generate(kind=kind, period_start=day)

    log_in(page, live_server.url, "wang")
    page.goto(f"{live_server.url}/dispatch/reports/")
    table = page.locator(".table-responsive").first
    assert table.evaluate("el => el.scrollWidth <= el.clientWidth"), "the list scrolls sideways"
    assert no_horizontal_scroll(page)
    weekly = page.locator("tbody tr:has-text('周调度简报')")
    for label in ("下载Word", "下载Excel", "领导简报"):
        expect(weekly.get_by_label(label)).to_be_in_viewport()
    expect(weekly).to_contain_text("待批示")
    screenshot(page, f"reports-01-list-{screen}")
    with page.expect_download() as word:
        weekly.get_by_label("下载Word").click()
    assert word.value.suggested_filename.endswith("周调度简报（2026年11月23日—11月29日）.docx")
    with page.expect_download() as excel:
        weekly.get_by_label("下载Excel").click()
    assert excel.value.suggested_filename.endswith(".xlsx")

    with page.expect_navigation():
        page.click("tbody a:has-text('月通报')")
    for name in ("下载Word", "下载Excel", "打印"):
        expect(page.get_by_text(name, exact=True)).to_be_visible()
    expect(page.locator(".report-text")).to_contain_text("截至10月31日")
    assert no_horizontal_scroll(page)
    screenshot(page, f"reports-02-monthly-{screen}")
    with page.expect_download() as word:
        page.click("text=下载Word")
    assert word.value.suggested_filename.startswith("县保交房办〔2026〕")
    assert page.console_errors == []
