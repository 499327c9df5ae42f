"""Whole files: limits on what is read, which work goes to the worker, files that break the reader,
the error workbook handed back, and the template's round trip (issue 13, kinds 9 and 12)."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.models import User
from imports import services
from imports.models import ImportBatch
from imports.services import checking
from projects.models import Project, TaskForce
from tests.factories import TownshipFactory
from tests.imports.sheets import HEADERS, column, row, survey
from tests.imports.test_import import upload
from tests.imports.xlsx import C, Sheet, assert_opens_cleanly, excel_resave, xlsx


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


def submit(actor: User, content: bytes) -> ImportBatch:
    return services.import_submit(actor=actor, upload=SimpleUploadedFile("摸排表.xlsx", content))


# 12. Every row read counts; size decides where the work is done.
def test_the_row_limit_counts_total_and_footer_rows_too(member: User, settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 50
    totals = [["合计", None, None, None, None, None, 1] for _ in range(60)]
    batch = upload(member, xlsx(survey([[1, *row()], *totals], numbered=False)))
    assert batch.status == ImportBatch.Status.REJECTED
    assert "有内容的行超过50行（合计、落款等行也计算在内）" in batch.message
    assert batch.preview == {}


def test_a_large_file_goes_to_the_worker_whatever_its_dimension_claims(
    member: User, settings: Any
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 20_000
    rows = [row(code=f"CG-{i:03d}", name=f"项目{i}") for i in range(100)]
    large = submit(member, xlsx(survey(rows, dimension="A1")))
    assert large.status == ImportBatch.Status.CHECKING  # handed to the worker
    small = submit(member, xlsx(survey(rows[:2], dimension="A1:Z10000")))
    assert small.status == ImportBatch.Status.PREVIEWED


# Files that break the reader end in a state with a message, never 检查中 or a 500.
def _broken_sheet() -> bytes:
    good = zipfile.ZipFile(io.BytesIO(xlsx(survey([row()]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for name in good.namelist():
            part = good.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = part.replace(b"</row>", b"</rwo>", 1)
            copy.writestr(name, part)
    return out.getvalue()


def test_malformed_xml_is_refused_with_a_message(
    client_for: Callable[[User], Client], member: User
) -> None:
    client = client_for(member)
    response = client.post("/import/", {"file": SimpleUploadedFile("坏表.xlsx", _broken_sheet())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.REJECTED
    page = client.get(f"/import/{batch.pk}/")
    assert page.status_code == 200
    assert "XML格式错误" in page.content.decode()
    assert "另存为" in page.content.decode()


def test_any_failure_while_checking_ends_the_batch_failed(
    member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(checking, "analyze", crash)
    batch = submit(member, xlsx(survey([row()])))
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.message.startswith("检查文件时发生系统错误")


# 9. The error workbook.
def test_the_error_workbook_opens_cleanly_whatever_the_sheet(
    client_for: Callable[[User], Client], member: User
) -> None:
    client = client_for(member)
    header = [*HEADERS, *([None] * (16384 - len(HEADERS) - 1)), "打印区域说明"]  # up to XFD
    gap = column("资金缺口（万元）")
    rows = [row(gap=1200), row(code="CG-002", name="二期", gap=None, sold="500")]
    sheet = survey(rows, headers=header, merges=[f"{chr(65 + gap)}4:{chr(65 + gap)}5"])
    client.post("/import/", {"file": SimpleUploadedFile("宽表.xlsx", xlsx(sheet))})
    batch = ImportBatch.objects.get()
    assert batch.counts["error"] == 2, batch.preview["rows"]
    report = client.get(f"/import/{batch.pk}/errors.xlsx").getvalue()
    assert_opens_cleanly(report)
    wb = openpyxl.load_workbook(io.BytesIO(report))
    assert wb.sheetnames[0] == "错误清单"
    listed = [(r[1], r[2]) for r in wb["错误清单"].iter_rows(min_row=2, values_only=True)]
    assert (5, "J") in listed
    assert (4, "P") in listed
    assert wb["摸排表"]["P4"].comment is not None  # the merged cell's anchor, not a covered cell


def test_the_error_workbook_of_several_sheets_marks_each(
    client_for: Callable[[User], Client], member: User
) -> None:
    client = client_for(member)
    content = xlsx(
        survey([row(sold="500")], name="城关镇"),
        survey([row(code="CG-2", sold="600")], name="南湖镇"),
    )
    client.post("/import/", {"file": SimpleUploadedFile("两镇.xlsx", content)})
    report = client.get(f"/import/{ImportBatch.objects.get().pk}/errors.xlsx").getvalue()
    assert_opens_cleanly(report)
    wb = openpyxl.load_workbook(io.BytesIO(report))
    assert wb["城关镇"]["J4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["南湖镇"]["J4"].fill.fgColor.rgb.endswith("FFC7CE")


# The template's round trip: download, fill as a clerk does in Excel, import.
def test_the_template_filled_in_excel_imports_without_its_example(
    client_for: Callable[[User], Client], member: User
) -> None:
    client = client_for(member)
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/import/template.xlsx").getvalue()))
    ws = wb["摸排表"]
    headers = [c.value for c in ws[3]]
    values = dict(zip(HEADERS, [1, *row(code="", name="锦绣华府二期")], strict=True))
    values["所在乡镇（街道）"] = "城关镇"
    for i, header in enumerate(headers, start=1):
        key = next(
            (
                h
                for h in values
                if h.replace("（", "(").replace("）", ")").replace("㎡", "㎡")[:4] == header[:4]
            ),
            None,
        )
        if key is not None and key != "序号":
            ws.cell(row=5, column=i, value=values[key])
    ws.cell(row=5, column=1, value=1)
    ws.cell(row=6, column=1, value=2)  # a numbered row left empty
    ws.cell(row=6, column=headers.index("未交房套数") + 1, value="=K6-L6")
    out = io.BytesIO()
    wb.save(out)
    batch = upload(member, excel_resave(out.getvalue()))
    assert batch.counts["new"] == 1, batch.preview["rows"]
    assert [why for _, why in batch.preview["sheets"][0]["skipped"]] == [
        "模板示例行",
        "只有序号或公式的空行",
    ]
    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get()
    assert project.name == "锦绣华府二期"
    assert project.code.startswith("BJF-")


def test_sheets_with_formula_columns_saved_by_excel_import(member: User) -> None:
    """未交房套数 as a formula with its cached result, as Excel saves it."""
    cells = row()
    cells[column("未交房套数") - 1] = C(300, formula="J4-K4")
    batch = upload(
        member, xlsx(Sheet("摸排表", [["摸排表"], ["单位：万元"], HEADERS, [1, *cells]]))
    )
    assert batch.counts["new"] == 1, batch.preview["rows"]
