"""Homes delivered before a project entered the ledger are its opening balance (期初): they count
in 累计已交房 and 交房率, never in a period's deliveries or the year's 交房任务完成率. Homes a known
project handed over since are a delivery dated as the sheet stands (issue 13, kind 11)."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.models import User
from dispatch.dashboard.selectors import dashboard_data
from dispatch.models import AnnualTarget
from dispatch.reports import monthly, quarterly, weekly
from imports import services
from ledgers.models import DeliveryRecord
from ledgers.selectors import project_trend
from projects.models import Project, TaskForce
from tests.factories import (
    DeliveryRecordFactory,
    ProgressReportFactory,
    ProjectFactory,
    TownshipFactory,
)
from tests.imports.sheets import row, survey
from tests.imports.test_import import upload
from tests.imports.xlsx import xlsx

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Thursday


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any, settings: object, tmp_path: Path) -> None:
    time_machine.move_to(NOW, tick=False)
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


@pytest.fixture
def county(member: User) -> Project:
    """A project that handed over 100 homes this year, against a target of 1,000."""
    task_force = TaskForce.objects.get(members=member)
    project = ProjectFactory.create(code="CG-100", task_force=task_force, units_delivered=100)
    DeliveryRecordFactory.create(project=project, date=datetime.date(2026, 12, 1), units=100)
    AnnualTarget.objects.create(year=2026, units=1000)
    return project


def import_sheet(member: User, rows: list[Any], unit_line: str = "单位：万元、平方米、套") -> Any:
    batch = upload(member, xlsx(survey(rows, unit_line=unit_line)))
    assert not batch.counts["error"], [r["errors"] for r in batch.preview["rows"]]
    return services.import_apply(actor=member, batch=batch)


def test_a_new_projects_delivered_homes_are_its_opening_balance(
    member: User, leader: User, county: Project
) -> None:
    old = row(code="CG-800", name="老项目", total=1000, sold="900", delivered=800,
              undelivered=100, contract="2021年6月", status="已竣工", progress="100%", gap=0,
              wages=0, types="")  # fmt: skip
    import_sheet(member, [old])
    project = Project.objects.get(code="CG-800")
    assert (project.units_delivered, project.units_delivered_opening) == (800, 800)
    assert project.delivery_rate == Decimal("0.889")  # 800 / 900, as every rate is rounded
    assert not DeliveryRecord.objects.filter(project=project).exists()

    dashboard = dashboard_data(actor=leader)
    assert dashboard.totals["delivered"] == 900  # 累计已交房 counts it
    assert (dashboard.delivered_this_year, dashboard.target_rate) == (100, Decimal("0.1000"))
    week = weekly.build(datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    assert week["summary"]["delivered_units"] == 100
    assert week["summary"]["units_delivered"] == 900
    month = monthly.build(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    assert (month["delivery"]["delivered_month"], month["delivery"]["delivered_ytd"]) == (100, 100)
    assert month["delivery"]["units_delivered"] == 900
    quarter = quarterly.Context(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    AnnualTarget.objects.create(year=2026, task_force=county.task_force, units=1000)
    assert quarterly.delivery_target(quarter) == {county.task_force_id: 0.1}


def test_the_trend_starts_from_the_opening_balance(member: User) -> None:
    import_sheet(member, [row(delivered=120, undelivered=180)])
    project = Project.objects.get()
    ProgressReportFactory.create(project=project, period_start=datetime.date(2026, 11, 23))
    assert project_trend(project)["delivered"][0] == 120


def test_homes_delivered_since_are_dated_by_the_sheets_as_of_date(
    member: User, county: Project
) -> None:
    rows = [row(code="CG-100", name=county.name, developer=county.developer.name,
                delivered=130, undelivered=170)]  # fmt: skip
    batch = upload(member, xlsx(survey(rows, unit_line="截至2026年11月30日　单位：万元、平方米")))
    preview = batch.preview
    assert preview["as_of"]["date"] == "2026-11-30"
    assert "A2“截至2026年11月30日" in preview["as_of"]["source"]
    assert ["已交房套数", "100", "130"] in preview["rows"][0]["changes"]
    assert preview["rows"][0]["delivered"] == 30
    services.import_apply(actor=member, batch=batch)
    latest = DeliveryRecord.objects.filter(project=county).latest("pk")
    assert (latest.date, latest.units) == (datetime.date(2026, 11, 30), 30)


def test_without_a_date_in_the_sheet_the_import_day_is_used_and_the_clerk_may_change_it(
    member: User, county: Project
) -> None:
    rows = [row(code="CG-100", name=county.name, developer=county.developer.name,
                delivered=130, undelivered=170)]  # fmt: skip
    batch = upload(member, xlsx(survey(rows)))
    assert batch.preview["as_of"] == {
        "date": "2026-12-03",
        "source": "表中没有写截至日期，按导入当天",
    }
    batch = services.import_set_as_of(actor=member, batch=batch, day=datetime.date(2026, 12, 2))
    assert batch.preview["as_of"]["date"] == "2026-12-02"
    services.import_apply(actor=member, batch=batch)
    assert DeliveryRecord.objects.filter(project=county).latest("pk").date == datetime.date(
        2026, 12, 2
    )


def test_an_as_of_date_after_today_is_an_error_of_the_sheet(member: User, county: Project) -> None:
    rows = [row(code="CG-100", name=county.name, developer=county.developer.name)]
    batch = upload(member, xlsx(survey(rows, unit_line="数据截至：2027年12月1日")))
    errors = [m for level, m in batch.preview["notices"] if level == "error"]
    assert errors
    assert "晚于今天" in errors[0]
    with pytest.raises(services.ImportHasErrors):
        services.import_apply(actor=member, batch=batch)
