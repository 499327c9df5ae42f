"""Word documents in the layout of GB/T 9704-2012 党政机关公文格式.

A4; 天头 37 mm and 订口 28 mm leave a type area of 156 × 225 mm (bottom 35 mm, right 26 mm):
22 lines of 28 characters of 3号仿宋, on a line grid of 28.95 pt with the text condensed to
fit 28. The 版头 in red, the 发文字号 and a red line under it; the title in 2号方正小标宋简体;
主送; the body with 黑体 first-level and 楷体 second-level headings; 附件 on pages of their
own; the 版记 (抄送, 印发机关 and 印发日期) at the foot of the last page; page numbers
“— 1 —” in 4号宋体, odd pages on the right and even pages on the left.

Fonts are named as the standard names them, in w:eastAsia as well as w:ascii and w:hAnsi:
Word and WPS take the Chinese font from w:eastAsia, and the font table gives each its usual
Windows fallback (仿宋_GB2312 → 仿宋) for PCs that lack it.
"""

import datetime
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from core.official_document.body import Body
from core.official_document.layout import (
    FANGSONG,
    HEITI,
    KAITI,
    SIZE_3,
    chinese_date,
    portrait,
    register_fonts,
    text_width,
)
from core.official_document.parts import Attachment, OfficialDocument
from core.official_document.xml import page_number, rpr

__all__ = [
    "DOCX",
    "Attachment",
    "OfficialDocument",
    "chinese_date",
    "text_width",
    "write_docx",
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def write_docx(doc: OfficialDocument) -> bytes:
    document = Document()
    _setup(document, doc)
    body = Body(document)
    if doc.draft_mark:
        body.text(doc.draft_mark, font=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
    if doc.masthead:
        body.masthead(doc.masthead, doc.number, lines_used=1 if doc.draft_mark else 0)
        body.blank(2)
    body.title(doc.title)
    if doc.number and not doc.masthead:
        body.text(doc.number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    body.blank(1)
    if doc.remark:
        body.text("领导批示：" + doc.remark, font=KAITI)
    if doc.recipients:
        body.text(doc.recipients, indent=False)
    for text in doc.paragraphs:
        body.body_paragraph(text)
    if doc.attachments:
        body.blank(1)
        body.attachment_list([a.title for a in doc.attachments])
    if doc.signature or doc.date_line:
        body.blank(1 if doc.attachments else 2)
        body.closing(doc.signature, doc.date_line)
    for index, attachment in enumerate(doc.attachments, start=1):
        body.attachment(index if len(doc.attachments) > 1 else None, attachment)
    if doc.imprint:
        body.imprint(doc.copy_to, *doc.imprint)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _setup(document: DocxDocument, doc: OfficialDocument) -> None:
    section = document.sections[0]
    portrait(section)
    document.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer.paragraphs[0], odd=True)
    page_number(section.even_page_footer.paragraphs[0], odd=False)
    _defaults(document)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FANGSONG, SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    register_fonts(document)
    props = document.core_properties
    props.title = doc.title
    props.author = props.last_modified_by = doc.masthead or doc.signature
    props.language = "zh-CN"
    props.revision = 1
    if doc.created:
        utc = doc.created.astimezone(datetime.UTC) if doc.created.tzinfo else doc.created
        props.created = props.modified = utc.replace(tzinfo=None)


def _defaults(document: DocxDocument) -> None:
    """3号仿宋 in Chinese for any text Word adds later; no extra space between Chinese and
    digits (Word's default widens “7281套”), so a line holds its 28 characters."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for child in list(defaults):
        defaults.remove(child)
    run = rpr(FANGSONG, SIZE_3)
    defaults.append(
        parse_xml(
            f"<w:rPrDefault {nsdecls('w')}>{run[: -len('</w:rPr>')]}"
            '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        )
    )
    defaults.append(
        parse_xml(
            f'<w:pPrDefault {nsdecls("w")}><w:pPr><w:autoSpaceDE w:val="0"/>'
            '<w:autoSpaceDN w:val="0"/></w:pPr></w:pPrDefault>'
        )
    )
