"""The survey sheet's columns: the headers people write, the unit a header names, and the
qualifiers that make a column last period's figures rather than this one's."""

import re
from dataclasses import dataclass
from decimal import Decimal

from imports.parsing import AREA_UNITS, COUNT_UNITS, MONEY_UNITS, PERCENT_UNITS, normalize_text

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
_LAST_BRACKET = re.compile(r"\(([^()]*)\)$")
_GROUP_PREFIXES = ["套数", "面积", "资金", "进度"]

# The unit a column's figures are in, by the kind of figure.
UNITS: dict[str, dict[str, Decimal]] = {
    "area": AREA_UNITS,
    "money": MONEY_UNITS,
    "count": COUNT_UNITS,
    "percent": PERCENT_UNITS,
}
KIND_OF = {
    "total_floor_area": "area",
    "sold_area": "area",
    "funding_gap": "money",
    "wages_owed": "money",
    "total_units": "count",
    "units_sold": "count",
    "units_delivered": "count",
    "units_undelivered": "count",
    "progress_percent": "percent",
}
KIND_LABELS = {"area": "面积", "money": "金额", "count": "套数", "percent": "百分比"}
ALL_UNITS = sorted({u for table in UNITS.values() for u in table}, key=len, reverse=True)

# Bracketed words that make a column another period's figures: read as not this sheet's data.
PREVIOUS = ("上月", "上期", "上周", "上年", "去年", "上季", "上次", "原", "调整前", "前期", "计划",
            "目标", "预计", "同期")  # fmt: skip
# …or a period's increase, where the ledger keeps running totals (已交房套数（本月新增）).
INCREASE = ("新增", "增加", "增量", "净增")
# A bracket that names a unit the importer does not know (万方): an error, never the default.
_UNIT_LIKE = re.compile(r"^(?:[万亿千百]+[^()]{0,4}|[^()]{0,4}(?:元|米|㎡|m2|平|方))$")


@dataclass(frozen=True)
class Header:
    text: str
    field: str | None
    unit: str = ""  # the unit the header itself names
    aside: str = (
        ""  # why the column is not this sheet's figure (上月 / 本月新增 …), for the preview
    )


def clean(text: object) -> str:
    return normalize_text(text).replace(" ", "").replace("（", "(").replace("）", ")")


def unit_in(text: str) -> str:
    """The unit word a bracket or a `/单位` tail names, if it is one."""
    text = text.removeprefix("单位").lstrip(":：").lower()
    return next((u for u in ALL_UNITS if text == u), "")


def match_header(raw: object) -> Header:
    """A header cell (or the two cells of a two-row header joined) → field, unit, qualifier."""
    text = clean(raw)
    if not text:
        return Header("", None)
    unit, aside = "", ""
    candidate = text
    while candidate not in _LOOKUP:
        bracket = _LAST_BRACKET.search(candidate)
        tail = candidate.rsplit("/", 1)
        if bracket:
            inner, candidate = bracket.group(1), candidate[: bracket.start()]
        elif len(tail) == 2 and unit_in(tail[1]):
            inner, candidate = tail[1], tail[0]
        else:
            break
        if unit_in(inner):
            unit = unit or unit_in(inner)
        elif inner.startswith(PREVIOUS):
            aside = aside or "上期数据"
        elif any(word in inner for word in INCREASE):
            aside = aside or "新增数，不是累计数"
        elif _UNIT_LIKE.match(inner.lower()):
            unit = unit or inner
    field = _LOOKUP.get(candidate)
    if field is None:
        # "套数 / 已售" style group headers joined bottom-first or top-first.
        for prefix in _GROUP_PREFIXES:
            if candidate.startswith(prefix) and _LOOKUP.get(candidate[len(prefix) :]):
                field = _LOOKUP[candidate[len(prefix) :]]
    return Header(text, field, unit, aside)


def unit_factor(field: str, unit: str) -> Decimal | None:
    """The multiplier to the ledger's unit, or None if the unit is not one for this field."""
    kind = KIND_OF.get(field)
    if kind is None:
        return None
    return UNITS[kind].get(unit)


_UNIT_LINE = re.compile(r"单位[:：]")
_LINE_UNITS = re.compile(
    "|".join(re.escape(u) for u in sorted({*AREA_UNITS, *MONEY_UNITS}, key=len, reverse=True))
)


def units_in_line(text: object) -> dict[str, list[str]]:
    """A unit line (单位：万平方米、套、亿元 / 金额单位：亿元) → kind → the units it names."""
    cleaned = clean(text)
    start = _UNIT_LINE.search(cleaned)
    found: dict[str, list[str]] = {}
    if start is None:
        return found
    for word in _LINE_UNITS.findall(cleaned.lower(), start.start()):
        kind = "area" if word in AREA_UNITS else "money"
        if word not in found.setdefault(kind, []):
            found[kind].append(word)
    return found
