"""The workbook's own parts, read directly: which sheets it has (and which are hidden), where
each sheet's XML is, whether dates count from 1900 or 1904, and each cell style's number format.

The cell values come from python-calamine (reading/table.py); it does not expose these, and they
decide what a value means (a 0"%" cell, a 年月 date, a hidden sheet). Transitional and Strict
Open XML name the same elements in different namespaces, so elements are found by local name.
"""

import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from lxml import etree

from imports.reading.formats import GENERAL, NumberFormat, format_for
from imports.safety import ImportRejected

# No entities, no network, no huge trees: safety.py refused DTDs already, this is a second lock.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
DAMAGED = (
    "文件中的表格内容已损坏（XML格式错误），无法读取。"
    "请用Excel或WPS打开该文件，“另存为”Excel工作簿（.xlsx）后再上传。"
)


@dataclass(frozen=True)
class SheetPart:
    name: str
    path: str  # member of the zip
    state: str  # visible · hidden · veryHidden


@dataclass
class Package:
    sheets: list[SheetPart]
    date1904: bool
    formats: list[NumberFormat] = field(default_factory=list)  # per cell style (cellXfs) index

    def format_of(self, style: int) -> NumberFormat:
        return self.formats[style] if 0 <= style < len(self.formats) else GENERAL


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        data = archive.read(name)
    except KeyError:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ImportRejected(DAMAGED) from exc


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _attr(element: etree._Element, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (r:id differs in Strict)."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return str(value)
    return None


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, zip member) of a part's relationships."""
    folder, name = posixpath.split(part)
    rels = _xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    targets: dict[str, tuple[str, str]] = {}
    if rels is None:
        return targets
    for rel in _children(rels, "Relationship"):
        target = rel.get("Target") or ""
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(folder, target))
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        targets[rel.get("Id") or ""] = (kind, path)
    return targets


def _workbook_part(archive: zipfile.ZipFile) -> str:
    root = _xml(archive, "_rels/.rels")
    if root is not None:
        for rel in _children(root, "Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                return (rel.get("Target") or "").lstrip("/")
    return "xl/workbook.xml"


def _formats(archive: zipfile.ZipFile, path: str | None) -> list[NumberFormat]:
    styles = _xml(archive, path) if path else None
    if styles is None:
        return []
    custom: dict[int, str] = {}
    for fmt in _children(styles, "numFmt"):
        try:
            custom[int(fmt.get("numFmtId") or -1)] = fmt.get("formatCode") or ""
        except ValueError:
            continue
    formats: list[NumberFormat] = []
    for group in _children(styles, "cellXfs"):
        for xf in group:
            if _local(xf.tag) != "xf":
                continue
            try:
                formats.append(format_for(int(xf.get("numFmtId") or 0), custom))
            except ValueError:
                formats.append(GENERAL)
    return formats


def _well_formed(archive: zipfile.ZipFile, name: str) -> None:
    """The shared strings' reader is lenient: a damaged table is refused here, not half read."""
    checker = expat.ParserCreate()
    try:
        with archive.open(name) as part:
            while block := part.read(1024 * 1024):
                checker.Parse(block, False)
        checker.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ImportRejected(DAMAGED) from exc


def read_package(archive: zipfile.ZipFile) -> Package:
    part = _workbook_part(archive)
    workbook = _xml(archive, part)
    if workbook is None:
        raise ImportRejected("文件不是Excel工作簿（缺少工作簿内容），请检查文件类型。")
    targets = _relationships(archive, part)
    sheets = []
    for sheet in _children(workbook, "sheet"):
        kind, path = targets.get(_attr(sheet, "id") or "", ("", ""))
        if kind == "worksheet" and path in archive.NameToInfo:
            sheets.append(SheetPart(sheet.get("name") or "", path, sheet.get("state") or "visible"))
    props = _children(workbook, "workbookPr")
    date1904 = bool(props) and (props[0].get("date1904") or "").lower() in ("1", "true")
    styles = next((path for kind, path in targets.values() if kind == "styles"), None)
    for kind, path in targets.values():
        if kind == "sharedStrings" and path in archive.NameToInfo:
            _well_formed(archive, path)
    return Package(sheets=sheets, date1904=date1904, formats=_formats(archive, styles))
