"""季度考核: each 专班 scored on the weighted indicators an admin configures (DOMAIN.md).

Every indicator is a fraction (0–1) scored ×100; the total is the weighted mean over the
indicators that have data for that 专班 (no problems, no tasks due … is no data, not a zero),
so a 专班 is neither rewarded nor punished for what did not happen to it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count

from core.dates import counted_day, monday_of
from core.rounding import PERCENT_FORMAT, RATE_PLACES
from core.xlsx import Column, Sheet
from dispatch.models import AssessmentIndicator, SupervisionTask
from dispatch.reports.asof import projects_as_of, rows_as_of
from dispatch.reports.common import half_up, resolved_by, serial_column, task_force_names
from dispatch.reports.monthly import deliveries_by_project, targets
from ledgers.models import Problem, ProgressReport
from petitions.models import Petition
from petitions.selectors import petition_rates
from projects.history import end_of_day
from projects.models import Project

Code = AssessmentIndicator.Code
WEEK = datetime.timedelta(days=7)
Values = dict[int, float | None]  # 专班 id -> indicator value


class Context:
    """What the indicators read, loaded once for all 专班."""

    def __init__(self, start: datetime.date, end: datetime.date) -> None:
        self.start, self.end = start, end
        self.projects = projects_as_of(end)
        self.by_task_force: dict[int, list[int]] = defaultdict(list)
        for pid, p in self.projects.items():
            self.by_task_force[p["task_force_id"]].append(pid)

    def task_force_of(self, project_id: int | None) -> int | None:
        p = self.projects.get(project_id) if project_id else None
        return p["task_force_id"] if p else None


def delivery_target(ctx: Context) -> Values:
    """Homes delivered since 1 January ÷ the 专班's annual target scaled to the quarters gone."""
    _, tf_targets = targets(ctx.end.year)
    quarter = (ctx.start.month - 1) // 3 + 1
    delivered = deliveries_by_project(ctx.end, ctx.end.replace(month=1, day=1))
    out: Values = {}
    for tf, pids in ctx.by_task_force.items():
        target = tf_targets.get(tf)
        if target:
            done = sum(delivered.get(pid, 0) for pid in pids)
            out[tf] = min(1.0, done / (target * quarter / 4))
    return out


def problem_resolution(ctx: Context) -> Values:
    """问题化解率 = resolved by the end of the quarter ÷ all problems found by then."""
    total: dict[int, int] = defaultdict(int)
    resolved: dict[int, int] = defaultdict(int)
    for r in rows_as_of(
        Problem, ctx.end, ["project_id", "status", "reported_date", "resolved_date"]
    ):
        tf = ctx.task_force_of(r["project_id"])
        if tf is None or r["reported_date"] > ctx.end:
            continue
        total[tf] += 1
        resolved[tf] += resolved_by(r, ctx.end)
    return {tf: resolved[tf] / n for tf, n in total.items()}


def tasks_on_time(ctx: Context) -> Values:
    """督办按期完成率 = tasks done by their deadline ÷ tasks due in the quarter; a back-dated
    completion (补录) counts on the day it was recorded (`core.dates.counted_day`)."""
    due: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    rows = SupervisionTask.objects.filter(
        deadline__range=(ctx.start, ctx.end), created_at__lte=end_of_day(ctx.end)
    ).values_list("project_id", "status", "deadline", "done_date", "done_recorded_at")
    for project_id, status, deadline, done_date, recorded_at in rows:
        tf = ctx.task_force_of(project_id)
        if tf is None:
            continue
        due[tf] += 1
        counted = counted_day(done_date, recorded_at)
        on_time[tf] += (
            status == SupervisionTask.Status.DONE and counted is not None and counted <= deadline
        )
    return {tf: on_time[tf] / n for tf, n in due.items()}


def petitions(ctx: Context) -> Values:
    """The mean of 办结率 and 满意率 of the petitions about the 专班's projects accepted in the
    quarter; only the rates that have a denominator count."""
    out: Values = {}
    for tf, pids in ctx.by_task_force.items():
        rates = petition_rates(
            start=ctx.start, end=ctx.end, base=Petition.objects.filter(project_id__in=pids)
        )
        present = [float(r) for r in (rates.closure_rate, rates.satisfaction_rate) if r is not None]
        if present:
            out[tf] = sum(present) / len(present)
    return out


def weeks_due(start: datetime.date, as_of: datetime.date) -> list[datetime.date]:
    """The weeks (their Mondays) a quarter judges: those that ended within it by the as-of day.

    A week belongs to the quarter it ends in, so each week is judged once, and a week still
    running (or to come) is never a missed update.
    """
    first, last = monday_of(start), monday_of(as_of - datetime.timedelta(days=6))
    return [first + WEEK * i for i in range((last - first) // WEEK + 1)]


def ledger_on_time(ctx: Context) -> Values:
    """Weekly progress reports entered by the as-of day ÷ weeks judged × projects still
    building."""
    weeks = weeks_due(ctx.start, ctx.end)
    if not weeks:
        return {}
    reported = dict(
        ProgressReport.history.filter(
            history_type="+",
            history_date__lte=end_of_day(ctx.end),
            period_start__in=weeks,
        )
        .order_by()
        .values_list("project_id")
        .annotate(n=Count("period_start", distinct=True))
    )
    expected: dict[int, int] = defaultdict(int)
    done: dict[int, int] = defaultdict(int)
    for pid, p in ctx.projects.items():
        if p["construction_status"] == Project.Status.DELIVERED:
            continue
        expected[p["task_force_id"]] += len(weeks)
        done[p["task_force_id"]] += min(len(weeks), reported.get(pid, 0))
    return {tf: done[tf] / n for tf, n in expected.items()}


COMPUTE: dict[str, Callable[[Context], Values]] = {
    Code.DELIVERY_TARGET: delivery_target,
    Code.PROBLEM_RESOLUTION: problem_resolution,
    Code.TASKS_ON_TIME: tasks_on_time,
    Code.PETITIONS: petitions,
    Code.LEDGER_ON_TIME: ledger_on_time,
}


def _mean(values: list[float]) -> float | None:
    return half_up(sum(values) / len(values)) if values else None


def build(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    ctx = Context(start, end)
    names = task_force_names()
    indicators = list(AssessmentIndicator.objects.filter(active=True).order_by("order", "pk"))
    values = {i.code: COMPUTE[i.code](ctx) for i in indicators}
    rows: list[dict[str, Any]] = []
    for tf in sorted(ctx.by_task_force, key=lambda t: names.get(t, "")):
        items = []
        weighted = weights = 0.0
        for i in indicators:
            raw = values[i.code].get(tf)
            score = None if raw is None else half_up(raw * 100)
            items.append(
                {
                    "code": i.code,
                    "raw": None if raw is None else half_up(raw, RATE_PLACES),
                    "score": score,
                }
            )
            if score is not None:
                weighted += i.weight * score
                weights += i.weight
        rows.append(
            {
                "task_force_id": tf,
                "name": names.get(tf, ""),
                "projects": len(ctx.by_task_force[tf]),
                "items": items,
                "total": half_up(weighted / weights) if weights else None,
            }
        )
    rows.sort(key=lambda r: (r["total"] is None, -(r["total"] or 0), r["name"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {
        "indicators": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "weight": i.weight,
                "description": i.description,
            }
            for i in indicators
        ],
        "total_weight": sum(i.weight for i in indicators),
        "rows": rows,
        "average": _mean([r["total"] for r in rows if r["total"] is not None]),
    }


def _item(index: int, key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row["items"][index][key]


def sheets(title: str, data: dict[str, Any]) -> list[Sheet]:
    indicator_columns: list[Column] = []
    for index, ind in enumerate(data["indicators"]):
        indicator_columns += [
            Column(ind["name"], 12, _item(index, "raw"), PERCENT_FORMAT),
            Column(f"{ind['name']}得分(权重{ind['weight']})", 14, _item(index, "score"), "0.00"),
        ]
    return [
        Sheet(
            title=title,
            unit_line="指标值为比例，得分满分100分，综合得分为有数据指标的加权平均",
            name="考核排名",
            columns=[
                Column("排名", 6, lambda r: r["rank"]),
                Column("工作专班", 20, lambda r: r["name"]),
                Column("项目数", 8, lambda r: r["projects"], "#,##0"),
                *indicator_columns,
                Column("综合得分", 10, lambda r: r["total"], "0.00"),
            ],
            rows=data["rows"],
        ),
        Sheet(
            title=f"{title}——考核指标与权重",
            unit_line="",
            name="指标说明",
            columns=[
                serial_column(),
                Column("指标", 22, lambda r: r["name"]),
                Column("权重", 8, lambda r: r["weight"]),
                Column("计算方法", 60, lambda r: r["description"]),
            ],
            rows=data["indicators"],
        ),
    ]
