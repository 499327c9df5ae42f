"""Workbooks written the way Excel and WPS save them, part by part, for the import tests.

openpyxl's writer stores every text as an inline string, writes no stale dimension, saves no
formula results and knows no locale-only number formats, so a sheet built with it is not what a
township sends. Here each part is written as Excel writes it: a shared-string table (with rich
text runs and phonetic guides as WPS leaves them), a styles part whose cell formats point at
built-in or custom number formats, real merged ranges with their covered cells present, the
stored dimension as the file claims it, cached formula results (or none), cached error values,
hidden rows, columns and sheets, the 1904 date system and the Strict Open XML namespaces.
"""

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

TRANSITIONAL = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
    "doc": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "type": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
}
STRICT = {
    "main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
    "rel": "http://purl.oclc.org/ooxml/officeDocument/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
    "doc": "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
    "type": "http://purl.oclc.org/ooxml/officeDocument/relationships/",
}
# Number formats Excel refers to by id without writing them out (ids 27-58 are the zh-CN ones).
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10, "yyyy/m/d": 14, "@": 49}  # fmt: skip
DATE_FORMAT = "yyyy/m/d"
EPOCH_1900 = datetime.datetime(1899, 12, 30)
EPOCH_1904 = datetime.datetime(1904, 1, 1)


@dataclass
class C:
    """One cell as stored: a value with a number format, a formula with or without its cached
    result, or a cached error value (#N/A …)."""

    value: Any = None
    fmt: str | int | None = None  # a format code, or the id of a built-in format Excel omits
    formula: str | None = None
    cached: bool = True  # False: a formula saved without its result (programs, not Excel)
    error: str | None = None
    rich: bool = False  # text stored as two rich-text runs plus a phonetic guide


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[Any]]  # rows[0] is Excel row 1; None is an absent cell
    merges: Sequence[str] = ()
    dimension: str | None = None  # what the file claims; None writes the true range
    hidden_rows: set[int] = field(default_factory=set)  # Excel row numbers
    hidden_cols: set[int] = field(default_factory=set)  # 1-based column numbers
    state: str = "visible"  # hidden / veryHidden


class _Book:
    def __init__(self, date1904: bool, shared: bool) -> None:
        self.strings: list[str] = []
        self.rich: set[int] = set()
        self.string_ids: dict[str, int] = {}
        self.string_count = 0
        self.formats: list[str] = []  # custom format codes, ids from 164
        self.xfs: list[int] = [0]  # numFmtId per cell format; xf 0 is General
        self.date1904 = date1904
        self.shared = shared

    def string(self, text: str, rich: bool) -> int:
        self.string_count += 1
        if text not in self.string_ids:
            self.string_ids[text] = len(self.strings)
            self.strings.append(text)
        if rich:
            self.rich.add(self.string_ids[text])
        return self.string_ids[text]

    def style(self, fmt: str | int | None) -> int:
        if fmt is None:
            return 0
        if isinstance(fmt, int):
            num_fmt_id = fmt
        elif fmt in BUILTIN_FORMATS:
            num_fmt_id = BUILTIN_FORMATS[fmt]
        else:
            if fmt not in self.formats:
                self.formats.append(fmt)
            num_fmt_id = 164 + self.formats.index(fmt)
        if num_fmt_id not in self.xfs:
            self.xfs.append(num_fmt_id)
        return self.xfs.index(num_fmt_id)

    def serial(self, day: datetime.date) -> float:
        moment = (
            day
            if isinstance(day, datetime.datetime)
            else datetime.datetime(day.year, day.month, day.day)
        )
        delta = moment - (EPOCH_1904 if self.date1904 else EPOCH_1900)
        return delta.days + delta.seconds / 86400

    def cell(self, ref: str, raw: Any) -> str:
        cell = raw if isinstance(raw, C) else C(raw)
        value, fmt = cell.value, cell.fmt
        if isinstance(value, datetime.date) and fmt is None:
            fmt = DATE_FORMAT
        style = self.style(fmt)
        s = f' s="{style}"' if style else ""
        f = f"<f>{escape(cell.formula.lstrip('='))}</f>" if cell.formula else ""
        if cell.error is not None:
            v = f"<v>{escape(cell.error)}</v>" if cell.cached else ""
            return f'<c r="{ref}"{s} t="e">{f}{v}</c>'
        if cell.formula and not cell.cached:
            return f'<c r="{ref}"{s}>{f}</c>'
        if value is None:
            return f'<c r="{ref}"{s}/>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b">{f}<v>{int(value)}</v></c>'
        if isinstance(value, datetime.date):
            value = self.serial(value)
        if isinstance(value, int | float | Decimal):
            return f'<c r="{ref}"{s}>{f}<v>{value}</v></c>'
        text = str(value)
        if cell.formula:
            return f'<c r="{ref}"{s} t="str">{f}<v>{escape(text)}</v></c>'
        if not self.shared:
            return f'<c r="{ref}"{s} t="inlineStr"><is>{_t(text)}</is></c>'
        return f'<c r="{ref}"{s} t="s"><v>{self.string(text, cell.rich)}</v></c>'


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<t{space}>{escape(text)}</t>"


def _dimension(sheet: Sheet) -> str:
    if sheet.dimension is not None:
        return sheet.dimension
    width = max((len(r) for r in sheet.rows), default=1) or 1
    return f"A1:{get_column_letter(width)}{max(len(sheet.rows), 1)}"


def _sheet_xml(book: _Book, sheet: Sheet, ns: dict[str, str], selected: bool) -> str:
    covered: dict[tuple[int, int], None] = {}
    for ref in sheet.merges:
        c1, r1, c2, r2 = range_boundaries(ref)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    covered[(r, c)] = None
    rows_xml = []
    height = max(len(sheet.rows), max((r for r, _ in covered), default=0))
    for r in range(1, height + 1):
        values = list(sheet.rows[r - 1]) if r <= len(sheet.rows) else []
        width = max(len(values), max((c for rr, c in covered if rr == r), default=0))
        cells = []
        for c in range(1, width + 1):
            value = values[c - 1] if c <= len(values) else None
            ref = f"{get_column_letter(c)}{r}"
            if value is None:
                if (r, c) in covered:
                    cells.append(f'<c r="{ref}" s="0"/>')  # Excel keeps the covered cells
                continue
            cells.append(book.cell(ref, value))
        hidden = ' hidden="1"' if r in sheet.hidden_rows else ""
        if cells or hidden:
            spans = f' spans="1:{max(width, 1)}"'
            rows_xml.append(f'<row r="{r}"{spans}{hidden}>{"".join(cells)}</row>')
    cols = "".join(
        f'<col min="{c}" max="{c}" width="0" hidden="1" customWidth="1"/>'
        for c in sorted(sheet.hidden_cols)
    )
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{ns["main"]}" xmlns:r="{ns["rel"]}">'
        f'<dimension ref="{_dimension(sheet)}"/>'
        f"<sheetViews><sheetView{' tabSelected=' + chr(34) + '1' + chr(34) if selected else ''}"
        ' workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="13.5"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(rows_xml)}</sheetData>"
        + (f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else "")
        + '<phoneticPr fontId="1" type="noConversion"/>'
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )


def _shared_strings(book: _Book, ns: dict[str, str]) -> str:
    items = []
    for i, text in enumerate(book.strings):
        if i in book.rich and len(text) > 1:
            half = 1  # Excel splits runs where the formatting changes, never inside an escape
            items.append(
                f'<si><r><rPr><b/><sz val="11"/><rFont val="宋体"/></rPr>{_t(text[:half])}</r>'
                f'<r><rPr><sz val="11"/><rFont val="宋体"/></rPr>{_t(text[half:])}</r>'
                '<rPh sb="0" eb="1"><t>ヨミ</t></rPh><phoneticPr fontId="1"/></si>'
            )
        else:
            items.append(f"<si>{_t(text)}</si>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{ns["main"]}" count="{book.string_count}" uniqueCount="{len(book.strings)}">'
        + "".join(items)
        + "</sst>"
    )


def _styles(book: _Book, ns: dict[str, str]) -> str:
    formats = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode={quoteattr(code)}/>'
        for i, code in enumerate(book.formats)
    )
    xfs = "".join(
        f'<xf numFmtId="{n}" fontId="0" fillId="0" borderId="0" xfId="0"'
        f"{' applyNumberFormat=' + chr(34) + '1' + chr(34) if n else ''}/>"
        for n in book.xfs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<styleSheet xmlns="{ns["main"]}">'
        + (f'<numFmts count="{len(book.formats)}">{formats}</numFmts>' if formats else "")
        + '<fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
        '<font><sz val="9"/><name val="宋体"/><charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(book.xfs)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def xlsx(
    *sheets: Sheet, date1904: bool = False, strict: bool = False, shared: bool = True
) -> bytes:
    """The workbook's bytes as Excel saves them (`shared=False`: inline strings, as openpyxl
    and some OA exports write)."""
    ns = STRICT if strict else TRANSITIONAL
    book = _Book(date1904=date1904, shared=shared)
    sheet_parts = [_sheet_xml(book, s, ns, i == 0) for i, s in enumerate(sheets)]
    sheet_list = "".join(
        f'<sheet name={quoteattr(s.name)} sheetId="{i + 1}"'
        f'{" state=" + quoteattr(s.state) if s.state != "visible" else ""} r:id="rId{i + 1}"/>'
        for i, s in enumerate(sheets)
    )
    n = len(sheets)
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{ns["main"]}" xmlns:r="{ns["rel"]}">'
        '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>'
        f"<workbookPr{' date1904=' + chr(34) + '1' + chr(34) if date1904 else ''}"
        ' defaultThemeVersion="124226"/>'
        '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800"'
        ' windowHeight="12300"/></bookViews>'
        f"<sheets>{sheet_list}</sheets>"
        '<calcPr calcId="191029"/></workbook>'
    )
    t = ns["type"]
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="{t}worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(n)
    )
    rels += (
        f'<Relationship Id="rId{n + 1}" Type="{t}styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{t}sharedStrings" Target="sharedStrings.xml"/>'
    )
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(n)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheet_types}"
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{ns["pkg"]}">'
        f'<Relationship Id="rId1" Type="{ns["doc"]}" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>Microsoft Excel</Application></Properties>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("docProps/app.xml", app)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{ns["pkg"]}">{rels}</Relationships>',
        )
        for i, part in enumerate(sheet_parts):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", part)
        z.writestr("xl/styles.xml", _styles(book, ns))
        z.writestr("xl/sharedStrings.xml", _shared_strings(book, ns))
    return out.getvalue()


def excel_resave(data: bytes, *, dimension: str = "A1") -> bytes:
    """An openpyxl-written workbook as Excel leaves it after the clerk saves it: its inline
    strings moved into a shared-string table and each sheet's stored dimension gone stale."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    main = TRANSITIONAL["main"]
    strings: list[str] = []
    index: dict[str, int] = {}
    parts: dict[str, bytes] = {}
    for name in source.namelist():
        part = source.read(name)
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            root = etree.fromstring(part)
            for cell in root.iter(f"{{{main}}}c"):
                if cell.get("t") != "inlineStr":
                    continue
                holder = cell.find(f"{{{main}}}is")  # absent for an empty string
                text = ""
                if holder is not None:
                    text = "".join(t.text or "" for t in holder.iter(f"{{{main}}}t"))
                    cell.remove(holder)
                cell.set("t", "s")
                value = etree.SubElement(cell, f"{{{main}}}v")
                value.text = str(index.setdefault(text, len(index)))
                if value.text == str(len(strings)):
                    strings.append(text)
            for dim in root.iter(f"{{{main}}}dimension"):
                dim.set("ref", dimension)
            part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        parts[name] = part
    items = "".join(f"<si>{_t(s)}</si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdSst" Type="{TRANSITIONAL["type"]}sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in parts.items():
            z.writestr(name, part)
    return out.getvalue()


def assert_opens_cleanly(data: bytes) -> None:
    """What makes Excel offer to repair a workbook, checked without Excel: every part is XML,
    every cell, column and merged range lies within XFD1048576, ranges do not overlap, comments
    point at cells, and openpyxl reads it back."""
    from lxml import etree
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    main = TRANSITIONAL["main"]
    for name in archive.namelist():
        if not name.endswith((".xml", ".rels", ".vml")):
            continue
        root = etree.fromstring(archive.read(name))
        for cell in root.iter(f"{{{main}}}c"):
            col, row, _, _ = range_boundaries(cell.get("r"))
            assert col <= 16384, (name, cell.get("r"))
            assert row <= 1_048_576, (name, cell.get("r"))
        for col in root.iter(f"{{{main}}}col"):
            assert int(col.get("max")) <= 16384, (name, col.get("max"))
        boxes = [range_boundaries(m.get("ref")) for m in root.iter(f"{{{main}}}mergeCell")]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]
                assert apart, (name, a, b)
        for ref in root.iter(f"{{{main}}}comment"):
            col, row, _, _ = range_boundaries(ref.get("ref"))
            assert col <= 16384
            assert row <= 1_048_576
    load_workbook(io.BytesIO(data))
