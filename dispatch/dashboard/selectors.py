"""Reads of the dashboard (领导驾驶舱).

Dashboard figures are composed from the apps' own selectors.

Nothing is counted here in a way of its own: each figure comes from the selector (or the Q) that
also narrows the list it links to, so a number on the dashboard is the row count of that list.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from core.dates import monday_of
from core.links import list_url
from core.models import User
from core.rounding import rate
from dispatch.models import SupervisionTask
from dispatch.permissions import sees_all_tasks
from dispatch.selectors import annual_target, overdue_task_q, task_list
from ledgers.selectors import deliveries_by_month, funds_disbursed, open_problem_projects
from petitions.models import Petition
from petitions.permissions import sees_all_petitions
from petitions.selectors import (
    CollectiveWarning,
    PetitionRates,
    case_leader_figures,
    collective_warnings,
    overdue_q,
    petition_list,
    petition_rates,
    petitions_per_week,
)
from projects.models import Project, TaskForce, Township
from projects.selectors import (
    HIGH_DELAY_DAYS,
    RISK_BY_RANK,
    Risk,
    area_q,
    delayed_q,
    ledger_breakdown,
)

PETITION_WEEKS = 12
PANEL_ROWS = 5
_SUMMED = ["projects", "sold", "delivered", "stale", "delay_over_180"]


@dataclass
class LeaderRow:
    """One line of the 包案 matrix."""

    leader: User
    projects: int = 0
    projects_delivered: int = 0
    projects_stale: int = 0
    petitions: int = 0
    petitions_closed: int = 0
    petitions_quiet: int = 0


@dataclass
class TaskForceRisk:
    task_force: TaskForce
    counts: dict[str, int]


@dataclass
class Dashboard:
    today: datetime.date
    month_start: datetime.date
    generated_at: datetime.datetime
    totals: dict[str, int]
    risk: dict[str, int]
    statuses: dict[str, int]
    funding_gap: Decimal
    wages_owed: Decimal
    funds_disbursed: Decimal
    target: int | None
    monthly_deliveries: list[int]
    problem_projects: dict[str, int]
    petitions: PetitionRates
    petitions_overdue: int
    petitions_overdue_this_month: int
    petition_weeks: list[datetime.date]
    petitions_weekly: dict[str, list[int]]
    collective: list[CollectiveWarning]
    overdue_petitions: list[Petition]
    tasks_overdue: int
    overdue_tasks: list[SupervisionTask]
    stopped_projects: list[Project]
    delayed_projects: list[Project]
    risk_by_task_force: list[TaskForceRisk]
    leaders: list[LeaderRow] = field(default_factory=list)

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def delivered_this_year(self) -> int:
        return sum(self.monthly_deliveries)

    @property
    def target_rate(self) -> Decimal | None:
        """年度交房任务完成率 = units delivered this year / annual target."""
        return rate(self.delivered_this_year, self.target or 0)


def dashboard_data(
    *,
    actor: User,
    township: Township | None = None,
    task_force: TaskForce | None = None,
    today: datetime.date | None = None,
) -> Dashboard:
    """Every figure of the dashboard for the county, a township and/or a 专班.

    Petitions and supervision tasks are those the actor may see (their own selectors' scope);
    projects are read by everyone. A bounded number of queries, whatever the number of rows.
    """
    today = today or timezone.localdate()
    tf_id = task_force.pk if task_force else None
    township_id = township.pk if township else None
    projects_area = area_q(township_id=township_id, task_force_id=tf_id)
    entries_area = area_q(township_id=township_id, task_force_id=tf_id, via="project__")
    month_start = today.replace(day=1)

    rows = ledger_breakdown(today=today, area=projects_area)
    totals = {key: sum(r[key] or 0 for r in rows) for key in _SUMMED}
    totals["undelivered"] = totals["sold"] - totals["delivered"]
    risk = dict.fromkeys(RISK_BY_RANK.values(), 0)
    for r in rows:
        risk[RISK_BY_RANK[r["risk_rank"]]] += r["projects"]

    petitions = petition_list(actor=actor).filter(entries_area)
    tasks = task_list(actor=actor).filter(entries_area).filter(overdue_task_q(today))
    weeks = [monday_of(today) - datetime.timedelta(weeks=n) for n in range(PETITION_WEEKS)][::-1]
    by_month = deliveries_by_month(year=today.year, area=entries_area)

    return Dashboard(
        today=today,
        month_start=month_start,
        generated_at=timezone.localtime(),
        totals=totals,
        risk=risk,
        statuses={s: sum(r[f"status_{s}"] for r in rows) for s in Project.Status.values},
        funding_gap=sum((r["gap"] or Decimal(0) for r in rows), Decimal(0)),
        wages_owed=sum((r["wages"] or Decimal(0) for r in rows), Decimal(0)),
        funds_disbursed=funds_disbursed(area=entries_area),
        target=_target(today.year, township_id, tf_id),
        monthly_deliveries=[by_month.get(m, 0) for m in range(1, 13)],
        problem_projects=open_problem_projects(area=entries_area),
        petitions=petition_rates(start=month_start, end=today, base=petitions),
        petitions_overdue=petitions.filter(overdue_q(today)).count(),
        petitions_overdue_this_month=petitions.filter(
            overdue_q(today), received_date__range=(month_start, today)
        ).count(),
        petition_weeks=weeks,
        petitions_weekly=_weekly(petitions, weeks, today),
        collective=collective_warnings(today=today, base=petitions),
        overdue_petitions=list(
            petitions.filter(overdue_q(today)).order_by("due_date", "pk")[:PANEL_ROWS]
        ),
        tasks_overdue=tasks.count(),
        overdue_tasks=list(tasks[:PANEL_ROWS]),
        stopped_projects=list(
            Project.objects.filter(projects_area, construction_status=Project.Status.STOPPED)
            .only("pk", "code", "name")
            .order_by("contract_delivery_date", "code")[:PANEL_ROWS]
        ),
        delayed_projects=list(
            Project.objects.filter(projects_area, delayed_q(today, HIGH_DELAY_DAYS))
            .only("pk", "code", "name", "contract_delivery_date", "units_sold", "units_delivered")
            .order_by("contract_delivery_date", "code")[:PANEL_ROWS]
        ),
        risk_by_task_force=_risk_by_task_force(rows),
        leaders=_leaders(rows, case_leader_figures(base=petitions, today=today)),
    )


def figure_links(d: Dashboard, scope: dict[str, Any]) -> dict[str, str]:
    """The list each figure opens, by the figure's key: the filter written beside the figure it
    counts (same window, same flag, same township and 专班 in `scope`), so the list shows the
    rows the figure counted. The page and GET /api/dashboard/ both take their links from here."""
    projects, petitions, tasks = "projects:list", "petitions:list", "dispatch:task_list"
    month = {"received_from": d.month_start, "received_to": d.today}
    accepted = {
        "accepted_from": d.month_start,
        "accepted_to": d.today,
        "from": d.month_start,
        "to": d.today,
    }
    this_year = {"delivered_in": d.year, "o": "-delivered"}
    links: dict[str, tuple[str, dict[str, Any]]] = {
        "projects": (projects, {}),
        **{f"risk_{level}": (projects, {"risk": level}) for level in Risk.LABELS},
        "undelivered": (projects, {"o": "-undelivered"}),
        "sold": (projects, {"o": "-sold"}),
        "delivered": (projects, {"o": "-delivered"}),
        "delivered_this_year": (projects, this_year),
        "funding_gap": (projects, {"problem": "funding_gap", "o": "-funding_gap"}),
        "funds": (projects, {"flag": "funded"}),
        "wages": (projects, {"problem": "wage_arrears"}),
        "petitions_received": (petitions, month),
        "petitions_closure": (petitions, accepted),
        "petitions_satisfaction": (petitions, {**accepted, "status": "closed"}),
        "petitions_overdue_this_month": (petitions, {**month, "flag": "overdue"}),
        "petitions_overdue": (petitions, {"flag": "overdue"}),
        "tasks_overdue": (tasks, {"overdue": "1"}),
        "stale": (projects, {"flag": "stale"}),
        "stopped": (projects, {"status": "stopped"}),
        "delay180": (projects, {"flag": "delay180", "o": "-delay"}),
        "collective": (petitions, {"flag": "warning"}),
        **{
            f"collective_{w.project.pk}": (petitions, {"project": w.project.pk, "flag": "warning"})
            for w in d.collective
        },
    }
    return {key: list_url(name, **scope, **params) for key, (name, params) in links.items()}


def dashboard_cached(
    *, actor: User, township: Township | None = None, task_force: TaskForce | None = None
) -> Dashboard:
    """`dashboard_data`, kept for DASHBOARD_CACHE_SECONDS (≤ 5 minutes) per filter and per
    reading scope: readers who see every petition and task share one copy; anyone narrower
    (a department) gets their own. The page shows `generated_at`, so nobody mistakes its age."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return dashboard_data(actor=actor, township=township, task_force=task_force)
    reader = "all" if sees_all_petitions(actor) and sees_all_tasks(actor) else f"u{actor.pk}"
    today = timezone.localdate()
    area = f"{task_force.pk if task_force else ''}:{township.pk if township else ''}"
    key = f"dashboard:{today}:{reader}:{area}"
    data = cache.get_or_set(
        key,
        lambda: dashboard_data(actor=actor, township=township, task_force=task_force, today=today),
        seconds,
    )
    return cast(Dashboard, data)


def _target(year: int, township_id: int | None, task_force_id: int | None) -> int | None:
    """The county's target, or the 专班's; a township has none of its own."""
    if township_id:
        return None
    return annual_target(year=year, task_force_id=task_force_id)


def _weekly(
    petitions: QuerySet[Petition], weeks: list[datetime.date], today: datetime.date
) -> dict[str, list[int]]:
    """Category → petitions received in each of the weeks (oldest first)."""
    index = {week: i for i, week in enumerate(weeks)}
    series: dict[str, list[int]] = {c: [0] * len(weeks) for c in Petition.Category.values}
    for row in petitions_per_week(base=petitions, start=weeks[0], end=today):
        series[row["category"]][index[row["week"]]] += row["n"]
    return series


def _risk_by_task_force(rows: list[dict[str, Any]]) -> list[TaskForceRisk]:
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys([Risk.HIGH, Risk.MEDIUM, Risk.LOW], 0)
    )
    for r in rows:
        counts[r["task_force"]][RISK_BY_RANK[r["risk_rank"]]] += r["projects"]
    names = TaskForce.objects.in_bulk(list(counts))
    out = [TaskForceRisk(names[pk], c) for pk, c in counts.items()]
    return sorted(
        out, key=lambda t: (-t.counts[Risk.HIGH], -t.counts[Risk.MEDIUM], t.task_force.name)
    )


def _leaders(rows: list[dict[str, Any]], petitions: list[dict[str, Any]]) -> list[LeaderRow]:
    """包案 matrix: a leader's projects (delivered = 已全部交付; no movement = stale ledger) and
    petitions (closed; open without a step in 7 days)."""
    ids = {r["responsible_leader"] for r in rows} | {p["case_leader"] for p in petitions}
    ids.discard(None)
    users = User.objects.in_bulk(list(ids))
    matrix = {pk: LeaderRow(users[pk]) for pk in ids}
    for r in rows:
        if r["responsible_leader"] is None:
            continue
        line = matrix[r["responsible_leader"]]
        line.projects += r["projects"]
        line.projects_delivered += r[f"status_{Project.Status.DELIVERED}"]
        line.projects_stale += r["stale"]
    for p in petitions:
        line = matrix[p["case_leader"]]
        line.petitions, line.petitions_closed, line.petitions_quiet = (
            p["total"],
            p["closed"],
            p["quiet"],
        )
    return sorted(matrix.values(), key=lambda line: (str(line.leader), line.leader.pk))
