"""Merged ranges, read as the person sees them: a group header over the columns it spans (with
the unit it names), a 乡镇 or 开发企业 merged down over the projects it belongs to, and a figure
merged over several projects, which cannot be split between them."""

from typing import Any

from openpyxl.utils import get_column_letter

from imports.headers import KIND_OF
from imports.parsing import normalize_text
from imports.reading.layout import Column
from imports.reading.scan import SheetScan

# Fields whose figures add up: one merged cell over two projects cannot be split between them.
ADDITIVE = {f for f, kind in KIND_OF.items() if kind in ("area", "money", "count")}


def header_spans(
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


def group_headers(
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


def merged_data(
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
