"""Excel exports in the official layout, streamed so memory does not grow with the row count.

Layout: merged title row, unit line (单位：…), one frozen header row, fixed widths, data rows,
an optional 合计 row. Every text that starts like a formula (`looks_like_formula`) is written as
text with Excel's quote prefix, never as a formula: the same for every export.
Every sheet prints: A4, turned when the columns are wide, all columns on the page width, the
title, unit line and header repeated on each page, page numbers in the footer.
"""

import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Text a spreadsheet may run as a formula: = + - @ or a tab / line break first, also in
    their full-width and small forms (＝＋－＠, ﹦﹢﹣), which a Chinese input method types and
    spreadsheets accept as the start of a formula."""
    return bool(text) and unicodedata.normalize("NFKC", text[0]).startswith(FORMULA_TRIGGERS)


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TITLE_FONT = Font(name="宋体", size=16, bold=True)
_HEADER_FONT = Font(name="宋体", size=11, bold=True)
_BODY_FONT = Font(name="宋体", size=10)
_HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
_RIGHT = Alignment(horizontal="right", vertical="center")


# Column widths (Excel's character units) that fit across a portrait A4 page between margins.
PORTRAIT_WIDTH = 95


def print_setup(ws: Any, *, width: float, title_rows: str | None = "1:3") -> None:
    """Print setup of a sheet (normal or write-only): A4, landscape when the columns are wider
    than a portrait page, every column on the page width and as many pages tall as it takes,
    the rows of `title_rows` repeated on each page, 第 N 页 共 M 页 in the footer."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(
        left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


@dataclass(frozen=True)
class Column:
    """A column: its header, width, the value of a row, its number format (a rate is a number
    shown with PERCENT_FORMAT, never a bare fraction), and whether the 合计 row adds it up —
    only a column of one unit (never a funding gap beside wages owed) has a total. A column of
    mixed figures (label | value rows) takes each row's format from `row_format`."""

    header: str
    width: float
    value: Callable[[Any], Any]
    number_format: str | None = None
    total: bool = False
    row_format: Callable[[Any], str] | None = None


def safe_cell(ws: Worksheet, value: Any, *, font: Font = _BODY_FONT) -> WriteOnlyCell:
    """A cell whose text can never be taken for a formula by Excel."""
    if isinstance(value, Decimal):
        value = float(value)
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    cell.border = _BORDER
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


@dataclass(frozen=True)
class Sheet:
    """One official table of a workbook: title, unit line, columns and the rows they read."""

    title: str
    unit_line: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    name: str = "Sheet1"
    totals_label: str = "合计"


def write_official_sheet(
    *,
    title: str,
    unit_line: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    sheet_name: str = "Sheet1",
    totals_label: str = "合计",
) -> IO[bytes]:
    """Write the workbook to a temporary file (rewound) and return it for streaming."""
    return write_official_workbook(
        [Sheet(title, unit_line, columns, rows, sheet_name, totals_label)]
    )


def write_official_workbook(sheets: Sequence[Sheet]) -> IO[bytes]:
    """Several official tables, one per sheet (reports), in one temporary file (rewound)."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        _write_table(wb.create_sheet(title=sheet.name[:31]), sheet)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (handed to FileResponse, which closes it)
    wb.save(out)
    out.seek(0)
    return out


def _write_table(ws: Worksheet, sheet: Sheet) -> None:
    title, unit_line, columns = sheet.title, sheet.unit_line, sheet.columns
    rows, totals_label = sheet.rows, sheet.totals_label
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A4"
    print_setup(ws, width=sum(c.width for c in columns))
    last = get_column_letter(len(columns))
    ws.merged_cells.ranges.add(f"A1:{last}1")
    ws.merged_cells.ranges.add(f"A2:{last}2")

    title_cell = safe_cell(ws, title, font=_TITLE_FONT)
    title_cell.alignment = _CENTER
    title_cell.border = Border()
    ws.row_dimensions[1].height = 30
    ws.append([title_cell])
    unit_cell = safe_cell(ws, unit_line)
    unit_cell.alignment = Alignment(horizontal="right")
    unit_cell.border = Border()
    ws.append([unit_cell])
    header = []
    for column in columns:
        cell = safe_cell(ws, column.header, font=_HEADER_FONT)
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER
        header.append(cell)
    ws.row_dimensions[3].height = 32
    ws.append(header)

    totals: list[Decimal | None] = [Decimal(0) if c.total else None for c in columns]
    # Styling a cell through openpyxl's descriptors costs a style-table lookup per attribute;
    # copying a prepared style array per column makes a 20,000-row export several times faster.
    styles = {}
    for i, column in enumerate(columns):
        for align in (_LEFT, _RIGHT):
            template = safe_cell(ws, None)
            template.alignment = align
            if column.number_format:
                template.number_format = column.number_format
            styles[i, align is _RIGHT] = template._style
    for row in rows:
        cells = []
        for i, column in enumerate(columns):
            value = column.value(row)
            if isinstance(value, Decimal):
                value = float(value)
            cell = WriteOnlyCell(ws, value=value)
            cell._style = copy(styles[i, isinstance(value, int | float)])
            if column.row_format:
                cell.number_format = column.row_format(row)
            if isinstance(value, str) and looks_like_formula(value):
                cell.data_type = "s"
                cell.quotePrefix = True
            cells.append(cell)
            if column.total and value is not None:
                totals[i] = (totals[i] or Decimal(0)) + Decimal(str(value))
        ws.append(cells)

    if any(c.total for c in columns):
        total_cells = []
        for i, column in enumerate(columns):
            total: Any = totals[i] if column.total else (totals_label if i == 0 else "")
            cell = safe_cell(ws, total, font=_HEADER_FONT)
            if column.number_format:
                cell.number_format = column.number_format
            total_cells.append(cell)
        ws.append(total_cells)
