"""Reads every survey table of a workbook and yields its data rows, each cell as Excel shows it.

Values come from python-calamine (shared strings, rich text, escapes, the 1904 date system);
what they mean on screen comes from the sheet's own XML (reading/scan.py): a 0.6 under `0%` is
read as 60%, a date under `yyyy"年"m"月"` as that month, a cached #N/A as an error, a formula
without a saved result as one, a merged 乡镇 cell as belonging to every row it spans. Each
visible sheet with a recognisable header is read; the others are named in the preview.
"""

import datetime
import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.utils import timezone
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from imports.headers import KIND_OF, LABELS
from imports.parsing import normalize_text
from imports.reading import rows as kinds
from imports.reading.formats import NumberFormat
from imports.reading.layout import (
    HEADER_SEARCH_ROWS,
    AsOf,
    Column,
    Notice,
    SheetLayout,
    column_units,
    dates_in,
    find_header,
)
from imports.reading.package import DAMAGED, SheetPart, read_package
from imports.reading.scan import SheetScan, check_size, scan_sheet, truncated
from imports.safety import ImportRejected, check_workbook

EPOCHS = {False: datetime.datetime(1899, 12, 30), True: datetime.datetime(1904, 1, 1)}
# Fields whose figures add up: one merged cell over two projects cannot be split between them.
ADDITIVE = {f for f, kind in KIND_OF.items() if kind in ("area", "money", "count")}

# Cell flags: why a value is not simply what the cell holds.
ERROR = "error:"  # + the cached error value (#N/A, #REF! …)
NO_RESULT = "no_result"  # a formula saved without its result
MERGED = "merged:"  # + the merged range spanning several projects (additive fields)
NO_YEAR = "no_year"  # a date whose format shows month and day only
TIME = "time"  # a number shown as a time of day
FORMULA = "formula"  # the value is a formula's result (a 0 there is not typed data)
CARRIED = "carried"  # the value of a merged cell reaching down from the project row above


class Cell(NamedTuple):
    """A tuple, not a dataclass: the rows of a large sheet are many small objects."""

    value: Any
    letter: str
    flag: str = ""


class RawRow(NamedTuple):
    sheet: str
    number: int
    cells: dict[str, Cell]
    hidden: bool = False


def _number(value: float) -> float | int:
    """Excel keeps 15 significant digits: 0.1+0.2 is 0.3 there, as the person sees it."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    rounded = float(f"{value:.15g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def _seen(value: Any, fmt: NumberFormat, date1904: bool) -> tuple[Any, str]:
    """The value as its number format shows it, in words the parsers read like typed text."""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int | float) and fmt.date:
        moment = EPOCHS[date1904] + datetime.timedelta(days=float(value))
        value = moment if fmt.date == "time" else moment.date()
    if isinstance(value, datetime.datetime | datetime.date):
        if fmt.date == "time":
            return None, TIME
        day = value.date() if isinstance(value, datetime.datetime) else value
        if fmt.date == "month":
            return f"{day.year}年{day.month}月", ""
        if fmt.date == "year":
            return f"{day.year}年", ""
        return day, NO_YEAR if fmt.date == "monthday" else ""
    if isinstance(value, int | float):
        number = Decimal(repr(_number(value)))
        if fmt.scale:
            number /= Decimal(1000) ** fmt.scale
        if fmt.percent:
            return f"{(number * 100).normalize():f}%", ""
        if fmt.unit:
            return f"{number.normalize():f}{fmt.unit}", ""
        return _number(float(number)), ""
    return value, ""


class SurveyWorkbook:
    """An opened, checked survey workbook: `sheets` are its tables; iterate `rows()` once."""

    def __init__(self, path: Path) -> None:
        check_workbook(path)
        self.today = timezone.localdate()
        self.notices: list[Notice] = []
        self.sheets: list[SheetLayout] = []
        self._tables: list[tuple[SheetLayout, SheetScan, Any, int, int, int]] = []
        try:
            self._archive = zipfile.ZipFile(path)
            self._package = read_package(self._archive)
            self._values = CalamineWorkbook.from_path(str(path))
        except (CalamineError, zipfile.BadZipFile, ValueError, KeyError) as exc:
            raise ImportRejected(DAMAGED) from exc
        self.rows_read = 0
        seen_headers: list[str] = []
        for part in self._package.sheets:
            self._open(part, seen_headers)
        if not self._tables:
            self.close()
            found = f"（找到的列名：{'、'.join(seen_headers[:8])}）" if seen_headers else ""
            raise ImportRejected(
                "没有找到摸排表的表头：每个工作表的前20行中都没有同时写有“项目名称”“开发企业”"
                f"“已售套数”等至少{3}个列名的一行{found}。请使用摸排表模板，或检查表头是否"
                "写在一行（或两行合并表头）中。"
            )

    @property
    def date1904(self) -> bool:
        return self._package.date1904

    def close(self) -> None:
        self._archive.close()
        self._values.close()

    def _open(self, part: SheetPart, seen_headers: list[str]) -> None:
        package = self._package
        styles = {i for i, f in enumerate(package.formats) if f.matters}
        limit = settings.IMPORT_MAX_ROWS - self.rows_read
        scan = scan_sheet(self._archive, part.path, styles, limit)
        if not scan.value_rows:
            return
        check_size(scan, part.name)
        try:
            stray = scan.stray_rows()
            if stray:
                sheet = _sheet_without(self._archive, part, stray[0], part.name)
            else:
                sheet = self._values.get_sheet_by_name(part.name)
        except CalamineError as exc:
            raise ImportRejected(DAMAGED) from exc
        start_row, start_col = sheet.start
        head = [list(r) for r in _take(sheet.iter_rows(), HEADER_SEARCH_ROWS)]
        spans = _header_spans(scan, head, start_row, start_col)
        found = find_header(head, spans)
        if found is None:
            seen_headers.extend(
                normalize_text(v) for r in head for v in r if isinstance(v, str) and v.strip()
            )
            if part.state == "visible":
                self.notices.append(
                    Notice("info", f"工作表“{part.name}”中没有摸排表表头，未读取。")
                )
            return
        if part.state != "visible":
            self.notices.append(
                Notice(
                    "warning",
                    f"工作表“{part.name}”已隐藏，其中的表格未读取；如需导入，请在Excel中取消隐藏。",
                )
            )
            return
        first, last, headers = found
        layout = self._layout(part, scan, head, first, last, headers, start_row, start_col)
        self.rows_read += len(scan.value_rows) - len(stray)
        if stray:
            layout.notices.append(
                Notice(
                    "warning",
                    f"第{stray[0]}行等{len(stray)}行与表格相隔超过{1000}个空行，未读取"
                    "（常见于误输入的空格）。如确为数据，请删除中间的空行后重新上传。",
                )
            )
        self.sheets.append(layout)
        self._tables.append((layout, scan, sheet, start_row, start_col, last))

    def _layout(
        self,
        part: SheetPart,
        scan: SheetScan,
        head: list[list[Any]],
        first: int,
        last: int,
        headers: list[Any],
        start_row: int,
        start_col: int,
    ) -> SheetLayout:
        groups = _groups(scan, head, first, last, start_row, start_col)
        unit_lines = []
        dates: list[AsOf] = []
        for i in range(first):
            texts = [v for v in head[i] if isinstance(v, str) and v.strip()]
            where = f"第{start_row + i + 1}行"
            unit_lines += [(where, t) for t in texts]
            dates += dates_in(head[i], start_row + i + 1, start_col, self.today)
        units, notices = column_units(headers, groups, unit_lines)
        columns = []
        for i, header in enumerate(headers):
            index = start_col + i
            factor, unit = units[i]
            typed = head[last][i] if i < len(head[last]) else ""
            columns.append(
                Column(
                    index,
                    get_column_letter(index + 1),
                    header.text,
                    header.field,
                    raw=typed if isinstance(typed, str) else "",
                    factor=factor,
                    unit=unit,
                    hidden=index + 1 in scan.hidden_cols,
                    previous=header.previous,
                )
            )
        layout = SheetLayout(
            sheet_name=part.name,
            header_rows=list(range(start_row + first + 1, start_row + last + 2)),
            columns=columns,
            notices=notices,
            dates=dates,
        )
        _check_columns(layout)
        return layout

    def rows(self) -> Iterator[RawRow]:
        for layout, scan, sheet, start_row, start_col, last in self._tables:
            yield from self._sheet_rows(layout, scan, sheet, start_row, start_col, last)

    def _sheet_rows(
        self,
        layout: SheetLayout,
        scan: SheetScan,
        sheet: Any,
        start_row: int,
        start_col: int,
        last: int,
    ) -> Iterator[RawRow]:
        wanted = [c for c in layout.columns if c.field and not c.previous]
        columns = [(str(c.field), c.index - start_col, c.letter, c.index) for c in wanted]
        special = _special_cells(scan, layout.header_rows[-1], wanted)
        anchors: dict[tuple[int, int], Cell | None] = {
            where: None
            for row in special.values()
            for kind, where in row.values()
            if kind == "covered"
        }
        header_texts = {str(c.field): c.raw for c in wanted}
        for offset, values in enumerate(sheet.iter_rows()):
            if offset <= last:
                continue
            number = start_row + offset + 1
            width = len(values)
            marked = special.get(number)
            cells: dict[str, Cell] = {}
            for field, i, letter, index in columns:
                if marked is not None and index in marked:
                    cell = self._marked(values, i, letter, marked[index], anchors, number, index)
                    if cell is not None:
                        cells[field] = cell
                    continue
                value = values[i] if 0 <= i < width else ""
                if isinstance(value, str):
                    if value and not value.isspace():
                        cells[field] = Cell(value, letter)
                elif isinstance(value, float):
                    cells[field] = Cell(_number(value), letter)
                elif isinstance(value, datetime.datetime):
                    cells[field] = Cell(value.date(), letter)
                elif value is not None:
                    cells[field] = Cell(value, letter)
                if (number, index) in anchors and field in cells:
                    anchors[(number, index)] = cells[field]
            kind = kinds.row_kind(values, cells, header_texts)
            if kind == kinds.EMPTY:
                continue
            if kind:
                layout.skipped.append((number, kind))
                if kind in (kinds.FOOTER, kinds.NOTE):
                    layout.dates += dates_in(list(values), number, start_col, self.today)
                continue
            yield RawRow(layout.sheet_name, number, cells, number in scan.hidden_rows)

    def _marked(
        self,
        values: list[Any],
        i: int,
        letter: str,
        mark: tuple[str, Any],
        anchors: dict[tuple[int, int], Cell | None],
        number: int,
        index: int,
    ) -> Cell | None:
        """A cell the sheet's XML says more about than its value: an error value, a formula
        without a result, a number format that changes what it shows, a merged range."""
        kind, payload = mark
        if kind == "error":
            return Cell(None, letter, ERROR + payload)
        if kind == "no_result":
            return Cell(None, letter, NO_RESULT)
        if kind == "spread":
            return Cell(None, letter, MERGED + payload)
        if kind == "covered":
            anchor = anchors.get(payload)
            return anchor._replace(flag=CARRIED) if anchor is not None else None
        value = values[i] if 0 <= i < len(values) else ""
        if value == "" or value is None or (isinstance(value, str) and not value.strip()):
            return None
        style, formula = payload
        flag = FORMULA if formula else ""
        formats = self._package.formats
        if style is not None and 0 <= style < len(formats):
            value, seen_flag = _seen(value, formats[style], self._package.date1904)
            flag = seen_flag or flag
        elif isinstance(value, float):
            value = _number(value)
        elif isinstance(value, datetime.datetime):
            value = value.date()
        cell = Cell(value, letter, flag)
        if (number, index) in anchors:
            anchors[(number, index)] = cell
        return cell


def _special_cells(
    scan: SheetScan, header_end: int, wanted: list[Column]
) -> dict[int, dict[int, tuple[str, Any]]]:
    """row → column index → (what, detail) for the cells read with more than their value."""
    special: dict[int, dict[int, tuple[str, Any]]] = {}
    columns = {c.index + 1 for c in wanted}
    for (row, col), style in scan.styles.items():
        if col in columns:
            special.setdefault(row, {})[col - 1] = ("value", (style, (row, col) in scan.formulas))
    for row, col in scan.formulas:
        if col in columns and (row, col) not in scan.styles:
            special.setdefault(row, {})[col - 1] = ("value", (None, True))
    for (row, col), text in scan.errors.items():
        special.setdefault(row, {})[col - 1] = ("error", text)
    for row, col in scan.no_result:
        special.setdefault(row, {})[col - 1] = ("no_result", None)
    covered, spread = _merged_data(scan, header_end, wanted)
    for (row, index), anchor in covered.items():
        special.setdefault(row, {})[index] = ("covered", anchor)
    for (row, index), ref in spread.items():
        special.setdefault(row, {})[index] = ("spread", ref)
    return special


def _take(rows: Iterator[list[Any]], n: int) -> list[list[Any]]:
    out = []
    for row in rows:
        out.append(row)
        if len(out) >= n:
            break
    return out


def _sheet_without(archive: zipfile.ZipFile, part: SheetPart, first_dropped: int, name: str) -> Any:
    """The sheet's values without stray rows far below its table."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in archive.infolist():
            data = (
                truncated(archive, part.path, first_dropped)
                if info.filename == part.path
                else archive.read(info)
            )
            copy.writestr(info, data)
    out.seek(0)
    return CalamineWorkbook.from_filelike(out).get_sheet_by_name(name)


def _header_spans(
    scan: SheetScan, head: list[list[Any]], start_row: int, start_col: int
) -> dict[tuple[int, int], str]:
    """(row index, column index) → the text of the horizontal merge covering that cell."""
    spans: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in scan.merges:
        i, j = r1 - start_row - 1, c1 - start_col - 1
        if c2 == c1 or not (0 <= i < len(head)) or j < 0 or j >= len(head[i]):
            continue
        text = normalize_text(head[i][j]).replace(" ", "")
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                spans[(r - start_row - 1, c - start_col - 1)] = text
    return spans


def _groups(
    scan: SheetScan, head: list[list[Any]], first: int, last: int, start_row: int, start_col: int
) -> dict[int, str]:
    """Column index → the text of the merged group cell above it (in or just above the header)."""
    groups: dict[int, str] = {}
    for r1, c1, _r2, c2 in scan.merges:
        i, j = r1 - start_row - 1, c1 - start_col - 1
        if c2 == c1 or not (first - 1 <= i <= last) or i < 0 or j < 0 or j >= len(head[i]):
            continue
        text = head[i][j]
        if isinstance(text, str) and "单位" not in text:
            for c in range(c1, c2 + 1):
                groups[c - start_col - 1] = text
    return groups


def _merged_data(
    scan: SheetScan, header_end: int, wanted: list[Column]
) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int], str]]:
    """Merged cells over data rows: a 乡镇 or 开发企业 merged over two projects belongs to both
    (covered cell → its anchor); a figure merged over two projects cannot be split between
    them (cell → the range, an error)."""
    by_col = {c.index + 1: c for c in wanted}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    spread: dict[tuple[int, int], str] = {}
    for r1, c1, r2, c2 in scan.merges:
        if r1 <= header_end:
            continue
        inside = [by_col[c] for c in range(c1, c2 + 1) if c in by_col]
        figures = [c for c in inside if c.field in ADDITIVE]
        ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
        for col in inside:
            if col.field in ADDITIVE and (r2 > r1 or len(figures) > 1):
                for r in range(r1, r2 + 1):
                    spread[(r, col.index)] = ref
            elif col.index + 1 == c1:
                for r in range(r1 + 1, r2 + 1):
                    covered[(r, col.index)] = (r1, col.index)
    return covered, spread


def _check_columns(layout: SheetLayout) -> None:
    """Two columns for one field: which one the person means cannot be known."""
    by_field: dict[str, list[Column]] = {}
    for col in layout.columns:
        if col.field and not col.previous:
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
