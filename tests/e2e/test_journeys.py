"""One journey per kind of user, each in real Chromium against a live server and Celery worker."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.dates import monday_of
from core.models import User
from core.roles import Role
from ledgers.models import Problem
from ledgers.services import progress_report_create
from projects.models import Project
from tests.e2e.conftest import Journey
from tests.factories import ProjectFactory, TaskForceFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_taskforce_member_updates_their_project_and_cannot_touch_another(
    journey: Callable[[str], Journey], make_user: Callable[..., User]
) -> None:
    member = make_user(Role.TASKFORCE, username="zhang", full_name="张专班")
    own_force = TaskForceFactory.create(name="城关镇专班", members=[member])
    today = timezone.localdate()
    own = ProjectFactory.create(
        code="CG-001",
        name="锦绣华府",
        task_force=own_force,
        contract_delivery_date=today - timedelta(days=60),
    )
    three_weeks_ago = today - timedelta(days=21)
    progress_report_create(
        actor=member,
        project=own,
        data={
            "period_start": monday_of(three_weeks_ago),
            "report_date": three_weeks_ago,
            "construction_status": Project.Status.NORMAL,
            "progress_percent": 60,
        },
        delivered_this_week=100,
    )
    ProjectFactory.create(code="CG-002", name="城南花园", task_force=own_force)
    other = ProjectFactory.create(
        code="NH-001", name="御景湾", task_force=TaskForceFactory.create(name="南湖镇专班")
    )

    j = journey("1-taskforce")
    zhang = j.login("zhang")
    page = zhang.page
    expect(page.locator(".card:has-text('本专班')")).to_contain_text("城关镇专班")
    page.click("text=本专班项目台账")
    zhang.check("ledger-own-taskforce")
    rows = page.locator("table.table-ledger tbody tr")
    expect(rows).to_have_count(2)
    page.fill("input[name=q]", "锦绣")
    page.click("form[role=search] button[type=submit]")
    expect(rows).to_have_count(1)
    zhang.check("ledger-search")
    ledger_row_before = rows.first.inner_text()

    page.click("tbody a:has-text('锦绣华府')")
    page.wait_for_url(f"**/projects/{own.pk}/")
    zhang.check("project")
    expect(page.locator(".figure:has-text('已交房套数') .value")).to_contain_text("100")
    expect(page.locator(".figure:has-text('形象进度') .value")).to_contain_text("60.0")
    expect(page.locator(".figure:has-text('最近填报')")).to_contain_text("超期未更新")
    expect(page.locator("h1 .risk")).to_contain_text("中风险")

    page.click("text=填报进度")
    zhang.check("report-form")
    page.select_option("#id_construction_status", "lagging")
    page.fill("#id_progress_percent", "75")
    page.fill("#id_workers_on_site", "120")
    page.fill("#id_delivered_this_week", "20")
    page.fill("#id_note", "主体封顶，开始外立面施工")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/projects/{own.pk}/?tab=reports")
    zhang.check("project-after-report")
    expect(page.locator(".alert-success")).to_contain_text("进度填报已保存")
    expect(page.locator(".figure:has-text('已交房套数') .value")).to_contain_text("120")
    expect(page.locator(".figure:has-text('形象进度') .value")).to_contain_text("75.0")
    expect(page.locator(".figure:has-text('最近填报')")).not_to_contain_text("超期未更新")
    expect(page.locator("h1")).to_contain_text("进度滞后")
    expect(page.locator("#trend-chart svg")).to_have_count(1)
    expect(page.locator("#tab-reports")).to_contain_text("主体封顶")

    page.click("button:has-text('新增')")
    page.click(".dropdown-menu >> text=问题")
    page.wait_for_url(f"**/projects/{own.pk}/problem/new/")
    zhang.check("problem-form")
    page.select_option("#id_problem_type", Problem.Type.WAGE_ARREARS)
    page.fill("#id_description", "总包拖欠农民工工资，约80人")
    page.fill("#id_amount", "35")
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**/projects/{own.pk}/?tab=problems")
    zhang.check("project-after-problem")
    expect(page.locator("#tab-problems")).to_contain_text("总包拖欠农民工工资")
    expect(page.locator(".figure:has-text('拖欠工资') .value")).to_contain_text("35")
    expect(page.locator("h1 .risk")).to_contain_text("高风险")

    page.click("button:has-text('变更记录')")
    expect(page.locator("#tab-history")).to_be_visible()
    history = page.locator("#tab-history")
    expect(history).to_contain_text("进度填报")
    expect(history).to_contain_text("新增问题")
    expect(history).to_contain_text("拖欠工资")
    zhang.check("project-history")

    page.click(".breadcrumb a:has-text('项目台账')")
    zhang.check("ledger-after")
    page.fill("input[name=q]", "锦绣")
    page.click("form[role=search] button[type=submit]")
    expect(rows).to_have_count(1)
    zhang.check("ledger-after-search")
    ledger_row_after = rows.first.inner_text()
    assert ledger_row_after != ledger_row_before
    for shown in ("进度滞后", "120", "高"):
        assert shown in ledger_row_after, (shown, ledger_row_after)
    assert Project.objects.get(pk=own.pk).units_delivered == 120

    zhang.goto(f"/projects/{other.pk}/", "other-project")
    expect(page.locator(".alert-secondary")).to_contain_text("您可以查看，不能修改")
    expect(page.locator("text=填报进度")).to_have_count(0)
    expect(page.locator("text=编辑项目")).to_have_count(0)
    zhang.goto(f"/projects/{other.pk}/edit/", "other-project-edit-refused", status=403)
    expect(page.locator("h1")).to_contain_text("无权访问")
    zhang.goto(f"/projects/{other.pk}/report/new/", "other-project-report-refused", status=403)
    expect(page.locator("h1")).to_contain_text("无权访问")
    assert Project.objects.get(pk=other.pk).units_delivered == 0
