"""One streamed pass over a sheet's XML for what the cell values alone do not say.

python-calamine gives the values; this pass finds which rows hold anything (every row read counts
towards the limit, whatever the sheet's stored dimension claims), hidden rows and columns,
merged ranges, cached error values (#N/A …), formulas saved without a result, and the cells
whose number format changes what they mean. It reads the part in blocks, so a sheet padded to
a million rows costs time in proportion to its bytes, never memory.
"""

import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from imports.reading.package import DAMAGED
from imports.safety import ImportRejected

BLOCK = 4 * 1024 * 1024
BLANK_RUN_END = 1000  # this many empty rows end the table: anything further down is not read
MAX_CELLS = 3_000_000  # the rectangle calamine holds in memory (about 100 MB)
_REF = re.compile(rb"([A-Z]{1,3})(\d+)")
_R = re.compile(rb'\br="([^"]*)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_MIN_MAX = re.compile(rb'\bmin="(\d+)"[^>]*\bmax="(\d+)"')
_PREFIX = re.compile(rb"<([\w.-]+:)?sheetData\b")
_WIDE = re.compile(rb'\br="([A-Z]{2,3})\d')

UNREADABLE = (
    "文件结构不规范（部分单元格没有标明位置），无法准确读取。"
    "请用Excel或WPS打开该文件，“另存为”Excel工作簿（.xlsx）后再上传。"
)


@functools.lru_cache(maxsize=1024)
def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def _ref(tag: bytes) -> tuple[int, int]:
    match = _R.search(tag)
    parts = _REF.fullmatch(match.group(1)) if match else None
    if parts is None:
        raise ImportRejected(UNREADABLE)
    return int(parts.group(2)), column_number(parts.group(1))


@dataclass
class SheetScan:
    value_rows: list[int] = field(default_factory=list)  # Excel rows holding a value, in order
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → #N/A …
    no_result: set[tuple[int, int]] = field(default_factory=set)  # formulas saved without value
    formulas: set[tuple[int, int]] = field(default_factory=set)
    styles: dict[tuple[int, int], int] = field(default_factory=dict)  # cells in formats that matter
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    widest: int = 0  # the farthest column letter count seen (bounds the value rectangle)

    def end_of_table(self) -> int | None:
        """The first row after a run of BLANK_RUN_END empty rows, if anything lies beyond it."""
        for before, after in zip(self.value_rows, self.value_rows[1:], strict=False):
            if after - before > BLANK_RUN_END:
                return after
        return None

    def stray_rows(self) -> list[int]:
        end = self.end_of_table()
        return [] if end is None else [r for r in self.value_rows if r >= end]


class _Scanner:
    def __init__(self, scan: SheetScan, styles: set[int], limit: int) -> None:
        self.scan = scan
        self.limit = limit
        self.next_row = 1
        self.styles = styles
        self.prefix: bytes | None = None
        self.counted = 0

    def compile(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.prefix = prefix
        self.row_tag = re.compile(rb"<" + p + rb"row\b([^>]*?)(/?)>")
        self.formula = re.compile(rb"<" + p + rb"f\b")
        self.cell_end = re.compile(rb"</" + p + rb"c>")
        self.error_cell = re.compile(
            rb"<" + p + rb'c\b([^>]*?\bt="e"[^>]*?)(?<!/)>(.*?)</' + p + rb"c>", re.S
        )
        self.error_value = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
        self.col_tag = re.compile(rb"<" + p + rb"col\b([^>]*)>")
        self.merge = re.compile(rb"<" + p + rb'mergeCell\b[^>]*\bref="([^"]+)"')
        self.cell_start = b"<" + prefix + b"c "
        if self.styles:
            ids = b"|".join(str(i).encode() for i in sorted(self.styles))
            self.style_attr = re.compile(rb'\ss="(' + ids + rb')"')

    def feed(self, buf: bytes) -> None:
        self._rows(buf)
        if b't="e"' in buf:
            for match in self.error_cell.finditer(buf):
                value = self.error_value.search(match.group(2))
                text = value.group(1).decode(errors="replace") if value else "#VALUE!"
                self.scan.errors[_ref(match.group(1))] = text
        self._formulas(buf)
        if self.styles:
            for match in self.style_attr.finditer(buf):
                start = buf.rfind(b"<", 0, match.start())
                if buf.startswith(self.cell_start, start):
                    tag = buf[start : buf.find(b">", match.end()) + 1]
                    self.scan.styles[_ref(tag)] = int(match.group(1))
        for match in self.col_tag.finditer(buf):
            bounds = _MIN_MAX.search(match.group(1))
            if bounds and _HIDDEN.search(match.group(1)):
                lo, hi = int(bounds.group(1)), min(int(bounds.group(2)), 16384)
                self.scan.hidden_cols.update(range(lo, hi + 1))
        for match in self.merge.finditer(buf):
            self._merge(match.group(1).decode())
        for match in _WIDE.finditer(buf):
            self.scan.widest = max(self.scan.widest, column_number(match.group(1)))

    def _rows(self, buf: bytes) -> None:
        tags = list(self.row_tag.finditer(buf))
        scan = self.scan
        for i, tag in enumerate(tags):
            attrs = tag.group(1)
            number_attr = _R.search(attrs)
            row = int(number_attr.group(1)) if number_attr else self.next_row
            self.next_row = row + 1
            if b"hidden" in attrs and _HIDDEN.search(attrs):
                scan.hidden_rows.add(row)
            if tag.group(2):  # <row …/>: no cells
                continue
            start, end = tag.end(), tags[i + 1].start() if i + 1 < len(tags) else len(buf)
            if (
                buf.find(b"v>", start, end) != -1
                or buf.find(b"is>", start, end) != -1
                or self.formula.search(buf, start, end)
            ):
                scan.value_rows.append(row)
                self.counted += 1
                if self.counted > self.limit:
                    raise ImportRejected(
                        f"工作表中有内容的行超过{self.limit}行（合计、落款等行也计算在内），"
                        "超过导入上限。请分成多个文件导入。"
                    )

    def _formulas(self, buf: bytes) -> None:
        for match in self.formula.finditer(buf):
            start = buf.rfind(self.cell_start, 0, match.start())
            tag_end = buf.find(b">", start)
            if start < 0 or tag_end > match.start():
                continue
            ref = _ref(buf[start:tag_end])
            end_match = self.cell_end.search(buf, match.end())
            end = end_match.start() if end_match else len(buf)
            self.scan.formulas.add(ref)
            if buf.find(b"v>", match.end(), end) == -1:
                self.scan.no_result.add(ref)

    def _merge(self, ref: str) -> None:
        parts = [_REF.fullmatch(p.encode()) for p in ref.split(":")]
        if len(parts) == 2 and all(parts):
            (c1, r1), (c2, r2) = ((p.group(1), p.group(2)) for p in parts if p)
            self.scan.merges.append((int(r1), column_number(c1), int(r2), column_number(c2)))


MAX_PENDING = 64 * 1024 * 1024  # no row of a survey sheet comes near this


def _prefix_of(buf: bytes) -> bytes:
    found = _PREFIX.search(buf)
    return (found.group(1) or b"") if found else b""


def _blocks(archive: zipfile.ZipFile, path: str) -> Iterator[tuple[bytes, bytes]]:
    """(element prefix, bytes) of the part, each piece ending after a complete row.

    Every byte also goes through expat, which checks that the XML is well formed: the values'
    reader is lenient, and a damaged sheet must be refused, not half read."""
    prefix: bytes | None = None
    pending = b""
    checker = expat.ParserCreate()
    with archive.open(path) as part:
        while True:
            block = part.read(BLOCK)
            try:
                checker.Parse(block, not block)
            except expat.ExpatError as exc:
                raise ImportRejected(DAMAGED) from exc
            buf = pending + block
            if prefix is None:
                if _PREFIX.search(buf) is None and block and len(buf) < MAX_PENDING:
                    pending = buf  # the sheet's head is not complete yet
                    continue
                prefix = _prefix_of(buf)
            if not block:
                yield prefix, buf
                return
            end = buf.rfind(b"</" + prefix + b"row>")
            if end < 0:
                if len(buf) > MAX_PENDING:
                    raise ImportRejected(UNREADABLE)
                pending = buf
                continue
            cut = end + len(prefix) + 6
            yield prefix, buf[:cut]
            pending = buf[cut:]


def scan_sheet(archive: zipfile.ZipFile, path: str, styles: set[int], limit: int) -> SheetScan:
    scan = SheetScan()
    scanner = _Scanner(scan, styles, limit)
    for prefix, buf in _blocks(archive, path):
        if scanner.prefix is None:
            scanner.compile(prefix)
        scanner.feed(buf)
    return scan


def truncated(archive: zipfile.ZipFile, path: str, first_dropped: int) -> bytes:
    """The sheet's XML without the rows from `first_dropped` on (stray cells far below the
    table), so the values read stay within the table."""
    out: list[bytes] = []
    dropping = False
    for prefix, buf in _blocks(archive, path):
        if dropping:
            end = buf.find(b"</" + prefix + b"sheetData>")
            if end >= 0:
                out.append(buf[end:])
            continue
        row_tag = re.compile(rb"<" + re.escape(prefix) + rb"row\b([^>]*?)/?>")
        for tag in row_tag.finditer(buf):
            number = _R.search(tag.group(1))
            if number and int(number.group(1)) >= first_dropped:
                end = buf.find(b"</" + prefix + b"sheetData>", tag.start())
                out.append(buf[: tag.start()] + (buf[end:] if end >= 0 else b""))
                dropping = True
                break
        else:
            out.append(buf)
    return b"".join(out)


def check_size(scan: SheetScan, sheet_name: str) -> None:
    """Refuse a sheet whose value rectangle would not fit in memory, naming what to delete."""
    stray = set(scan.stray_rows())
    rows = [r for r in scan.value_rows if r not in stray]
    height = (rows[-1] - rows[0] + 1) if rows else 0
    width = max(scan.widest, 26)
    if height * width > MAX_CELLS:
        raise ImportRejected(
            f"工作表“{sheet_name}”的内容范围过大（宽{width}列、高{height}行）。"
            "请删除表格右侧或下方多余的单元格（包括只有空格的单元格）后再上传。"
        )
