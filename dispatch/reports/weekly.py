"""周调度简报: what changed in the week, for the Monday dispatch meeting."""

import datetime
from typing import Any

from django.db.models import Count, Sum

from core.dates import report_due_week, report_due_weekday_label
from core.xlsx import Column, Sheet
from dispatch.reports.asof import overdue_ledgers_as_of, projects_as_of, rows_as_of
from dispatch.reports.common import (
    PROBLEM_TYPE_LABELS,
    STATUS_LABELS,
    amount,
    iso,
    overdue_tasks_as_of,
    project_ref,
    serial_column,
    task_force_names,
)
from ledgers.models import DeliveryRecord, Problem
from petitions.models import Petition
from petitions.selectors import collective_q, collective_warnings
from projects.models import Township

PROBLEM_FIELDS = [
    "project_id",
    "problem_type",
    "status",
    "amount",
    "description",
    "reported_date",
    "resolved_date",
    "resolution",
]
CATEGORY_LABELS = dict(Petition.Category.choices)


def stale_rule(day: datetime.date) -> str:
    """台账未更新 as the report words it: which week's report was due by which weekday."""
    week = report_due_week(day)
    return f"{week.month}月{week.day}日当周进度未在{report_due_weekday_label()}前填报"


def build(start: datetime.date, end: datetime.date) -> dict[str, Any]:
    names = task_force_names()
    townships = dict(Township.objects.values_list("pk", "name"))
    projects = projects_as_of(end)
    before = projects_as_of(start - datetime.timedelta(days=1))

    def ref(project_id: int) -> dict[str, Any]:
        p = projects.get(project_id) or before.get(project_id)
        return project_ref(p, names) if p else {"code": "", "name": "", "task_force": ""}

    problems = rows_as_of(Problem, end, PROBLEM_FIELDS)
    new_problems = [
        {
            **ref(r["project_id"]),
            "type": PROBLEM_TYPE_LABELS.get(r["problem_type"], r["problem_type"]),
            "amount": amount(r["amount"]),
            "description": r["description"],
            "reported_date": iso(r["reported_date"]),
        }
        for r in sorted(problems, key=lambda r: (r["reported_date"], r["id"]))
        if start <= r["reported_date"] <= end
    ]
    resolved = [
        {
            **ref(r["project_id"]),
            "type": PROBLEM_TYPE_LABELS.get(r["problem_type"], r["problem_type"]),
            "amount": amount(r["amount"]),
            "resolution": r["resolution"],
            "resolved_date": iso(r["resolved_date"]),
        }
        for r in sorted(problems, key=lambda r: (r["resolved_date"] or end, r["id"]))
        if r["status"] == Problem.Status.RESOLVED
        and r["resolved_date"]
        and start <= r["resolved_date"] <= end
    ]
    status_changes = [
        {
            **project_ref(p, names),
            "from": STATUS_LABELS[before[pid]["construction_status"]],
            "to": STATUS_LABELS[p["construction_status"]],
        }
        for pid, p in sorted(projects.items(), key=lambda item: item[1]["code"])
        if pid in before and before[pid]["construction_status"] != p["construction_status"]
    ]

    delivered: dict[int, list[int]] = {}
    for r in rows_as_of(DeliveryRecord, end, ["project_id", "date", "units"]):
        if start <= r["date"] <= end:
            delivered.setdefault(r["project_id"], []).append(r["units"])
    deliveries = sorted(
        ({**ref(pid), "units": sum(u), "batches": len(u)} for pid, u in delivered.items()),
        key=lambda d: (-d["units"], d["code"]),
    )

    late_ledgers = overdue_ledgers_as_of(end, projects)
    stale = [
        {
            **project_ref(p, names),
            "township": townships.get(p["township_id"], ""),
            "last_report_date": iso(p["last_report_date"]),
            "days_since": (end - p["last_report_date"]).days if p["last_report_date"] else None,
        }
        for p in sorted(projects.values(), key=lambda p: (p["task_force_id"], p["code"]))
        if p["id"] in late_ledgers
    ]

    received = Petition.objects.filter(received_date__range=(start, end))
    petitions = received.aggregate(
        received=Count("pk"),
        people=Sum("headcount", default=0),
        collective=Count("pk", filter=collective_q()),
    )
    by_category = dict(
        received.order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    petitions["by_category"] = [
        {"label": label, "count": by_category.get(code, 0)}
        for code, label in Petition.Category.choices
    ]
    warnings = [
        {
            "code": w.project.code,
            "name": w.project.name,
            "task_force": names.get(w.project.task_force_id, ""),
            "petitions": w.petitions,
            "people": w.people,
            "latest": iso(w.latest),
        }
        for w in collective_warnings(today=end)
    ]
    overdue = overdue_tasks_as_of(end)

    sold = sum(p["units_sold"] for p in projects.values())
    done = sum(p["units_delivered"] for p in projects.values())
    return {
        "summary": {
            "projects": len(projects),
            "units_sold": sold,
            "units_delivered": done,
            "units_undelivered": sold - done,
            "new_problems": len(new_problems),
            "resolved_problems": len(resolved),
            "status_changes": len(status_changes),
            "delivered_units": sum(d["units"] for d in deliveries),
            "delivery_projects": len(deliveries),
            "stale": len(stale),
            "new_petitions": petitions["received"],
            "new_petition_people": petitions["people"],
            "collective_petitions": petitions["collective"],
            "collective_warnings": len(warnings),
            "overdue_tasks": len(overdue),
        },
        "stale_rule": stale_rule(end),
        "new_problems": new_problems,
        "resolved_problems": resolved,
        "status_changes": status_changes,
        "deliveries": deliveries,
        "stale": stale,
        "petitions": petitions,
        "collective_warnings": warnings,
        "overdue_tasks": overdue,
    }


def _project_columns() -> list[Column]:
    return [
        serial_column(),
        Column("项目编号", 16, lambda r: r["code"]),
        Column("项目名称", 24, lambda r: r["name"]),
        Column("工作专班", 18, lambda r: r["task_force"]),
    ]


SUMMARY_ITEMS = [
    ("projects", "纳入台账项目(个)"),
    ("units_sold", "已售套数"),
    ("units_delivered", "已交房套数"),
    ("units_undelivered", "未交房套数"),
    ("delivered_units", "本周交房套数"),
    ("delivery_projects", "本周交房项目(个)"),
    ("new_problems", "本周新增问题(个)"),
    ("resolved_problems", "本周化解问题(个)"),
    ("status_changes", "施工状态变化项目(个)"),
    ("stale", "台账未按时更新项目(个)"),
    ("new_petitions", "本周新增信访件(件)"),
    ("new_petition_people", "本周信访人次"),
    ("collective_petitions", "本周集体访(件)"),
    ("collective_warnings", "集体上访预警项目(个)"),
    ("overdue_tasks", "逾期督办事项(项)"),
]


def overdue_task_sheet(title: str, data: dict[str, Any]) -> Sheet:
    return Sheet(
        title=f"{title}——逾期督办事项",
        unit_line="单位：天",
        name="逾期督办事项",
        columns=[
            serial_column(),
            Column("督办事项", 30, lambda r: r["title"]),
            Column("项目", 30, lambda r: r["project"]),
            Column("责任单位", 18, lambda r: r["assignee"]),
            Column("完成时限", 12, lambda r: r["deadline"]),
            Column("逾期天数", 10, lambda r: r["days_overdue"], "#,##0"),
        ],
        rows=data["overdue_tasks"],
    )


def _problem_sheet(
    title: str, name: str, rows: list[Any], text: tuple[str, str], day: tuple[str, str]
) -> Sheet:
    """本周新增问题 and 本周化解问题 differ only in their text and date columns."""
    return Sheet(
        title=f"{title}——本周{name}",
        unit_line="单位：万元",
        name=name,
        columns=[
            *_project_columns(),
            Column("问题类型", 14, lambda r: r["type"]),
            # A funding gap and wages owed are different sums: no 合计 across the types.
            Column("涉及金额", 12, lambda r: r["amount"], "#,##0.00"),
            Column(text[0], 40, lambda r: r[text[1]]),
            Column(day[0], 12, lambda r: r[day[1]]),
        ],
        rows=rows,
    )


def sheets(title: str, data: dict[str, Any]) -> list[Sheet]:
    summary = data["summary"]
    return [
        Sheet(
            title=title,
            unit_line="单位：个、套、件",
            name="概况",
            columns=[
                Column("指标", 28, lambda r: r[0]),
                Column("数值", 14, lambda r: r[1], "#,##0"),
            ],
            rows=[(label, summary[key]) for key, label in SUMMARY_ITEMS],
        ),
        _problem_sheet(
            title,
            "新增问题",
            data["new_problems"],
            ("问题描述", "description"),
            ("发现日期", "reported_date"),
        ),
        _problem_sheet(
            title,
            "化解问题",
            data["resolved_problems"],
            ("化解措施", "resolution"),
            ("化解日期", "resolved_date"),
        ),
        Sheet(
            title=f"{title}——施工状态变化",
            unit_line="",
            name="状态变化",
            columns=[
                *_project_columns(),
                Column("上周状态", 12, lambda r: r["from"]),
                Column("本周状态", 12, lambda r: r["to"]),
            ],
            rows=data["status_changes"],
        ),
        Sheet(
            title=f"{title}——本周交房",
            unit_line="单位：套、批",
            name="本周交房",
            columns=[
                *_project_columns(),
                Column("交房套数", 10, lambda r: r["units"], "#,##0", total=True),
                Column("交房批次", 10, lambda r: r["batches"], "#,##0", total=True),
            ],
            rows=data["deliveries"],
        ),
        Sheet(
            title=f"{title}——台账未按时更新项目（{data['stale_rule']}）",
            unit_line="单位：天",
            name="台账未更新",
            columns=[
                *_project_columns(),
                Column("所在乡镇(街道)", 14, lambda r: r["township"]),
                Column("最近填报日期", 13, lambda r: r["last_report_date"] or "从未填报"),
                Column("距今天数", 10, lambda r: r["days_since"], "#,##0"),
            ],
            rows=data["stale"],
        ),
        Sheet(
            title=f"{title}——本周新增信访",
            unit_line="单位：件",
            name="新增信访",
            columns=[
                Column("诉求类别", 20, lambda r: r["label"]),
                Column("件数", 10, lambda r: r["count"], "#,##0", total=True),
            ],
            rows=data["petitions"]["by_category"],
        ),
        Sheet(
            title=f"{title}——集体上访预警",
            unit_line="单位：件、人次",
            name="集体上访预警",
            columns=[
                *_project_columns(),
                Column("信访件数", 10, lambda r: r["petitions"], "#,##0"),
                Column("人次", 10, lambda r: r["people"], "#,##0"),
                Column("最近登记", 12, lambda r: r["latest"]),
            ],
            rows=data["collective_warnings"],
        ),
        overdue_task_sheet(title, data),
    ]
