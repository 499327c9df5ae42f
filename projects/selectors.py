"""Reads of the project ledger: the annotated ledger queryset, risk rules, history, as-of views.

Every figure the list, the project page, the export, the dashboard and the reports show comes
from `ledger_queryset`, so a rule (delay, 台账未更新, risk) is written once, here.
"""

import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from core.dates import report_due_week
from core.models import User
from ledgers.models import OPEN_PROBLEM_STATUSES, Problem, ProgressReport
from projects.extensions import high_risk_rules
from projects.models import Project, SavedFilter, TaskForce, Township
from projects.townships import TownshipMatch, township_match


class Risk:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    LABELS = {HIGH: "高", MEDIUM: "中", LOW: "低"}
    CHOICES = [(HIGH, "高风险"), (MEDIUM, "中风险"), (LOW, "低风险")]


# Shown to users exactly as applied (list legend, project page).
RISK_RULES = [
    (Risk.HIGH, "停工；或延期超过180天；或存在未化解的欠薪问题；或近30天内发生集体访"),
    (Risk.MEDIUM, "半停工或进度滞后；或已延期；或存在未化解的资金缺口"),
    (Risk.LOW, "不属于以上情形"),
]
HIGH_DELAY_DAYS = 180

OPEN_PROBLEM = OPEN_PROBLEM_STATUSES


def week_missing_q(week: datetime.date) -> Q:
    """Projects still being built (已全部交付 are exempt) with no progress report for the week
    (its Monday)."""
    reported = Exists(ProgressReport.objects.filter(project=OuterRef("pk"), period_start=week))
    return ~Q(construction_status=Project.Status.DELIVERED) & Q(~reported)


def overdue_ledger_q(today: datetime.date | None = None) -> Q:
    """台账未更新: the latest week whose due day is over (core.dates.report_due_week) has no
    report. The ledger flag, the dashboard, the 工作台, 未按时填报 and the reports count this."""
    return week_missing_q(report_due_week(today or timezone.localdate()))


def delayed_q(today: datetime.date, min_days: int = 0) -> Q:
    """延期: past the contract date by more than min_days with homes still undelivered."""
    return Q(
        contract_delivery_date__lt=today - datetime.timedelta(days=min_days),
        units_sold__gt=F("units_delivered"),
    )


def _open_problem(problem_type: str) -> Exists:
    return Exists(
        Problem.objects.filter(
            project=OuterRef("pk"), problem_type=problem_type, status__in=OPEN_PROBLEM
        )
    )


def ledger_queryset(*, today: datetime.date | None = None) -> QuerySet[Project]:
    """All projects, annotated with the flags behind the risk level and the level itself."""
    today = today or timezone.localdate()
    registered = {flag: rule.applies(today) for flag, rule in high_risk_rules.items()}
    high = (
        Q(construction_status=Project.Status.STOPPED)
        | Q(flag_delay_over_180=True)
        | Q(flag_wage_arrears=True)
    )
    for name in registered:
        high |= Q(**{name: True})
    flag = BooleanField()
    qs = Project.objects.annotate(
        units_undelivered_db=F("units_sold") - F("units_delivered"),
        flag_delay_over_180=Case(
            When(delayed_q(today, HIGH_DELAY_DAYS), then=Value(True)),
            default=Value(False),
            output_field=flag,
        ),
        flag_delayed=Case(
            When(delayed_q(today), then=Value(True)), default=Value(False), output_field=flag
        ),
        flag_wage_arrears=_open_problem(Problem.Type.WAGE_ARREARS),
        flag_funding_gap=_open_problem(Problem.Type.FUNDING_GAP),
        flag_ledger_overdue=Case(
            When(overdue_ledger_q(today), then=Value(True)), default=Value(False), output_field=flag
        ),
        **registered,
    ).annotate(
        risk_rank=Case(
            When(high, then=Value(3)),
            When(
                Q(construction_status__in=[Project.Status.SEMI_STOPPED, Project.Status.LAGGING])
                | Q(flag_delayed=True)
                | Q(flag_funding_gap=True),
                then=Value(2),
            ),
            default=Value(1),
            output_field=IntegerField(),
        ),
        delay_sort=Case(
            When(delayed_q(today), then=F("contract_delivery_date")),
            default=Value(None),
        ),
    )
    return qs


RISK_BY_RANK = {3: Risk.HIGH, 2: Risk.MEDIUM, 1: Risk.LOW}
RANK_BY_RISK = {v: k for k, v in RISK_BY_RANK.items()}


def risk_level(project: Project) -> str:
    """The level of a project loaded through ledger_queryset."""
    return RISK_BY_RANK[project.risk_rank]  # type: ignore[attr-defined]


def risk_reasons(project: Project) -> list[str]:
    """Which rules apply to a project loaded through ledger_queryset, in the users' words."""
    p: Any = project
    reasons = []
    if p.construction_status == Project.Status.STOPPED:
        reasons.append("停工")
    if p.flag_delay_over_180:
        reasons.append(f"延期超过{HIGH_DELAY_DAYS}天")
    if p.flag_wage_arrears:
        reasons.append("存在未化解的欠薪问题")
    reasons += [rule.reason for flag, rule in high_risk_rules.items() if getattr(p, flag)]
    if p.construction_status in (Project.Status.SEMI_STOPPED, Project.Status.LAGGING):
        reasons.append(p.get_construction_status_display())
    if p.flag_delayed and not p.flag_delay_over_180:
        reasons.append("已延期")
    if p.flag_funding_gap:
        reasons.append("存在未化解的资金缺口")
    return reasons


def open_problems_prefetch() -> Prefetch:
    return Prefetch(
        "problems",
        queryset=Problem.objects.filter(status__in=OPEN_PROBLEM).only(
            "id", "project_id", "problem_type"
        ),
        to_attr="open_problems",
    )


def project_list(*, actor: User, today: datetime.date | None = None) -> QuerySet[Project]:
    """The ledger list: every project (everyone may read all), with what a row shows."""
    return (
        ledger_queryset(today=today)
        .select_related(
            "township", "developer", "general_contractor", "task_force", "responsible_leader"
        )
        .prefetch_related(open_problems_prefetch())
        .order_by("code")
    )


def project_detail(*, actor: User, pk: int, today: datetime.date | None = None) -> Project:
    return (
        ledger_queryset(today=today)
        .select_related(
            "township",
            "developer",
            "construction_unit",
            "general_contractor",
            "task_force",
            "task_force__leader",
            "responsible_leader",
        )
        .prefetch_related(open_problems_prefetch())
        .get(pk=pk)
    )


def county_totals(*, today: datetime.date | None = None, area: Q | None = None) -> dict[str, int]:
    """Headline ledger figures for the home page: the county's, or those of `area` (the
    projects of a 专班 member's own 专班)."""
    projects = Project.objects.filter(area or Q())
    totals = projects.aggregate(
        count=Count("pk"),
        units_sold=Sum("units_sold"),
        units_delivered=Sum("units_delivered"),
        stopped=Count("pk", filter=Q(construction_status=Project.Status.STOPPED)),
        stale=Count("pk", filter=overdue_ledger_q(today)),
    )
    sold = totals["units_sold"] or 0
    delivered = totals["units_delivered"] or 0
    return {
        "projects": totals["count"],
        "units_sold": sold,
        "units_delivered": delivered,
        "units_undelivered": sold - delivered,
        "stopped": totals["stopped"],
        "stale": totals["stale"],
    }


def area_q(*, township_id: int | None = None, task_force_id: int | None = None, via: str = "") -> Q:
    """Projects of one township and/or one 专班; `via` ("project__") reaches them from the
    entries of another table, so every dashboard figure narrows the same way."""
    q = Q()
    if township_id:
        q &= Q(**{f"{via}township_id": township_id})
    if task_force_id:
        q &= Q(**{f"{via}task_force_id": task_force_id})
    return q


def ledger_breakdown(*, today: datetime.date, area: Q | None = None) -> list[dict[str, Any]]:
    """The ledger's figures per (专班, 包案领导, risk rank), in one pass over the projects.

    The dashboard adds the rows up for the county, per 专班 and per leader. Grouping by the
    risk rank (rather than counting each level) evaluates the risk rules once per project.
    The sums are not named after the fields: the rules' F("units_delivered") must stay a column.
    """
    statuses = {
        f"status_{value}": Count("pk", filter=Q(construction_status=value))
        for value in Project.Status.values
    }
    return list(
        ledger_queryset(today=today)
        .filter(area or Q())
        .order_by()
        .values("task_force", "responsible_leader", "risk_rank")  # type: ignore[misc]
        .annotate(
            projects=Count("pk"),
            sold=Sum("units_sold"),
            delivered=Sum("units_delivered"),
            gap=Sum("funding_gap"),
            wages=Sum("wages_owed"),
            stale=Count("pk", filter=overdue_ledger_q(today)),
            delay_over_180=Count("pk", filter=delayed_q(today, HIGH_DELAY_DAYS)),
            **statuses,
        )
    )


def township_list() -> QuerySet[Township]:
    """The list the administrator keeps, in its order: every filter and form offers these."""
    return Township.objects.order_by("order", "name")


def township_lookup(text: str) -> TownshipMatch:
    """The township a typed name means (width and spaces aside), or those it may mean."""
    return township_match(text, township_list())


def saved_filters_for(*, actor: User) -> QuerySet[SavedFilter]:
    """The actor's own saved filters and those shared with any of the actor's 专班."""
    return (
        SavedFilter.objects.filter(
            Q(owner=actor) | Q(shared_with__in=TaskForce.objects.filter(members=actor))
        )
        .select_related("owner", "shared_with")
        .distinct()
        .order_by("name")
    )
