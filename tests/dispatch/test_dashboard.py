"""The dashboard: its figures against a hand-built county, the lists its links open, and a
query count that does not grow with the county."""

import datetime
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import User
from core.roles import Role
from dispatch.dashboard.selectors import dashboard_data
from ledgers.models import FundingRecord, Problem
from petitions.models import Petition
from projects.models import Project, TaskForce, Township
from tests.conftest import SUITE_NOW
from tests.factories import (
    AnnualTargetFactory,
    DeliveryRecordFactory,
    DepartmentFactory,
    FundingRecordFactory,
    PetitionFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
    UserFactory,
)

TODAY = SUITE_NOW.date()  # the suite's pinned day (tests/conftest.py)
DAY = datetime.timedelta(days=1)


@dataclass
class County:
    chengguan: TaskForce
    nanhu: TaskForce
    wang: User
    li: User
    stopped: Project
    delivered: Project
    lagging: Project
    wages: Project


@pytest.fixture
def county(make_user: Callable[..., User]) -> County:
    """Two 专班, four projects, three petitions and three tasks, each figure worked out by hand.

    - 停工 + 延期200天 (high, 王), 已全部交付 (low, 王), 进度滞后 + 资金缺口 + stale (medium, 李),
      open wage arrears (high, no leader);
    - this year 35 homes delivered against a county target of 70 (城关镇专班: 35 of 35);
    - petitions this month: 3 received, 2 accepted, 1 closed and satisfied, 1 overdue.
    """
    wang = make_user(Role.LEADER, username="wang", full_name="王建国")
    li = make_user(Role.LEADER, username="li", full_name="李志强")
    chengguan = TaskForceFactory.create(name="城关镇专班")
    nanhu = TaskForceFactory.create(name="南湖镇专班")
    stopped = ProjectFactory.create(
        name="停工楼盘",
        township="城关镇",
        task_force=chengguan,
        construction_status=Project.Status.STOPPED,
        units_sold=100,
        units_delivered=40,
        contract_delivery_date=TODAY - 200 * DAY,
        responsible_leader=wang,
        last_report_date=TODAY - 3 * DAY,
    )
    delivered = ProjectFactory.create(
        name="交付楼盘",
        township="城关镇",
        task_force=chengguan,
        construction_status=Project.Status.DELIVERED,
        units_sold=50,
        units_delivered=50,
        contract_delivery_date=TODAY - 10 * DAY,
        responsible_leader=wang,
    )
    lagging = ProjectFactory.create(
        name="滞后楼盘",
        township="南湖镇",
        task_force=nanhu,
        construction_status=Project.Status.LAGGING,
        units_sold=80,
        contract_delivery_date=TODAY + 100 * DAY,
        funding_gap=Decimal(300),
        responsible_leader=li,
    )
    wages = ProjectFactory.create(
        name="欠薪楼盘",
        township="南湖镇",
        task_force=nanhu,
        units_sold=30,
        units_delivered=10,
        contract_delivery_date=None,
        wages_owed=Decimal(50),
        last_report_date=TODAY - 3 * DAY,
    )
    for reported in (stopped, wages):  # the week due last: 11-23's, by Friday 11-27
        ProgressReportFactory.create(
            project=reported, period_start=TODAY - 7 * DAY, report_date=TODAY - 3 * DAY
        )
    ProblemFactory.create(project=lagging, problem_type=Problem.Type.FUNDING_GAP, amount=300)
    ProblemFactory.create(project=wages, problem_type=Problem.Type.WAGE_ARREARS, amount=50)
    ProblemFactory.create(
        project=stopped,
        problem_type=Problem.Type.PERMITS,
        status=Problem.Status.RESOLVED,
        resolved_date=TODAY,
    )
    DeliveryRecordFactory.create(project=stopped, date=TODAY, units=10)
    DeliveryRecordFactory.create(project=delivered, date=TODAY, units=25)
    DeliveryRecordFactory.create(project=delivered, date=datetime.date(TODAY.year - 1, 6, 1))
    AnnualTargetFactory.create(year=TODAY.year, units=70)
    AnnualTargetFactory.create(year=TODAY.year, task_force=chengguan, units=35)
    AnnualTargetFactory.create(year=TODAY.year - 1, units=9999)
    FundingRecordFactory.create(project=stopped, amount=80)
    FundingRecordFactory.create(project=lagging, amount=120)
    FundingRecordFactory.create(project=lagging, amount=999, status=FundingRecord.Status.APPLIED)
    dept = DepartmentFactory.create(name="县住建局")
    PetitionFactory.create(
        project=stopped,
        received_date=TODAY,
        accepted_date=TODAY,
        status=Petition.Status.CLOSED,
        closed_date=TODAY,
        first_replied_date=TODAY,
        handling_due_date=TODAY + 60 * DAY,
        satisfaction=Petition.Satisfaction.SATISFIED,
        case_leader=wang,
    )
    PetitionFactory.create(
        project=lagging,
        received_date=TODAY,
        accepted_date=TODAY,
        status=Petition.Status.ASSIGNED,
        due_date=TODAY - DAY,
        department=dept,
        case_leader=wang,
    )
    PetitionFactory.create(received_date=TODAY, due_date=TODAY + 10 * DAY)
    SupervisionTaskFactory.create(project=stopped, deadline=TODAY - DAY)
    SupervisionTaskFactory.create(project=lagging, deadline=TODAY - 5 * DAY, status="done")
    SupervisionTaskFactory.create(deadline=TODAY - 2 * DAY, status="in_progress")
    return County(chengguan, nanhu, wang, li, stopped, delivered, lagging, wages)


def test_county_figures(county: County, leader: User) -> None:
    d = dashboard_data(actor=leader, today=TODAY)

    assert d.totals["projects"] == 4
    assert d.risk == {"high": 2, "medium": 1, "low": 1}
    assert (d.totals["sold"], d.totals["delivered"], d.totals["undelivered"]) == (260, 100, 160)
    assert d.totals["stale"] == 1
    assert d.totals["delay_over_180"] == 1
    assert d.statuses["stopped"] == 1
    assert (d.funding_gap, d.wages_owed, d.funds_disbursed) == (300, 50, 200)
    assert (d.delivered_this_year, d.target, d.target_rate) == (35, 70, Decimal("0.5"))
    assert d.monthly_deliveries[TODAY.month - 1] == 35
    assert d.problem_projects == {"funding_gap": 1, "wage_arrears": 1}
    assert d.petitions.received == 3
    assert d.petitions.closure_rate == Decimal("0.5")
    assert d.petitions.satisfaction_rate == Decimal(1)
    assert d.petitions_overdue == 1
    assert d.tasks_overdue == 2
    assert [p.name for p in d.stopped_projects] == ["停工楼盘"]
    assert [p.name for p in d.delayed_projects] == ["停工楼盘"]


def test_risk_by_task_force_and_the_leader_matrix(county: County, leader: User) -> None:
    d = dashboard_data(actor=leader, today=TODAY)

    risk = {r.task_force.name: r.counts for r in d.risk_by_task_force}
    assert risk == {
        "城关镇专班": {"high": 1, "medium": 0, "low": 1},
        "南湖镇专班": {"high": 1, "medium": 1, "low": 0},
    }
    rows = {str(r.leader): r for r in d.leaders}
    assert set(rows) == {"王建国", "李志强"}
    wang, li = rows["王建国"], rows["李志强"]
    assert (wang.projects, wang.projects_delivered, wang.projects_stale) == (2, 1, 0)
    assert (wang.petitions, wang.petitions_closed, wang.petitions_quiet) == (2, 1, 1)
    assert (li.projects, li.projects_delivered, li.projects_stale) == (1, 0, 1)
    assert li.petitions == 0


def test_petitions_this_week_per_category(county: County, leader: User) -> None:
    d = dashboard_data(actor=leader, today=TODAY)

    assert d.petition_weeks[-1] == TODAY - TODAY.weekday() * DAY
    assert d.petitions_weekly["delayed_delivery"][-1] == 3
    assert sum(sum(series) for series in d.petitions_weekly.values()) == 3


def test_every_figure_narrows_to_a_township(county: County, leader: User) -> None:
    d = dashboard_data(actor=leader, township=Township.objects.get(name="城关镇"), today=TODAY)

    assert d.totals["projects"] == 2
    assert d.risk == {"high": 1, "medium": 0, "low": 1}
    assert d.funding_gap == 0
    assert d.funds_disbursed == 80
    assert d.delivered_this_year == 35
    assert d.target is None  # a township has no target of its own
    assert d.petitions.received == 1
    assert d.petitions_overdue == 0
    assert d.tasks_overdue == 1


def test_a_task_force_is_measured_against_its_own_target(county: County, leader: User) -> None:
    own = dashboard_data(actor=leader, task_force=county.chengguan, today=TODAY)
    assert (own.delivered_this_year, own.target, own.target_rate) == (35, 35, Decimal(1))

    other = dashboard_data(actor=leader, task_force=county.nanhu, today=TODAY)
    assert other.totals["projects"] == 2
    assert other.target is None
    assert other.target_rate is None
    assert other.funding_gap == 300
    assert other.petitions_overdue == 1


def test_department_staff_count_only_their_petitions_and_tasks(
    county: County, make_user: Callable[..., User]
) -> None:
    staff = make_user(Role.DEPARTMENT, department=DepartmentFactory.create(name="县住建局"))

    d = dashboard_data(actor=staff, today=TODAY)

    assert d.totals["projects"] == 4  # everyone reads the ledger
    assert d.petitions.received == 1
    assert d.petitions_overdue == 1
    assert d.tasks_overdue == 0


# --- the page and its links ---------------------------------------------------------------

LINK = re.compile(r'data-figure="([^"]+)"[^>]*href="([^"]+)"')


def figure_links(response: Any) -> dict[str, str]:
    return {name: html.unescape(url) for name, url in LINK.findall(response.content.decode())}


def listed(client: Client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return {
        getattr(row, "name", None) or row.number for row in response.context["page"].object_list
    }


def test_figures_link_to_the_lists_that_show_the_counted_rows(
    county: County, leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    links = figure_links(client.get("/dashboard/"))

    assert len(listed(client, links["projects"])) == 4
    assert listed(client, links["risk-high"]) == {"停工楼盘", "欠薪楼盘"}
    assert listed(client, links["risk-medium"]) == {"滞后楼盘"}
    assert listed(client, links["risk-low"]) == {"交付楼盘"}
    assert listed(client, links["stale"]) == {"滞后楼盘"}
    assert listed(client, links["stopped"]) == {"停工楼盘"}
    assert listed(client, links["delay180"]) == {"停工楼盘"}
    assert listed(client, links["funding-gap"]) == {"滞后楼盘"}
    assert listed(client, links["funds"]) == {"停工楼盘", "滞后楼盘"}
    assert listed(client, links["wages"]) == {"欠薪楼盘"}
    assert listed(client, links["delivered-this-year"]) == {"停工楼盘", "交付楼盘"}
    assert len(listed(client, links["petitions-received"])) == 3
    assert len(listed(client, links["petitions-overdue-this-month"])) == 1
    accepted = client.get(links["petitions-closure"])
    assert accepted.context["page"].paginator.count == 2  # the 办结率's denominator
    assert accepted.context["rates"].closure_rate == Decimal("0.5")
    assert len(listed(client, links["petitions-satisfaction"])) == 1
    tasks = client.get(links["tasks-overdue"])
    assert tasks.context["page"].paginator.count == 2


def test_leader_matrix_links(
    county: County, leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    links = figure_links(client.get("/dashboard/"))
    wang, li = county.wang.pk, county.li.pk

    assert listed(client, links[f"leader-{wang}-projects"]) == {"停工楼盘", "交付楼盘"}
    assert listed(client, links[f"leader-{wang}-delivered"]) == {"交付楼盘"}
    assert listed(client, links[f"leader-{li}-stale"]) == {"滞后楼盘"}
    assert len(listed(client, links[f"leader-{wang}-petitions"])) == 2
    assert len(listed(client, links[f"leader-{wang}-closed"])) == 1
    assert len(listed(client, links[f"leader-{wang}-quiet"])) == 1


def test_links_of_a_filtered_dashboard_keep_the_filter(
    county: County, leader: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(leader)
    response = client.get("/dashboard/", {"township": "城关镇"})
    links = figure_links(response)

    assert "城关镇" in response.content.decode()
    assert listed(client, links["projects"]) == {"停工楼盘", "交付楼盘"}
    assert listed(client, links["risk-high"]) == {"停工楼盘"}
    assert len(listed(client, links["petitions-received"])) == 1
    petitions = client.get(links["petitions-received"])
    assert petitions.context["rates"].received == 1  # the list's panel follows the township
    assert "项目所在乡镇：城关镇" in petitions.content.decode()
    tasks = client.get(links["tasks-overdue"])
    assert tasks.context["page"].paginator.count == response.context["d"].tasks_overdue


def test_the_page_says_as_of_when(leader: User, client_for: Callable[[User], Client]) -> None:
    response = client_for(leader).get("/dashboard/")

    assert response.status_code == 200
    assert f"数据截至 {timezone.localtime():%H:}" in response.content.decode()


@pytest.mark.parametrize(
    "query", [{"township": "火星镇"}, {"task_force": "999999"}, {"task_force": "abc"}]
)
def test_an_unknown_filter_is_ignored_with_a_message(
    county: County, leader: User, client_for: Callable[[User], Client], query: dict[str, str]
) -> None:
    response = client_for(leader).get("/dashboard/", query)

    assert response.status_code == 200
    assert "部分筛选条件无效，已忽略" in response.content.decode()
    assert response.context["d"].totals["projects"] == 4


def test_anyone_signed_in_may_open_it_and_others_are_sent_to_log_in(
    client: Client, department_user: User, client_for: Callable[[User], Client]
) -> None:
    assert client_for(department_user).get("/dashboard/").status_code == 200
    assert client.get("/dashboard/").status_code == 302


def build(n: int, leaders: list[User]) -> None:
    for i in range(n):
        project = ProjectFactory.create(
            township=f"镇{i % 3}",
            task_force=TaskForceFactory.create(),
            responsible_leader=leaders[i % len(leaders)],
            construction_status=Project.Status.STOPPED if i % 2 else Project.Status.NORMAL,
        )
        ProblemFactory.create(project=project)
        DeliveryRecordFactory.create(project=project, date=TODAY)
        FundingRecordFactory.create(project=project)
        PetitionFactory.create(
            project=project,
            received_date=TODAY,
            due_date=TODAY - DAY,
            case_leader=leaders[i % len(leaders)],
        )
        SupervisionTaskFactory.create(project=project, deadline=TODAY - DAY)


def test_query_count_does_not_grow_with_the_county(
    leader: User,
    client_for: Callable[[User], Client],
    django_assert_num_queries: Any,
) -> None:
    client = client_for(leader)
    leaders = [UserFactory.create(roles=[Role.LEADER]) for _ in range(3)]
    build(3, leaders)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as small:
        client.get("/dashboard/")

    build(27, leaders)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/dashboard/")
    assert response.context["d"].totals["projects"] == 30


def test_figures_are_kept_a_few_minutes_per_filter_and_reader(
    county: County,
    leader: User,
    department_user: User,
    client_for: Callable[[User], Client],
    settings: Any,
) -> None:
    settings.DASHBOARD_CACHE_SECONDS = 120
    # A private in-memory cache: clearing Redis would also drop the Celery worker's queue.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"}
    }
    client = client_for(leader)
    first = client.get("/dashboard/")
    ProjectFactory.create()

    with CaptureQueriesContext(connection) as ctx:
        again = client.get("/dashboard/")
    assert again.context["d"].totals["projects"] == 4  # the kept copy, with its time shown
    assert again.context["d"].generated_at == first.context["d"].generated_at
    assert len(ctx.captured_queries) < 10
    township = client.get("/dashboard/", {"township": "城关镇"}).context["d"]
    assert township.totals["projects"] == 3  # another filter: its own, fresh copy
    staff = client_for(department_user).get("/dashboard/").context["d"]
    assert staff.totals["projects"] == 5
    assert staff.petitions.received == 0  # not the leader's copy
    cache.clear()
    assert client.get("/dashboard/").context["d"].totals["projects"] == 5
