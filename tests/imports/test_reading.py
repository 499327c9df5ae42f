"""Recognising real survey sheets: headers, units, dates, blank/total/footer rows."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from imports import parsing
from imports.reading.table import SurveyWorkbook
from tests.imports.sheets import HEADERS, messy_sheet, row, write
from tests.imports.xlsx import Sheet, xlsx


def read(path: Path) -> tuple[SurveyWorkbook, list]:
    workbook = SurveyWorkbook(path)
    rows = list(workbook.rows())
    workbook.close()
    return workbook, rows


@pytest.mark.parametrize("two_rows", [False, True])
def test_header_found_below_title_and_unit_line(tmp_path: Path, two_rows: bool) -> None:
    workbook, rows = read(
        write(tmp_path, messy_sheet([row(), row(code="CG-002")], two_row_header=two_rows))
    )
    (layout,) = workbook.sheets
    assert layout.header_rows == ([3, 4] if two_rows else [3])
    fields = layout.fields
    assert {"code", "name", "township", "total_units", "units_sold", "units_delivered"} <= fields
    assert [r.number for r in rows] == ([5, 6] if two_rows else [4, 5])
    assert [s[1] for s in layout.skipped] == ["合计行", "填报人等落款"]


def test_unknown_headers_are_listed_as_ignored(tmp_path: Path) -> None:
    table: list[list[Any]] = [["项目名称", "开发企业", "总套数", "已售套数", "联系人手机"],
             ["锦绣华府", "某公司", 10, 5, "13800000000"]]  # fmt: skip
    workbook, rows = read(write(tmp_path, xlsx(Sheet("Sheet1", table))))
    assert [c.header for c in workbook.sheets[0].ignored] == ["联系人手机"]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1,234", Decimal("1234.00")),
        ("１２３４", Decimal("1234.00")),
        ("3.2亿元", Decimal("32000.00")),
        ("120万元", Decimal("120.00")),
        (85, Decimal("85.00")),
        ("", None),
        ("—", None),
    ],
)
def test_money(value: object, expected: Decimal | None) -> None:
    assert parsing.parse_decimal(value, units=parsing.MONEY_UNITS) == expected


def test_units_in_the_header_apply_unless_the_cell_names_its_own() -> None:
    yi = Decimal(10000)
    assert parsing.parse_decimal(1.5, units=parsing.MONEY_UNITS, header_factor=yi) == Decimal(
        "15000.00"
    )
    assert parsing.parse_decimal("300万元", units=parsing.MONEY_UNITS, header_factor=yi) == Decimal(
        "300.00"
    )
    assert parsing.parse_decimal("1.5万平方米", units=parsing.AREA_UNITS) == Decimal("15000.00")
    assert parsing.parse_decimal("12000㎡", units=parsing.AREA_UNITS) == Decimal("12000.00")
    assert parsing.parse_decimal("12000m²", units=parsing.AREA_UNITS) == Decimal("12000.00")


@pytest.mark.parametrize("bad", ["abc", "-5", "1e30", "12..5"])
def test_bad_numbers_are_explained(bad: str) -> None:
    with pytest.raises(parsing.ParseError):
        parsing.parse_decimal(bad, units=parsing.MONEY_UNITS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("85%", Decimal("85.0")), ("85", Decimal("85.0")), ("85.5％", Decimal("85.5")),
     (60, Decimal("60.0"))],
)  # fmt: skip
def test_progress(value: object, expected: Decimal) -> None:
    assert parsing.parse_percent(value) == expected


def test_progress_over_100_is_an_error() -> None:
    with pytest.raises(parsing.ParseError):
        parsing.parse_percent("120%")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024年6月", datetime.date(2024, 6, 30)),
        ("2024年2月", datetime.date(2024, 2, 29)),
        ("2024.6.30", datetime.date(2024, 6, 30)),
        ("2024-06-30", datetime.date(2024, 6, 30)),
        ("2024/6/30", datetime.date(2024, 6, 30)),
        ("2024年6月30日", datetime.date(2024, 6, 30)),
        (45473, datetime.date(2024, 6, 30)),
        (datetime.datetime(2024, 6, 30, 0, 0), datetime.date(2024, 6, 30)),
    ],
)
def test_dates(value: object, expected: datetime.date) -> None:
    assert parsing.parse_date(value) == expected


@pytest.mark.parametrize(
    "bad", ["2024年13月", "明年", "2024-02-30", "45473", 2000.5, datetime.date(1905, 7, 4)]
)
def test_bad_dates_are_explained(bad: str) -> None:
    with pytest.raises(parsing.ParseError):
        parsing.parse_date(bad)


def test_status_and_problem_type_words() -> None:
    assert parsing.parse_status("停 工") == "stopped"
    assert parsing.parse_status("已交付") == "delivered"
    assert parsing.parse_problem_types("资金短缺、劳资纠纷/欠薪，手续") == [
        "funding_gap",
        "wage_arrears",
        "permits",
    ]
    with pytest.raises(parsing.ParseError, match="施工状态“停停”无法识别"):
        parsing.parse_status("停停")


def test_headers_constant_is_the_domain_list() -> None:
    assert HEADERS[0] == "序号"
