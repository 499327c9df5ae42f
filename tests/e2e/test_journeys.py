"""One journey per kind of user, each in real Chromium against a live server and Celery worker."""

import time
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.dates import monday_of
from core.models import User
from core.roles import Role
from dispatch.models import Report
from dispatch.reports.periods import previous_period
from ledgers.models import Problem
from ledgers.services import progress_report_create
from petitions.models import Petition
from projects.models import Project
from tests.conftest import WorkerProcess
from tests.e2e.conftest import WORKER_MS, Journey
from tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    PetitionFactory,
    ProjectFactory,
    TaskForceFactory,
    valid_id_number,
)
from tests.imports.sheets import messy_sheet, row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
    expect(page.locator(".week-desk")).to_contain_text("城关镇专班 · 本周填报 0/2")
    zhang.follow("text=本专班项目台账", "ledger-own-taskforce")
    rows = page.locator("table.table-ledger tbody tr")
    expect(rows).to_have_count(2)
    page.fill("input[name=q]", "锦绣")
    zhang.follow("form[role=search] button[type=submit]", "ledger-search")
    expect(rows).to_have_count(1)
    ledger_row_before = rows.first.inner_text()

    zhang.follow("tbody a:has-text('锦绣华府')", "project")
    assert page.url.endswith(f"/projects/{own.pk}/")
    expect(page.locator(".figure:has-text('已交房套数') .value")).to_contain_text("100")
    expect(page.locator(".figure:has-text('形象进度') .value")).to_contain_text("60.0")
    expect(page.locator(".figure:has-text('最近填报')")).to_contain_text("超期未更新")
    expect(page.locator("h1 .risk")).to_contain_text("中风险")

    zhang.follow("text=填报进度", "report-form")
    # Monday: last week's report (due Friday) is the one missing, so that is the week filed.
    page.fill("#id_period_start", (monday_of(today) - timedelta(days=7)).isoformat())
    page.select_option("#id_construction_status", "lagging")
    page.fill("#id_progress_percent", "75")
    page.fill("#id_workers_on_site", "120")
    page.fill("#id_delivered_this_week", "20")
    page.fill("#id_note", "主体封顶，开始外立面施工")
    zhang.follow("button:has-text('保存')", "project-after-report")
    assert page.url.endswith(f"/projects/{own.pk}/?tab=reports")
    expect(page.locator(".alert-success")).to_contain_text("进度填报已保存")
    expect(page.locator(".figure:has-text('已交房套数') .value")).to_contain_text("120")
    expect(page.locator(".figure:has-text('形象进度') .value")).to_contain_text("75.0")
    expect(page.locator(".figure:has-text('最近填报')")).not_to_contain_text("超期未更新")
    expect(page.locator("h1")).to_contain_text("进度滞后")
    expect(page.locator("#trend-chart svg")).to_have_count(1)
    expect(page.locator("#tab-reports")).to_contain_text("主体封顶")

    page.click("button:has-text('新增')")
    zhang.follow(".dropdown-menu >> text=问题", "problem-form")
    page.select_option("#id_problem_type", Problem.Type.WAGE_ARREARS)
    page.fill("#id_description", "总包拖欠农民工工资，约80人")
    page.fill("#id_amount", "35")
    zhang.follow("button:has-text('保存')", "project-after-problem")
    assert page.url.endswith(f"/projects/{own.pk}/?tab=problems")
    expect(page.locator("#tab-problems")).to_contain_text("总包拖欠农民工工资")
    expect(page.locator(".figure:has-text('拖欠工资') .value")).to_contain_text("35")
    expect(page.locator("h1 .risk")).to_contain_text("高风险")

    page.click("button:has-text('变更记录')")
    expect(page.locator("#tab-history")).to_be_visible()
    history = page.locator("#tab-history")
    expect(history).to_contain_text("进度填报")
    expect(history).to_contain_text("新增问题")
    expect(history).to_contain_text("拖欠工资")
    zhang.check("project-history", again=True)

    zhang.follow(".breadcrumb a:has-text('项目台账')", "ledger-after")
    page.fill("input[name=q]", "锦绣")
    zhang.follow("form[role=search] button[type=submit]", "ledger-after-search")
    expect(rows).to_have_count(1)
    ledger_row_after = rows.first.inner_text()
    assert ledger_row_after != ledger_row_before
    for shown in ("进度滞后", "180", "高"):  # 未交 = 300 sold − 120 delivered
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


def test_import_of_a_messy_survey_sheet_runs_in_the_worker(
    journey: Callable[[str], Journey], make_user: Callable[..., User], worker: WorkerProcess
) -> None:
    member = make_user(Role.TASKFORCE, username="li", full_name="李专班")
    force = TaskForceFactory.create(name="城关镇专班", members=[member])
    ProjectFactory.create(
        code="CG-001",
        name="锦绣华府",
        task_force=force,
        developer=CompanyFactory.create(name="示范县新城房地产开发有限公司"),
        progress_percent=40,
    )
    names = ["锦绣华府", "城南花园", "滨江一号", "翡翠湾", "金色家园", "书香名邸", "东湖雅苑"]
    sheet = messy_sheet(
        [row(code=f"CG-{i:03d}", name=name) for i, name in enumerate(names, start=1)],
        two_row_header=True,
    )
    log_start = len(worker.log_text())

    j = journey("2-import")
    li = j.login("li")
    page = li.page
    li.follow("header .nav-link:has-text('导入')", "import")
    page.set_input_files(
        "input[type=file]", files=[{"name": "城关镇摸排表.xlsx", "mimeType": XLSX, "buffer": sheet}]
    )
    page.click("button:has-text('上传并预览')")
    page.wait_for_url("**/import/*/")
    stats = page.locator(".stat-card .stat-value")
    expect(stats).to_have_count(4, timeout=WORKER_MS)
    li.check("preview")
    expect(page.locator("h1 .import-status")).to_have_text("待确认")
    expect(stats).to_have_text(["6", "1", "0", "0"])
    summary = page.locator(".sheet-summary").first
    expect(summary).to_contain_text("表头在第 3、4 行")
    expect(summary).to_contain_text("跳过 2 行")
    notes = page.locator(".import-notes")
    expect(notes).to_contain_text("将新建企业：示范县宏达建设工程有限公司")
    expect(page.locator("text=已识别的列")).to_be_visible()
    preview = page.locator("table.table-ledger tbody")
    expect(preview.locator("tr")).to_have_count(7)
    expect(preview.locator("tr:has-text('CG-001')")).to_contain_text("形象进度")

    page.click("button:has-text('确认导入')")
    expect(page.locator("h1 .import-status")).to_have_text("已导入", timeout=WORKER_MS)
    li.check("applied")
    expect(notes).to_contain_text("已新建企业：示范县宏达建设工程有限公司")
    log = worker.log_text()[log_start:]
    assert "import_check_task" in log, log
    assert "import_apply_task" in log, log
    assert "Traceback" not in log, log

    li.follow("header .nav-link:has-text('台账')", "ledger")
    rows = page.locator("table.table-ledger tbody tr")
    expect(rows).to_have_count(len(names))
    for name in names:
        expect(page.locator(f"tbody a:has-text('{name}')")).to_have_count(1)
    li.follow("tbody a:has-text('滨江一号')", "imported-project")
    figures = page.locator(".figure-grid")
    expect(figures.locator(".figure:has-text('形象进度') .value")).to_contain_text("60.0")
    expect(figures.locator(".figure:has-text('资金缺口') .value")).to_contain_text("1200")
    expect(figures.locator(".figure:has-text('拖欠工资') .value")).to_contain_text("35")
    expect(page.locator("dl.facts")).to_contain_text("2025-06-30")

    li.follow("header .nav-link:has-text('导入')", "import-records")
    expect(page.locator("tbody tr").first).to_contain_text("已导入")
    assert Project.objects.get(code="CG-001").progress_percent == 60


def test_petition_is_registered_assigned_answered_and_closed(
    journey: Callable[[str], Journey], make_user: Callable[..., User]
) -> None:
    today = timezone.localdate()
    housing = DepartmentFactory.create(name="县住建局")
    make_user(Role.PETITION, username="xf", full_name="赵信访")
    make_user(Role.DEPARTMENT, username="zj", full_name="钱部门", department=housing)
    project = ProjectFactory.create(name="锦绣华府", code="BJF-001")
    earlier = PetitionFactory.create(
        petitioner_phone="13900001111",
        project=project,
        received_date=today,
        accepted_date=today,
        status=Petition.Status.CLOSED,
        closed_date=today,
        satisfaction=Petition.Satisfaction.UNSATISFIED,
    )

    j = journey("3-petition")
    xf = j.login("xf")
    page = xf.page
    expect(page.locator(".stat-card:has-text('在办信访件') .stat-value")).to_contain_text("0")
    xf.follow("header .nav-link:has-text('信访')", "petitions")
    rates = page.locator(".card:has-text('办结率')")
    expect(rates).to_contain_text("1 / 1")
    expect(rates.locator(".d-flex:has(span:text-is('满意率')) strong")).to_have_text("0.0%")

    xf.follow("text=登记信访件", "register")
    page.select_option("#id_channel", "phone")
    page.fill("#id_petitioner_name", "孙业主")
    page.fill("#id_petitioner_phone", "13900001111")
    page.fill("#id_petitioner_id_number", valid_id_number(3))
    page.fill("#id_headcount", "1")
    page.select_option("#id_category", Petition.Category.DELAYED_DELIVERY)
    page.fill("#id_summary", "来电反映锦绣华府停工，要求明确交房时间")
    page.locator("#id_petitioner_id_number").focus()
    hint = page.locator(f".duplicate-hint:has-text('{earlier.number}')")
    expect(hint).to_contain_text("锦绣华府")
    page.click(".link-duplicate")
    page.locator("#id_project + .ts-wrapper input").fill("锦绣")
    page.click(".ts-dropdown .option:has-text('锦绣华府')")
    xf.check("register-filled", again=True)
    xf.follow("#register-form button[type=submit]", "registered")
    expect(page.locator("h1")).to_contain_text("XF-")
    petition = Petition.objects.get(petitioner_name="孙业主")
    assert petition.duplicate_of == earlier
    assert petition.project == project

    page.click("button.accordion-button:has-text('受理')")
    xf.follow("#act-accept button[type=submit]", "accepted")
    expect(page.locator(".alert-success")).to_contain_text("已受理")
    page.click("button.accordion-button:has-text('交办')")
    page.select_option("#id_assign-department", str(housing.pk))
    xf.follow("#act-assign button[type=submit]", "assigned")
    expect(page.locator(".alert-success")).to_contain_text("已交办")

    zj = j.login("zj")
    dept = zj.page
    zj.follow("header .nav-link:has-text('信访')", "department-petitions")
    expect(dept.locator("tbody tr")).to_have_count(1)
    zj.follow(f"text={petition.number}", "department-petition")
    expect(dept.locator("dl.facts").first).to_contain_text("139****1111")
    dept.click("button.accordion-button:has-text('答复')")
    dept.fill("#id_reply-note", "已约谈开发企业，12月底前复工，明年6月交房")
    zj.follow("#act-reply button[type=submit]", "department-replied")
    expect(dept.locator(".alert-success")).to_contain_text("已答复")

    page.reload()
    xf.check("replied")
    page.click("button.accordion-button:has-text('办结')")
    page.check("input[name=close-satisfaction][value=basic]")
    xf.follow("#act-close button[type=submit]", "closed")
    expect(page.locator(".alert-success")).to_contain_text("已办结")
    expect(page.locator("h1")).to_contain_text("已办结")
    expect(page.locator(".timeline")).to_contain_text("基本满意")

    xf.follow("header .nav-link:has-text('信访')", "petitions-after")
    expect(rates).to_contain_text("2 / 2")
    expect(rates.locator(".d-flex:has(span:text-is('办结率')) strong")).to_have_text("100.0%")
    expect(rates.locator(".d-flex:has(span:text-is('满意率')) strong")).to_have_text("50.0%")
    xf.follow("header .nav-link:has-text('工作台')", "home-after")
    expect(page.locator(".stat-card:has-text('在办信访件') .stat-value")).to_contain_text("0")


def test_leader_follows_a_warning_and_reads_this_months_bulletin(
    journey: Callable[[str], Journey], make_user: Callable[..., User], worker: WorkerProcess
) -> None:
    make_user(Role.LEADER, username="wang", full_name="王县长")
    force = TaskForceFactory.create(name="城关镇专班")
    stopped = ProjectFactory.create(
        name="停工楼盘", task_force=force, construction_status=Project.Status.STOPPED
    )
    ProjectFactory.create(name="正常楼盘", task_force=force)
    month_start, month_end = previous_period("monthly", timezone.localdate())

    j = journey("4-leader")
    wang = j.login("wang")
    page = wang.page
    wang.follow("header .nav-link:has-text('领导驾驶舱')", "dashboard")
    expect(page.locator("[data-figure=projects]")).to_contain_text("2")
    panel = page.locator(".warning-panel")
    expect(panel.locator("[data-figure=stopped]")).to_contain_text("1")
    wang.follow(".warning-panel .warn-items a:has-text('停工楼盘')", "warning-project")
    assert page.url.endswith(f"/projects/{stopped.pk}/")
    expect(page.locator("h1 .risk")).to_contain_text("高风险")

    # This month's 月通报 covers last month; the leader asks for it and a worker builds it.
    wang.follow("header .nav-link:has-text('调度与报告')", "dispatch")
    wang.follow("a:has-text('全部报告')", "reports")
    page.select_option("#id_kind", "monthly")
    page.fill("#id_period", month_start.isoformat())
    wang.follow("button:has-text('生成报告')", "report-queued")
    expect(page.locator(".alert-success")).to_contain_text("已提交生成月通报")
    deadline = time.monotonic() + WORKER_MS / 1000
    while not Report.objects.filter(kind="monthly", period_start=month_start).exists():
        assert time.monotonic() < deadline, worker.log_text()[-3000:]
        time.sleep(0.3)

    wang.goto("/", "home-with-new-report")
    expect(page.locator("header .notification-count")).to_have_text("1")
    wang.follow("header a[title='站内通知']", "notifications")
    wang.follow(".notification-item:has-text('月通报') button", "bulletin")
    expect(page.locator("h1")).to_contain_text(
        f"月通报（{month_start.year}年{month_start.month}月）"
    )
    expect(page.locator("body")).to_contain_text(f"{month_end:%Y年%-m月%-d日}")
    with page.expect_download() as download:
        page.click("a:has-text('下载Excel')")
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        sheet = load_workbook(BytesIO(saved.read()), read_only=True).worksheets[0]
    assert "月通报" in str(next(sheet.iter_rows(max_row=1, values_only=True))[0])
    wang.goto("/notifications/", "notifications-read")
    expect(page.locator(".notification-item.unread")).to_have_count(0)
