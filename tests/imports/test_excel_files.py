"""Survey sheets saved as Excel and WPS save them: each kind of quirk is read as the person sees
it in Excel, or reported where it is — never stored wrong without a word (issue 13)."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from core.models import User
from imports.models import ImportBatch
from projects.models import Company, Project, TaskForce
from tests.factories import TownshipFactory
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
    """A valid row with one cell replaced."""
    cells = row(**kwargs)
    cells[column(header) - 1] = value
    return cells


def errors_of(batch: ImportBatch, index: int = 0) -> list[list[str]]:
    return batch.preview["rows"][index]["errors"]


# 1. The stored dimension is a claim, not the size.
@pytest.mark.parametrize("dimension", ["A1", "A1:T5"])
def test_a_stale_dimension_hides_neither_rows_nor_columns(member: User, dimension: str) -> None:
    rows = [row(code=f"CG-00{i}", name=f"项目{i}") for i in range(1, 5)]  # rows 4 to 7
    batch = upload(member, xlsx(survey(rows, dimension=dimension)))
    assert batch.counts["new"] == 4, batch.preview["rows"]
    assert batch.counts["error"] == 0
    assert batch.preview["sheets"][0]["recognised"][-1][0] == "U"  # 备注, the last column


# 2. A column's unit is the one the person reads for it.
def test_units_in_a_merged_group_header_reach_the_columns_under_it(member: User) -> None:
    top: list[Any] = list(HEADERS)
    bottom: list[Any] = [None] * len(HEADERS)
    merges = []
    for group, members in (("面积（万平方米）", ("总建筑面积", "已售面积")),
                           ("资金（亿元）", ("资金缺口", "拖欠农民工工资"))):  # fmt: skip
        first = next(i for i, h in enumerate(HEADERS) if h.startswith(members[0]))
        top[first], top[first + 1] = group, None
        bottom[first], bottom[first + 1] = members
        merges.append(f"{chr(65 + first)}3:{chr(66 + first)}3")
    for i, header in enumerate(top):
        if header and bottom[i] is None:
            merges.append(f"{chr(65 + i)}3:{chr(65 + i)}4")
    table = [["示范县保交房项目摸排表"], ["填报单位：城关镇"], top, bottom]
    table.append([1, *row(area=5.2, sold_area=3.1, gap=0.12, wages=0.0035)])
    batch = upload(member, xlsx(Sheet("摸排表", table, merges=["A1:U1", *merges])))
    assert batch.counts["new"] == 1, batch.preview
    recognised = {r[2]: r[3] for r in batch.preview["sheets"][0]["recognised"]}
    assert recognised["总建筑面积"].startswith("万平方米（合并表头")
    from imports import services

    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get()
    assert (project.total_floor_area, project.sold_area) == (Decimal("52000.00"), Decimal(31000))
    assert (project.funding_gap, project.wages_owed) == (Decimal("1200.00"), Decimal("35.00"))


def test_units_in_the_unit_line_apply_to_columns_without_their_own(member: User) -> None:
    headers = [h.split("（")[0] if "面积" in h or "资金" in h else h for h in HEADERS]
    sheet = survey(
        [row(area=5.2, sold_area="3.1", gap=0.12)],
        headers=headers,
        unit_line="填报单位：城关镇    单位：万平方米、套、亿元",
    )
    batch = upload(member, xlsx(sheet))
    assert batch.counts["new"] == 1, batch.preview
    recognised = {r[2]: r[3] for r in batch.preview["sheets"][0]["recognised"]}
    assert recognised["资金缺口"].startswith("亿元（单位行")
    from imports import services

    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get()
    assert project.total_floor_area == Decimal("52000.00")
    assert project.funding_gap == Decimal("1200.00")


def test_a_unit_line_naming_two_money_units_and_a_wrong_kind_of_unit_are_errors(
    member: User,
) -> None:
    headers = [h.split("（")[0] if "资金" in h else h for h in HEADERS]
    headers[column("总建筑面积（㎡）")] = "总建筑面积（万元）"
    batch = upload(member, xlsx(survey([row()], headers=headers, unit_line="单位：万元、亿元")))
    notices = [m for level, m in batch.preview["notices"] if level == "error"]
    assert any("同时写了万元、亿元" in m and "资金缺口" in m for m in notices)
    assert any("G列“总建筑面积(万元)”的单位“万元”不是面积单位" in m for m in notices)
    assert batch.counts["sheet_errors"] == 2


def test_an_area_typed_in_another_unit_than_the_columns_is_caught(member: User) -> None:
    batch = upload(member, xlsx(survey([row(area=5.2, sold_area=3)])))
    assert any("平均每套" in m and "万平方米" in m for _, m in errors_of(batch))


# 3. Which rows are projects.
def test_merged_names_belong_to_every_project_row_they_span(member: User) -> None:
    first = row(code="CG-001", name="一期")
    second = row(code="CG-002", name="二期")
    for header in ("所在乡镇（街道）", "开发企业", "工作专班"):
        second[column(header) - 1] = None
    merges = [f"{chr(65 + column(h))}4:{chr(65 + column(h))}5"
              for h in ("所在乡镇（街道）", "开发企业", "工作专班")]  # fmt: skip
    batch = upload(member, xlsx(survey([first, second], merges=merges)))
    assert batch.counts["new"] == 2, batch.preview["rows"]
    from imports import services

    services.import_apply(actor=member, batch=batch)
    assert set(
        Project.objects.values_list("township__name", "developer__name", "task_force__name")
    ) == {("城关镇", "示范县新城房地产开发有限公司", "城关镇专班")}


def test_a_figure_merged_over_two_projects_is_an_error(member: User) -> None:
    second = row(code="CG-002", name="二期", gap=None)
    batch = upload(
        member,
        xlsx(
            survey([row(gap=1200), second], merges=[f"{chr(65 + column('资金缺口（万元）'))}4:P5"])
        ),
    )
    assert batch.counts["error"] == 2
    assert any("P4:P5是跨多行" in m for _, m in errors_of(batch, 1))


def test_totals_notes_examples_and_empty_template_rows_are_not_projects(member: User) -> None:
    width = len(HEADERS)
    blank: list[Any] = [None] * (width - 1)
    formula_zero = list(blank)
    formula_zero[column("未交房套数") - 1] = C(0, formula="J7-K7")
    rows = [
        ["示例", *row(name="锦绣华府一期", developer="示范县某某房地产开发有限公司")],
        [1, *row()],
        [2, *blank],  # only a 序号
        [C(3, formula="ROW()-3"), *formula_zero],  # 序号 and a formula showing 0
        [None, *row(code="", name="锦绣华府一期", developer="示范县某某房地产开发有限公司")],
        ["城关镇小计", None, None, None, None, None, 99999],
        ["汇总", None, None, None, None, None, 99999],
        [None, "全镇合计", None, None, None, None, 99999],
        ["注：本表面积单位为平方米"],
        ["说明：已交房含分批交付"],
        ["填报人：张三", None, "审核人：李四"],
    ]
    batch = upload(member, xlsx(survey(rows, numbered=False)))
    assert batch.counts["new"] == 1, batch.preview["rows"]
    assert batch.counts["error"] == 0
    reasons = [why for _, why in batch.preview["sheets"][0]["skipped"]]
    empty = "只有序号或公式的空行"
    assert reasons == ["模板示例行", empty, empty, "模板示例行", "合计行", "合计行", "合计行",
                       "注释说明", "注释说明", "填报人等落款"]  # fmt: skip


def test_hidden_rows_are_read_and_named(member: User) -> None:
    rows = [row(code="CG-001"), row(code="CG-002", name="御景湾")]
    batch = upload(member, xlsx(survey(rows, hidden_rows={5})))
    assert batch.counts["new"] == 2
    assert batch.preview["rows"][1]["warnings"] == [
        ["", "该行在Excel中是隐藏行，其内容也会导入，请取消隐藏核对"]
    ]


# 4. Dates as the cell shows them.
@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (C(datetime.date(2025, 6, 1), fmt='yyyy"年"m"月"'), datetime.date(2025, 6, 30)),
        (C(datetime.date(2025, 6, 1), fmt=57), datetime.date(2025, 6, 30)),  # zh-CN built-in
        ("2025年6月", datetime.date(2025, 6, 30)),
        (2025.6, datetime.date(2025, 6, 30)),  # typed 2025.6, kept as a number
        (2025.12, datetime.date(2025, 12, 31)),
        (datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)),
    ],
)
def test_dates_are_read_by_the_cells_format(member: User, cell: Any, stored: Any) -> None:
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)])))
    assert batch.counts["new"] == 1, batch.preview["rows"]
    from imports import services

    services.import_apply(actor=member, batch=batch)
    assert Project.objects.get().contract_delivery_date == stored


def test_dates_of_a_1904_workbook_are_not_four_years_off(member: User) -> None:
    cell = C(datetime.date(2025, 6, 30), fmt="yyyy/m/d")
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)]), date1904=True))
    from imports import services

    services.import_apply(actor=member, batch=batch)
    assert Project.objects.get().contract_delivery_date == datetime.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (2025.1, "无法区分2025年1月和10月"),
        (2025, "只有年份"),
        (C(datetime.date(1905, 7, 4)), "年份不合理"),
        (1500, "年份不合理"),  # an Excel serial number: 1904
        ("明年六月", "不是可识别的日期"),
        (C(datetime.date(2025, 6, 30), fmt="h:mm"), "只显示时间"),
    ],
)
def test_numbers_and_dates_that_are_not_a_clear_date_are_errors(
    member: User, cell: Any, message: str
) -> None:
    batch = upload(member, xlsx(survey([with_cell("合同约定交房时间", cell)])))
    assert batch.counts["error"] == 1
    letter, text = errors_of(batch)[0]
    assert (letter, message in text) == ("M", True), text


def test_a_date_shown_without_its_year_and_a_bare_serial_are_read_with_a_warning(
    member: User,
) -> None:
    rows = [
        with_cell("合同约定交房时间", C(datetime.date(2025, 6, 30), fmt=58)),
        with_cell("合同约定交房时间", 45838, code="CG-002", name="御景湾"),
    ]
    batch = upload(member, xlsx(survey(rows)))
    assert batch.counts["new"] == 2
    assert "只显示月日" in batch.preview["rows"][0]["warnings"][0][1]
    assert "按Excel日期序号读作2025-06-30" in batch.preview["rows"][1]["warnings"][0][1]


# 5. Cell types and number formats.
def test_cached_error_values_are_errors_never_names(member: User) -> None:
    rows = [with_cell("开发企业", C(error="#N/A", formula="VLOOKUP(C4,企业!A:B,2,0)"))]
    batch = upload(member, xlsx(survey(rows)))
    assert errors_of(batch) == [
        [
            "E",
            "开发企业：单元格显示错误值#N/A（公式出错或引用失效），请在Excel中改正或改为数值后再导入",
        ]
    ]
    from imports import services

    with pytest.raises(services.ImportHasErrors):
        services.import_apply(actor=member, batch=batch)
    assert not Company.objects.filter(name__contains="#").exists()


def test_a_formula_saved_without_its_result_is_an_error_at_its_cell(member: User) -> None:
    rows = [with_cell("已售套数", C(formula="SUM(X4:Y4)", cached=False))]
    batch = upload(member, xlsx(survey(rows)))
    assert batch.counts["error"] == 1
    assert errors_of(batch)[0][0] == "J"
    assert "没有保存计算结果" in errors_of(batch)[0][1]


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        (C(0.6, fmt="0%"), Decimal("60.0")),
        (C(60, fmt='0"%"'), Decimal("60.0")),
        (C(0.655, fmt="0.0%"), Decimal("65.5")),
        ("60%", Decimal("60.0")),
    ],
)
def test_progress_is_the_percent_the_cell_shows(member: User, cell: Any, stored: Any) -> None:
    batch = upload(member, xlsx(survey([with_cell("形象进度", cell)])))
    from imports import services

    services.import_apply(actor=member, batch=batch)
    assert Project.objects.get().progress_percent == stored


def test_a_bare_fraction_for_progress_is_not_guessed(member: User) -> None:
    batch = upload(member, xlsx(survey([with_cell("形象进度", 0.6)])))
    assert "可能是0.6%，也可能是60%" in errors_of(batch)[0][1]


def test_a_unit_written_by_the_number_format_counts(member: User) -> None:
    rows = [with_cell("资金缺口（万元）", C(0.12, fmt='0.00"亿元"'))]
    batch = upload(member, xlsx(survey(rows)))
    from imports import services

    services.import_apply(actor=member, batch=batch)
    assert Project.objects.get().funding_gap == Decimal("1200.00")


def test_text_is_read_as_excel_shows_it(member: User) -> None:
    rows = [
        with_cell("项目名称", C("翠湖_x005F_x0041_花园", rich=True), notes="第一行_x000D_\n第二行")
    ]
    batch = upload(member, xlsx(survey(rows)))
    from imports import services

    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get()
    assert project.name == "翠湖_x0041_花园"
    assert project.notes == "第一行\n第二行"


# 7. Ambiguous columns.
def test_last_periods_column_is_set_aside_and_two_columns_for_one_field_are_an_error(
    member: User,
) -> None:
    headers = [*HEADERS, "已售套数（上月）"]
    batch = upload(member, xlsx(survey([[*row(), 280]], headers=headers)))
    assert batch.counts["new"] == 1
    assert ["V", "已售套数(上月)", "上期数据，未导入"] in batch.preview["sheets"][0]["ignored"]
    twice = [*HEADERS, "已售套数（调整后）"]
    batch = upload(member, xlsx(survey([[*row(), 280]], headers=twice, hidden_cols={22})))
    (message,) = [m for level, m in batch.preview["notices"] if level == "error"]
    assert "J列“已售套数”、V列“已售套数(调整后)”（隐藏列）" in message


# 8. Every sheet.
def test_every_sheet_with_a_table_is_read_and_the_others_are_named(member: User) -> None:
    instructions = Sheet("填写说明", [["填写说明"], ["1. 每个项目一行"]])
    first = survey([row(code="CG-001")], name="城关镇")
    second = survey([row(code="CG-002", name="御景湾")], name="南湖镇")
    hidden = survey([row(code="CG-003", name="旧表")], name="上月", state="hidden")
    batch = upload(member, xlsx(instructions, first, second, hidden))
    preview = batch.preview
    assert [s["name"] for s in preview["sheets"]] == ["城关镇", "南湖镇"]
    assert [(r["sheet"], r["status"]) for r in preview["rows"]] == [
        ("城关镇", "new"),
        ("南湖镇", "new"),
    ]
    assert ["info", "工作表“填写说明”中没有摸排表表头，未读取。"] in preview["notices"]
    assert any("“上月”已隐藏" in m for _, m in preview["notices"])


def test_the_same_project_on_two_sheets_is_an_error_naming_both(member: User) -> None:
    batch = upload(member, xlsx(survey([row()], name="一"), survey([row()], name="二")))
    assert errors_of(batch, 1) == [["B", "项目编号与“一”第4行重复"]]


# 9. Files that are not what they claim.
def test_a_strict_open_xml_workbook_is_read(member: User) -> None:
    batch = upload(member, xlsx(survey([row()]), strict=True))
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.counts["new"] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<html><body><table><tr><td>\xe9\xa1\xb9\xe7\x9b\xae</td></tr></table></body></html>",
            "网页（HTML）格式",
        ),
        (
            b'<?xml version="1.0"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "XML电子表格",
        ),
        ("项目名称,开发企业\n锦绣华府,某公司\n".encode(), "文本（CSV）"),
    ],
)
def test_files_saved_as_something_else_are_told_to_save_as_a_workbook(
    member: User, content: bytes, message: str
) -> None:
    batch = upload(member, content)
    assert batch.status == ImportBatch.Status.REJECTED
    assert message in batch.message
    assert "另存为" in batch.message
    assert "Excel工作簿（*.xlsx）" in batch.message


def test_a_sheet_without_a_header_says_what_was_found(member: User) -> None:
    batch = upload(member, xlsx(Sheet("Sheet1", [["名称", "地址"], ["锦绣华府", "城关镇"]])))
    assert batch.status == ImportBatch.Status.REJECTED
    assert "找到的列名：名称、地址" in batch.message


def test_a_missing_task_force_column_is_explained_once(admin_user: User) -> None:
    TaskForce.objects.create(name="城关镇专班")
    headers = [h for h in HEADERS if h != "工作专班"]
    cells = row()
    del cells[column("工作专班") - 1]
    batch = upload(admin_user, xlsx(survey([cells], headers=headers)))
    (message,) = [m for level, m in batch.preview["notices"] if level == "error"]
    assert "没有“工作专班”列" in message
    assert "增加“工作专班”列" in message
