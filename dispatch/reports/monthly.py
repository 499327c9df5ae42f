"""月通报: delivery against the annual target, the 专班 ranking, problems, petitions, money,
the housing market, and the named lists of lagging projects and overdue tasks."""

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from core.rounding import PERCENT_FORMAT
from core.xlsx import Column, Sheet
from dispatch.models import AnnualTarget, MarketFigure
from dispatch.reports.asof import overdue_ledgers_as_of, projects_as_of, rows_as_of
from dispatch.reports.common import (
    LAGGING_STATUSES,
    STATUS_LABELS,
    amount,
    delay_days,
    half_up,
    overdue_tasks_as_of,
    project_ref,
    ratio,
    resolved_by,
    serial_column,
    task_force_names,
)
from dispatch.reports.weekly import CATEGORY_LABELS, overdue_task_sheet
from ledgers.models import DeliveryRecord, FundingRecord, Problem
from petitions.models import Petition
from petitions.selectors import collective_q, petition_rates

SOURCE_LABELS = dict(FundingRecord.Source.choices)


def targets(year: int) -> tuple[int | None, dict[int, int]]:
    """年度交房任务: the county's, and each 专班's that has one."""
    county = None
    per_task_force: dict[int, int] = {}
    for tf_id, units in AnnualTarget.objects.filter(year=year).values_list("task_force", "units"):
        if tf_id is None:
            county = units
        else:
            per_task_force[tf_id] = units
    return county, per_task_force


def deliveries_by_project(end: datetime.date, since: datetime.date) -> dict[int, int]:
    """Homes handed over between `since` and `end`, by project, as the records stood at `end`."""
    out: dict[int, int] = defaultdict(int)
    for r in rows_as_of(DeliveryRecord, end, ["project_id", "date", "units"]):
        if since <= r["date"] <= end:
            out[r["project_id"]] += r["units"]
    return out


def problem_figures(
    problems: list[dict[str, Any]], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """问题化解率 = problems resolved by the end of the period / all problems found by then."""
    found = [r for r in problems if r["reported_date"] <= end]
    resolved = [r for r in found if resolved_by(r, end)]
    by_type = []
    for code, label in Problem.Type.choices:
        of_type = [r for r in found if r["problem_type"] == code]
        still_open = [r for r in of_type if not resolved_by(r, end)]
        by_type.append(
            {
                "label": label,
                "total": len(of_type),
                "resolved": len(of_type) - len(still_open),
                "open": len(still_open),
                "open_amount": amount(sum(Decimal(r["amount"]) for r in still_open)),
            }
        )
    return {
        "total": len(found),
        "resolved": len(resolved),
        "open": len(found) - len(resolved),
        "resolution_rate": ratio(len(resolved), len(found)),
        "new": sum(1 for r in found if r["reported_date"] >= start),
        "resolved_in_period": sum(1 for r in resolved if r["resolved_date"] >= start),
        "by_type": by_type,
    }


def petition_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    rates = petition_rates(start=start, end=end)
    received = Petition.objects.filter(received_date__range=(start, end))
    counts = received.aggregate(
        people=Sum("headcount", default=0), collective=Count("pk", filter=collective_q())
    )
    by_category = dict(
        received.order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {
        "received": rates.received,
        "people": counts["people"],
        "collective": counts["collective"],
        "accepted": rates.accepted,
        "closed": rates.closed,
        "closed_on_time": rates.closed_on_time,
        "rated": rates.rated,
        "satisfied": rates.satisfied,
        "decided": rates.decided,
        "decided_on_time": rates.decided_on_time,
        "closure_rate": ratio(rates.closed, rates.accepted),
        "on_time_rate": ratio(rates.closed_on_time, rates.closed),
        "acceptance_on_time_rate": ratio(rates.decided_on_time, rates.decided),
        "satisfaction_rate": ratio(rates.satisfied, rates.rated),
        "by_category": [
            {"label": label, "count": by_category.get(code, 0)}
            for code, label in CATEGORY_LABELS.items()
        ],
    }


def fund_figures(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Money raised (已到位) by source: in the month and since 1 January."""
    year_start = start.replace(month=1, day=1)
    month: dict[str, Decimal] = defaultdict(Decimal)
    ytd: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows_as_of(FundingRecord, end, ["source", "amount", "status", "date"]):
        if r["status"] != FundingRecord.Status.DISBURSED or not year_start <= r["date"] <= end:
            continue
        ytd[r["source"]] += r["amount"]
        if r["date"] >= start:
            month[r["source"]] += r["amount"]
    return {
        "by_source": [
            {"label": label, "month": amount(month[code]), "ytd": amount(ytd[code])}
            for code, label in FundingRecord.Source.choices
        ],
        "month_total": amount(sum(month.values())),
        "ytd_total": amount(sum(ytd.values())),
    }


def market_figures(start: datetime.date) -> dict[str, Any] | None:
    """Sales, inventory and 去化周期 = inventory / average monthly sales of the last 12 months.

    The figures of a month are entered after it ends, so the report takes them as they are now
    (regenerate the report once they are in); the average counts only months that were entered.
    """
    first = start.year * 12 + start.month - 1 - 11
    year_ago = datetime.date(first // 12, first % 12 + 1, 1)
    rows = {m.month: m for m in MarketFigure.objects.filter(month__range=(year_ago, start))}
    current = rows.get(start)
    if current is None:
        return None
    average = sum((m.sales_area for m in rows.values()), Decimal(0)) / len(rows)
    return {
        "sales_area": amount(current.sales_area),
        "sales_units": current.sales_units,
        "inventory_area": amount(current.inventory_area),
        "inventory_units": current.inventory_units,
        "months": len(rows),
        "average_sales_area": amount(average),
        "destocking_months": half_up(float(current.inventory_area / average), 1)
        if average
        else None,
    }


def _task_force_row(name: str, target: int | None) -> dict[str, Any]:
    return {
        "name": name,
        "target": target,
        **dict.fromkeys(
            [
                "projects",
                "units_sold",
                "units_delivered",
                "delivered_ytd",
                "delivered_month",
                "open_problems",
                "stale",
            ],
            0,
        ),
    }


def _lagging_order(p: dict[str, Any], end: datetime.date) -> tuple[int, int, str]:
    return (LAGGING_STATUSES.index(p["construction_status"]), -delay_days(p, end), p["code"])


def build(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    names = task_force_names()
    projects = projects_as_of(end)
    year = end.year
    county_target, tf_targets = targets(year)
    ytd = deliveries_by_project(end, end.replace(month=1, day=1))
    month = deliveries_by_project(end, start)
    problems = rows_as_of(
        Problem,
        end,
        ["project_id", "problem_type", "status", "amount", "reported_date", "resolved_date"],
    )
    open_by_project: dict[int, int] = defaultdict(int)
    for r in problems:
        if r["reported_date"] <= end and not resolved_by(r, end):
            open_by_project[r["project_id"]] += 1
    late_ledgers = overdue_ledgers_as_of(end, projects)

    per_tf: dict[int, dict[str, Any]] = {}
    for pid, p in projects.items():
        tf = p["task_force_id"]
        row = per_tf.get(tf) or per_tf.setdefault(
            tf, _task_force_row(names.get(tf, ""), tf_targets.get(tf))
        )
        row["projects"] += 1
        row["units_sold"] += p["units_sold"]
        row["units_delivered"] += p["units_delivered"]
        row["delivered_ytd"] += ytd.get(pid, 0)
        row["delivered_month"] += month.get(pid, 0)
        row["open_problems"] += open_by_project.get(pid, 0)
        if pid in late_ledgers:
            row["stale"] += 1
    ranking = list(per_tf.values())
    for row in ranking:
        row["delivery_rate"] = ratio(row["units_delivered"], row["units_sold"])
        row["completion_rate"] = ratio(row["delivered_ytd"], row["target"] or 0)
    # Ranked by 年度交房任务完成率; 专班 without a target after those with one, by 交房率.
    ranking.sort(
        key=lambda r: (
            r["completion_rate"] is None,
            -(r["completion_rate"] or 0),
            -(r["delivery_rate"] or 0),
            r["name"],
        )
    )
    for rank, row in enumerate(ranking, start=1):
        row["rank"] = rank

    lagging = [
        {
            **project_ref(p, names),
            "status": STATUS_LABELS[p["construction_status"]],
            "progress": float(p["progress_percent"]),
            "delay_days": delay_days(p, end),
            "units_undelivered": p["units_sold"] - p["units_delivered"],
        }
        for p in sorted(
            (p for p in projects.values() if p["construction_status"] in LAGGING_STATUSES),
            key=lambda p: _lagging_order(p, end),
        )
    ]
    sold = sum(p["units_sold"] for p in projects.values())
    delivered = sum(p["units_delivered"] for p in projects.values())
    delivered_ytd = sum(ytd.values())
    return {
        "delivery": {
            "year": year,
            "target": county_target,
            "delivered_ytd": delivered_ytd,
            "completion_rate": ratio(delivered_ytd, county_target) if county_target else None,
            "delivered_month": sum(month.values()),
            "projects": len(projects),
            "units_sold": sold,
            "units_delivered": delivered,
            "units_undelivered": sold - delivered,
            "delivery_rate": ratio(delivered, sold),
        },
        "task_forces": ranking,
        "problems": problem_figures(problems, start, end),
        "petitions": petition_figures(start, end),
        "funds": fund_figures(start, end),
        "market": market_figures(start),
        "lagging": lagging,
        "overdue_tasks": overdue_tasks_as_of(end),
    }


def sheets(title: str, data: dict[str, Any]) -> list[Sheet]:
    d, pf, f, m = data["delivery"], data["petitions"], data["funds"], data["market"]
    overview: list[tuple[str, Any, str]] = [
        (f"{d['year']}年全县交房任务(套)", d["target"], "#,##0"),
        ("年初至月末交房(套)", d["delivered_ytd"], "#,##0"),
        ("年度交房任务完成率", d["completion_rate"], PERCENT_FORMAT),
        ("本月交房(套)", d["delivered_month"], "#,##0"),
        ("纳入台账项目(个)", d["projects"], "#,##0"),
        ("已售套数", d["units_sold"], "#,##0"),
        ("已交房套数", d["units_delivered"], "#,##0"),
        ("未交房套数", d["units_undelivered"], "#,##0"),
        ("交房率", d["delivery_rate"], PERCENT_FORMAT),
        ("问题总数(个)", data["problems"]["total"], "#,##0"),
        ("已化解问题(个)", data["problems"]["resolved"], "#,##0"),
        ("问题化解率", data["problems"]["resolution_rate"], PERCENT_FORMAT),
        ("本月新增问题(个)", data["problems"]["new"], "#,##0"),
        ("本月化解问题(个)", data["problems"]["resolved_in_period"], "#,##0"),
        ("本月登记信访件(件)", pf["received"], "#,##0"),
        ("本月信访人次", pf["people"], "#,##0"),
        ("本月集体访(件)", pf["collective"], "#,##0"),
        ("本月受理(件)", pf["accepted"], "#,##0"),
        ("其中已办结(件)", pf["closed"], "#,##0"),
        ("办结率", pf["closure_rate"], PERCENT_FORMAT),
        ("按期办结率", pf["on_time_rate"], PERCENT_FORMAT),
        ("本月作出受理决定(件)", pf["decided"], "#,##0"),
        ("按期受理率", pf["acceptance_on_time_rate"], PERCENT_FORMAT),
        ("满意率", pf["satisfaction_rate"], PERCENT_FORMAT),
        ("本月到位资金(万元)", f["month_total"], "#,##0.00"),
        ("年初至月末到位资金(万元)", f["ytd_total"], "#,##0.00"),
    ]
    if m:
        overview += [
            ("商品住宅销售面积(m²)", m["sales_area"], "#,##0.00"),
            ("商品住宅库存面积(m²)", m["inventory_area"], "#,##0.00"),
            (f"近{m['months']}个月月均销售面积(m²)", m["average_sales_area"], "#,##0.00"),
            ("去化周期(月)", m["destocking_months"], "0.0"),
        ]
    return [
        Sheet(
            title=title,
            unit_line="单位：套、个、件、万元、平方米",
            name="概况",
            columns=[
                Column("指标", 30, lambda r: r[0]),
                Column("数值", 16, lambda r: r[1], row_format=lambda r: r[2]),
            ],
            rows=overview,
        ),
        Sheet(
            title=f"{title}——各专班交房进度排名",
            unit_line="单位：个、套",
            name="专班排名",
            columns=[
                Column("排名", 6, lambda r: r["rank"]),
                Column("工作专班", 20, lambda r: r["name"]),
                Column("项目数", 8, lambda r: r["projects"], "#,##0", total=True),
                Column("已售套数", 10, lambda r: r["units_sold"], "#,##0", total=True),
                Column("已交房套数", 10, lambda r: r["units_delivered"], "#,##0", total=True),
                Column("交房率", 9, lambda r: r["delivery_rate"], PERCENT_FORMAT),
                Column("年度任务(套)", 11, lambda r: r["target"], "#,##0"),
                Column("年内交房(套)", 11, lambda r: r["delivered_ytd"], "#,##0", total=True),
                Column("完成率", 9, lambda r: r["completion_rate"], PERCENT_FORMAT),
                Column("本月交房(套)", 11, lambda r: r["delivered_month"], "#,##0", total=True),
                Column("未化解问题", 10, lambda r: r["open_problems"], "#,##0", total=True),
                Column("台账未更新", 10, lambda r: r["stale"], "#,##0", total=True),
            ],
            rows=data["task_forces"],
        ),
        Sheet(
            title=f"{title}——问题化解情况",
            unit_line="单位：个、万元",
            name="问题化解",
            columns=[
                Column("问题类型", 18, lambda r: r["label"]),
                Column("问题总数", 10, lambda r: r["total"], "#,##0", total=True),
                Column("已化解", 10, lambda r: r["resolved"], "#,##0", total=True),
                Column("未化解", 10, lambda r: r["open"], "#,##0", total=True),
                # A funding gap and wages owed are different sums: no 合计 across the types.
                Column("未化解涉及金额", 14, lambda r: r["open_amount"], "#,##0.00"),
            ],
            rows=data["problems"]["by_type"],
        ),
        Sheet(
            title=f"{title}——资金筹措（已到位）",
            unit_line="单位：万元",
            name="资金筹措",
            columns=[
                Column("资金来源", 18, lambda r: r["label"]),
                Column("本月", 14, lambda r: r["month"], "#,##0.00", total=True),
                Column("年初至月末", 14, lambda r: r["ytd"], "#,##0.00", total=True),
            ],
            rows=f["by_source"],
        ),
        Sheet(
            title=f"{title}——进度滞后项目",
            unit_line="单位：%、天、套",
            name="滞后项目",
            columns=[
                serial_column(),
                Column("项目编号", 16, lambda r: r["code"]),
                Column("项目名称", 24, lambda r: r["name"]),
                Column("工作专班", 18, lambda r: r["task_force"]),
                Column("施工状态", 10, lambda r: r["status"]),
                Column("形象进度", 9, lambda r: r["progress"], "0.0"),
                Column("延期天数", 9, lambda r: r["delay_days"], "#,##0"),
                Column("未交房套数", 10, lambda r: r["units_undelivered"], "#,##0", total=True),
            ],
            rows=data["lagging"],
        ),
        overdue_task_sheet(title, data),
    ]
