"""The page and type of GB/T 9704-2012: A4, margins, line grid, fonts and their sizes."""

import datetime
import math
import re

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Length, Mm, Pt, Twips
from lxml import etree

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONG = "宋体"
# What Word falls back to on a PC without the font (the font table's w:altName).
FALLBACKS = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: "宋体", HEITI: "SimHei", SONG: "SimSun"}

SIZE_2 = Pt(22)  # 二号: titles
SIZE_3 = Pt(16)  # 三号: the body and nearly everything else
SIZE_4 = Pt(14)  # 四号: page numbers and 版记
SIZE_TABLE = Pt(10.5)  # 五号: attachment tables

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
TEXT_WIDTH = Length(PAGE_WIDTH - LEFT - RIGHT)  # 156 mm
TEXT_HEIGHT = Length(PAGE_HEIGHT - TOP - BOTTOM)  # 225 mm
LINE_PITCH = Twips(TEXT_HEIGHT.twips // LINES_PER_PAGE)  # 579 twips = 28.95 pt
# 28 characters of 16 pt need 448 pt, the line has 442: 3号 text is condensed by 0.25 pt
# (w:spacing, in twentieths of a point). Word's own way, a character grid with a negative
# w:charSpace, LibreOffice lays out at one character per two cells.
CONDENSE = -math.ceil((SIZE_3.pt - TEXT_WIDTH.pt / CHARS_PER_LINE) * 20)
RED = "FF0000"

LEVEL_1 = re.compile(r"^[一二三四五六七八九十]+、")
LEVEL_2 = re.compile(r"^（[一二三四五六七八九十]+）")
INDENT_2 = Pt(SIZE_3.pt * 2)


def chinese_date(day: datetime.date) -> str:
    """A date in Arabic numerals without leading zeros (2026年12月1日), as the standard has it."""
    return f"{day.year}年{day.month}月{day.day}日"


def text_width(text: str) -> float:
    """Width in full-width characters: Latin letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def portrait(section: Section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    # The dashes of the page number sit 7 mm below the type area.
    section.header_distance, section.footer_distance = Mm(15), Mm(35 - 7 - 5)
    _grid(section)


def landscape(section: Section) -> None:
    """A wide 附件 table turns the page; the type area keeps its size, turned."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    section.top_margin, section.bottom_margin = LEFT, RIGHT
    section.left_margin, section.right_margin = TOP, BOTTOM
    section.header_distance, section.footer_distance = Mm(10), Mm(26 - 7 - 5)
    _grid(section)


def _grid(section: Section) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = etree.SubElement(sect_pr, qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH.twips))


def register_fonts(document: DocxDocument) -> None:
    """The standard's fonts in the font table, with the GB2312 charset and Windows fallbacks."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    for name, alt in FALLBACKS.items():
        pitch = "fixed" if name in (FANGSONG, KAITI) else "variable"
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alt}"/>'
                f'<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="{pitch}"/>'
                "</w:font>"
            )
        )
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
