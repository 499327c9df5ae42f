"""Survey sheets as townships make them, built in memory for the import tests."""

import datetime
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HEADERS = [
    "序号", "项目编号", "项目名称", "所在乡镇（街道）", "开发企业", "总包单位（施工单位）",
    "总建筑面积（㎡）", "已售面积（㎡）", "总套数", "已售套数", "已交房套数", "未交房套数",
    "合同约定交房时间", "施工状态", "形象进度", "资金缺口（万元）", "拖欠农民工工资（万元）",
    "主要问题", "问题类型", "工作专班", "备注",
]  # fmt: skip


def messy_sheet(rows: Sequence[Sequence[Any]], *, two_row_header: bool = False) -> bytes:
    """Title, unit line, header(s), data, a blank row, 合计 and 填报人 lines."""
    wb = Workbook()
    ws = wb.active
    ws.title = "摸排表"
    ws.append(["示范县保交房项目摸排表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(["填报单位：城关镇　　单位：万元、平方米、套"])
    if two_row_header:
        top = list(HEADERS)
        bottom = [""] * len(HEADERS)
        for i, name in enumerate(HEADERS):
            if name in ("总套数", "已售套数", "已交房套数", "未交房套数"):
                top[i] = "套数" if name == "总套数" else ""
                bottom[i] = name
        ws.append(top)
        ws.append(bottom)
    else:
        ws.append(HEADERS)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append([])
    ws.append(["合计", "", "", "", "", "", 99999])
    ws.append(["填报人：张三", "", "审核人：李四", "", "联系电话：0572-1234567"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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


def write(tmp_path: Path, content: bytes, name: str = "摸排表.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


TODAY = datetime.date(2026, 11, 22)
