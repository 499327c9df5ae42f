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
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from imports.parsing import normalize_text
from imports.reading import rows as kinds
from imports.reading.cells import (
    CARRIED,
    ERROR,
    FORMULA,
    MERGED,
    NO_RESULT,
    Cell,
    RawRow,
    as_shown,
    excel_number,
)
from imports.reading.layout import (
    HEADER_SEARCH_ROWS,
    AsOf,
    Column,
    Notice,
    SheetLayout,
    check_columns,
    column_units,
    dates_in,
    find_header,
)
from imports.reading.merges import group_headers, header_spans, merged_data
from imports.reading.package import DAMAGED, SheetPart, read_package
from imports.reading.scan import SheetScan, check_size, scan_sheet, truncated
from imports.safety import ImportRejected, check_workbook


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
        spans = header_spans(scan, head, start_row, start_col)
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
        groups = group_headers(scan, head, first, last, start_row, start_col)
        unit_lines = []
        dates: list[AsOf] = []
        undated: list[Notice] = []
        for i in range(first):
            texts = [v for v in head[i] if isinstance(v, str) and v.strip()]
            where = f"第{start_row + i + 1}行"
            unit_lines += [(where, t) for t in texts]
            number = start_row + i + 1
            shown = self._shown(head[i], number, start_col, scan)
            dates += dates_in(shown, number, start_col, self.today, undated)
        units, notices = column_units(headers, groups, unit_lines)
        notices += undated
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
                    aside=header.aside,
                )
            )
        layout = SheetLayout(
            sheet_name=part.name,
            header_rows=list(range(start_row + first + 1, start_row + last + 2)),
            columns=columns,
            notices=notices,
            dates=dates,
        )
        check_columns(layout)
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
        wanted = [c for c in layout.columns if c.field and not c.aside]
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
                    cells[field] = Cell(excel_number(value), letter)
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
                    shown = self._shown(values, number, start_col, scan)
                    layout.dates += dates_in(shown, number, start_col, self.today, layout.notices)
                continue
            yield RawRow(layout.sheet_name, number, cells, number in scan.hidden_rows)

    def _shown(self, values: list[Any], number: int, start_col: int, scan: SheetScan) -> list[Any]:
        """A row outside the table (title, unit line, footer) as its number formats show it:
        截至 next to a date formatted yyyy"年"m"月" is that month, not its first day."""
        formats, date1904 = self._package.formats, self._package.date1904
        out = list(values)
        for i, value in enumerate(out):
            style = scan.styles.get((number, start_col + i + 1))
            if style is not None and 0 <= style < len(formats):
                out[i] = as_shown(value, formats[style], date1904)[0]
        return out

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
            value, seen_flag = as_shown(value, formats[style], self._package.date1904)
            flag = seen_flag or flag
        elif isinstance(value, float):
            value = excel_number(value)
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
    covered, spread = merged_data(scan, header_end, wanted)
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
