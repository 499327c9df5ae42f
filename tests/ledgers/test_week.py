"""批量填报: a 专班's week on one screen, saved as one batch through the ledger service."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from core.models import User
from core.roles import Role
from ledgers.models import DeliveryRecord, ProgressReport
from projects.models import Project, TaskForce
from tests.factories import ProgressReportFactory, ProjectFactory, TaskForceFactory

FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
THIS_WEEK = datetime.date(2026, 11, 30)
LAST_WEEK = datetime.date(2026, 11, 23)
URL = "/projects/week/"


@pytest.fixture(autouse=True)
def _friday(time_machine: Any) -> None:
    time_machine.move_to(FRIDAY, tick=False)


@pytest.fixture
def force(taskforce_member: User) -> TaskForce:
    return taskforce_member.task_forces.get()


def projects_with_last_week(force: TaskForce, n: int, progress: str = "40") -> list[Project]:
    projects = ProjectFactory.create_batch(n, task_force=force)
    for p in projects:
        ProgressReportFactory.create(
            project=p,
            period_start=LAST_WEEK,
            report_date=LAST_WEEK + datetime.timedelta(days=4),
            construction_status=Project.Status.LAGGING,
            progress_percent=Decimal(progress),
        )
    return projects


def week_post(rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": len(rows),
        "rows-MIN_NUM_FORMS": 0,
        "rows-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        values = {
            "include": "on",
            "construction_status": Project.Status.NORMAL,
            "progress_percent": "45",
            "delivered_this_week": "",
            "workers_on_site": "",
            "funds_received": "",
            "note": "",
            **row,
        }
        data.update({f"rows-{i}-{k}": v for k, v in values.items() if v is not None})
    return data


def test_a_task_force_of_ten_files_its_week_in_one_screen_and_one_save(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects = projects_with_last_week(force, 10)
    client = client_for(taskforce_member)

    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["formset"].total_form_count() == 10
    assert page.content.decode().count("本周未报") == 10
    assert [f.initial["construction_status"] for f in page.context["formset"]] == ["lagging"] * 10

    rows: list[dict[str, Any]] = [
        {"project": p.pk, "progress_percent": f"{41 + i}", "workers_on_site": "30"}
        for i, p in enumerate(projects)
    ]
    rows[2]["delivered_this_week"] = "12"
    response = client.post(URL, week_post(rows))

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?task_force={force.pk}&week=2026-11-30"
    reports = ProgressReport.objects.filter(period_start=THIS_WEEK).order_by("project__code")
    assert reports.count() == 10
    assert {r.report_date for r in reports} == {datetime.date(2026, 12, 4)}
    assert {r.reporter for r in reports} == {taskforce_member}
    assert DeliveryRecord.objects.get().units == 12
    projects[9].refresh_from_db()
    assert projects[9].progress_percent == Decimal("50")
    after = client.get(response["Location"])
    assert "已填报 <strong>10</strong> / 10" in after.content.decode()
    assert after.context["formset"].total_form_count() == 0


def test_a_wrong_cell_is_shown_in_its_row_and_nothing_is_saved(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects = projects_with_last_week(force, 3)
    rows: list[dict[str, Any]] = [{"project": p.pk} for p in projects]
    rows[1]["progress_percent"] = "140"
    rows[2]["delivered_this_week"] = "301"

    response = client_for(taskforce_member).post(URL, week_post(rows))

    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert list(forms[1].errors) == ["progress_percent"]
    assert forms[0].errors == {}
    assert not ProgressReport.objects.filter(period_start=THIS_WEEK).exists()
    assert "本批填报均未保存" in response.content.decode()


def test_a_row_the_service_refuses_gets_the_message_in_its_cell(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects = projects_with_last_week(force, 2)
    rows: list[dict[str, Any]] = [{"project": p.pk} for p in projects]
    rows[1]["delivered_this_week"] = "301"

    response = client_for(taskforce_member).post(URL, week_post(rows))

    assert response.status_code == 200
    errors = response.context["formset"].forms[1].errors
    assert "超过已售套数300套" in errors["delivered_this_week"][0]
    assert "1行有误" in response.content.decode()
    assert not ProgressReport.objects.filter(period_start=THIS_WEEK).exists()


def test_a_fall_in_progress_asks_for_confirmation_before_saving(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    (project,) = projects_with_last_week(force, 1, progress="24")
    client = client_for(taskforce_member)
    row = {"project": project.pk, "progress_percent": "2.4"}

    asked = client.post(URL, week_post([row]))

    assert asked.status_code == 200
    assert "是否小数点错位" in asked.context["formset"].forms[0].errors["progress_percent"][0]
    assert "确认无误" in asked.content.decode()
    assert not ProgressReport.objects.filter(period_start=THIS_WEEK).exists()

    confirmed = client.post(URL, week_post([{**row, "confirm_progress": "on"}]))
    assert confirmed.status_code == 302
    assert ProgressReport.objects.get(period_start=THIS_WEEK).progress_percent == Decimal("2.4")


def test_numbers_pasted_from_excel_are_read(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    (project,) = projects_with_last_week(force, 1)
    row = {
        "project": project.pk,
        "progress_percent": "45.5%",
        "workers_on_site": "1,234",
        "funds_received": "２００．５",
    }

    assert client_for(taskforce_member).post(URL, week_post([row])).status_code == 302
    report = ProgressReport.objects.get(period_start=THIS_WEEK)
    assert (report.progress_percent, report.workers_on_site) == (Decimal("45.5"), 1234)
    assert report.funds_received == Decimal("200.5")


def test_an_unticked_row_is_left_out_and_stays_unreported(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects = projects_with_last_week(force, 2)
    rows: list[dict[str, Any]] = [
        {"project": projects[0].pk},
        {"project": projects[1].pk, "include": None},
    ]
    rows[1]["progress_percent"] = "not a number"

    assert client_for(taskforce_member).post(URL, week_post(rows)).status_code == 302
    assert list(
        ProgressReport.objects.filter(period_start=THIS_WEEK).values_list("project", flat=True)
    ) == [projects[0].pk]


def test_a_project_reported_meanwhile_is_refused_in_its_row_with_a_link(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects = projects_with_last_week(force, 2)
    client = client_for(taskforce_member)
    client.get(URL)
    filed = ProgressReportFactory.create(project=projects[1], period_start=THIS_WEEK)

    response = client.post(URL, week_post([{"project": p.pk} for p in projects]))

    assert response.status_code == 200
    assert f"记录号{filed.pk}" in response.content.decode()
    assert ProgressReport.objects.filter(period_start=THIS_WEEK).count() == 1


def test_a_project_of_another_task_force_cannot_be_slipped_in(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    force: TaskForce,
    other_project: Project,
) -> None:
    projects_with_last_week(force, 1)
    response = client_for(taskforce_member).post(URL, week_post([{"project": other_project.pk}]))
    assert response.status_code == 302
    assert not ProgressReport.objects.filter(period_start=THIS_WEEK).exists()


def test_delivered_projects_are_exempt_and_counted(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    projects_with_last_week(force, 2)
    ProjectFactory.create(task_force=force, construction_status=Project.Status.DELIVERED)
    page = client_for(taskforce_member).get(URL)
    assert page.context["formset"].total_form_count() == 2
    assert "另有 1 个已全部交付的项目无需填报" in page.content.decode()


def test_a_past_week_can_be_filed_but_not_a_week_to_come(
    client_for: Callable[[User], Client], taskforce_member: User, force: TaskForce
) -> None:
    (project,) = projects_with_last_week(force, 1)
    client = client_for(taskforce_member)
    assert client.get(URL, {"week": "2026-12-09"}).context["week"] == THIS_WEEK
    two_weeks_ago = client.get(URL, {"week": "2026-11-18"})
    assert two_weeks_ago.context["week"] == datetime.date(2026, 11, 16)
    response = client.post(
        f"{URL}?week=2026-11-16", week_post([{"project": project.pk, "progress_percent": "39"}])
    )
    assert response.status_code == 302
    assert ProgressReport.objects.filter(period_start=datetime.date(2026, 11, 16)).exists()


def test_only_members_and_admins_file_a_week(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    department_user: User,
    leader: User,
) -> None:
    assert client_for(department_user).get(URL).status_code == 403
    assert client_for(leader).get(URL).status_code == 403
    admin = make_user(Role.ADMIN)
    TaskForceFactory.create(name="甲专班")
    assert client_for(admin).get(URL).status_code == 200
