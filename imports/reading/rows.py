"""Which rows under the header are projects.

Not projects: total rows (合计, 小计, 汇总, 全镇合计 …) and their 其中 parts, the 填报人 / 审核人
footer, note lines (注：…, 说明：…), the template's example row, a header repeated for printing,
and template rows that hold only a 序号 or formulas showing 0. Each is listed in the preview as
skipped, with why.
"""

import re
from typing import Any

from imports.parsing import normalize_text

TOTAL = "合计行"
FOOTER = "填报人等落款"
NOTE = "注释说明"
BREAKDOWN = "分项（其中）行"
EXAMPLE = "模板示例行"
REPEATED_HEADER = "重复的表头"
BLANK = "只有序号或公式的空行"
EMPTY = "empty"  # nothing at all: not worth listing

_TOTAL = re.compile(
    r"^(?:全县|全市|全区|全镇|全乡|全街道|本镇|本乡|本街道|本页|[^\d]{0,12}?)?"
    r"(?:合计|小计|总计|汇总|共计|总合计|累计)数?(?:$|[(:：\d]|[（(].*)"
)
FOOTER_WORDS = ("填报人", "审核人", "填表人", "制表人", "填报单位", "填报日期", "填表日期",
                "负责人", "单位负责人", "主要负责人", "联系电话", "联系人", "统计人", "报送单位",
                "报送日期", "报送时间", "审核", "制表", "分管领导", "主要领导", "经办人",
                "审批人", "复核人", "核对人", "签字", "签章", "日期", "单位(盖章)", "(盖章)",
                "盖章")  # fmt: skip
_BREAKDOWN = re.compile(r"^其中[:：]?")  # 其中：住宅 — a part of the row above, not a project
_NOTE = re.compile(r"^[*※★☆▲△#]?(?:注|附注|说明|备注|填表说明|填报说明|注意)\d*[:：.、]")
# The template marks its example row in the 序号 column; sheets filled from the template before
# it did so still carry the old example project.
EXAMPLE_MARKS = ("示例", "例", "样例", "填写示例", "举例", "范例", "样表", "填写样例", "参考示例")
_MARK_PUNCTUATION = re.compile(r"[()（）\[\]【】:：.。、*]")
LEGACY_EXAMPLE = ("锦绣华府一期", "示范县某某房地产开发有限公司")


def _texts(values: list[Any], n: int = 4) -> list[str]:
    """The row's first few texts: totals, footers and notes start a row."""
    texts = []
    for v in values:
        if isinstance(v, str) and v.strip():
            texts.append(normalize_text(v).replace(" ", ""))
            if len(texts) >= n:
                break
    return texts


def _typed(cell: Any) -> bool:
    """A value the person put in this row: not a formula showing 0, not a formula or error with
    nothing to show, not a merged cell reaching down from the row above."""
    if cell.flag == "formula":
        return cell.value not in (None, "", 0)
    return not (
        cell.flag in ("no_result", "carried") or cell.flag.startswith(("error:", "merged:"))
    )


def row_kind(values: list[Any], cells: dict[str, Any], header_texts: dict[str, str]) -> str:
    """ "" for a project row, else why the row is skipped."""
    texts = _texts(values)
    if not texts and not cells:
        return EMPTY
    seq = cells.get("seq")
    labels = [
        normalize_text(c.value).replace(" ", "")
        for c in (seq, cells.get("code"), cells.get("name"))
        if c is not None and isinstance(c.value, str)
    ]
    if any(_TOTAL.match(t) for t in [*labels, *texts[:2]]):
        return TOTAL
    if any(_BREAKDOWN.match(t) for t in [*labels, *texts[:2]]):
        return BREAKDOWN
    if any(t.startswith(FOOTER_WORDS) for t in texts):
        return FOOTER
    if texts and _NOTE.match(texts[0]):
        return NOTE
    name, developer = cells.get("name"), cells.get("developer")
    mark = _MARK_PUNCTUATION.sub("", normalize_text(seq.value).replace(" ", "")) if seq else ""
    if mark in EXAMPLE_MARKS or (
        name is not None
        and developer is not None
        and (normalize_text(name.value), normalize_text(developer.value)) == LEGACY_EXAMPLE
    ):
        return EXAMPLE
    same = sum(  # a header repeated for printing repeats its text as it was
        1
        for f in ("code", "name", "township", "developer", "task_force")
        if (c := cells.get(f)) is not None and c.value == header_texts.get(f)
    )
    if same >= 3:
        return REPEATED_HEADER
    if not any(_typed(c) for f, c in cells.items() if f != "seq"):
        return BLANK if cells or texts else EMPTY
    return ""
