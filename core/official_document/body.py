"""The parts of a document appended in order, each placed as the standard places it."""

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

from core.official_document.layout import (
    FANGSONG,
    HEITI,
    INDENT_2,
    KAITI,
    LEVEL_1,
    LEVEL_2,
    LINE_PITCH,
    RED,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    XIAOBIAOSONG,
    landscape,
    portrait,
    text_width,
)
from core.official_document.parts import Attachment
from core.official_document.xml import add_run, cell_paragraph, table_xml


class Body:
    """Appends the parts of a document in order, each placed as the standard places it."""

    def __init__(self, document: DocxDocument) -> None:
        self.document = document

    def _paragraph(self, *, grid: bool = True) -> Paragraph:
        paragraph = self.document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = False
        if grid:
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            fmt.line_spacing = LINE_PITCH
        return paragraph

    def _insert(self, xml: str) -> None:
        """A table before the body's closing section properties."""
        body = self.document.element.body
        body.insert(len(body) - 1, parse_xml(xml))
        self._paragraph(grid=False)  # Word wants a paragraph after a table

    def blank(self, lines: int) -> None:
        for _ in range(lines):
            add_run(self._paragraph(), "", FANGSONG, SIZE_3)

    def text(
        self,
        text: str,
        *,
        font: str = FANGSONG,
        size: Length = SIZE_3,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
    ) -> Paragraph:
        paragraph = self._paragraph()
        paragraph.alignment = align
        if indent:
            paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
        add_run(paragraph, text, font, size)
        return paragraph

    def masthead(self, name: str, number: str, *, lines_used: int) -> None:
        """版头: the office in red 小标宋 35 mm below the top of the type area, as large as fits
        one line; two lines lower the 发文字号, and 4 mm under it the red line."""
        size = Pt(min(36.0, int(TEXT_WIDTH.pt / max(text_width(name), 1) * 0.92 * 2) / 2))
        paragraph = self._paragraph(grid=False)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Length(Mm(35) - LINE_PITCH * lines_used)
        paragraph.paragraph_format.space_after = Length(LINE_PITCH * 2)
        add_run(paragraph, name, XIAOBIAOSONG, size, color=RED)
        line = self.text(number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        border = parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="11" '
            f'w:color="{RED}"/></w:pBdr>'
        )
        line._p.get_or_add_pPr().insert_element_before(
            border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc"
        )

    def title(self, title: str) -> None:
        for line in title.splitlines():
            paragraph = self._paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing = Pt(36)
            add_run(paragraph, line, XIAOBIAOSONG, SIZE_2)

    def body_paragraph(self, text: str) -> None:
        """A paragraph of the body; “一、” headings in 黑体, “（一）” in 楷体_GB2312.

        A heading followed by text in the same paragraph sets only its first sentence in the
        heading font: second-level headings usually run on into their paragraph."""
        text = text.strip().lstrip("\u3000").strip()
        if not text:
            return
        level = 1 if LEVEL_1.match(text) else 2 if LEVEL_2.match(text) else 0
        paragraph = self._paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = INDENT_2
        if not level:
            add_run(paragraph, text, FANGSONG, SIZE_3)
            return
        head, stop, rest = text.partition("。")
        add_run(paragraph, head + stop, HEITI if level == 1 else KAITI, SIZE_3)
        if rest:
            add_run(paragraph, rest, FANGSONG, SIZE_3)
        else:  # a heading on its own line never ends a page
            paragraph.paragraph_format.keep_with_next = True

    def attachment_list(self, titles: list[str]) -> None:
        """附件说明 two characters in: “附件：1. …”, the further items under the first."""
        for i, title in enumerate(titles, start=1):
            number = f"{i}. " if len(titles) > 1 else ""
            paragraph = self.text(("附件：" if i == 1 else "") + number + title)
            if i > 1:
                paragraph.paragraph_format.first_line_indent = Pt(SIZE_3.pt * 5)

    def closing(self, signature: str, date_line: str) -> None:
        """署名 two characters in from the right, the date under it starting two characters
        further right; a date longer than that stays two in and pushes the 署名 left."""
        sig, date = text_width(signature), text_width(date_line)
        sig_right, date_right = 2.0, sig - date
        if date_right < 2:
            date_right, sig_right = 2.0, 4 + date - sig
        if not signature:
            date_right = 4.0  # no 署名: the date four characters in
        for text, right in ((signature, sig_right), (date_line, date_right)):
            if text:
                paragraph = self.text(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
                paragraph.paragraph_format.right_indent = Pt(SIZE_3.pt * right)

    def attachment(self, number: int | None, attachment: Attachment) -> None:
        """附件 on a page of its own: “附件N” top left in 黑体, its title on the third line."""
        section = self.document.add_section(WD_SECTION.NEW_PAGE)
        (landscape if attachment.landscape else portrait)(section)
        self.text("附件" + (str(number) if number else ""), font=HEITI, indent=False)
        self.blank(1)
        self.title(attachment.title)
        if attachment.unit_line:
            self.text(attachment.unit_line, size=Pt(12), align=WD_ALIGN_PARAGRAPH.RIGHT)
        width = TEXT_HEIGHT if attachment.landscape else TEXT_WIDTH
        self._insert(table_xml(attachment, width.twips))

    def imprint(self, copy_to: str, office: str, date_text: str) -> None:
        """版记 at the foot of the last page, between a thick rule above and below: 抄送,
        then 印发机关 on the left and 印发日期 on the right, one character in."""
        if self.document.sections[-1].orientation == WD_ORIENT.LANDSCAPE:
            portrait(self.document.add_section(WD_SECTION.NEW_PAGE))
        width = TEXT_WIDTH.twips
        half = width // 2

        def cell(w: int, paragraph: str, span: int = 1) -> str:
            grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            width_xml = f'<w:tcW w:w="{w}" w:type="dxa"/>'
            return f"<w:tc><w:tcPr>{width_xml}{grid_span}</w:tcPr>{paragraph}</w:tc>"

        rows = []
        if copy_to:
            text = cell_paragraph(f"抄送：{copy_to}", FANGSONG, SIZE_4, "left", 1)
            rows.append(cell(width, text, span=2))
        rows.append(
            cell(half, cell_paragraph(office, FANGSONG, SIZE_4, "left", 1))
            + cell(width - half, cell_paragraph(f"{date_text}印发", FANGSONG, SIZE_4, "right", 1))
        )
        thick = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'
        thin = 'w:val="single" w:sz="6" w:space="0" w:color="000000"'
        self._insert(
            f"<w:tbl {nsdecls('w')}><w:tblPr>"
            '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:vertAnchor="margin" '
            'w:horzAnchor="margin" w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/>'
            f'<w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
            f"<w:tblBorders><w:top {thick}/><w:bottom {thick}/><w:insideH {thin}/></w:tblBorders>"
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="60" w:type="dxa"/>'
            '<w:left w:w="0" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{width - half}"/></w:tblGrid>'
            + "".join(f"<w:tr>{r}</w:tr>" for r in rows)
            + "</w:tbl>"
        )
