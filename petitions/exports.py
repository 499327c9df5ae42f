"""The petition list as an .xlsx; personal data masked for roles that may not see it."""

import datetime
from collections.abc import Iterable
from typing import IO

from django.conf import settings

from core.masking import mask_id_number, mask_phone
from core.xlsx import Column, write_official_sheet
from petitions.models import Petition


def petition_workbook(
    petitions: Iterable[Petition], *, today: datetime.date, show_personal: bool
) -> IO[bytes]:
    phone = (
        (lambda p: p.petitioner_phone)
        if show_personal
        else (lambda p: mask_phone(p.petitioner_phone))
    )
    id_number = (
        (lambda p: p.petitioner_id_number)
        if show_personal
        else (lambda p: mask_id_number(p.petitioner_id_number))
    )
    counter = iter(range(1, 10**9))
    columns = [
        Column("序号", 6, lambda p: next(counter)),
        Column("信访编号", 15, lambda p: p.number),
        Column("登记日期", 12, lambda p: p.received_date, "yyyy-mm-dd"),
        Column("渠道", 10, lambda p: p.get_channel_display()),
        Column("信访人", 10, lambda p: p.petitioner_name),
        Column("联系电话", 14, phone),
        Column("身份证号", 20, id_number),
        Column("人数", 6, lambda p: p.headcount, "#,##0", total=True),
        Column("涉及项目", 22, lambda p: p.project.name if p.project else ""),
        Column("诉求类别", 10, lambda p: p.get_category_display()),
        Column("诉求摘要", 40, lambda p: p.summary),
        Column("承办部门", 14, lambda p: p.department.name if p.department else ""),
        Column("办理状态", 10, lambda p: p.get_status_display()),
        Column("办理期限", 12, lambda p: p.due_date, "yyyy-mm-dd"),
        Column("是否逾期", 8, lambda p: "逾期" if p.deadline_state(today) == "overdue" else ""),
        Column("办结日期", 12, lambda p: p.closed_date, "yyyy-mm-dd"),
        Column("满意度", 10, lambda p: p.get_satisfaction_display()),
    ]
    return write_official_sheet(
        title=f"{settings.COUNTY_NAME}保交房信访件台账",
        unit_line=f"导出日期：{today:%Y年%m月%d日}",
        columns=columns,
        rows=petitions,
        sheet_name="信访件",
    )
