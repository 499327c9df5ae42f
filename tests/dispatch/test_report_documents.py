"""The reports as Word documents (公文): layout, fonts, 发文字号, the text drafted from the
snapshot, the leader's 批示, downloads for pages and API alike."""

import datetime
import io
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import RGBColor

from core.models import User
from dispatch.models import MarketFigure, Report, ReportSequence, ReportTemplate
from dispatch.reports import services
from dispatch.reports.document import report_docx
from dispatch.reports.drafting import FIGURES, placeholder_names
from ledgers.models import Problem
from projects.models import Project
from tests.dispatch.reports_helpers import stamp
from tests.docx_helpers import east_asian_font, landscape, mm, pt
from tests.factories import (
    AnnualTargetFactory,
    DeliveryRecordFactory,
    FundingRecordFactory,
    PetitionFactory,
    ProblemFactory,
    ProjectFactory,
    TaskForceFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
SH = ZoneInfo("Asia/Shanghai")
PERIODS = {"weekly": D(2026, 11, 23), "monthly": D(2026, 11, 1), "quarterly": D(2026, 7, 1)}
AS_OF = {"weekly": "11月29日", "monthly": "11月30日", "quarterly": "9月30日"}


def at(day: D, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SH)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county(time_machine: Any) -> dict[str, Any]:
    """A small county entered in the course of 2026; the clock then stands on 1 December."""
    time_machine.move_to(at(D(2026, 6, 1)), tick=False)
    north = TaskForceFactory.create(name="城北专班")
    south = TaskForceFactory.create(name="城南专班")
    a = ProjectFactory.create(code="A", task_force=north, units_sold=300, units_delivered=120)
    b = ProjectFactory.create(code="B", task_force=south, units_sold=200)
    c = ProjectFactory.create(
        code="C", task_force=south, units_sold=81, construction_status=Project.Status.STOPPED
    )
    AnnualTargetFactory.create(year=2026, units=400)
    AnnualTargetFactory.create(year=2026, task_force=north, units=100)
    AnnualTargetFactory.create(year=2026, task_force=south, units=300)
    for project, day, units in ((a, D(2026, 11, 10), 37), (b, D(2026, 11, 24), 13)):
        stamp(DeliveryRecordFactory.create(project=project, date=day, units=units), day)
        project.units_delivered += units
        project.save()
        stamp(project, day)
    ProblemFactory.create(project=c, problem_type=Problem.Type.WAGE_ARREARS, amount=Decimal(35))
    ProblemFactory.create(project=b, amount=Decimal("1200.5"))
    FundingRecordFactory.create(project=b, date=D(2026, 11, 5), amount=Decimal("300.25"))
    PetitionFactory.create(received_date=D(2026, 11, 25), headcount=6, project=c)
    MarketFigure.objects.create(
        month=D(2026, 11, 1), sales_area=Decimal(12000), inventory_area=Decimal(90000)
    )
    time_machine.move_to(at(D(2026, 12, 1)), tick=False)
    return {"north": north, "south": south}


def generate(kind: str) -> Report:
    return services.report_generate(kind=kind, period_start=PERIODS[kind])


def opened(report: Report) -> DocxDocument:
    return Document(io.BytesIO(report_docx(report)))


def texts(doc: DocxDocument) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def east_asian_fonts(paragraph: Any) -> set[str | None]:
    return {east_asian_font(r) for r in paragraph.runs if r.text}


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly"])
def test_each_report_is_a_gbt_9704_document(county: dict[str, Any], kind: str) -> None:
    report = generate(kind)
    words = report.data["document"]
    doc = opened(report)

    first = doc.sections[0]
    assert (round(mm(first.page_width)), round(mm(first.page_height))) == (210, 297)
    assert [mm(m) for m in (first.top_margin, first.bottom_margin)] == [37.0, 35.0]
    assert [mm(m) for m in (first.left_margin, first.right_margin)] == [28.0, 26.0]
    grid = first._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm ÷ 22 lines
    lines = texts(doc)
    assert lines[0] == "送审稿"
    masthead = next(p for p in doc.paragraphs if p.text == "示范县保交房工作领导小组办公室")
    assert east_asian_fonts(masthead) == {"方正小标宋简体"}
    assert masthead.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    number = next(p for p in doc.paragraphs if p.text.startswith("县保交房办"))
    assert 'w:color="FF0000"' in number._p.xml  # the red line under the number
    title = next(p for p in doc.paragraphs if p.runs and p.runs[0].font.size == 22 * 12700)
    assert east_asian_fonts(title) == {"方正小标宋简体"}
    assert title.text == words["title"]
    body = [p for p in doc.paragraphs if p.text in words["paragraphs"] and p.text[1] != "、"]
    assert len(body) > 2
    assert all("仿宋_GB2312" in east_asian_fonts(p) for p in body)
    assert all(pt(r.font.size) == 16 for p in body for r in p.runs)
    heading_1 = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert east_asian_fonts(heading_1) == {"黑体"}
    footer = first.footer.paragraphs[0]
    assert footer.text.startswith("— ")
    assert footer.text.endswith(" —")
    assert "PAGE" in footer._p.xml
    assert first.even_page_footer.paragraphs[0].text
    assert doc.settings.odd_and_even_pages_header_footer
    assert doc.tables[-1].rows[-1].cells[-1].text.endswith("日印发")


def test_the_monthly_bulletin_opens_with_the_figures_of_its_snapshot(
    county: dict[str, Any],
) -> None:
    report = generate("monthly")
    d = report.data["delivery"]
    assert (d["projects"], d["units_delivered"], d["target"], d["delivered_ytd"]) == (
        3,
        170,
        400,
        50,
    )

    lines = texts(opened(report))

    assert "截至11月30日，全县纳入台账项目3个，已交房170套，完成年度任务的12.5%。" in "".join(lines)
    assert report.doc_number == "县保交房办〔2026〕1号"
    assert "县保交房办〔2026〕1号" in lines


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly"])
def test_every_placeholder_writes_the_snapshots_figure(county: dict[str, Any], kind: str) -> None:
    """A template with every placeholder: each value in the document is the snapshot's figure."""
    ReportTemplate.objects.filter(kind=kind).update(
        body="\n".join(f"{name}＝{{{{{name}}}}}" for name in placeholder_names(kind))
    )
    report = generate(kind)
    written = dict(line.split("＝", 1) for line in texts(opened(report)) if "＝" in line)

    assert set(written) == set(placeholder_names(kind))
    assert written["截至日期"] == AS_OF[kind]
    for figure in FIGURES[kind]:
        value, text = figure.get(report.data), written[figure.name]
        if figure.name == "截至日期":
            continue
        if value is None:
            assert text == "—", figure.name
        elif isinstance(value, str):
            assert text == value, figure.name
        elif text.endswith("%"):
            assert abs(Decimal(text[:-1]) / 100 - Decimal(str(value))) <= Decimal("0.0005")
        else:
            assert abs(Decimal(text) - Decimal(str(value))) < Decimal("0.005"), figure.name


def test_numbers_run_per_year_and_a_draft_keeps_its_number(
    county: dict[str, Any], time_machine: Any
) -> None:
    weekly, monthly = generate("weekly"), generate("monthly")
    assert (weekly.doc_number, monthly.doc_number) == (
        "县保交房办〔2026〕1号",
        "县保交房办〔2026〕2号",
    )

    assert generate("weekly").doc_number == "县保交房办〔2026〕1号"  # regenerated draft

    time_machine.move_to(at(D(2027, 1, 4)), tick=False)
    december = services.report_generate(kind="monthly", period_start=D(2026, 12, 1))
    assert december.doc_number == "县保交房办〔2027〕1号"


def test_a_new_version_of_a_published_report_is_a_new_document_with_its_own_number(
    county: dict[str, Any], leader: User
) -> None:
    first = generate("weekly")
    services.report_comment_publish(actor=leader, report=first, remark="", publish=True)

    generate("weekly")

    latest = Report.objects.filter(kind="weekly").order_by("-doc_serial").first()
    assert latest is not None
    assert latest.doc_number == "县保交房办〔2026〕2号"
    assert generate("monthly").doc_number == "县保交房办〔2026〕3号"


def test_the_leaders_remark_appears_once_published(county: dict[str, Any], leader: User) -> None:
    report = generate("monthly")
    services.report_comment_publish(actor=leader, report=report, remark="抓紧推进。", publish=False)
    report.refresh_from_db()
    assert not any("抓紧推进" in line for line in texts(opened(report)))

    services.report_comment_publish(actor=leader, report=report, remark="抓紧推进。", publish=True)
    report.refresh_from_db()
    lines = texts(opened(report))

    assert "领导批示：抓紧推进。" in lines
    assert "送审稿" not in lines
    assert "2026年12月1日" in lines  # 成文日期: the day of publication


def test_attachments_are_the_snapshots_tables_with_totals(county: dict[str, Any]) -> None:
    report = generate("monthly")
    doc = opened(report)
    ranking = next(t for t in doc.tables if t.rows[0].cells[1].text == "工作专班")
    rows = [[c.text for c in row.cells] for row in ranking.rows]

    assert rows[1][1] == "城北专班"
    assert rows[1][8] == "37.0%"
    assert rows[-1][0] == "合计"
    assert rows[-1][4] == "170"
    wide = [s for s in doc.sections if landscape(s)]
    assert wide
    assert round(mm(wide[0].page_width)) == 297


def test_template_with_an_unknown_placeholder_is_refused_in_the_admin(
    client_for: Any, admin_user: User
) -> None:
    template = ReportTemplate.objects.get(kind="monthly")
    url = reverse("admin:dispatch_reporttemplate_change", args=[template.pk])
    client: Client = client_for(admin_user)
    form = {
        "title": template.title,
        "recipients": template.recipients,
        "body": "截至{{截至日期}}，已交房{{已交房数}}套。{{ 项目数",
        "copy_to": "",
    }

    response = client.post(url, form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "未知的占位符：{{已交房数}}" in page
    assert "成对的双花括号" in page
    template.refresh_from_db()
    assert "已交房数" not in template.body
    assert "{{年度任务完成率}}" in client.get(url).content.decode()  # the list of placeholders


@pytest.mark.parametrize("api", [False, True])
def test_word_download_for_the_readers_of_the_excel_file(
    county: dict[str, Any], client_for: Any, leader: User, department_user: User, api: bool
) -> None:
    report = generate("quarterly")
    url = (
        f"/api/reports/{report.pk}/document/"
        if api
        else reverse("dispatch:report_document", args=[report.pk])
    )

    response = client_for(leader).get(url)

    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in response["Content-Disposition"]
    assert mm(Document(io.BytesIO(response.content)).sections[0].page_height) == 297
    assert client_for(department_user).get(url).status_code in (403, 404)


def test_report_page_offers_word_excel_and_print(
    county: dict[str, Any], client_for: Any, leader: User
) -> None:
    report = generate("monthly")
    page = client_for(leader).get(reverse("dispatch:report_detail", args=[report.pk]))
    html = page.content.decode()
    for label in ("下载Word", "下载Excel", "打印", "县保交房办〔2026〕1号", "截至11月30日"):
        assert label in html


def test_report_list_offers_the_word_file_beside_the_excel_file(
    county: dict[str, Any], client_for: Any, leader: User
) -> None:
    reports = [generate(kind) for kind in PERIODS]
    html = client_for(leader).get(reverse("dispatch:report_list")).content.decode()
    for report in reports:
        assert reverse("dispatch:report_document", args=[report.pk]) in html
        assert reverse("dispatch:report_download", args=[report.pk]) in html


def test_schema_documents_the_word_file(client_for: Any, leader: User) -> None:
    schema = client_for(leader).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/reports/{id}/document/"]["get"]
    assert (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        in (operation["responses"]["200"]["content"])
    )


@pytest.mark.django_db(transaction=True)
def test_numbers_never_repeat_when_reports_are_built_at_once(
    roles: None, time_machine: Any
) -> None:
    """Four workers (four database connections) build four reports at the same moment."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    time_machine.move_to(at(D(2026, 12, 1)), tick=False)
    ProjectFactory.create()
    periods = [
        ("weekly", D(2026, 11, 16)),
        ("weekly", D(2026, 11, 23)),
        ("monthly", D(2026, 11, 1)),
        ("quarterly", D(2026, 7, 1)),
    ]
    start = threading.Barrier(len(periods))
    results: list[Any] = []

    def build(kind: str, day: D) -> None:
        from django.db import connection as thread_connection

        try:
            start.wait(timeout=10)
            results.append(services.report_generate(kind=kind, period_start=day).doc_serial)
        except Exception as e:
            results.append(e)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=build, args=period) for period in periods]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert sorted(results) == [1, 2, 3, 4], results
    assert ReportSequence.objects.get(year=2026).last == 4


@pytest.mark.libreoffice
def test_libreoffice_converts_each_report(
    county: dict[str, Any], soffice: Callable[[list[Path]], list[Path]], tmp_path: Path
) -> None:
    files = []
    for kind in PERIODS:
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(report_docx(generate(kind)))
        files.append(path)

    pdfs = soffice(files)

    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF"), pdf
        assert data.count(b"/Type /Page\n") + data.count(b"/Type/Page") >= 2, pdf
