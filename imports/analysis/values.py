"""One cell of a survey row → the value the ledger stores, or why it cannot be read.

The cell comes as the reader saw it on screen (reading/table.py); here its text or number is
parsed by field. A cell that shows an error value, a formula without a result, a figure merged
over several projects or a date shown without its year is never guessed at.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from imports import parsing
from imports.headers import LABELS
from imports.reading.cells import ERROR, MERGED, NO_RESULT, NO_YEAR, TIME, Cell

ONE = Decimal(1)
DATE_FIELDS = {"contract_delivery_date"}
TEXT_FIELDS = {"code", "name", "township", "developer", "construction_unit", "general_contractor",
               "task_force", "responsible_leader"}  # fmt: skip
FREE_TEXT = {"notes", "main_problem"}  # line breaks typed with Alt+Enter are kept
_LINE_BREAKS = re.compile(r"\s*[\r\n\t\v\f\u2028\u2029]+\s*")


ERROR_VALUES = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!",
                "#UNKNOWN!", "#N/A!"}  # fmt: skip


class CellProblem(Exception):
    """The cell cannot be read as the person sees it; the message says what to do."""


def as_typed(value: object) -> str:
    """A name as the person typed it: surrounding spaces and line breaks inside the cell go,
    width and brackets stay (matching uses the normalised key, storage the spelling)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code or name typed as a number
    text = str(value)
    if text.isprintable():
        return text.strip()
    return _LINE_BREAKS.sub(" ", text).strip()


def _flag_problem(cell: Cell) -> str | None:
    flag = cell.flag
    if flag.startswith(ERROR):
        return (
            f"单元格显示错误值{flag[len(ERROR) :]}（公式出错或引用失效），"
            "请在Excel中改正或改为数值后再导入"
        )
    if flag == NO_RESULT:
        return (
            "该单元格是公式，但文件中没有保存计算结果（常见于由其他程序生成的文件），"
            "请用Excel或WPS打开文件、确认数值显示后保存，再上传"
        )
    if flag.startswith(MERGED):
        return (
            f"{flag[len(MERGED) :]}是跨多行（或多列）的合并单元格，无法确定这个数属于哪个项目，"
            "请取消合并后逐行填写"
        )
    if flag == TIME:
        return "单元格格式只显示时间，看不到日期，请改为日期格式"
    return None


def _date(cell: Cell, epoch: datetime.datetime) -> tuple[datetime.date | None, str]:
    """(date, warning): what a date cell shows, by its type and format."""
    value = cell.value
    if isinstance(value, bool):
        raise parsing.ParseError("应填写日期")
    if isinstance(value, int | float):
        shown = repr(value) if isinstance(value, float) else str(value)
        whole, _, fraction = shown.partition(".")
        if 1990 <= float(value) < 2101 and fraction:
            if fraction == "1":
                raise parsing.ParseError(
                    f"“{shown}”是数字，无法区分{whole}年1月和10月（Excel把{whole}.10显示为"
                    f"{whole}.1），请写作{whole}年1月或{whole}年10月"
                )
            return parsing.parse_date(f"{whole}.{fraction}"), ""
        if isinstance(value, int) and 1990 <= value < 2101:
            raise parsing.ParseError(f"“{value}”只有年份，请写明月份，如{value}年6月")
        if isinstance(value, int) and 19900101 <= value <= 21001231:
            return parsing.parse_date(str(value)), ""  # 20250630, typed without separators
        if not 1 <= value < parsing.LAST_SERIAL:
            raise parsing.ParseError(f"“{shown}”不是日期，日期超出范围")
        day = parsing.parse_date((epoch + datetime.timedelta(days=float(value))).date())
        return day, (
            f"单元格显示为数字{shown}，已按Excel日期序号读作{day}，请核对；"
            "建议把该列设为日期格式或写作2024年6月"
        )
    day = parsing.parse_date(value)
    if cell.flag == NO_YEAR and day is not None:
        return (
            day,
            f"单元格格式不显示年份（只显示月日或月份），已按单元格中的日期{day}读取，请核对年份",
        )
    return day, ""


def _free_text(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    lines = str(cell.value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip(), ""


def _text(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    value = cell.value
    if isinstance(value, bool | datetime.date):
        raise parsing.ParseError("应填写文字")
    return as_typed(value), ""


def _area(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    return parsing.parse_decimal(cell.value, units=parsing.AREA_UNITS, header_factor=factor), ""


def _money(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    return parsing.parse_decimal(cell.value, units=parsing.MONEY_UNITS, header_factor=factor), ""


def _count(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    return parsing.parse_count(cell.value), ""


def _percent(cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1:
        hundred = f"{value * 100:g}%"
        raise parsing.ParseError(
            f"“{value}”可能是{value}%，也可能是{hundred}，请写作带%的数，如{hundred}"
        )
    return parsing.parse_percent(value), ""


PARSERS: dict[str, Callable[[Cell, Decimal, datetime.datetime], tuple[Any, str]]] = {
    **dict.fromkeys(TEXT_FIELDS, _text),
    **dict.fromkeys(FREE_TEXT, _free_text),
    **dict.fromkeys(DATE_FIELDS, lambda cell, factor, epoch: _date(cell, epoch)),
    "total_floor_area": _area,
    "sold_area": _area,
    "funding_gap": _money,
    "wages_owed": _money,
    **dict.fromkeys(("total_units", "units_sold", "units_delivered", "units_undelivered"), _count),
    "progress_percent": _percent,
    "construction_status": lambda cell, factor, epoch: (parsing.parse_status(cell.value), ""),
    "problem_types": lambda cell, factor, epoch: (parsing.parse_problem_types(cell.value), ""),
}


def parse_cell(name: str, cell: Cell, factor: Decimal, epoch: datetime.datetime) -> tuple[Any, str]:
    """(value, warning) of one cell for the field; raises CellProblem or ParseError."""
    if cell.flag:
        problem = _flag_problem(cell)
        if problem:
            raise CellProblem(problem)
    if isinstance(cell.value, str) and cell.value.strip() in ERROR_VALUES:
        # An error value turned into its text (an OA export, paste as values): still no data.
        problem = _flag_problem(cell._replace(flag=ERROR + cell.value.strip()))
        raise CellProblem(problem)
    parser = PARSERS.get(name)
    return parser(cell, factor, epoch) if parser else (cell.value, "")


def label(name: str) -> str:
    return LABELS.get(name, name)
