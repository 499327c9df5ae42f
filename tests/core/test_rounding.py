"""One rounding: 四舍五入 to one decimal of a percent, the same on pages, in the API, in the
Excel file and in the 公文; rate cells are numbers in a percent format; no 合计 adds a funding
gap to wages owed."""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core.models import User
from core.rounding import half_up, percent_text, rate
from dispatch.reports import services
from dispatch.reports.document import cell_text
from ledgers.models import Problem
from tests.dispatch.reports_helpers import stamp
from tests.factories import DeliveryRecordFactory, ProblemFactory, ProjectFactory

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("num", "den", "fraction", "text"),
    [
        (13, 16, Decimal("0.813"), "81.3%"),  # 81.25: half up, not to even
        (30, 170, Decimal("0.176"), "17.6%"),  # 17.647…, never 0.1765 → 17.7%
        (1, 3, Decimal("0.333"), "33.3%"),
        (2, 3, Decimal("0.667"), "66.7%"),
        (1, 1, Decimal("1.000"), "100.0%"),
        (0, 5, Decimal("0.000"), "0.0%"),
    ],
)
def test_a_rate_is_rounded_once_half_up(num: int, den: int, fraction: Decimal, text: str) -> None:
    assert rate(num, den) == fraction
    assert percent_text(rate(num, den)) == text
    assert percent_text(Decimal(num) / Decimal(den)) == text


def test_nothing_to_divide_by_is_a_dash() -> None:
    assert rate(3, 0) is None
    assert percent_text(None) == "—"
    assert half_up(28.365) == Decimal("28.37")


def render(text: str, **context: Any) -> str:
    return Template("{% load bzf %}" + text).render(Context(context))


def test_template_filters_round_as_the_files_do() -> None:
    assert render("{{ v|percent }}", v=0.8125) == "81.3%"
    assert render("{{ v|percent }}", v=None) == "—"
    assert render("{{ v|points }}", v=Decimal("48.5")) == "48.5%"
    assert cell_text(0.8125, "0.0%") == "81.3%"
    assert cell_text(2.5, "#,##0") == "3"


@pytest.mark.django_db
def test_project_pages_and_api_show_the_same_figures(
    client_for: Callable[[User], Client], leader: User
) -> None:
    project = ProjectFactory.create(
        units_sold=16, units_delivered=13, total_units=20, progress_percent=Decimal("48.5")
    )
    client = client_for(leader)
    listing = client.get(reverse("projects:list")).content.decode()
    assert "48.5%" in listing
    assert "49%" not in listing
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "81.3%" in detail
    api = APIClient()
    api.force_authenticate(leader)
    assert api.get(f"/api/projects/{project.pk}/").json()["delivery_rate"] == "0.813"


@pytest.mark.django_db
def test_report_cells_are_numbers_in_a_percent_format_and_totals_keep_units(
    client_for: Callable[[User], Client], leader: User
) -> None:
    project = stamp(ProjectFactory.create(units_sold=16), D(2026, 1, 5))
    stamp(
        DeliveryRecordFactory.create(project=project, date=D(2026, 10, 9), units=13), D(2026, 10, 9)
    )
    project.units_delivered = 13
    project.save()
    stamp(project, D(2026, 10, 9))
    for kind, amount in [(Problem.Type.FUNDING_GAP, "300"), (Problem.Type.WAGE_ARREARS, "50")]:
        problem = ProblemFactory.create(
            project=project,
            problem_type=kind,
            amount=Decimal(amount),
            reported_date=D(2026, 10, 12),
        )
        stamp(problem, D(2026, 10, 12))
    report = services.report_generate(kind="monthly", period_start=D(2026, 10, 1))
    assert report.data["delivery"]["delivery_rate"] == 0.813
    response = client_for(leader).get(reverse("dispatch:report_download", args=[report.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    overview = workbook["概况"]
    cells = {row[0].value: row[1] for row in overview.iter_rows(min_row=4)}
    assert (cells["交房率"].value, cells["交房率"].number_format) == (0.813, "0.0%")
    assert cells["问题化解率"].number_format == "0.0%"
    assert cells["已售套数"].number_format == "#,##0"
    problems = workbook["问题化解"]
    header = [c.value for c in problems[3]]
    amount_column = header.index("未化解涉及金额")
    total_row = [c.value for c in problems[problems.max_row]]
    assert total_row[0] == "合计"
    assert total_row[header.index("问题总数")] == 2
    assert total_row[amount_column] in (None, "")
    page = client_for(leader).get(reverse("dispatch:report_detail", args=[report.pk]))
    assert "81.3%" in page.content.decode()


@pytest.mark.django_db
def test_weekly_new_problems_have_no_total_of_mixed_amounts(leader: User) -> None:
    project = stamp(ProjectFactory.create(), D(2026, 11, 2))
    for kind in (Problem.Type.FUNDING_GAP, Problem.Type.WAGE_ARREARS):
        problem = ProblemFactory.create(
            project=project, problem_type=kind, amount=Decimal("10"), reported_date=D(2026, 11, 17)
        )
        stamp(problem, D(2026, 11, 17))
    report = services.report_generate(kind="weekly", period_start=D(2026, 11, 16))
    workbook = load_workbook(report.file.path)
    sheet = workbook["新增问题"]
    assert all(row[0].value != "合计" for row in sheet.iter_rows(min_row=4))
