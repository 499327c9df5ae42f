"""Every figure of the three reports against small fixtures computed by hand.

The ledger is written as it would have been over time (history rows dated in the past), then
changed after the period: the reports must show the figures as they stood at the period's end.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest

from dispatch.models import AnnualTarget, MarketFigure, SupervisionTask
from dispatch.reports import monthly, quarterly, weekly
from ledgers.models import FundingRecord, Problem
from petitions.models import Petition
from projects.models import Project
from tests.dispatch.reports_helpers import change, noon, stamp
from tests.factories import (
    DeliveryRecordFactory,
    PetitionFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def project(day: D, **kwargs: Any) -> Project:
    return stamp(ProjectFactory.create(**kwargs), day)


def task(created: D, **kwargs: Any) -> SupervisionTask:
    t = SupervisionTaskFactory.create(**kwargs)
    SupervisionTask.objects.filter(pk=t.pk).update(created_at=noon(created))
    return t


def problem(day: D, **kwargs: Any) -> Problem:
    return stamp(ProblemFactory.create(reported_date=day, **kwargs), day)


# --- 周调度简报: week 2026-11-09 (Mon) .. 2026-11-15 (Sun) -------------------------------


@pytest.fixture
def week() -> dict[str, Any]:
    a = TaskForceFactory.create(name="甲专班")
    b = TaskForceFactory.create(name="乙专班")
    p1 = project(D(2026, 11, 1), code="P1", name="一号院", task_force=a, units_sold=100)
    project(
        D(2026, 11, 1),
        code="P2",
        name="二号院",
        task_force=b,
        units_sold=50,
        units_delivered=50,
        construction_status=Project.Status.DELIVERED,
    )
    p3 = project(D(2026, 11, 1), code="P3", name="三号院", task_force=b, units_sold=40)
    # In the week: P1 stops, hands over 10 homes and reports; P3 never reports.
    change(p1, D(2026, 11, 11), construction_status=Project.Status.STOPPED)
    stamp(DeliveryRecordFactory.create(project=p1, date=D(2026, 11, 12), units=10), D(2026, 11, 12))
    change(p1, D(2026, 11, 12), hour=13, units_delivered=10)
    stamp(
        ProgressReportFactory.create(
            project=p1, period_start=D(2026, 11, 9), report_date=D(2026, 11, 13)
        ),
        D(2026, 11, 13),
    )
    problem(D(2026, 11, 10), project=p1, amount=Decimal("200"), description="缺口200万")
    old = problem(D(2026, 10, 1), project=p3, problem_type=Problem.Type.PERMITS, amount=0)
    change(
        old,
        D(2026, 11, 14),
        status=Problem.Status.RESOLVED,
        resolved_date=D(2026, 11, 14),
        resolution="补办施工许可",
    )
    problem(D(2026, 11, 16), project=p3)  # after the week
    # Petitions: a 集体访 of 6, a single one, and three on P3 within 7 days (a warning).
    PetitionFactory.create(
        received_date=D(2026, 11, 10), headcount=6, project=p1, category="quality"
    )
    PetitionFactory.create(received_date=D(2026, 11, 12))
    for i, day in enumerate([13, 14, 15], start=1):
        PetitionFactory.create(received_date=D(2026, 11, day), headcount=i, project=p3)
    PetitionFactory.create(received_date=D(2026, 11, 16), headcount=9, project=p3)
    # Tasks at the end of the 15th: open and late (5 days); done early; done only after the
    # week (late 3 days); not due yet; assigned only after the week.
    task(D(2026, 11, 1), title="甲", deadline=D(2026, 11, 10), project=p1)
    task(
        D(2026, 11, 1),
        title="乙",
        deadline=D(2026, 11, 10),
        status="done",
        done_date=D(2026, 11, 9),
    )
    task(
        D(2026, 11, 1),
        title="丙",
        deadline=D(2026, 11, 12),
        status="done",
        done_date=D(2026, 11, 20),
    )
    task(D(2026, 11, 1), title="丁", deadline=D(2026, 11, 20))
    task(D(2026, 11, 18), title="戊", deadline=D(2026, 11, 11))
    # After the week the ledger moves on: none of this may show.
    change(p1, D(2026, 11, 18), construction_status=Project.Status.NORMAL, units_sold=90)
    p1.refresh_from_db()
    change(p1, D(2026, 11, 19), units_delivered=30)
    return {"p1": p1, "p3": p3}


def test_weekly_figures_as_they_stood_at_the_end_of_the_week(week: dict[str, Any]) -> None:
    data = weekly.build(D(2026, 11, 9), D(2026, 11, 15))
    assert data["summary"] == {
        "projects": 3,
        "units_sold": 190,
        "units_delivered": 60,
        "units_undelivered": 130,
        "new_problems": 1,
        "resolved_problems": 1,
        "status_changes": 1,
        "delivered_units": 10,
        "delivery_projects": 1,
        "stale": 1,
        "new_petitions": 5,
        "new_petition_people": 13,
        "collective_petitions": 1,
        "collective_warnings": 1,
        "overdue_tasks": 2,
    }
    assert data["new_problems"] == [
        {
            "code": "P1",
            "name": "一号院",
            "task_force": "甲专班",
            "type": "资金短缺",
            "amount": 200.0,
            "description": "缺口200万",
            "reported_date": "2026-11-10",
        }
    ]
    assert [(r["code"], r["type"], r["resolution"]) for r in data["resolved_problems"]] == [
        ("P3", "手续不全", "补办施工许可")
    ]
    assert data["status_changes"] == [
        {"code": "P1", "name": "一号院", "task_force": "甲专班", "from": "正常施工", "to": "停工"}
    ]
    assert data["deliveries"] == [
        {"code": "P1", "name": "一号院", "task_force": "甲专班", "units": 10, "batches": 1}
    ]
    assert [(r["code"], r["last_report_date"]) for r in data["stale"]] == [("P3", None)]
    by_category = {c["label"]: c["count"] for c in data["petitions"]["by_category"]}
    assert by_category["质量问题"] == 1
    assert by_category["延期交房"] == 4
    assert [(w["code"], w["petitions"], w["people"]) for w in data["collective_warnings"]] == [
        ("P3", 3, 6)
    ]
    assert [(t["title"], t["days_overdue"]) for t in data["overdue_tasks"]] == [
        ("甲", 5),
        ("丙", 3),
    ]


def test_weekly_stale_counts_the_weeks_own_report_entered_by_its_end(
    week: dict[str, Any],
) -> None:
    """P3 files the week of the 9th on Saturday the 14th: late for Friday, but in by the
    week's end, so the report (as it stood on Sunday the 15th) does not list it."""
    stamp(
        ProgressReportFactory.create(
            project=week["p3"], period_start=D(2026, 11, 9), report_date=D(2026, 11, 14)
        ),
        D(2026, 11, 14),
    )
    assert weekly.build(D(2026, 11, 9), D(2026, 11, 15))["stale"] == []


@pytest.mark.parametrize(
    ("period_start", "entered"),
    [(D(2026, 11, 2), D(2026, 11, 10)), (D(2026, 11, 9), D(2026, 11, 16))],
    ids=["last-weeks-report-filed-in-the-week", "the-weeks-report-filed-after-it"],
)
def test_weekly_stale_lists_a_week_without_its_own_report_by_its_end(
    week: dict[str, Any], period_start: datetime.date, entered: datetime.date
) -> None:
    stamp(
        ProgressReportFactory.create(
            project=week["p3"], period_start=period_start, report_date=entered
        ),
        entered,
    )
    data = weekly.build(D(2026, 11, 9), D(2026, 11, 15))
    assert [r["code"] for r in data["stale"]] == ["P3"]
    assert data["stale_rule"] == "11月9日当周进度未在周五前填报"


# --- 月通报: October 2026 ---------------------------------------------------------------


@pytest.fixture
def month() -> dict[str, Any]:
    a = TaskForceFactory.create(name="甲专班")
    b = TaskForceFactory.create(name="乙专班")
    AnnualTarget.objects.create(year=2026, units=100)
    AnnualTarget.objects.create(year=2026, task_force=a, units=40)
    p1 = project(D(2026, 1, 1), code="P1", name="一号院", task_force=a, units_sold=100)
    p2 = project(
        D(2026, 1, 1),
        code="P2",
        name="二号院",
        task_force=b,
        units_sold=50,
        contract_delivery_date=D(2026, 1, 31),
        construction_status=Project.Status.STOPPED,
    )
    project(
        D(2026, 1, 1),
        code="P3",
        name="三号院",
        task_force=a,
        units_sold=20,
        contract_delivery_date=None,
        construction_status=Project.Status.LAGGING,
    )
    for day, units in [(D(2026, 3, 5), 20), (D(2026, 10, 10), 10), (D(2026, 11, 5), 5)]:
        stamp(DeliveryRecordFactory.create(project=p1, date=day, units=units), day)
    change(p1, D(2026, 3, 5), hour=13, units_delivered=20)
    change(p1, D(2026, 10, 10), hour=13, units_delivered=30)
    change(p1, D(2026, 11, 5), hour=13, units_delivered=35)
    change(p2, D(2026, 11, 2), construction_status=Project.Status.NORMAL)  # after October

    resolved = problem(D(2026, 9, 1), project=p1)
    change(resolved, D(2026, 10, 15), status="resolved", resolved_date=D(2026, 10, 15))
    problem(D(2026, 10, 5), project=p2, problem_type="wage_arrears", amount=Decimal("50"))
    later = problem(D(2026, 10, 20), project=p2, problem_type="permits", amount=0)
    change(later, D(2026, 11, 3), status="resolved", resolved_date=D(2026, 11, 3))
    problem(D(2026, 11, 2), project=p2)

    PetitionFactory.create(
        received_date=D(2026, 10, 3),
        decision_due_date=D(2026, 10, 18),
        decided_date=D(2026, 10, 5),
        accepted_date=D(2026, 10, 5),
        handling_due_date=D(2026, 12, 4),
        first_replied_date=D(2026, 10, 18),
        closed_date=D(2026, 10, 20),
        status=Petition.Status.CLOSED,
        satisfaction="satisfied",
        headcount=5,
    )
    PetitionFactory.create(
        received_date=D(2026, 10, 10),
        decision_due_date=D(2026, 10, 25),
        decided_date=D(2026, 10, 12),
        accepted_date=D(2026, 10, 12),
        status="accepted",
    )
    # 不予受理 on the 18th day after receipt: a decision of October, late.
    PetitionFactory.create(
        received_date=D(2026, 9, 20),
        decision_due_date=D(2026, 10, 5),
        decided_date=D(2026, 10, 8),
        status=Petition.Status.NOT_ACCEPTED,
    )
    PetitionFactory.create(
        received_date=D(2026, 9, 28),
        decision_due_date=D(2026, 10, 13),
        decided_date=D(2026, 10, 1),
        accepted_date=D(2026, 10, 1),
        handling_due_date=D(2026, 11, 30),
        first_replied_date=D(2026, 10, 24),
        closed_date=D(2026, 10, 25),
        status=Petition.Status.CLOSED,
        satisfaction="unsatisfied",
    )

    def fund(day: D, source: str, amount: str, status: str, entered: D) -> None:
        record = FundingRecord.objects.create(
            project=p1, source=source, amount=Decimal(amount), status=status, date=day
        )
        stamp(record, entered)

    fund(D(2026, 10, 8), "special_loan", "300", "disbursed", D(2026, 10, 8))
    fund(D(2026, 2, 1), "whitelist_loan", "200", "disbursed", D(2026, 2, 1))
    fund(D(2026, 10, 9), "fiscal", "100", "approved", D(2026, 10, 9))
    fund(D(2026, 11, 2), "fiscal", "50", "disbursed", D(2026, 11, 2))
    fund(D(2026, 10, 20), "special_loan", "80", "disbursed", D(2026, 11, 21))  # entered later

    for m, sales, stock in [
        ((2026, 8), 1000, 9000),
        ((2026, 9), 2000, 8000),
        ((2026, 10), 3000, 6000),
        ((2025, 10), 99999, 1),
    ]:
        MarketFigure.objects.create(
            month=D(*m, 1), sales_area=Decimal(sales), inventory_area=Decimal(stock), sales_units=30
        )
    task(D(2026, 10, 1), title="甲", deadline=D(2026, 10, 20), project=p1)
    return {"a": a, "b": b}


def test_monthly_delivery_against_the_annual_target(month: dict[str, Any]) -> None:
    data = monthly.build(D(2026, 10, 1), D(2026, 10, 31))
    assert data["delivery"] == {
        "year": 2026,
        "target": 100,
        "delivered_ytd": 30,
        "completion_rate": 0.3,
        "delivered_month": 10,
        "projects": 3,
        "units_sold": 170,
        "units_delivered": 30,
        "units_undelivered": 140,
        "delivery_rate": 0.176,  # 30 / 170 = 17.6%, not 0.1765 → 17.7%
    }


def test_monthly_task_force_ranking(month: dict[str, Any]) -> None:
    rows = monthly.build(D(2026, 10, 1), D(2026, 10, 31))["task_forces"]
    assert [(r["rank"], r["name"]) for r in rows] == [(1, "甲专班"), (2, "乙专班")]
    a, b = rows
    assert (a["projects"], a["units_sold"], a["units_delivered"]) == (2, 120, 30)
    assert (a["target"], a["delivered_ytd"], a["completion_rate"]) == (40, 30, 0.75)
    assert (a["delivered_month"], a["delivery_rate"], a["open_problems"]) == (10, 0.25, 0)
    assert (b["target"], b["completion_rate"], b["open_problems"]) == (None, None, 2)
    assert (a["stale"], b["stale"]) == (2, 1)


def test_monthly_problems(month: dict[str, Any]) -> None:
    figures = monthly.build(D(2026, 10, 1), D(2026, 10, 31))["problems"]
    by_type = {r["label"]: r for r in figures.pop("by_type")}
    assert figures == {
        "total": 3,
        "resolved": 1,
        "open": 2,
        "resolution_rate": 0.333,
        "new": 2,
        "resolved_in_period": 1,
    }
    assert by_type["资金短缺"] == {
        "label": "资金短缺",
        "total": 1,
        "resolved": 1,
        "open": 0,
        "open_amount": 0.0,
    }
    assert by_type["劳资纠纷/欠薪"]["open_amount"] == 50.0
    assert by_type["手续不全"]["open"] == 1


def test_monthly_petitions(month: dict[str, Any]) -> None:
    p = monthly.build(D(2026, 10, 1), D(2026, 10, 31))["petitions"]
    p.pop("by_category")
    assert p == {
        "received": 2,
        "people": 6,
        "collective": 1,
        "accepted": 3,
        "closed": 2,
        "closed_on_time": 2,
        "rated": 2,
        "satisfied": 1,
        "decided": 4,
        "decided_on_time": 3,
        "closure_rate": 0.667,
        "on_time_rate": 1.0,
        "acceptance_on_time_rate": 0.75,
        "satisfaction_rate": 0.5,
    }


def test_monthly_funds_raised_by_source(month: dict[str, Any]) -> None:
    funds = monthly.build(D(2026, 10, 1), D(2026, 10, 31))["funds"]
    by_source = {r["label"]: (r["month"], r["ytd"]) for r in funds["by_source"]}
    assert by_source["专项借款"] == (300.0, 300.0)
    assert by_source["白名单贷款"] == (0.0, 200.0)
    assert by_source["财政资金"] == (0.0, 0.0)
    assert (funds["month_total"], funds["ytd_total"]) == (300.0, 500.0)


def test_monthly_market_and_destocking_period(month: dict[str, Any]) -> None:
    market = monthly.build(D(2026, 10, 1), D(2026, 10, 31))["market"]
    assert market == {
        "sales_area": 3000.0,
        "sales_units": 30,
        "inventory_area": 6000.0,
        "inventory_units": None,
        "months": 3,
        "average_sales_area": 2000.0,
        "destocking_months": 3.0,
    }
    assert monthly.build(D(2026, 7, 1), D(2026, 7, 31))["market"] is None


def test_monthly_named_lists(month: dict[str, Any]) -> None:
    data = monthly.build(D(2026, 10, 1), D(2026, 10, 31))
    assert [(r["code"], r["status"], r["delay_days"]) for r in data["lagging"]] == [
        ("P2", "停工", 273),
        ("P3", "进度滞后", 0),
    ]
    assert [(t["title"], t["days_overdue"]) for t in data["overdue_tasks"]] == [("甲", 11)]


# --- 季度考核: Q3 2026 --------------------------------------------------------------------


def test_quarterly_scores_breakdown_and_ranking(month: dict[str, Any]) -> None:
    a, b = month["a"], month["b"]
    p1, p3 = Project.objects.get(code="P1"), Project.objects.get(code="P3")
    done = problem(D(2026, 8, 1), project=p3, problem_type="other", amount=0)
    change(done, D(2026, 8, 15), status="resolved", resolved_date=D(2026, 8, 15))
    task(D(2026, 7, 1), deadline=D(2026, 8, 10), project=p1, status="done", done_date=D(2026, 8, 9))
    task(
        D(2026, 7, 1), deadline=D(2026, 9, 10), project=p3, status="done", done_date=D(2026, 9, 15)
    )
    PetitionFactory.create(
        project=p1,
        received_date=D(2026, 7, 2),
        accepted_date=D(2026, 7, 3),
        handling_due_date=D(2026, 9, 1),
        first_replied_date=D(2026, 7, 30),
        closed_date=D(2026, 8, 1),
        status=Petition.Status.CLOSED,
        satisfaction="basic",
    )
    for monday in [D(2026, 7, 6), D(2026, 7, 13), D(2026, 8, 3)]:
        stamp(
            ProgressReportFactory.create(project=p1, period_start=monday, report_date=monday),
            monday,
        )
    # A report for Q3 entered only in October does not count for Q3.
    late = ProgressReportFactory.create(
        project=p3, period_start=D(2026, 9, 28), report_date=D(2026, 10, 2)
    )
    stamp(late, D(2026, 10, 2))

    data = quarterly.build(D(2026, 7, 1), D(2026, 9, 30))

    assert [i["code"] for i in data["indicators"]] == [
        "delivery_target",
        "problem_resolution",
        "tasks_on_time",
        "petitions",
        "ledger_on_time",
    ]
    assert [i["weight"] for i in data["indicators"]] == [30, 20, 20, 15, 15]
    first, second = data["rows"]
    assert (first["rank"], first["task_force_id"], second["task_force_id"]) == (1, a.pk, b.pk)
    # 甲: 20 homes of 40 × 3/4; 1 of 2 problems; 1 of 2 tasks on time; 办结 1/1 满意 1/1;
    # 3 of 13 weeks × 2 projects reported.
    assert [(i["raw"], i["score"]) for i in first["items"]] == [
        (0.667, 66.67),
        (0.5, 50.0),
        (0.5, 50.0),
        (1.0, 100.0),
        (0.115, 11.54),
    ]
    assert first["total"] == 56.73  # (30×66.67 + 20×50 + 20×50 + 15×100 + 15×11.54) / 100
    # 乙: P2 has no problem found by 30 Sept, no target, no task, no petition: only the ledger.
    assert [i["score"] for i in second["items"]] == [None, None, None, None, 0.0]
    assert second["total"] == 0.0
    assert data["average"] == 28.37


def test_quarterly_weights_follow_the_admin_configuration(month: dict[str, Any]) -> None:
    from dispatch.models import AssessmentIndicator

    AssessmentIndicator.objects.filter(code="ledger_on_time").update(active=False)
    AssessmentIndicator.objects.filter(code="delivery_target").update(weight=60)
    data = quarterly.build(D(2026, 7, 1), D(2026, 9, 30))
    assert next((i["code"], i["weight"]) for i in data["indicators"]) == ("delivery_target", 60)
    assert "ledger_on_time" not in [i["code"] for i in data["indicators"]]
    a_row = next(r for r in data["rows"] if r["task_force_id"] == month["a"].pk)
    # Only 甲's delivery (20/30) and problems (0 of 1 resolved by 30 Sept) have data.
    assert a_row["total"] == 50.0  # (60 × 66.67 + 20 × 0) / 80
    b_row = next(r for r in data["rows"] if r["task_force_id"] == month["b"].pk)
    assert b_row["total"] is None
    assert b_row["rank"] == 2
