"""The survey sheet's columns: the headers people write, and the unit a header names."""

import re
from dataclasses import dataclass
from decimal import Decimal

from imports.parsing import AREA_UNITS, MONEY_UNITS, normalize_text

# field → the header texts seen on real sheets (after normalisation: no spaces, half-width
# brackets, the unit in brackets removed).
ALIASES: dict[str, list[str]] = {
    "seq": ["序号", "编号序号", "No"],
    "code": ["项目编号", "项目代码", "编号"],
    "name": ["项目名称", "楼盘名称", "项目名", "楼盘"],
    "township": ["所在乡镇(街道)", "乡镇(街道)", "所在乡镇", "乡镇", "街道", "所属乡镇", "镇街"],
    "developer": ["开发企业", "开发商", "开发单位", "房地产开发企业", "开发企业名称"],
    "construction_unit": ["建设单位"],
    "general_contractor": ["总包单位(施工单位)", "总包单位", "施工单位", "总承包单位", "施工总包"],
    "total_floor_area": ["总建筑面积", "建筑面积", "总面积"],
    "sold_area": ["已售面积", "销售面积", "已销售面积"],
    "total_units": ["总套数", "总户数", "套数"],
    "units_sold": ["已售套数", "已销售套数", "销售套数"],
    "units_delivered": ["已交房套数", "已交付套数", "交房套数", "已交套数"],
    "units_undelivered": ["未交房套数", "未交付套数", "待交房套数"],
    "contract_delivery_date": [
        "合同约定交房时间",
        "合同约定交房日期",
        "合同交房时间",
        "合同交房日期",
        "约定交房时间",
        "约定交房日期",
    ],
    "construction_status": ["施工状态", "项目状态", "建设状态"],
    "progress_percent": ["形象进度", "工程进度", "施工进度"],
    "funding_gap": ["资金缺口"],
    "wages_owed": ["拖欠农民工工资", "欠薪金额", "拖欠工资", "农民工工资拖欠"],
    "main_problem": ["主要问题", "存在问题", "存在的主要问题", "问题描述"],
    "problem_types": ["问题类型", "问题类别"],
    "task_force": ["工作专班", "专班", "责任专班"],
    "responsible_leader": ["包案领导", "挂联领导", "包保领导", "联系领导"],
    "notes": ["备注"],
}
LABELS = {field: aliases[0] for field, aliases in ALIASES.items()}
_LOOKUP = {alias: field for field, aliases in ALIASES.items() for alias in aliases}
_UNIT_IN_BRACKETS = re.compile(r"[(（]([^()（）]*)[)）]$")
_GROUP_PREFIXES = ["套数", "面积", "资金", "进度"]


@dataclass(frozen=True)
class Header:
    text: str
    field: str | None
    factor: Decimal = Decimal(1)


def _clean(text: str) -> str:
    return normalize_text(text).replace(" ", "").replace("（", "(").replace("）", ")")


def match_header(raw: object) -> Header:
    """A header cell (or the two cells of a two-row header joined) → field and unit factor."""
    text = _clean(str(raw or ""))
    if not text:
        return Header("", None)
    factor = Decimal(1)
    candidate = text
    unit = _UNIT_IN_BRACKETS.search(candidate)
    while unit:
        inner = unit.group(1)
        for table in (MONEY_UNITS, AREA_UNITS):
            for name in sorted(table, key=len, reverse=True):
                if name in inner:
                    factor = table[name]
                    break
        stripped = candidate[: unit.start()]
        if stripped in _LOOKUP or not stripped:
            candidate = stripped or candidate
            break
        candidate = stripped
        unit = _UNIT_IN_BRACKETS.search(candidate)
    field = _LOOKUP.get(candidate) or _LOOKUP.get(text)
    if field is None:
        # "套数 / 已售" style group headers joined bottom-first or top-first.
        for prefix in _GROUP_PREFIXES:
            if candidate.startswith(prefix) and _LOOKUP.get(candidate[len(prefix) :]):
                field = _LOOKUP[candidate[len(prefix) :]]
    return Header(text, field, factor)
