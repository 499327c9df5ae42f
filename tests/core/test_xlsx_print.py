"""Every Excel file the app hands out prints: A4, orientation by width, all columns on the page
width, the title, unit line and header repeated on each page, page numbers in the footer."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import User
from dispatch.reports import services
from tests.factories import PetitionFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def content(response: Any) -> bytes:
    streamed = getattr(response, "streaming_content", None)
    return b"".join(streamed) if streamed is not None else response.content


def assert_prints(data: bytes, *, title_rows: str | None = "$1:$3") -> None:
    workbook = load_workbook(io.BytesIO(data))
    for ws in workbook.worksheets:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title  # A4
        width = sum(d.width for d in ws.column_dimensions.values() if d.width)
        assert setup.orientation == ("landscape" if width > 95 else "portrait"), ws.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_margins.left == 0.5, ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
        assert "&N" in ws.oddFooter.center.text, ws.title
        if title_rows and ws.title != "填写说明":
            assert ws.print_title_rows == title_rows, ws.title


def test_ledger_and_petition_exports_print(
    client_for: Callable[[User], Client], petition_clerk: User, leader: User
) -> None:
    ProjectFactory.create_batch(2)
    PetitionFactory.create()
    assert_prints(content(client_for(leader).get(reverse("projects:export"))))
    assert_prints(content(client_for(petition_clerk).get(reverse("petitions:export"))))


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly"])
def test_every_sheet_of_each_report_prints(
    settings: Any, tmp_path: Any, client_for: Callable[[User], Client], leader: User, kind: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    ProjectFactory.create()
    report = services.report_generate(kind=kind, period_start=datetime.date(2026, 9, 1))
    response = client_for(leader).get(reverse("dispatch:report_download", args=[report.pk]))
    assert_prints(content(response))


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly"])
def test_report_figures_are_numbers_in_their_format(
    settings: Any, tmp_path: Any, client_for: Callable[[User], Client], leader: User, kind: str
) -> None:
    """Rates read 72.1%, not 0.7205; a fraction is never left in the General format, and the
    overview's figures (counts, amounts and rates in one column) each carry their own."""
    settings.MEDIA_ROOT = tmp_path
    ProjectFactory.create_batch(2)
    report = services.report_generate(kind=kind, period_start=datetime.date(2026, 9, 1))
    response = client_for(leader).get(reverse("dispatch:report_download", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(content(response)))
    checked = 0
    for ws in workbook.worksheets:
        headers = [c.value for c in ws[3]]
        for row in ws.iter_rows(min_row=4):
            for cell in row:
                if not isinstance(cell.value, int | float):
                    continue
                overview = headers[:2] == ["指标", "数值"]
                label = str(row[0].value if overview else headers[cell.column - 1])
                where = f"{ws.title}!{cell.coordinate} {label}"
                if label.endswith("率"):
                    assert cell.number_format == "0.0%", where
                if overview or isinstance(cell.value, float):
                    assert cell.number_format != "General", where
                checked += 1
    assert checked > 5


def test_the_survey_template_prints(
    client_for: Callable[[User], Client], taskforce_member: User
) -> None:
    response = client_for(taskforce_member).get(reverse("imports:template"))
    assert_prints(content(response))
