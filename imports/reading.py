"""Finds the table in a hand-made survey sheet and yields its data rows.

Real sheets have a merged title, a unit line, one- or two-row merged headers, a 序号 column,
blank rows, a 合计 row and a 填报人 footer. The header row is the one (or the pair) whose cells
name the most known columns; everything above it is title, everything below it is data.
"""

import pickle
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from imports.headers import Header, match_header
from imports.parsing import normalize_text
from imports.safety import ImportRejected, check_workbook

HEADER_SEARCH_ROWS = 20
MIN_KNOWN_COLUMNS = 3
BLANK_RUN_END = 1000  # this many blank rows in a row end the table (editors save empty rows)
TOTAL_WORDS = ("合计", "总计", "小计", "全县合计")
FOOTER_WORDS = (
    "填报人",
    "审核人",
    "填表人",
    "制表人",
    "填报单位",
    "填报日期",
    "负责人",
    "联系电话",
)


@dataclass(frozen=True)
class Column:
    index: int
    letter: str
    header: str
    field: str | None
    factor: Decimal = Decimal(1)


class Cell(NamedTuple):
    """A tuple, not a dataclass: the parsed-rows file unpickles 300,000 of them per 20,000 rows,
    and a slotted dataclass's __setstate__ took most of that time."""

    value: Any
    letter: str
    is_percent: bool = False


@dataclass
class RawRow:
    number: int
    cells: dict[str, Cell]


@dataclass
class SheetLayout:
    sheet_name: str
    header_rows: list[int]
    columns: list[Column]
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def recognised(self) -> list[Column]:
        return [c for c in self.columns if c.field and c.field != "seq"]

    @property
    def ignored(self) -> list[Column]:
        return [c for c in self.columns if c.header and not c.field]

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.recognised if c.field}


def _fill_right(values: list[Any]) -> list[str]:
    """A merged group header sits in its first cell only: carry it over the cells it spans."""
    out, last = [], ""
    for value in values:
        text = normalize_text(value)
        last = text or last
        out.append(last)
    return out


def _score(headers: list[Header]) -> int:
    return len({h.field for h in headers if h.field and h.field != "seq"})


def _layout_from(rows: list[list[Any]]) -> tuple[int, int, list[Header]] | None:
    """(first and last header row index, header per column) of the best single or double row."""
    best: tuple[int, int, int, list[Header]] | None = None
    for i, row in enumerate(rows):
        single = [match_header(v) for v in row]
        candidates = [(_score(single), i, i, single)]
        if i + 1 < len(rows):
            top = _fill_right(row)
            bottom = rows[i + 1]
            merged = []
            for col in range(max(len(top), len(bottom))):
                t = top[col] if col < len(top) else ""
                b = normalize_text(bottom[col]) if col < len(bottom) else ""
                options = [match_header(b), match_header(t + b), match_header(b + t)]
                if not b:
                    options.append(match_header(row[col] if col < len(row) else ""))
                chosen = next(
                    (h for h in options if h.field), options[0] if b else match_header("")
                )
                merged.append(chosen)
            candidates.append((_score(merged), i, i + 1, merged))
        for candidate in candidates:
            # A pair wins only when the second row names more columns than either row alone.
            one_row = candidate[1] == candidate[2]
            if (
                best is None
                or candidate[0] > best[0]
                or (candidate[0] == best[0] and one_row and best[1] != best[2])
            ):
                best = candidate
    if best is None or best[0] < MIN_KNOWN_COLUMNS:
        return None
    return best[1], best[2], best[3]


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _row_kind(values: list[Any]) -> str:
    texts = [normalize_text(v).replace(" ", "") for v in values if isinstance(v, str) and v.strip()]
    if any(t.startswith(TOTAL_WORDS) for t in texts[:3]):
        return "total"
    if any(t.startswith(FOOTER_WORDS) for t in texts):
        return "footer"
    return "data"


class SurveySheet:
    """An opened, checked survey workbook; iterate `rows()` once."""

    def __init__(self, path: Path) -> None:
        check_workbook(path)
        try:
            self.workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on malformed parts
            raise ImportRejected(
                "文件内容损坏或格式不受支持，无法读取。请在Excel中重新保存为.xlsx。"
            ) from exc
        self.layout, self._data_start, self._sheet = self._find_table()

    def close(self) -> None:
        self.workbook.close()

    @property
    def claimed_rows(self) -> int:
        """The row count the sheet declares (its dimension): a hint, editors often overstate it."""
        return int(self._sheet.max_row or 0)

    def _find_table(self) -> tuple[SheetLayout, int, Any]:
        for sheet in self.workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            head = [
                [c.value for c in row]
                for row in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS)
            ]
            found = _layout_from(head)
            if found is None:
                continue
            first_header, last_header, headers = found
            columns = [
                Column(i, get_column_letter(i + 1), h.text, h.field, h.factor)
                for i, h in enumerate(headers)
            ]
            seen: set[str] = set()
            unique = []
            for c in columns:  # a field named twice: the first column wins, the other is ignored
                if c.field and c.field in seen:
                    c = Column(c.index, c.letter, c.header, None)
                if c.field:
                    seen.add(c.field)
                unique.append(c)
            layout = SheetLayout(
                sheet_name=sheet.title,
                header_rows=list(range(first_header + 1, last_header + 2)),
                columns=unique,
            )
            return layout, last_header + 2, sheet
        raise ImportRejected(
            "没有找到表头：前20行中应有“项目名称”“开发企业”“已售套数”等列名。请使用摸排表模板或检查表头。"
        )

    def rows(self) -> Iterator[RawRow]:
        wanted = [c for c in self.layout.columns if c.field and c.field != "seq"]
        blank_run = 0
        data_rows = 0
        for number, row in enumerate(
            self._sheet.iter_rows(min_row=self._data_start), start=self._data_start
        ):
            values = [c.value for c in row]
            if _is_blank(values):
                blank_run += 1
                if blank_run >= BLANK_RUN_END:
                    return
                continue
            blank_run = 0
            kind = _row_kind(values)
            if kind != "data":
                self.layout.skipped.append(
                    (number, "合计行" if kind == "total" else "填报人等落款")
                )
                continue
            data_rows += 1
            if data_rows > settings.IMPORT_MAX_ROWS:
                raise ImportRejected(
                    f"数据超过{settings.IMPORT_MAX_ROWS}行的上限，请分成多个文件导入。"
                )
            cells: dict[str, Cell] = {}
            for col in wanted:
                if col.index >= len(row):
                    continue
                cell = row[col.index]
                value = cell.value
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                number_format = getattr(cell, "number_format", "") or ""
                cells[str(col.field)] = Cell(value, col.letter, "%" in number_format)
            yield RawRow(number, cells)


CACHE_CHUNK = 1000  # rows per pickle in the parsed-rows file


class RecordingSheet:
    """A SurveySheet whose rows are written beside the upload as they are read, a chunk at a
    time, so applying the same sheet re-reads them without parsing the workbook again and
    without holding them all in memory. The file is kept only once every row was read."""

    def __init__(self, sheet: SurveySheet, path: Path) -> None:
        self.sheet = sheet
        self.layout = sheet.layout
        self.claimed_rows = sheet.claimed_rows
        self._path = path
        self._partial = path.with_name(path.name + ".part")

    def rows(self) -> Iterator[RawRow]:
        with self._partial.open("wb") as out:
            pickle.dump((self.layout, self.claimed_rows), out, protocol=pickle.HIGHEST_PROTOCOL)
            chunk: list[RawRow] = []
            for row in self.sheet.rows():
                chunk.append(row)
                yield row
                if len(chunk) >= CACHE_CHUNK:
                    pickle.dump(("rows", chunk), out, protocol=pickle.HIGHEST_PROTOCOL)
                    chunk = []
            pickle.dump(("rows", chunk), out, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(("skipped", self.layout.skipped), out, protocol=pickle.HIGHEST_PROTOCOL)

    def keep(self) -> None:
        """Every row was read and checked: the apply may use the file."""
        self._partial.replace(self._path)

    def close(self) -> None:
        self.sheet.close()
        self._partial.unlink(missing_ok=True)


class ParsedSheet:
    """The rows a RecordingSheet kept (our own pickle beside the upload, never a user's file),
    read back a chunk at a time."""

    def __init__(self, path: Path) -> None:
        self._path = path
        with path.open("rb") as fh:
            self.layout, self.claimed_rows = pickle.load(fh)  # noqa: S301

    def rows(self) -> Iterator[RawRow]:
        with self._path.open("rb") as fh:
            pickle.load(fh)  # noqa: S301  (the layout, read by __init__)
            while True:
                kind, payload = pickle.load(fh)  # noqa: S301
                if kind == "skipped":
                    self.layout.skipped = payload
                    return
                yield from payload

    def keep(self) -> None:
        """Already kept."""

    def close(self) -> None:
        """Nothing to close: each read opens and closes the file."""
