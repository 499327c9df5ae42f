"""The text of a report as a 公文, drafted from its snapshot: every figure of the snapshot is a
{{名称}} placeholder of the template the office edits in the admin, so the office writes the
prose and the numbers come from the same snapshot as the page and the Excel file.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from core.placeholders import fill
from core.rounding import MISSING, decimal_text, percent_text
from dispatch.models import Report, ReportTemplate
from ledgers.models import FundingRecord, Problem
from petitions.models import Petition

Kind = Report.Kind


def as_count(value: Any) -> str:
    return MISSING if value is None else str(int(value))


def as_percent(value: Any) -> str:
    """A rate kept as a fraction (0.701) written as 70.1%."""
    return percent_text(value)


def as_amount(value: Any) -> str:
    """万元 and m², two places as in the tables."""
    return decimal_text(value, 2)


def as_one_place(value: Any) -> str:
    return decimal_text(value, 1)


def as_text(value: Any) -> str:
    return MISSING if value in (None, "") else str(value)


def month_day(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class Figure:
    """One placeholder: its name, what it means, where it is in the snapshot, how it is written."""

    name: str
    meaning: str
    get: Callable[[dict[str, Any]], Any]
    write: Callable[[Any], str]


def _at(*path: str | int) -> Callable[[dict[str, Any]], Any]:
    def get(data: dict[str, Any]) -> Any:
        value: Any = data
        for key in path:
            try:
                value = value[key]
            except (KeyError, IndexError, TypeError):
                return None
        return value

    return get


def _labelled(
    path: tuple[str, ...], labels: list[str], key: str, name: str, meaning: str, write: Any
) -> list[Figure]:
    """One figure per row of a list kept in the snapshot by label (problem types, sources …)."""

    def get(label: str) -> Callable[[dict[str, Any]], Any]:
        def find(data: dict[str, Any]) -> Any:
            rows = _at(*path)(data) or []
            return next((r.get(key) for r in rows if r.get("label") == label), None)

        return find

    return [
        Figure(name.format(label), meaning.format(label), get(label), write) for label in labels
    ]


def _ranked(which: int, key: str) -> Callable[[dict[str, Any]], Any]:
    """The first (0) or last (-1) 专班 of the ranking that has the figure."""

    def get(data: dict[str, Any]) -> Any:
        rows = data.get("task_forces") or data.get("rows") or []
        rows = [r for r in rows if r.get(key) is not None]
        return rows[which] if rows else None

    return get


def _field(getter: Callable[[dict[str, Any]], Any], name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda data: (getter(data) or {}).get(name)


def _count(name: str, meaning: str, *path: str) -> Figure:
    return Figure(name, meaning, _at(*path), as_count)


def _rate(name: str, meaning: str, *path: str) -> Figure:
    return Figure(name, meaning, _at(*path), as_percent)


def _amount(name: str, meaning: str, *path: str) -> Figure:
    return Figure(name, meaning, _at(*path), as_amount)


def _length(name: str, meaning: str, key: str) -> Figure:
    return Figure(name, meaning, lambda d: len(d.get(key) or []), as_count)


def _labels(choices: list[tuple[str, str]]) -> list[str]:
    return [str(label) for _, label in choices]


COMMON = [
    Figure("县名", "县名", lambda d: settings.COUNTY_NAME, as_text),
    Figure("统计期间", "统计期间，如2026年11月", _at("period_label"), as_text),
    Figure("截至日期", "数据截至的日期，如11月30日", _at("_as_of"), as_text),
]

CATEGORIES = _labels(Petition.Category.choices)
PROBLEM_TYPES = _labels(Problem.Type.choices)
SOURCES = _labels(FundingRecord.Source.choices)

WEEKLY = [
    _count("项目数", "纳入台账项目数（个）", "summary", "projects"),
    _count("已售套数", "已售套数", "summary", "units_sold"),
    _count("已交房套数", "累计已交房套数", "summary", "units_delivered"),
    _count("未交房套数", "未交房套数", "summary", "units_undelivered"),
    _count("本周交房套数", "本周交房套数", "summary", "delivered_units"),
    _count("本周交房项目数", "本周有交房的项目（个）", "summary", "delivery_projects"),
    _count("本周新增问题数", "本周新增问题（个）", "summary", "new_problems"),
    _count("本周化解问题数", "本周化解问题（个）", "summary", "resolved_problems"),
    _count("施工状态变化项目数", "施工状态变化的项目（个）", "summary", "status_changes"),
    _count("台账未更新项目数", "台账未按时更新的项目（个）", "summary", "stale"),
    _count("本周信访件数", "本周新增信访件（件）", "summary", "new_petitions"),
    _count("本周信访人次", "本周信访人次", "summary", "new_petition_people"),
    _count("本周集体访件数", "本周集体访（件）", "summary", "collective_petitions"),
    _count("集体上访预警项目数", "集体上访预警的项目（个）", "summary", "collective_warnings"),
    _count("逾期督办事项数", "逾期督办事项（项）", "summary", "overdue_tasks"),
    Figure(
        "台账未更新口径",
        "台账未更新的判定，如11月23日当周进度未在周五前填报",
        _at("stale_rule"),
        as_text,
    ),
    *_labelled(
        ("petitions", "by_category"),
        CATEGORIES,
        "count",
        "本周{}信访件数",
        "本周新增信访件中“{}”类的件数",
        as_count,
    ),
]

_first_tf, _last_tf = _ranked(0, "completion_rate"), _ranked(-1, "completion_rate")
MONTHLY = [
    _count("年度", "年度", "delivery", "year"),
    _count("项目数", "纳入台账项目数（个）", "delivery", "projects"),
    _count("已售套数", "已售套数", "delivery", "units_sold"),
    _count("已交房套数", "累计已交房套数", "delivery", "units_delivered"),
    _count("未交房套数", "未交房套数", "delivery", "units_undelivered"),
    _rate("交房率", "交房率", "delivery", "delivery_rate"),
    _count("年度交房任务", "全县年度交房任务（套）", "delivery", "target"),
    _count("年内交房套数", "1月1日起交房套数", "delivery", "delivered_ytd"),
    _rate("年度任务完成率", "年度交房任务完成率", "delivery", "completion_rate"),
    _count("本月交房套数", "本月交房套数", "delivery", "delivered_month"),
    _length("专班数", "工作专班（个）", "task_forces"),
    Figure("完成率第一专班", "年度任务完成率最高的专班", _field(_first_tf, "name"), as_text),
    Figure("完成率第一专班完成率", "其完成率", _field(_first_tf, "completion_rate"), as_percent),
    Figure("完成率末位专班", "年度任务完成率最低的专班", _field(_last_tf, "name"), as_text),
    Figure("完成率末位专班完成率", "其完成率", _field(_last_tf, "completion_rate"), as_percent),
    _count("问题总数", "截至期末发现的问题（个）", "problems", "total"),
    _count("已化解问题数", "已化解问题（个）", "problems", "resolved"),
    _count("未化解问题数", "未化解问题（个）", "problems", "open"),
    _rate("问题化解率", "问题化解率", "problems", "resolution_rate"),
    _count("本月新增问题数", "本月新增问题（个）", "problems", "new"),
    _count("本月化解问题数", "本月化解问题（个）", "problems", "resolved_in_period"),
    *_labelled(
        ("problems", "by_type"), PROBLEM_TYPES, "total", "{}问题数", "“{}”问题（个）", as_count
    ),
    *_labelled(
        ("problems", "by_type"),
        PROBLEM_TYPES,
        "open_amount",
        "{}未化解金额",
        "未化解的“{}”问题涉及金额（万元）",
        as_amount,
    ),
    _count("本月信访件数", "本月登记信访件（件）", "petitions", "received"),
    _count("本月信访人次", "本月信访人次", "petitions", "people"),
    _count("本月集体访件数", "本月集体访（件）", "petitions", "collective"),
    _count("本月受理件数", "本月受理（件）", "petitions", "accepted"),
    _count("已办结件数", "其中已办结（件）", "petitions", "closed"),
    _count("按期办结件数", "其中按期办结（件）", "petitions", "closed_on_time"),
    _count("已评价件数", "已评价（件）", "petitions", "rated"),
    _count("满意件数", "满意或基本满意（件）", "petitions", "satisfied"),
    _rate("办结率", "信访办结率", "petitions", "closure_rate"),
    _rate("按期办结率", "信访按期办结率", "petitions", "on_time_rate"),
    _count("受理决定件数", "本月作出受理或不予受理决定（件）", "petitions", "decided"),
    _count("按期受理件数", "其中15日内作出决定（件）", "petitions", "decided_on_time"),
    _rate(
        "按期受理率",
        "信访按期受理率（受理或不予受理决定15日内作出的比例）",
        "petitions",
        "acceptance_on_time_rate",
    ),
    _rate("满意率", "信访满意率", "petitions", "satisfaction_rate"),
    *_labelled(
        ("petitions", "by_category"),
        CATEGORIES,
        "count",
        "本月{}信访件数",
        "本月登记信访件中“{}”类的件数",
        as_count,
    ),
    _amount("本月到位资金", "本月到位资金（万元）", "funds", "month_total"),
    _amount("年内到位资金", "1月1日起到位资金（万元）", "funds", "ytd_total"),
    *_labelled(
        ("funds", "by_source"),
        SOURCES,
        "month",
        "本月{}到位",
        "本月“{}”到位资金（万元）",
        as_amount,
    ),
    *_labelled(
        ("funds", "by_source"), SOURCES, "ytd", "年内{}到位", "年内“{}”到位资金（万元）", as_amount
    ),
    _amount("商品住宅销售面积", "本月商品住宅销售面积（m²）", "market", "sales_area"),
    _count("商品住宅销售套数", "本月商品住宅销售套数", "market", "sales_units"),
    _amount("商品住宅库存面积", "月末商品住宅库存面积（m²）", "market", "inventory_area"),
    _count("商品住宅库存套数", "月末商品住宅库存套数", "market", "inventory_units"),
    _amount("月均销售面积", "近12个月月均销售面积（m²）", "market", "average_sales_area"),
    Figure("去化周期", "去化周期（月）", _at("market", "destocking_months"), as_one_place),
    _length("滞后项目数", "停工、半停工、进度滞后项目（个）", "lagging"),
    _length("逾期督办事项数", "逾期督办事项（项）", "overdue_tasks"),
]

_first_score, _last_score = _ranked(0, "total"), _ranked(-1, "total")
QUARTERLY = [
    _length("参评专班数", "参加考核的专班（个）", "rows"),
    _amount("平均得分", "各专班综合得分的平均值", "average"),
    Figure("第一名专班", "综合得分最高的专班", _field(_first_score, "name"), as_text),
    Figure("第一名得分", "其综合得分", _field(_first_score, "total"), as_amount),
    Figure("末位专班", "综合得分最低的专班", _field(_last_score, "name"), as_text),
    Figure("末位得分", "其综合得分", _field(_last_score, "total"), as_amount),
    Figure(
        "考核指标",
        "参与考核的指标及权重，如“问题化解率（权重20）”",
        lambda d: "、".join(f"{i['name']}（权重{i['weight']}）" for i in d.get("indicators") or []),
        as_text,
    ),
    _count("权重合计", "指标权重之和", "total_weight"),
]

FIGURES: dict[str, list[Figure]] = {
    Kind.WEEKLY: COMMON + WEEKLY,
    Kind.MONTHLY: COMMON + MONTHLY,
    Kind.QUARTERLY: COMMON + QUARTERLY,
}


def placeholder_names(kind: str) -> list[str]:
    return [f.name for f in FIGURES.get(kind, COMMON)]


def figure_values(kind: str, data: dict[str, Any], as_of: datetime.date) -> dict[str, str]:
    """Every placeholder of the kind, written out from the snapshot."""
    context = {**data, "_as_of": month_day(as_of)}
    return {f.name: f.write(f.get(context)) for f in FIGURES[kind]}


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a template's body: blank lines (or single line breaks) separate them."""
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def draft(kind: str, data: dict[str, Any], as_of: datetime.date) -> dict[str, Any]:
    """The document's words as of now, frozen into the snapshot when the report is generated:
    a later edit of the template changes the next report, not one already issued."""
    template = ReportTemplate.objects.filter(kind=kind).first()
    if template is None:
        return {"title": data.get("title", ""), "recipients": "", "paragraphs": [], "copy_to": ""}
    values = figure_values(kind, data, as_of)
    return {
        "title": fill(template.title, values),
        "recipients": fill(template.recipients, values),
        "paragraphs": paragraphs(fill(template.body, values)),
        "copy_to": fill(template.copy_to, values),
    }
