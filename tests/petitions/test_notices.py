"""The four formal notices as Word documents, and their templates' placeholders."""

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from core.models import User
from petitions.documents import notice_docx
from petitions.models import DocumentTemplate, Petition
from tests.docx_helpers import east_asian_font, mm
from tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db
KINDS = ["acceptance", "non_acceptance", "extension", "reply"]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def petition(department_user: User) -> Petition:
    """A petition far enough along for every notice to exist."""
    return PetitionFactory.create(
        petitioner_name="李四",
        department=department_user.department,
        status=Petition.Status.NOT_ACCEPTED,
        accepted_date=datetime.date(2026, 11, 3),
        due_date=datetime.date(2027, 1, 2),
        extended_days=20,
        extension_reason="需现场核查",
        replied_date=datetime.date(2026, 11, 20),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_each_notice_downloads_as_a_document_in_the_official_layout(
    client_for: Callable[[User], Client],
    petition_clerk: User,
    petition: Petition,
    kind: str,
    time_machine: Any,
) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 30, 10, tzinfo=SH), tick=False)
    response = client_for(petition_clerk).get(
        reverse("petitions:document_docx", args=[petition.pk, kind])
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert [round(mm(x)) for x in (section.page_width, section.page_height)] == [210, 297]
    assert [round(mm(x)) for x in (section.top_margin, section.left_margin)] == [37, 28]
    lines = [p.text for p in doc.paragraphs if p.text]
    template = DocumentTemplate.objects.get(kind=kind)
    assert lines[0] == template.title
    assert lines[1] == f"编号：{petition.number}"
    assert lines[2] == "李四："  # the addressee, flush left like a 主送
    addressee = next(p for p in doc.paragraphs if p.text == "李四：")
    assert addressee.paragraph_format.first_line_indent is None
    signer = "县自然资源局" if kind == "reply" else "示范县信访局"
    assert lines[-2:] == [signer, "2026年11月30日"]
    closing = [p for p in doc.paragraphs if p.text in lines[-2:]]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in closing)
    title_run = next(p for p in doc.paragraphs if p.text == template.title).runs[0]
    assert east_asian_font(title_run) == "方正小标宋简体"
    body_run = next(p for p in doc.paragraphs if "特此告知" in p.text or "复查" in p.text).runs[0]
    assert east_asian_font(body_run) == "仿宋_GB2312"
    assert "PAGE" in section.footer.paragraphs[0]._p.xml


def test_a_notice_not_yet_reached_has_no_document(
    client_for: Callable[[User], Client], petition_clerk: User
) -> None:
    fresh = PetitionFactory.create()
    client = client_for(petition_clerk)
    assert (
        client.get(reverse("petitions:document_docx", args=[fresh.pk, "reply"])).status_code == 404
    )
    assert (
        client.get(reverse("petitions:document_docx", args=[fresh.pk, "bogus"])).status_code == 404
    )


def test_notice_page_offers_the_word_file(
    client_for: Callable[[User], Client], petition_clerk: User, petition: Petition
) -> None:
    html = (
        client_for(petition_clerk)
        .get(reverse("petitions:document", args=[petition.pk, "reply"]))
        .content.decode()
    )
    assert reverse("petitions:document_docx", args=[petition.pk, "reply"]) in html


def test_template_with_an_unknown_placeholder_is_refused_in_the_admin(
    client_for: Callable[[User], Client], admin_user: User
) -> None:
    template = DocumentTemplate.objects.get(kind="acceptance")
    url = reverse("admin:petitions_documenttemplate_change", args=[template.pk])

    response = client_for(admin_user).post(
        url, {"title": template.title, "body": "{{信访人}}：您的事项{{案号}}已受理。"}
    )

    assert response.status_code == 200
    assert "未知的占位符：{{案号}}" in response.content.decode()
    template.refresh_from_db()
    assert "{{案号}}" not in template.body


@pytest.mark.libreoffice
def test_libreoffice_converts_each_notice(
    petition: Petition, soffice: Callable[[list[Path]], list[Path]], tmp_path: Path
) -> None:
    files = []
    for kind in KINDS:
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(notice_docx(DocumentTemplate.objects.get(kind=kind), petition, "已核实"))
        files.append(path)

    for pdf in soffice(files):
        assert pdf.read_bytes().startswith(b"%PDF"), pdf
