"""Where a survey sheet's table is and what each column holds, in which unit.

The header row is the one (or the pair) whose cells name the most known columns; everything above
it is title and unit line. A column's unit is the one the person reads for it: in its own header
cell, else in the merged group cell above it (面积（万平方米） over 总建筑面积 / 已售面积), else in
the unit line (单位：万平方米、套、亿元), else the ledger's own (m², 万元). Two columns for one
field, a unit of the wrong kind and a unit line naming two units of one kind are errors of the
sheet: which figure is meant cannot be known.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from imports.headers import (
    KIND_LABELS,
    KIND_OF,
    LABELS,
    Header,
    clean,
    match_header,
    unit_factor,
    unit_in,
    units_in_line,
)
from imports.parsing import ParseError, normalize_text, parse_date

HEADER_SEARCH_ROWS = 20
MIN_KNOWN_COLUMNS = 3
DEFAULT_UNITS = {"area": "平方米", "money": "万元"}


@dataclass(frozen=True)
class Column:
    index: int  # 0-based sheet column
    letter: str
    header: str
    field: str | None
    raw: str = ""  # the header cell's text as typed (a repeated header is recognised by it)
    factor: Decimal = Decimal(1)
    unit: str = ""  # the unit the figures are read in, and where it was found
    hidden: bool = False
    aside: str = ""  # why a recognised column is not read: 上期数据 · 新增数


@dataclass(frozen=True)
class Notice:
    """A finding about the sheet rather than a row: an error blocks the import."""

    level: str  # error · warning · info
    message: str


@dataclass(frozen=True)
class AsOf:
    """The date the sheet's figures stand at (截至 / 填报日期), and where it was read."""

    date: datetime.date
    cell: str
    text: str
    label: str  # 截至 · 填报


@dataclass
class SheetLayout:
    sheet_name: str
    header_rows: list[int]
    columns: list[Column]
    notices: list[Notice] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    dates: list[AsOf] = field(default_factory=list)

    @property
    def recognised(self) -> list[Column]:
        return [c for c in self.columns if c.field and c.field != "seq" and not c.aside]

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if c.header and (not c.field or c.aside)]

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.recognised if c.field}


def _score(headers: list[Header]) -> int:
    return len({h.field for h in headers if h.field and h.field != "seq"})


def _pair(top: list[str], bottom: list[Any], row: list[Any]) -> list[Header]:
    merged = []
    for col in range(max(len(top), len(bottom))):
        t = top[col] if col < len(top) else ""
        b = clean(bottom[col]) if col < len(bottom) else ""
        if b == t:  # one cell merged over both rows
            b = ""
        options = [match_header(b), match_header(t + b), match_header(b + t)]
        if not b:
            options.append(match_header(row[col] if col < len(row) else ""))
        chosen = next((h for h in options if h.field), options[0] if b else match_header(""))
        merged.append(chosen)
    return merged


def find_header(
    rows: list[list[Any]], spans: dict[tuple[int, int], str]
) -> tuple[int, int, list[Header]] | None:
    """(first and last header row index, header per column) of the best single or double row.

    `spans` gives the text a horizontally merged cell shows over the cells it covers, so a group
    header reaches exactly the columns it spans."""
    best: tuple[int, int, int, list[Header]] | None = None
    for i, row in enumerate(rows):
        candidates = [(i, i, [match_header(v) for v in row])]
        if i + 1 < len(rows):
            top = [spans.get((i, c)) or clean(v) for c, v in enumerate(row)]
            candidates.append((i, i + 1, _pair(top, rows[i + 1], row)))
        for first, last, headers in candidates:
            score = _score(headers)
            # A pair wins only when the second row names more columns than either row alone.
            if (
                best is None
                or score > best[0]
                or (score == best[0] and first == last and best[1] != best[2])
            ):
                best = (score, first, last, headers)
    if best is None or best[0] < MIN_KNOWN_COLUMNS:
        return None
    return best[1], best[2], best[3]


def column_units(
    headers: list[Header],
    groups: dict[int, str],
    unit_lines: list[tuple[str, str]],
) -> tuple[list[tuple[Decimal, str]], list[Notice]]:
    """The factor and the unit shown for each column, and the sheet errors units cause."""
    notices: list[Notice] = []
    line_units: dict[str, list[str]] = {}
    line_text: dict[str, str] = {}
    for where, text in unit_lines:
        for kind, units in units_in_line(text).items():
            for unit in units:
                if unit not in line_units.setdefault(kind, []):
                    line_units[kind].append(unit)
            line_text.setdefault(kind, f"{where}“{text.strip()}”")
    out: list[tuple[Decimal, str]] = []
    for col, header in enumerate(headers):
        kind = KIND_OF.get(header.field or "", "")
        if kind not in ("area", "money") or header.aside:
            out.append((Decimal(1), ""))
            continue
        label = LABELS[header.field or ""]
        group = unit_in(_bracket(groups.get(col, "")))
        if header.unit:
            factor = unit_factor(header.field or "", header.unit)
            shown = f"{_shown(header.unit)}（表头）"
            if factor is None:
                notices.append(
                    Notice(
                        "error",
                        f"{get_column_letter(col + 1)}列“{header.text}”的单位“{header.unit}”"
                        f"不是{KIND_LABELS[kind]}单位，请改正表头。",
                    )
                )
                factor = Decimal(1)
        elif group and unit_factor(header.field or "", group) is not None:
            factor = unit_factor(header.field or "", group) or Decimal(1)
            shown = f"{_shown(group)}（合并表头“{groups[col]}”）"
        elif line_units.get(kind):
            units = line_units[kind]
            if len(units) > 1:
                notices.append(
                    Notice(
                        "error",
                        f"{line_text[kind]}同时写了{'、'.join(units)}，无法确定“{label}”"
                        f"（{get_column_letter(col + 1)}列）的单位。请在该列表头注明单位，"
                        f"如“{label}（{units[0]}）”。",
                    )
                )
            factor = unit_factor(header.field or "", units[0]) or Decimal(1)
            shown = f"{_shown(units[0])}（单位行{line_text[kind]}）"
        else:
            factor, shown = Decimal(1), f"{DEFAULT_UNITS[kind]}（默认）"
        out.append((factor, shown))
    return out, notices


_SHOWN_UNITS = {
    "m2": "平方米",
    "m²": "平方米",
    "平米": "平方米",
    "万m2": "万平方米",
    "万m²": "万平方米",
}


def _shown(unit: str) -> str:
    """A unit as the preview names it (NFKC made ㎡ into m2)."""
    return _SHOWN_UNITS.get(unit, unit)


def _bracket(text: str) -> str:
    found = re.search(r"\(([^()]*)\)$", clean(text))
    return found.group(1) if found else ""


_AS_OF = re.compile(
    r"(截至|截止|数据截至|统计截至|填报日期|填表日期|报送日期|统计日期|统计时间|日期)"
    r"(?:日期|时间)?[:：]?\s*(.*)"
)
_DATE_TEXT = re.compile(r"(\d{4}\s*[年./-]\s*\d{1,2}\s*(?:[月./-]\s*(?:\d{1,2}\s*日?)?)?)")


_NO_YEAR = re.compile(r"^\D{0,3}\d{1,2}\s*(?:月\s*\d{1,2}|[./-]\s*\d{1,2}\b)")


def _no_year(rest: str, shown: str, row_number: int, notices: list[Notice]) -> bool:
    """截至11月20日: a date, but of which year cannot be known."""
    if not _NO_YEAR.match(rest):
        return False
    notices.append(
        Notice(
            "warning",
            f"第{row_number}行“{shown}”没有写年份，未作为截至日期；新增交房记录的日期按导入当天，"
            "请写明年份（如2026年11月20日）或在预览中指定。",
        )
    )
    return True


def dates_in(
    values: list[Any],
    row_number: int,
    start_col: int,
    today: datetime.date,
    notices: list[Notice],
) -> list[AsOf]:
    """截至2026年11月20日 / 填报日期：2026.11.20 (the date in the cell, or in the next one).
    A date written without its year (截至11月20日) is a warning in `notices`, never a guess."""
    found: list[AsOf] = []
    for i, value in enumerate(values):
        typed = value.strip() if isinstance(value, str) else ""
        text = normalize_text(typed)
        match = _AS_OF.search(text.replace(" ", "")) if text else None
        if match is None:
            continue
        label = "填报" if match.group(1) in ("填报日期", "填表日期", "报送日期") else "截至"
        rest = match.group(2)
        shown = typed
        where = i
        if not _DATE_TEXT.search(rest):
            if _no_year(rest, shown, row_number, notices):
                continue
            later = [
                (j, v) for j, v in enumerate(values[i + 1 :], start=i + 1) if v not in ("", None)
            ]
            if not later:
                continue
            where, value = later[0]
            if isinstance(value, datetime.date):
                rest = f"{value:%Y-%m-%d}"
                shown = f"{typed}{rest}"
            else:
                rest = normalize_text(value)
                shown = f"{typed}{str(value).strip()}"
        date_text = _DATE_TEXT.search(rest)
        if date_text is None:
            _no_year(rest, shown, row_number, notices)
            continue
        try:
            day = parse_date(date_text.group(1).replace(" ", ""))
        except ParseError:
            continue
        if day is None:
            continue
        if re.fullmatch(r"\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]?", date_text.group(1)):
            # A month, as in 截至2026年11月: its last day, or today while the month runs.
            day = min(day, today) if (day.year, day.month) == (today.year, today.month) else day
        cell = f"{get_column_letter(start_col + where + 1)}{row_number}"
        found.append(AsOf(day, cell, shown, label))
    return found


def check_columns(layout: SheetLayout) -> None:
    """Two columns for one field: which one the person means cannot be known."""
    by_field: dict[str, list[Column]] = {}
    for col in layout.columns:
        if col.field and not col.aside:
            by_field.setdefault(col.field, []).append(col)
    for name, cols in by_field.items():
        if name == "seq":
            continue
        if len(cols) > 1:
            listed = "、".join(
                f"{c.letter}列“{c.header}”{'（隐藏列）' if c.hidden else ''}" for c in cols
            )
            layout.notices.append(
                Notice(
                    "error",
                    f"工作表“{layout.sheet_name}”有{len(cols)}列都是“{LABELS[name]}”：{listed}，"
                    "无法确定以哪一列为准。请删除多余的列，或在表头注明（上月）等以示区别。",
                )
            )
        elif cols[0].hidden:
            layout.notices.append(
                Notice(
                    "warning",
                    f"{cols[0].letter}列“{cols[0].header}”在Excel中是隐藏列，其内容也会导入；"
                    "请取消隐藏核对后再确认。",
                )
            )
