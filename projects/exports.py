"""The ledger (台账) as an .xlsx in the official layout; headers match the survey importer's."""

import datetime
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings

from core.xlsx import Column, write_official_sheet
from ledgers.models import Problem
from projects.models import Project
from projects.selectors import RISK_BY_RANK, Risk

_TYPE_LABELS = dict(Problem.Type.choices)


def _problem_types(p: Any) -> str:
    seen = dict.fromkeys(_TYPE_LABELS[x.problem_type] for x in p.open_problems)
    return "、".join(seen)


def ledger_columns(today: datetime.date) -> list[Column]:
    counter = iter(range(1, 10**9))
    return [
        Column("序号", 6, lambda p: next(counter)),
        Column("项目编号", 16, lambda p: p.code),
        Column("项目名称", 24, lambda p: p.name),
        Column("所在乡镇(街道)", 12, lambda p: p.township.name),
        Column("开发企业", 30, lambda p: p.developer.name),
        Column("建设单位", 24, lambda p: p.construction_unit.name if p.construction_unit else ""),
        Column("总包单位", 30, lambda p: p.general_contractor.name if p.general_contractor else ""),
        Column("总建筑面积", 13, lambda p: p.total_floor_area, "#,##0.00", total=True),
        Column("已售面积", 13, lambda p: p.sold_area, "#,##0.00", total=True),
        Column("总套数", 9, lambda p: p.total_units, "#,##0", total=True),
        Column("已售套数", 9, lambda p: p.units_sold, "#,##0", total=True),
        Column("已交房套数", 10, lambda p: p.units_delivered, "#,##0", total=True),
        Column("未交房套数", 10, lambda p: p.units_undelivered, "#,##0", total=True),
        Column("合同约定交房时间", 14, lambda p: p.contract_delivery_date, "yyyy-mm-dd"),
        Column("延期天数", 9, lambda p: p.delay_days_on(today), "#,##0"),
        Column("施工状态", 11, lambda p: p.get_construction_status_display()),
        Column("形象进度", 9, lambda p: float(p.progress_percent) / 100, "0.0%"),
        Column("问题类型", 22, _problem_types),
        Column("资金缺口(万元)", 13, lambda p: p.funding_gap, "#,##0.00", total=True),
        Column("拖欠农民工工资(万元)", 13, lambda p: p.wages_owed, "#,##0.00", total=True),
        Column("工作专班", 20, lambda p: p.task_force.name),
        Column("包案领导", 10, lambda p: str(p.responsible_leader) if p.responsible_leader else ""),
        Column("风险等级", 8, lambda p: Risk.LABELS[RISK_BY_RANK[p.risk_rank]]),
        Column("最近填报日期", 13, lambda p: p.last_report_date, "yyyy-mm-dd"),
    ]


def ledger_workbook(projects: Iterable[Project], *, today: datetime.date) -> IO[bytes]:
    return write_official_sheet(
        title=f"{settings.COUNTY_NAME}保交房项目台账",
        unit_line=f"单位：平方米、套、万元　　导出日期：{today:%Y年%m月%d日}",
        columns=ledger_columns(today),
        rows=projects,
        sheet_name="项目台账",
    )
