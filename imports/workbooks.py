"""Workbooks the import hands back: the blank template and the person's own sheet annotated."""

import tempfile
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from core.xlsx import print_setup
from imports.parsing import PROBLEM_WORDS, STATUS_WORDS
from imports.reading.rows import EXAMPLE_MARKS
from projects.models import TaskForce

TEMPLATE_HEADERS = [
    ("序号", 6, EXAMPLE_MARKS[0]),
    ("项目编号", 16, "BJF-2024-00001"),
    ("项目名称", 22, "锦绣华府一期"),
    ("所在乡镇(街道)", 14, "城关镇"),
    ("开发企业", 30, "示范县某某房地产开发有限公司"),
    ("建设单位", 24, ""),
    ("总包单位(施工单位)", 30, "示范县某某建设工程有限公司"),
    ("总建筑面积(㎡)", 14, "52000"),
    ("已售面积(㎡)", 14, "31000"),
    ("总套数", 9, "420"),
    ("已售套数", 9, "310"),
    ("已交房套数", 10, "0"),
    ("未交房套数", 10, "310"),
    ("合同约定交房时间", 16, "2025-06-30"),
    ("施工状态", 12, "停工"),
    ("形象进度", 10, "60%"),
    ("资金缺口(万元)", 14, "1200"),
    ("拖欠农民工工资(万元)", 14, "35"),
    ("主要问题", 30, "资金链断裂，总包单位停工"),
    ("问题类型", 22, "资金短缺、劳资纠纷/欠薪"),
    ("工作专班", 20, ""),
    ("包案领导", 10, ""),
    ("备注", 20, ""),
]
INSTRUCTIONS = [
    "填写说明",
    "0. 第4行灰色的“示例”行只作示范，导入时会跳过；请从第5行起填写，每个项目一行。",
    "1. 每个项目填一行；有项目编号的按编号更新，没有编号的按“项目名称+开发企业”匹配，"
    "匹配不到的新建。",
    "2. 面积单位为平方米，金额单位为万元；也可在单元格中写明单位，"
    "如“3.2亿元”“1.5万平方米”“1,234”；若整列用其他单位，请在表头注明，如“总建筑面积（万平方米）”。",
    "3. 日期可写 2024-06-30、2024/6/30、2024.6.30 或 2024年6月（视为当月最后一天）。",
    "4. 施工状态、问题类型、工作专班请从下拉列表选择；多个问题类型用顿号分隔。",
    "5. 已交房套数只能增加（系统据此登记交房记录，日期取第2行的“截至日期”，未填则为导入当天，"
    "预览时可修改）；新项目的已交房套数记为入台账前的期初数。未交房套数应等于已售套数减已交房套数。",
    "6. 空白单元格表示“不变”，不会清空系统中已有的内容。",
    "7. 表中合计行、填报人/审核人落款会自动跳过；导入前可先预览，全部无误才会写入。",
]


def template_workbook() -> IO[bytes]:
    wb = Workbook()
    ws = wb.active
    ws.title = "摸排表"
    ws.append(["保交房项目摸排表"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(TEMPLATE_HEADERS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：            截至日期：    年  月  日            单位：平方米、套、万元"])
    ws.append([h for h, _, _ in TEMPLATE_HEADERS])
    ws.append([example for _, _, example in TEMPLATE_HEADERS])
    for i, (_, width, _) in enumerate(TEMPLATE_HEADERS, start=1):
        ws.column_dimensions[ws.cell(row=3, column=i).column_letter].width = width
        ws.cell(row=3, column=i).font = Font(bold=True)
        ws.cell(row=3, column=i).fill = PatternFill("solid", fgColor="DDE5F0")
        ws.cell(row=4, column=i).font = Font(color="808080", italic=True)
    ws.freeze_panes = "A4"
    print_setup(ws, width=sum(width for _, width, _ in TEMPLATE_HEADERS))
    lists = wb.create_sheet("选项")
    columns = {
        "施工状态": [str(words[0]) for words in STATUS_WORDS.values()],
        "问题类型": [str(words[0]) for words in PROBLEM_WORDS.values()],
        "工作专班": list(TaskForce.objects.order_by("name").values_list("name", flat=True)) or [""],
    }
    for col, (title, values) in enumerate(columns.items(), start=1):
        lists.cell(row=1, column=col, value=title)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=col, value=value)
        letter = lists.cell(row=1, column=col).column_letter
        source = f"选项!${letter}$2:${letter}${len(values) + 1}"
        target = next(
            ws.cell(row=3, column=i + 1).column_letter
            for i, (h, _, _) in enumerate(TEMPLATE_HEADERS)
            if h == title
        )
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=title != "问题类型",  # several types may be typed in one cell
            errorTitle="请从列表选择",
            error=f"{title}请从下拉列表中选择",
        )
        validation.add(f"{target}5:{target}5000")
        ws.add_data_validation(validation)
    lists.sheet_state = "hidden"
    notes = wb.create_sheet("填写说明")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    notes["A1"].font = Font(size=14, bold=True)
    print_setup(notes, width=110, title_rows=None)
    return _saved(wb)


MAX_COLUMN = 16384  # XFD: a column past it makes Excel repair the file
NOTE_LIMIT = 32000  # characters a cell holds


def error_report(path: Path, preview: dict[str, Any]) -> IO[bytes]:
    """The uploaded workbook with the bad cells in red, a 错误说明 column after each table and a
    错误清单 sheet listing every finding; if the workbook cannot be rewritten, the list alone."""
    try:
        wb = load_workbook(path)
    except Exception:
        wb = Workbook()
        wb.active.title = "错误清单"
        _error_list(wb.active, preview)
        return _saved(wb)
    by_sheet: dict[str, list[dict[str, Any]]] = {}
    for row in preview["rows"]:
        if row["status"] == "error":
            by_sheet.setdefault(row["sheet"], []).append(row)
    for sheet in preview["sheets"]:
        if sheet["name"] in wb.sheetnames:
            _annotate(wb[sheet["name"]], sheet, by_sheet.get(sheet["name"], []))
    name = "错误清单"
    while name in wb.sheetnames:
        name += "_"
    _error_list(wb.create_sheet(name, 0), preview)
    wb.active = 0
    return _saved(wb)


def _annotate(ws: Any, sheet: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    header_row = sheet["header_rows"][-1]
    used = [c.column for r in sheet["header_rows"] for c in ws[r] if c.value not in (None, "")]
    column = max(used, default=0) + 1
    if column <= MAX_COLUMN:
        header = ws.cell(row=header_row, column=column, value="错误说明")
        header.font = Font(bold=True, color="C00000")
        ws.column_dimensions[header.column_letter].width = 60
    red = PatternFill("solid", fgColor="FFC7CE")
    for row in rows:
        messages = []
        for letter, message in row["errors"]:
            messages.append(f"{letter}列：{message}" if letter else message)
            if letter:
                cell = _anchor(ws, f"{letter}{row['row']}")
                cell.fill = red
                text = f"{cell.comment.text}\n{message}" if cell.comment else message
                cell.comment = Comment(text[:NOTE_LIMIT], "保交房平台", width=300, height=120)
        if column <= MAX_COLUMN:
            note = ws.cell(row=row["row"], column=column, value="；".join(messages)[:NOTE_LIMIT])
            note.font = Font(color="C00000")
            note.alignment = Alignment(wrap_text=True)


def _anchor(ws: Any, ref: str) -> Any:
    """The cell that holds a merged range's value (covered cells take no fill or comment)."""
    for merged in ws.merged_cells.ranges:
        if ref in merged:
            return ws.cell(row=merged.min_row, column=merged.min_col)
    return ws[ref]


def _error_list(ws: Any, preview: dict[str, Any]) -> None:
    ws.append(["工作表", "行", "列", "级别", "说明"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for level, message in preview.get("notices", []):
        if level != "info":
            ws.append(["", "", "", "错误" if level == "error" else "提醒", message[:NOTE_LIMIT]])
    for row in preview["rows"]:
        for level, entries in (("错误", row["errors"]), ("提醒", row.get("warnings", []))):
            for letter, message in entries:
                ws.append([row["sheet"], row["row"], letter, level, message[:NOTE_LIMIT]])
    for letter, width in zip("ABCDE", (16, 8, 6, 8, 90), strict=True):
        ws.column_dimensions[letter].width = width


def _saved(wb: Workbook) -> IO[bytes]:
    out = tempfile.TemporaryFile()  # noqa: SIM115  (handed to FileResponse, which closes it)
    wb.save(out)
    out.seek(0)
    return out
