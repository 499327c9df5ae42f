"""Formal notices filled in from a petition: placeholders, not template code, so an admin
editing the text can neither break the page nor reach anything but the petition's own data."""

import datetime

from django.conf import settings
from django.utils import timezone

from core.masking import mask_id_number
from core.official_document import OfficialDocument, write_docx
from core.placeholders import fill
from petitions.models import DocumentTemplate, Petition


def _date(value: object) -> str:
    if not isinstance(value, datetime.date):
        return "____年__月__日"
    return f"{value.year}年{value.month}月{value.day}日"


def document_values(petition: Petition, note: str) -> dict[str, str]:
    return {
        "编号": petition.number,
        "信访人": petition.petitioner_name,
        "身份证号": mask_id_number(petition.petitioner_id_number),
        "登记日期": _date(petition.received_date),
        "诉求摘要": petition.summary,
        "涉及项目": petition.project.name if petition.project else "",
        "受理日期": _date(petition.accepted_date),
        "办理期限": _date(petition.due_date),
        "承办部门": petition.department.name if petition.department else "承办单位",
        "延期天数": str(petition.extended_days or ""),
        "延期理由": petition.extension_reason,
        "办理意见": note,
        "今天": _date(timezone.localdate()),
        "单位": f"{settings.COUNTY_NAME}信访局",
    }


def render_document(
    template: DocumentTemplate, petition: Petition, note: str = ""
) -> tuple[str, str]:
    """(body, signature): the last paragraph — issuing unit and date — is set apart so the
    printed notice can place it on the right, where the seal goes."""
    text = fill(template.body, document_values(petition, note)).strip()
    body, _, signature = text.rpartition("\n\n")
    return (body, signature) if body else (text, "")


def notice_docx(template: DocumentTemplate, petition: Petition, note: str = "") -> bytes:
    """The notice as a Word document in the 公文 layout (page, fonts, page numbers); no red
    版头 or 版记: it is handed to a person, not circulated between offices. The opening line
    ending in a colon is the addressee, set flush left like a 主送."""
    body, signature = render_document(template, petition, note)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    addressee = lines.pop(0) if lines and lines[0].endswith(("：", ":")) else ""
    closing = [line.strip() for line in signature.splitlines() if line.strip()]
    return write_docx(
        OfficialDocument(
            title=template.title,
            number=f"编号：{petition.number}",
            recipients=addressee,
            paragraphs=lines,
            signature=closing[0] if closing else "",
            date_line="".join(closing[1:]),
            created=timezone.now(),
        )
    )
