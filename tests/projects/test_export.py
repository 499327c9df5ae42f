"""The ledger export: official layout, current filter, totals, and no formula ever."""

import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from core.models import User
from projects.models import Project
from projects.resources import ProjectResource
from tests.factories import CompanyFactory, ProblemFactory, ProjectFactory


def download(client: Client, query: str = "") -> openpyxl.Workbook:
    response = client.get(f"/projects/export.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(response.getvalue()))


def test_export_has_title_unit_line_frozen_header_widths_and_totals(
    client_for: Callable[[User], Client], leader: User, db: None
) -> None:
    p1 = ProjectFactory.create(code="A-1", units_sold=300, units_delivered=100)
    ProjectFactory.create(code="A-2", units_sold=200, units_delivered=0)
    ProblemFactory.create(project=p1, problem_type="funding_gap", amount=Decimal("500"))
    ws = download(client_for(leader)).active
    assert ws.title == "项目台账"
    assert "保交房项目台账" in ws["A1"].value
    assert "A1:X1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("单位：")
    assert ws.freeze_panes == "A4"
    headers = [c.value for c in ws[3]]
    assert headers[:4] == ["序号", "项目编号", "项目名称", "所在乡镇(街道)"]
    assert "未交房套数" in headers
    assert "风险等级" in headers
    assert ws.column_dimensions["C"].width == 24
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[1] for r in rows[:2]] == ["A-1", "A-2"]
    assert rows[0][headers.index("问题类型")] == "资金短缺"
    totals = rows[-1]
    assert totals[0] == "合计"
    assert totals[headers.index("已售套数")] == 500
    assert totals[headers.index("未交房套数")] == 400


def test_export_follows_the_current_filter(
    client_for: Callable[[User], Client], leader: User, db: None
) -> None:
    ProjectFactory.create(code="S-1", construction_status=Project.Status.STOPPED)
    ProjectFactory.create(code="N-1")
    ws = download(client_for(leader), "?status=stopped").active
    codes = [r[1] for r in ws.iter_rows(min_row=4, values_only=True)][:-1]
    assert codes == ["S-1"]


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://x","点我")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tx",
        "\rx",
        '＝HYPERLINK("http://x")',
        "＋1+1",
        "－2+3",
        "＠SUM(A1)",
        "﹦1+1",
    ],
)
def test_text_that_looks_like_a_formula_is_written_as_text(
    client_for: Callable[[User], Client], leader: User, payload: str
) -> None:
    ProjectFactory.create(code="F-1", name=payload, developer=CompanyFactory.create(name=payload))
    ws = download(client_for(leader)).active
    for cell in (ws["C4"], ws["E4"]):
        assert cell.value == payload
        assert cell.data_type == "s"
        assert cell.quotePrefix is True


def test_the_admin_export_guards_formula_text_too(roles: None) -> None:
    ProjectFactory.create(code="F-1", name='＝HYPERLINK("http://x")')
    dataset = ProjectResource().export()
    assert dataset.dict[0]["项目名称"] == '\'＝HYPERLINK("http://x")'
    assert dataset.dict[0]["项目编号"] == "F-1"
