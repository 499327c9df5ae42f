"""Runs, table cells, tables and fields as WordprocessingML text: building them as strings is
many times faster than python-docx's objects, and the fonts are named for every script."""

from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Length
from docx.text.paragraph import Paragraph

from core.official_document.layout import (
    CONDENSE,
    FANGSONG,
    HEITI,
    SIZE_3,
    SIZE_4,
    SIZE_TABLE,
    SONG,
)
from core.official_document.parts import Attachment


def rpr(font: str, size: Length, *, bold: bool = False, color: str = "") -> str:
    half_points = round(size.pt * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
        f'w:cs="{font}" w:hint="eastAsia"/>{"<w:b/>" if bold else ""}'
        + (f'<w:color w:val="{color}"/>' if color else "")
        + (f'<w:spacing w:val="{CONDENSE}"/>' if size == SIZE_3 else "")
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )


def run_xml(text: str, font: str, size: Length, *, bold: bool = False, color: str = "") -> str:
    return (
        f"<w:r>{rpr(font, size, bold=bold, color=color)}"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


def escape(text: str) -> str:
    """XML text, without the control characters XML 1.0 cannot hold (pasted from elsewhere)."""
    cleaned = "".join(ch for ch in text if ch in "\t\n" or ord(ch) >= 0x20)
    return cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_run(paragraph: Paragraph, text: str, font: str, size: Length, color: str = "") -> None:
    xml = run_xml(text, font, size, color=color).replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)
    paragraph._p.append(parse_xml(xml))


def page_number(paragraph: Paragraph, *, odd: bool) -> None:
    """“— 1 —” in 4号宋体: odd pages one character in from the right, even pages from the left."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        paragraph.paragraph_format.right_indent = SIZE_4
    else:
        paragraph.paragraph_format.left_indent = SIZE_4
    props = rpr(SONG, SIZE_4)
    add_run(paragraph, "— ", SONG, SIZE_4)
    for inner in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{props}{inner}</w:r>"))
    add_run(paragraph, " —", SONG, SIZE_4)


def cell_paragraph(
    text: str, font: str, size: Length, align: str, indent_chars: int = 0, *, bold: bool = False
) -> str:
    """A paragraph inside a table: off the line grid, single-spaced."""
    indent = round(size.pt * 20 * indent_chars)
    ind = f'<w:ind w:{"left" if align == "left" else "right"}="{indent}"/>' if indent else ""
    return (
        '<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
        f'w:line="240" w:lineRule="auto"/>{ind}<w:jc w:val="{align}"/></w:pPr>'
        f"{run_xml(text, font, size, bold=bold)}</w:p>"
    )


def table_xml(attachment: Attachment, width: int) -> str:
    count = len(attachment.columns)
    weights = list(attachment.widths) or [1.0] * count
    widths = [int(width * w / sum(weights)) for w in weights]
    right = list(attachment.right_aligned) or [False] * count

    def row(cells: Sequence[str], *, header: bool) -> str:
        props = "<w:tblHeader/><w:cantSplit/>" if header else "<w:cantSplit/>"
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{widths[i]}" w:type="dxa"/><w:vAlign w:val="center"/>'
            "</w:tcPr>"
            + cell_paragraph(
                text,
                HEITI if header else FANGSONG,
                SIZE_TABLE,
                "center" if header else "right" if right[i] else "left",
            )
            + "</w:tc>"
            for i, text in enumerate(cells)
        )
        return f"<w:tr><w:trPr>{props}</w:trPr>{tcs}</w:tr>"

    rows = [row(attachment.columns, header=True)]
    rows += [row(r, header=False) for r in attachment.rows]
    if not attachment.rows:
        rows.append(
            f'<w:tr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
            f'<w:gridSpan w:val="{count}"/></w:tcPr>'
            f"{cell_paragraph('无', FANGSONG, SIZE_TABLE, 'center')}</w:tc></w:tr>"
        )
    line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    borders = "".join(
        f"<w:{side} {line}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="60" w:type="dxa"/>'
        '<w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )
