"""A report as a Word document in the 公文 layout, built from the stored report on each download:
the words drafted at generation, the tables of the snapshot as 附件, the 发文字号 of this
version, and the leader's 批示 once the report is published. Nothing is stored twice, so the
document always says what the report row says."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.official_document import Attachment, OfficialDocument, chinese_date, write_docx
from core.rounding import PERCENT_FORMAT, half_up
from core.xlsx import Sheet
from dispatch.models import Report
from dispatch.reports import monthly, quarterly, weekly
from dispatch.reports.drafting import MISSING, as_amount, as_one_place, as_percent, draft

DRAFT_MARK = "送审稿"

# The sheets of each report that become 附件 (the overview sheet is what the body says).
SHEETS: dict[str, tuple[Callable[[str, dict[str, Any]], list[Sheet]], int]] = {
    Report.Kind.WEEKLY: (weekly.sheets, 1),
    Report.Kind.MONTHLY: (monthly.sheets, 1),
    Report.Kind.QUARTERLY: (quarterly.sheets, 0),
}


def issue_day(report: Report) -> datetime.date:
    """成文日期 and 印发日期: the day the leader published it, or (a draft) the day it was built."""
    return timezone.localtime(report.published_at or report.generated_at).date()


def cell_text(value: Any, number_format: str | None) -> str:
    """What the Excel cell shows, as text: the same rounding and the same units."""
    if value is None or value == "":
        return MISSING if number_format else ""
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return str(value)
    if number_format == PERCENT_FORMAT:
        return as_percent(value)
    if number_format == "0.0":
        return as_one_place(value)
    if number_format in ("0.00", "#,##0.00"):
        text = as_amount(value)
        if number_format == "0.00":
            return text
        whole, _, cents = text.partition(".")
        return f"{int(whole):,}.{cents}" if not whole.startswith("-") else text
    if number_format == "#,##0":
        return f"{half_up(value, 0):,}"
    return str(value)


def sheet_attachment(sheet: Sheet, report_title: str) -> Attachment | None:
    """A sheet as an 附件 table with its 合计 row; None when it has no rows."""
    rows = list(sheet.rows)
    if not rows:
        return None
    columns = sheet.columns
    cells = [[cell_text(c.value(r), c.number_format) for c in columns] for r in rows]
    if any(c.total for c in columns):
        totals: list[str] = []
        for i, column in enumerate(columns):
            if column.total:
                total = sum((Decimal(str(v)) for r in rows if (v := column.value(r)) is not None),
                            Decimal(0))  # fmt: skip
                totals.append(cell_text(total, column.number_format))
            else:
                totals.append(sheet.totals_label if i == 0 else "")
        cells.append(totals)
    title = sheet.title.removeprefix(report_title).removeprefix("——") or sheet.title
    return Attachment(
        title=title,
        columns=[c.header for c in columns],
        rows=cells,
        unit_line=sheet.unit_line if sheet.unit_line.startswith("单位") else "",
        widths=[c.width for c in columns],
        right_aligned=[c.number_format is not None for c in columns],
    )


def report_attachments(report: Report) -> list[Attachment]:
    make_sheets, skip = SHEETS[report.kind]
    title = report.data.get("title", "")
    found = (sheet_attachment(s, title) for s in make_sheets(title, report.data)[skip:])
    return [a for a in found if a is not None]


def report_document(report: Report) -> OfficialDocument:
    words = report.data.get("document") or draft(report.kind, report.data, report.as_of)
    day = chinese_date(issue_day(report))
    return OfficialDocument(
        title=words["title"],
        paragraphs=words["paragraphs"],
        masthead=settings.REPORT_ISSUER,
        number=report.doc_number,
        draft_mark="" if report.published else DRAFT_MARK,
        recipients=words["recipients"],
        remark=report.remark if report.published else "",
        signature=settings.REPORT_ISSUER,
        date_line=day,
        attachments=report_attachments(report),
        copy_to=words["copy_to"],
        imprint=(settings.REPORT_ISSUER, day),
        created=report.generated_at,
    )


def report_docx(report: Report) -> bytes:
    return write_docx(report_document(report))


def report_docx_name(report: Report) -> str:
    return f"{report.doc_number}{report.data.get('title', report)}.docx"
