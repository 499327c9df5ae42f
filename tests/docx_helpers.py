"""Reading generated .docx files in tests: python-docx types every length and property as
optional, so these read what our documents always set."""

from typing import Any

from docx.oxml.ns import qn


def mm(length: Any) -> float:
    return round(length.mm, 1)


def pt(length: Any) -> float:
    return round(length.pt, 2)


def east_asian_font(run: Any) -> str | None:
    """The font Word and WPS use for Chinese text: w:eastAsia of the run's w:rFonts."""
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def ascii_font(run: Any) -> str | None:
    return run._element.rPr.rFonts.get(qn("w:ascii"))


def landscape(section: Any) -> bool:
    return bool(section.page_width > section.page_height)
