"""Survey sheets as townships make them, built in memory for the import tests."""

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from tests.imports.xlsx import Sheet, xlsx

HEADERS = [
    "序号", "项目编号", "项目名称", "所在乡镇（街道）", "开发企业", "总包单位（施工单位）",
    "总建筑面积（㎡）", "已售面积（㎡）", "总套数", "已售套数", "已交房套数", "未交房套数",
    "合同约定交房时间", "施工状态", "形象进度", "资金缺口（万元）", "拖欠农民工工资（万元）",
    "主要问题", "问题类型", "工作专班", "备注",
]  # fmt: skip


def messy_sheet(
    rows: Sequence[Sequence[Any]], *, two_row_header: bool = False, **book: Any
) -> bytes:
    """Title, unit line, header(s), data, a blank row, 合计 and 填报人 lines, saved as Excel
    saves them (shared strings, a real merged title and group header)."""
    width = len(HEADERS)
    merges = [f"A1:{get_column_letter(width)}1"]
    table: list[list[Any]] = [
        ["示范县保交房项目摸排表"],
        ["填报单位：城关镇　　单位：万元、平方米、套"],
    ]
    if two_row_header:
        first = HEADERS.index("总套数")
        top: list[Any] = [None if name in COUNTS else name for name in HEADERS]
        top[first] = "套数"
        bottom: list[Any] = [name if name in COUNTS else None for name in HEADERS]
        table += [top, bottom]
        merges.append(f"{get_column_letter(first + 1)}3:{get_column_letter(first + 4)}3")
        merges += [
            f"{get_column_letter(i + 1)}3:{get_column_letter(i + 1)}4"
            for i, name in enumerate(HEADERS)
            if name not in COUNTS
        ]
    else:
        table.append(list(HEADERS))
    table += [[i, *row] for i, row in enumerate(rows, start=1)]
    table += [[], ["合计", "", "", "", "", "", 99999]]
    table.append(["填报人：张三", "", "审核人：李四", "", "联系电话：0572-1234567"])
    clean = [[None if v == "" else v for v in r] for r in table]
    return xlsx(Sheet("摸排表", clean, merges=merges), **book)


COUNTS = ("总套数", "已售套数", "已交房套数", "未交房套数")


def row(
    code: str = "CG-001",
    name: str = "锦绣华府",
    township: str = "城关镇",
    developer: str = "示范县新城房地产开发有限公司",
    contractor: str = "示范县宏达建设工程有限公司",
    area: Any = "50,000",
    sold_area: Any = "30000",
    total: Any = 400,
    sold: Any = "300",
    delivered: Any = 0,
    undelivered: Any = 300,
    contract: Any = "2025年6月",
    status: Any = "停工",
    progress: Any = "60%",
    gap: Any = "0.12亿元",
    wages: Any = 35,
    problem: Any = "资金链断裂，总包停工",
    types: Any = "资金短缺、劳资纠纷/欠薪",
    task_force: Any = "城关镇专班",
    notes: Any = "",
) -> list[Any]:
    return [code, name, township, developer, contractor, area, sold_area, total, sold, delivered,
            undelivered, contract, status, progress, gap, wages, problem, types, task_force,
            notes]  # fmt: skip


def column(header: str) -> int:
    """0-based position of a header in HEADERS."""
    return HEADERS.index(header)


def survey(
    rows: Sequence[Sequence[Any]],
    *,
    name: str = "摸排表",
    headers: Sequence[Any] = HEADERS,
    unit_line: str = "填报单位：城关镇　　单位：万元、平方米、套",
    merges: Sequence[str] = (),
    numbered: bool = True,
    **sheet: Any,
) -> Sheet:
    """A sheet with a merged title (row 1), a unit line (row 2), the header (row 3) and the rows
    from row 4, numbered in the 序号 column unless `numbered` is False (rows then carry their
    own first cell)."""
    table: list[list[Any]] = [["示范县保交房项目摸排表"], [unit_line], list(headers)]
    for i, r in enumerate(rows, start=1):
        table.append([i, *r] if numbered else list(r))
    title = f"A1:{get_column_letter(len(headers))}1"
    clean = [[None if v == "" else v for v in r] for r in table]
    return Sheet(name, clean, merges=[title, *merges], **sheet)


def write(tmp_path: Path, content: bytes, name: str = "摸排表.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


TODAY = datetime.date(2026, 11, 22)
