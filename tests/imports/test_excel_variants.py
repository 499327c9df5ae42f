"""Siblings of the quirks in test_excel_files.py: each kind of issue 13 tried with the other
spellings, error values, date formats and footers townships use, on sheets saved as Excel saves
them (shared strings, styles, real merged ranges)."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from imports import services
from imports.models import ImportBatch
from ledgers.models import DeliveryRecord
from projects.models import Company, Project, TaskForce
from tests.factories import ProjectFactory, TownshipFactory
from tests.imports.sheets import HEADERS, column, row, survey
from tests.imports.test_import import upload
from tests.imports.xlsx import C, Sheet, xlsx


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


def with_cell(header: str, value: Any, **kwargs: Any) -> list[Any]:
    cells = row(**kwargs)
    cells[column(header) - 1] = value
    return cells


def errors_of(batch: ImportBatch, index: int = 0) -> list[list[str]]:
    return batch.preview["rows"][index]["errors"]


def applied(member: User, batch: ImportBatch) -> Project:
    assert batch.counts["error"] == batch.counts["sheet_errors"] == 0, batch.preview
    services.import_apply(actor=member, batch=batch)
    return Project.objects.get()


# 2. Units as people spell them, in the header, the group header, the unit line and the cell.
@pytest.mark.parametrize("unit", ["万平米", "万平方", "万㎡", "万m²", "万M2"])
def test_area_units_spelt_every_way_are_read_in_the_header(member: User, unit: str) -> None:
    headers = [f"总建筑面积（{unit}）" if h.startswith("总建筑面积") else h for h in HEADERS]
    batch = upload(member, xlsx(survey([row(area=5.2)], headers=headers)))
    assert applied(member, batch).total_floor_area == Decimal("52000.00")


@pytest.mark.parametrize("line", ["单位：万平米、套、亿元", "面积单位：万平方米；金额单位：亿元"])
def test_unit_lines_spelt_other_ways(member: User, line: str) -> None:
    headers = [h.split("（")[0] if "面积" in h or "资金" in h else h for h in HEADERS]
    sheet = survey([row(area=5.2, sold_area=3.1, gap=0.12)], headers=headers, unit_line=line)
    project = applied(member, upload(member, xlsx(sheet)))
    assert (project.total_floor_area, project.funding_gap) == (Decimal(52000), Decimal(1200))


@pytest.mark.parametrize(
    ("header", "cell", "stored"),
    [
        ("资金缺口（千元）", 12000, Decimal(1200)),
        ("资金缺口（百万元）", 12, Decimal(1200)),
        ("资金缺口（万元）", "1200万", Decimal(1200)),
        ("资金缺口（元）", "1,200万元", Decimal(1200)),
    ],
)
def test_money_units_spelt_other_ways(member: User, header: str, cell: Any, stored: Any) -> None:
    headers = [header if h.startswith("资金缺口") else h for h in HEADERS]
    batch = upload(member, xlsx(survey([row(gap=cell)], headers=headers)))
    assert applied(member, batch).funding_gap == stored


def test_an_area_typed_with_its_unit_in_the_cell(member: User) -> None:
    batch = upload(member, xlsx(survey([row(area="5.2万平米", sold_area="3.1万㎡")])))
    project = applied(member, batch)
    assert (project.total_floor_area, project.sold_area) == (Decimal(52000), Decimal(31000))


def test_a_header_unit_that_is_no_unit_of_the_column_is_an_error(member: User) -> None:
    headers = ["总建筑面积（万方）" if h.startswith("总建筑面积") else h for h in HEADERS]
    batch = upload(member, xlsx(survey([row(area=5.2)], headers=headers)))
    (message,) = [m for level, m in batch.preview["notices"] if level == "error"]
    assert "G列“总建筑面积(万方)”的单位“万方”" in message


# 3. Which rows are projects: other total labels, notes, footers and example marks.
def test_other_totals_notes_footers_and_example_marks_are_not_projects(member: User) -> None:
    rows = [
        ["示例：", *row(code="", name="示范花园", developer="示范公司")],
        ["（例）", *row(code="", name="示范花园二", developer="示范公司")],
        [1, *row()],
        [None, None, "合计数", None, None, None, None, 99999],
        [None, None, "总 计", None, None, None, None, 99999],
        [None, "全县累计", None, None, None, None, None, 99999],
        ["附注：面积含地下室"],
        ["※注：已交房含分批交付"],
        [None, None, "分管领导：王五", None, "经办人：赵六"],
        [None, None, "单位（盖章）", None, None, "日期：2026年11月20日"],
    ]
    batch = upload(member, xlsx(survey(rows, numbered=False)))
    assert batch.counts["new"] == 1, batch.preview["rows"]
    assert batch.counts["error"] == 0
    reasons = [why for _, why in batch.preview["sheets"][0]["skipped"]]
    assert reasons == ["模板示例行", "模板示例行", "合计行", "合计行", "合计行", "注释说明",
                       "注释说明", "填报人等落款", "填报人等落款"]  # fmt: skip


# 4. Dates: numbers that cannot be a date are errors of the cell, never a crash.
@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (20250630, datetime.date(2025, 6, 30)),  # typed as yyyymmdd, kept as a number
        (C(datetime.date(2025, 6, 1), fmt="yyyy.mm"), datetime.date(2025, 6, 30)),
        (C(datetime.date(2025, 6, 1), fmt='[$-804]yyyy"年"m"月";@'), datetime.date(2025, 6, 30)),
        (C(datetime.date(2025, 6, 1), fmt="[DBNum1][$-804]yyyy年m月"), datetime.date(2025, 6, 30)),
        (C(datetime.date(2025, 6, 30), fmt='yyyy"年"m"月"d"日"'), datetime.date(2025, 6, 30)),
        ("2025.06", datetime.date(2025, 6, 30)),
        ("2025/6", datetime.date(2025, 6, 30)),
    ],
)
def test_other_date_formats(member: User, cell: Any, stored: Any) -> None:
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)])))
    assert applied(member, batch).contract_delivery_date == stored


@pytest.mark.parametrize(
    ("cell", "message"), [(3_000_000, "日期超出范围"), (20251345, "不是有效的日期"), (-5, "日期")]
)
def test_numbers_no_date_can_be_are_errors_of_their_cell(
    member: User, cell: Any, message: str
) -> None:
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)])))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.message
    (letter, text), *_ = errors_of(batch)
    assert (letter, message in text) == ("M", True), text


def test_a_1904_workbook_reads_its_month_dates_and_bare_serials_from_1904(member: User) -> None:
    rows = [
        with_cell("合同约定交房时间", C(datetime.date(2025, 6, 1), fmt='yyyy"年"m"月"')),
        with_cell("合同约定交房时间", 44376, code="CG-002", name="御景湾"),  # 2025-06-30 in 1904
    ]
    batch = upload(member, xlsx(survey(rows), date1904=True))
    assert batch.counts["new"] == 2, batch.preview["rows"]
    services.import_apply(actor=member, batch=batch)
    assert set(Project.objects.values_list("contract_delivery_date", flat=True)) == {
        datetime.date(2025, 6, 30)
    }


# 5. Error values, however they reached the file.
@pytest.mark.parametrize("error", ["#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"])
def test_every_cached_error_value_is_an_error(member: User, error: str) -> None:
    batch = upload(member, xlsx(survey([with_cell("开发企业", C(error=error, formula="A1"))])))
    assert f"显示错误值{error}" in errors_of(batch)[0][1]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", " #DIV/0! "])
def test_an_error_value_exported_as_text_is_an_error_too(member: User, error: str) -> None:
    """OA systems and copy-paste as values turn an error into its text: it is still no name."""
    batch = upload(member, xlsx(survey([with_cell("开发企业", error)])))
    assert batch.counts["error"] == 1
    assert f"显示错误值{error.strip()}" in errors_of(batch)[0][1]
    assert not Company.objects.filter(name__contains="#").exists()


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (C(60, fmt='0"％"'), Decimal("60.0")),
        (C(60, fmt="0\\%"), Decimal("60.0")),
        (C(0.6, fmt="[Blue]0%"), Decimal("60.0")),
        ("60％", Decimal("60.0")),
    ],
)
def test_progress_in_other_percent_formats(member: User, cell: Any, stored: Any) -> None:
    batch = upload(member, xlsx(survey([with_cell("形象进度", cell)])))
    assert applied(member, batch).progress_percent == stored


# 7. A column of another quantity than the ledger's: this month's increase is not the total.
@pytest.mark.parametrize(
    "header", ["已交房套数（本月新增）", "已交房套数（新增）", "已交房套数（本年新增）"]
)
def test_an_increase_column_is_set_aside(member: User, header: str) -> None:
    headers = [header if h == "已交房套数" else h for h in HEADERS]
    batch = upload(member, xlsx(survey([row(delivered=20, undelivered=None)], headers=headers)))
    ignored = batch.preview["sheets"][0]["ignored"]
    assert [column[0] for column in ignored] == ["K"], ignored
    project = applied(member, batch)
    assert project.units_delivered == 0


# 9. Files that are not workbooks.
def test_a_single_file_web_page_saved_as_xlsx_is_told_to_save_as_a_workbook(member: User) -> None:
    content = b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related"
    batch = upload(member, content)
    assert batch.status == ImportBatch.Status.REJECTED
    assert "网页" in batch.message
    assert "另存为" in batch.message


# 11. The as-of date as the cell shows it.
@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            ["截至日期：", C(datetime.date(2026, 10, 1), fmt='yyyy"年"m"月"')],
            datetime.date(2026, 10, 31),
        ),
        (["截至日期：", C(datetime.date(2026, 10, 1), fmt=57)], datetime.date(2026, 10, 31)),
        (["截至日期：", C(datetime.date(2026, 10, 20))], datetime.date(2026, 10, 20)),
        (["数据截止到2026年10月20日"], datetime.date(2026, 10, 20)),
    ],
)
def test_the_as_of_date_is_read_as_its_cell_shows_it(
    member: User, cells: list[Any], expected: datetime.date
) -> None:
    known = ProjectFactory.create(code="CG-001", task_force=TaskForce.objects.get())
    sheet = survey(
        [
            row(
                name=known.name,
                developer=known.developer.name,
                delivered=known.units_delivered + 5,
                undelivered=None,
            )
        ]
    )
    table = [list(r) for r in sheet.rows]
    table[1] = ["填报单位：城关镇", None, None, *cells]
    batch = upload(member, xlsx(Sheet(sheet.name, table, merges=sheet.merges)))
    assert batch.preview["as_of"]["date"] == expected.isoformat(), batch.preview["as_of"]
    assert batch.counts["error"] == 0, batch.preview
    services.import_apply(actor=member, batch=batch)
    assert DeliveryRecord.objects.get().date == expected


def test_the_footers_fill_in_date_dates_the_deliveries(member: User) -> None:
    """填报日期 is usually written in the footer under the table, not above it."""
    known = ProjectFactory.create(code="CG-001", task_force=TaskForce.objects.get())
    rows = [
        [1, *row(name=known.name, developer=known.developer.name,
                 delivered=known.units_delivered + 5, undelivered=None)],
        ["填报人：张三", None, "填报日期：", C(datetime.date(2026, 11, 20))],
    ]  # fmt: skip
    batch = upload(member, xlsx(survey(rows, numbered=False)))
    assert batch.preview["as_of"]["date"] == "2026-11-20", batch.preview["as_of"]
    services.import_apply(actor=member, batch=batch)
    assert DeliveryRecord.objects.get().date == datetime.date(2026, 11, 20)


def test_an_as_of_date_without_its_year_is_a_warning_never_a_guess(member: User) -> None:
    batch = upload(member, xlsx(survey([row()], unit_line="截至11月20日　单位：万元、平方米、套")))
    assert batch.preview["as_of"]["date"] == "2026-11-30"  # the import day, said so
    warnings = [m for level, m in batch.preview["notices"] if level == "warning"]
    assert any("“截至11月20日" in m and "没有写年份" in m for m in warnings), warnings


def test_a_breakdown_row_under_a_project_is_not_a_project(member: User) -> None:
    rows = [[1, *row()], [None, None, "其中：住宅", None, None, None, None, 40000]]
    batch = upload(member, xlsx(survey(rows, numbered=False)))
    assert (batch.counts["new"], batch.counts["error"]) == (1, 0), batch.preview["rows"]
    assert batch.preview["sheets"][0]["skipped"] == [[5, "分项（其中）行"]]


def test_a_date_shown_as_its_month_alone_is_that_month_with_a_warning(member: User) -> None:
    """m"月" shows 6月: the month is read as the person sees it, the hidden year is asked about."""
    cell = C(datetime.date(2025, 6, 1), fmt='m"月"')
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)])))
    (warning,) = batch.preview["rows"][0]["warnings"]
    assert "不显示年份" in warning[1], warning
    assert applied(member, batch).contract_delivery_date == datetime.date(2025, 6, 30)
