"""The GB/T 9704 layout of core.official_document, independent of what a document says."""

import datetime
import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from core.official_document import Attachment, OfficialDocument, text_width, write_docx
from core.official_document.layout import CONDENSE, SIZE_3, TEXT_WIDTH
from tests.docx_helpers import ascii_font, east_asian_font, landscape, pt


def build(**kwargs: object) -> DocxDocument:
    fields: dict[str, object] = {"title": "关于某事的通知", "paragraphs": ["正文。"], **kwargs}
    return Document(io.BytesIO(write_docx(OfficialDocument(**fields))))  # type: ignore[arg-type]


def fonts(paragraph: object) -> list[str | None]:
    return [east_asian_font(r) for r in paragraph.runs]  # type: ignore[attr-defined]


def test_28_condensed_characters_fit_the_line() -> None:
    pitch = SIZE_3.pt + CONDENSE / 20
    assert 28 * pitch <= TEXT_WIDTH.pt < 29 * pitch


def test_headings_take_their_fonts_and_a_run_on_heading_only_its_first_sentence() -> None:
    doc = build(paragraphs=["一、总体情况", "（一）交房。本月交房12套。", "1. 第三层仍用仿宋。"])
    by_text = {p.text: p for p in doc.paragraphs}
    assert fonts(by_text["一、总体情况"]) == ["黑体"]
    assert fonts(by_text["（一）交房。本月交房12套。"]) == ["楷体_GB2312", "仿宋_GB2312"]
    assert fonts(by_text["1. 第三层仍用仿宋。"]) == ["仿宋_GB2312"]
    assert pt(by_text["一、总体情况"].paragraph_format.first_line_indent) == 32
    assert by_text["一、总体情况"].paragraph_format.keep_with_next


def test_every_run_names_its_font_for_chinese_and_latin_text() -> None:
    doc = build(masthead="某县办公室", number="某办〔2026〕1号", recipients="各单位：")
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            assert east_asian_font(run) == ascii_font(run) is not None
    table = doc.part.part_related_by(RT.FONT_TABLE).blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table
    defaults = etree.tostring(doc.styles.element.find(qn("w:docDefaults")), encoding="unicode")
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert 'w:eastAsia="zh-CN"' in defaults


def test_signature_two_characters_in_and_the_date_two_further_right() -> None:
    doc = build(signature="某某县保交房工作领导小组办公室", date_line="2026年12月1日")
    signature, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert pt(signature.paragraph_format.right_indent) == 32
    start_of_signature = 2 + text_width(signature.text)
    start_of_date = pt(date.paragraph_format.right_indent) / 16 + text_width(date.text)
    assert start_of_signature - start_of_date == 2


def test_a_date_longer_than_the_signature_stays_two_characters_in() -> None:
    doc = build(signature="某局", date_line="2026年12月31日")
    assert pt(doc.paragraphs[-1].paragraph_format.right_indent) == 32
    assert pt(doc.paragraphs[-2].paragraph_format.right_indent) > 32


def test_text_pasted_with_control_characters_and_markup_is_written_safely() -> None:
    doc = build(paragraphs=["甲\x0b乙 <b>&amp;</b>"])
    assert "甲乙 <b>&amp;</b>" in [p.text for p in doc.paragraphs]


def test_an_empty_attachment_says_none_and_a_wide_one_turns_the_page() -> None:
    doc = build(
        attachments=[
            Attachment("空表", ["序号", "项目"], []),
            Attachment("宽表", [f"列{i}" for i in range(9)], [[str(i) for i in range(9)]]),
        ],
        imprint=("某办公室", "2026年12月1日"),
        created=datetime.datetime(
            2026, 12, 1, 17, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        ),
    )
    assert "附件：1. 空表" in [p.text for p in doc.paragraphs]
    assert doc.tables[0].rows[1].cells[0].text == "无"
    assert [landscape(s) for s in doc.sections] == [False, False, True, False]
    assert doc.tables[-1].rows[-1].cells[-1].text == "2026年12月1日印发"
    assert doc.core_properties.created == datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)


def test_without_masthead_the_number_sits_under_the_title_and_no_red_line() -> None:
    doc = build(number="编号：XF-2026-00001")
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:2] == ["关于某事的通知", "编号：XF-2026-00001"]
    assert "FF0000" not in doc.element.xml
