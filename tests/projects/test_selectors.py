"""Risk rules, ledger filters and sort orders — and a constant number of queries."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import User
from ledgers.models import Problem
from projects.filters import ProjectFilter
from projects.models import Project
from projects.selectors import ledger_queryset, risk_level, risk_reasons
from tests.factories import (
    DeliveryRecordFactory,
    PetitionFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
)

TODAY = datetime.date(2026, 11, 22)


def annotated(project: Project) -> Project:
    return ledger_queryset(today=TODAY).get(pk=project.pk)


@pytest.fixture
def calm(db: None) -> Project:
    """Normal, contract date ahead, no problems: low risk."""
    return ProjectFactory.create(contract_delivery_date=datetime.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("change", "level", "reason"),
    [
        ({"construction_status": "stopped"}, "high", "停工"),
        ({"contract_delivery_date": datetime.date(2026, 5, 25)}, "high", "延期超过180天"),
        ({"contract_delivery_date": datetime.date(2026, 5, 26)}, "medium", "已延期"),
        ({"construction_status": "semi_stopped"}, "medium", "半停工"),
        ({"construction_status": "lagging"}, "medium", "进度滞后"),
    ],
)
def test_risk_level_from_status_and_delay(
    calm: Project, change: dict[str, object], level: str, reason: str
) -> None:
    Project.objects.filter(pk=calm.pk).update(**change)
    project = annotated(calm)
    assert risk_level(project) == level
    assert reason in risk_reasons(project)


def test_a_fully_delivered_project_is_never_delayed(calm: Project) -> None:
    Project.objects.filter(pk=calm.pk).update(
        contract_delivery_date=datetime.date(2025, 1, 1), units_delivered=300
    )
    assert risk_level(annotated(calm)) == "low"
    assert annotated(calm).delay_days_on(TODAY) == 0


def test_delay_days_count_from_the_contract_date(calm: Project) -> None:
    Project.objects.filter(pk=calm.pk).update(contract_delivery_date=datetime.date(2026, 11, 1))
    calm.refresh_from_db()
    assert calm.delay_days_on(TODAY) == 21


def test_open_wage_arrears_is_high_and_resolving_it_lowers_the_risk(calm: Project) -> None:
    problem = ProblemFactory.create(project=calm, problem_type=Problem.Type.WAGE_ARREARS)
    assert risk_level(annotated(calm)) == "high"
    Problem.objects.filter(pk=problem.pk).update(
        status="resolved", resolved_date=datetime.date(2026, 11, 1)
    )
    assert risk_level(annotated(calm)) == "low"


def test_open_funding_gap_is_medium(calm: Project) -> None:
    ProblemFactory.create(project=calm, problem_type=Problem.Type.FUNDING_GAP)
    assert risk_level(annotated(calm)) == "medium"


def test_collective_petition_in_the_last_30_days_is_high(calm: Project, settings: object) -> None:
    PetitionFactory.create(project=calm, headcount=5, received_date=datetime.date(2026, 10, 24))
    assert risk_level(annotated(calm)) == "high"
    assert "近30天内发生集体访" in risk_reasons(annotated(calm))


def test_older_or_smaller_petitions_do_not_raise_the_risk(calm: Project) -> None:
    PetitionFactory.create(project=calm, headcount=5, received_date=datetime.date(2026, 10, 23))
    PetitionFactory.create(project=calm, headcount=4, received_date=datetime.date(2026, 11, 20))
    assert risk_level(annotated(calm)) == "low"


def test_collective_threshold_is_a_setting(calm: Project, settings: object) -> None:
    settings.COLLECTIVE_PETITION_HEADCOUNT = 3  # type: ignore[attr-defined]
    PetitionFactory.create(project=calm, headcount=3, received_date=datetime.date(2026, 11, 20))
    assert risk_level(annotated(calm)) == "high"


def filtered(params: dict[str, str]) -> list[str]:
    fs = ProjectFilter(params, queryset=ledger_queryset(today=TODAY), today=TODAY)
    return list(fs.qs.values_list("code", flat=True))


@pytest.fixture
def county(db: None) -> dict[str, Project]:
    a = ProjectFactory.create(
        code="A", name="锦绣华府", township="城关镇", construction_status="stopped"
    )
    b = ProjectFactory.create(
        code="B",
        name="御景湾",
        township="南湖镇",
        contract_delivery_date=datetime.date(2026, 10, 1),
        last_report_date=datetime.date(2026, 11, 20),
    )
    c = ProjectFactory.create(
        code="C",
        name="翡翠城",
        township="南湖镇",
        contract_delivery_date=datetime.date(2027, 10, 1),
        whitelisted=True,
        last_report_date=datetime.date(2026, 11, 14),
    )
    ProblemFactory.create(project=c, problem_type=Problem.Type.PERMITS)
    # On Sunday 11-22 the week due last is that of 11-16 (by Friday 11-20): B reported it,
    # C only the week before, A never.
    ProgressReportFactory.create(
        project=b, period_start=datetime.date(2026, 11, 16), report_date=datetime.date(2026, 11, 20)
    )
    ProgressReportFactory.create(
        project=c, period_start=datetime.date(2026, 11, 9), report_date=datetime.date(2026, 11, 14)
    )
    return {"A": a, "B": b, "C": c}


def test_filters_by_status_township_problem_and_risk(county: dict[str, Project]) -> None:
    assert filtered({"status": "stopped"}) == ["A"]
    assert filtered({"township": "南湖镇"}) == ["B", "C"]
    assert filtered({"problem": "permits"}) == ["C"]
    assert filtered({"risk": "high"}) == ["A"]
    assert filtered({"risk": "medium"}) == ["B"]
    assert filtered({"risk": "low"}) == ["C"]


def test_filters_by_task_force_and_search_on_company(county: dict[str, Project]) -> None:
    b = county["B"]
    assert filtered({"task_force": str(b.task_force_id)}) == ["B"]
    assert filtered({"q": b.developer.name}) == ["B"]
    assert filtered({"q": "翡翠"}) == ["C"]
    assert filtered({"q": "c"}) == ["C"]


def test_warning_flags(county: dict[str, Project]) -> None:
    assert filtered({"flag": "delayed"}) == ["A", "B"]
    assert filtered({"flag": "delay180"}) == ["A"]
    assert filtered({"flag": "stale"}) == ["A", "C"]
    assert filtered({"flag": "whitelisted"}) == ["C"]


def test_sorting_by_delay_and_by_risk(county: dict[str, Project]) -> None:
    assert filtered({"o": "-delay"}) == ["A", "B", "C"]
    assert filtered({"o": "delay"}) == ["C", "B", "A"]
    assert filtered({"o": "-risk"}) == ["A", "B", "C"]
    assert filtered({"o": "-code"}) == ["C", "B", "A"]
    assert filtered({"o": "-last_report"}) == ["B", "C", "A"]


def test_invalid_filter_values_are_ignored_not_a_crash(
    client_for: Callable[[User], Client], leader: User, county: dict[str, Project]
) -> None:
    response = client_for(leader).get("/projects/?risk=extreme&o=drop+table&task_force=999999")
    assert response.status_code == 200
    assert "部分筛选条件无效" in response.content.decode()
    assert response.context["page"].paginator.count == 3


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "query",
    ["", "?risk=high", "?problem=funding_gap&o=-delay", "?flag=stale&township=城关镇&q=华"],
)
def test_ledger_list_runs_a_constant_number_of_queries(
    client_for: Callable[[User], Client], taskforce_member: User, query: str
) -> None:
    client = client_for(taskforce_member)
    tf = taskforce_member.task_forces.get()
    for _ in range(3):
        p = ProjectFactory.create(task_force=tf, construction_status="stopped")
        ProblemFactory.create(project=p)
    few = count_queries(client, f"/projects/{query}")
    for _ in range(25):
        p = ProjectFactory.create(construction_status="stopped")
        ProblemFactory.create(project=p)
        ProblemFactory.create(project=p, problem_type="wage_arrears")
    assert count_queries(client, f"/projects/{query}") == few


def test_project_page_runs_a_constant_number_of_queries(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    client = client_for(taskforce_member)
    url = f"/projects/{own_project.pk}/"
    ProgressReportFactory.create(project=own_project)
    ProblemFactory.create(project=own_project)
    few = count_queries(client, url)
    for week in range(2, 30):
        ProgressReportFactory.create(
            project=own_project,
            period_start=datetime.date(2026, 11, 16) - datetime.timedelta(weeks=week),
        )
        ProblemFactory.create(project=own_project, amount=Decimal(week))
        DeliveryRecordFactory.create(project=own_project, units=1)
        PetitionFactory.create(project=own_project)
    assert count_queries(client, url) == few
