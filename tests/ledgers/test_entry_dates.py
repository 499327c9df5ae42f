"""Every date on a ledger entry is checked by one rule, whichever way the entry comes in: not
after today in the county, not before 2000-01-01, a weekly report within or after its week, a
problem resolved on or after the day it was found.

The suite's clock (tests/conftest.py) is Monday 2026-11-30 00:30 in the county, still Sunday in
UTC: "today" is the 30th, "tomorrow" the 1st of December.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from core.bulk import RowErrors
from core.models import User
from ledgers import services
from ledgers.bulk import ledger_entries_add_many
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from projects.models import Project

D = datetime.date
TODAY = D(2026, 11, 30)
TOMORROW = D(2026, 12, 1)
FLOOR = D(2000, 1, 1)
pytestmark = pytest.mark.django_db


def report(week: D, day: D) -> dict[str, Any]:
    return {
        "period_start": week,
        "report_date": day,
        "construction_status": Project.Status.NORMAL,
        "progress_percent": Decimal("40"),
    }


def refused(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- the service, under every entry point ---------------------------------------------------


REPORTS_OK = {
    "today-in-this-week": (TODAY, TODAY),
    "on-its-monday": (D(2026, 11, 23), D(2026, 11, 23)),
    "after-its-week": (D(2026, 11, 16), TODAY),
    "first-week-after-the-floor": (D(2000, 1, 3), D(2000, 1, 3)),
}


@pytest.mark.parametrize(("week", "day"), REPORTS_OK.values(), ids=REPORTS_OK.keys())
def test_a_report_dated_within_or_after_its_week_up_to_today_is_saved(
    taskforce_member: User, own_project: Project, week: D, day: D
) -> None:
    services.progress_report_create(
        actor=taskforce_member, project=own_project, data=report(week, day)
    )
    assert ProgressReport.objects.get().report_date == day


REPORTS_REFUSED = {
    "tomorrow": (TODAY, TOMORROW, "report_date", "填报日期2026-12-01晚于今天（2026-11-30）"),
    "year-typo": (
        D(2026, 11, 23),
        D(2027, 11, 27),
        "report_date",
        "填报日期2027-11-27晚于今天（2026-11-30）",
    ),
    "before-its-week": (
        TODAY,
        D(2026, 11, 29),
        "report_date",
        "填报日期2026-11-29早于所报的周（2026-11-30至2026-12-06）",
    ),
    "a-week-not-begun": (
        D(2026, 12, 7),
        TODAY,
        "period_start",
        "填报周(周一)2026-12-07晚于今天（2026-11-30）",
    ),
    "before-the-floor": (
        D(1999, 12, 27),
        D(1999, 12, 31),
        "report_date",
        "填报日期1999-12-31早于2000-01-01，请核对年份",
    ),
}


@pytest.mark.parametrize(
    ("week", "day", "field", "message"), REPORTS_REFUSED.values(), ids=REPORTS_REFUSED.keys()
)
def test_a_report_dated_in_the_future_before_its_week_or_the_floor_is_refused(
    taskforce_member: User, own_project: Project, week: D, day: D, field: str, message: str
) -> None:
    errors = refused(
        lambda: services.progress_report_create(
            actor=taskforce_member, project=own_project, data=report(week, day)
        )
    )
    assert message in errors[field][0]
    assert not ProgressReport.objects.exists()
    own_project.refresh_from_db()
    assert own_project.last_report_date is None


def test_a_problem_is_resolved_on_or_after_the_day_it_was_found_and_not_after_today(
    taskforce_member: User, own_project: Project
) -> None:
    found = {"problem_type": Problem.Type.PERMITS, "description": "手续不全"}

    def resolve(reported: D, resolved: D) -> Problem:
        return services.problem_create(
            actor=taskforce_member,
            project=own_project,
            data={
                **found,
                "reported_date": reported,
                "status": Problem.Status.RESOLVED,
                "resolved_date": resolved,
                "resolution": "补办",
            },
        )

    assert resolve(TODAY, TODAY).resolved_date == TODAY
    early = refused(lambda: resolve(D(2026, 11, 20), D(2026, 11, 19)))
    assert early["resolved_date"] == [
        "化解日期2026-11-19早于该问题的发现日期2026-11-20，问题只能在发现之后化解。"
    ]
    assert "晚于今天" in refused(lambda: resolve(TODAY, TOMORROW))["resolved_date"][0]
    assert "晚于今天" in refused(lambda: resolve(TOMORROW, TOMORROW))["reported_date"][0]
    assert "请核对年份" in refused(lambda: resolve(D(1900, 1, 1), TODAY))["reported_date"][0]
    assert Problem.objects.count() == 1


def _funding(actor: User, project: Project, day: D) -> Any:
    data = {"source": FundingRecord.Source.FISCAL, "amount": Decimal(10), "date": day}
    return services.funding_record_create(actor=actor, project=project, data=data)


def _delivery(actor: User, project: Project, day: D) -> Any:
    data = {"date": day, "units": 1}
    return services.delivery_create(actor=actor, project=project, data=data)


def _inspection(actor: User, project: Project, day: D) -> Any:
    data = {"date": day, "kind": Inspection.Kind.SAFETY}
    return services.inspection_create(actor=actor, project=project, data=data)


@pytest.mark.parametrize(
    ("create", "model", "label"),
    [
        (_funding, FundingRecord, "日期"),
        (_delivery, DeliveryRecord, "交房日期"),
        (_inspection, Inspection, "检查日期"),
    ],
    ids=["funding", "delivery", "inspection"],
)
def test_funding_delivery_and_inspection_dates_lie_between_the_floor_and_today(
    taskforce_member: User,
    own_project: Project,
    create: Callable[[User, Project, D], Any],
    model: Any,
    label: str,
) -> None:
    for day in (TODAY, FLOOR):
        create(taskforce_member, own_project, day)
    late = refused(lambda: create(taskforce_member, own_project, TOMORROW))
    assert late["date"] == [f"{label}2026-12-01晚于今天（2026-11-30），不能登记尚未发生的日期。"]
    early = refused(lambda: create(taskforce_member, own_project, D(1999, 12, 31)))
    assert early["date"] == [f"{label}1999-12-31早于2000-01-01，请核对年份。"]
    assert model.objects.count() == 2


def test_a_rectification_is_not_dated_after_today(
    taskforce_member: User, own_project: Project
) -> None:
    data = {"date": TODAY, "kind": Inspection.Kind.SAFETY, "rectified_date": TOMORROW}
    errors = refused(
        lambda: services.inspection_create(actor=taskforce_member, project=own_project, data=data)
    )
    assert "整改完成日期2026-12-01晚于今天" in errors["rectified_date"][0]


def test_the_survey_import_writes_are_refused_whole_on_a_future_delivery(
    taskforce_member: User, own_project: Project
) -> None:
    with pytest.raises(RowErrors) as caught:
        ledger_entries_add_many(
            actor=taskforce_member,
            reason="导入摸排表",
            deliveries=[(own_project.pk, {"date": TOMORROW, "units": 1})],
            problems=[
                (
                    own_project.pk,
                    {"problem_type": "permits", "description": "x", "reported_date": TODAY},
                )
            ],
        )
    assert "交房日期2026-12-01晚于今天" in caught.value.rows[("delivery", 0)].messages[0]
    assert not DeliveryRecord.objects.exists()
    assert not Problem.objects.exists()


# --- the forms say the same (the API: tests/api/test_entry_dates.py) ---------------------


def form_data(**overrides: str) -> dict[str, str]:
    return {
        "period_start": "2026-11-30",
        "report_date": "2026-11-30",
        "construction_status": Project.Status.NORMAL,
        "progress_percent": "40",
        "workers_on_site": "0",
        "funds_received": "0",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"report_date": "2026-12-01"}, "report_date", "填报日期2026-12-01晚于今天"),
        ({"report_date": "2026-11-29"}, "report_date", "早于所报的周（2026-11-30至2026-12-06）"),
        (
            {"period_start": "1999-12-29", "report_date": "1999-12-30"},
            "report_date",
            "请核对年份",
        ),
    ],
    ids=["tomorrow", "before-its-week", "before-the-floor"],
)
def test_the_report_form_names_the_wrong_date(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    client = client_for(taskforce_member)
    url = f"/projects/{own_project.pk}/report/new/"

    response = client.post(url, form_data(**overrides))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert not ProgressReport.objects.exists()
    assert client.post(url, form_data()).status_code == 302


def test_the_problem_form_refuses_a_resolution_before_the_problem(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    response = client_for(taskforce_member).post(
        f"/projects/{own_project.pk}/problem/new/",
        {
            "problem_type": "permits",
            "description": "手续不全",
            "amount": "0",
            "status": "resolved",
            "reported_date": "2026-11-20",
            "resolved_date": "2026-11-19",
            "resolution": "补办",
        },
    )
    assert response.status_code == 200
    assert "早于该问题的发现日期2026-11-20" in response.context["form"].errors["resolved_date"][0]
    assert not Problem.objects.exists()
