"""Reads a survey workbook against the ledger: each row new, changed (old → new), unchanged or an
error pointing at the sheet, row and column the person sees in Excel. Writes nothing.

The findings about a sheet rather than a row (two columns for one field, a unit line naming two
units, a hidden table) are notices; an error notice blocks the import like a row error.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from core.models import User
from imports.analysis.context import Context
from imports.analysis.matching import resolve
from imports.analysis.rows import Change, RowResult, check, diff, parse_row, show
from imports.headers import LABELS
from imports.reading.cells import EPOCHS, RawRow
from imports.reading.layout import AsOf, Notice, SheetLayout

__all__ = ["Analysis", "AsOfChoice", "Change", "RowResult", "analyze", "show"]

ANALYSIS_CHUNK = 2000  # rows checked against the projects they name, loaded together


@dataclass(frozen=True)
class AsOfChoice:
    """The date new deliveries are recorded on, and why that one."""

    date: datetime.date
    source: str
    cell: str = ""  # sheet!cell where the sheet says it, for errors


@dataclass
class Analysis:
    file_name: str
    sheets: list[SheetLayout]
    notices: list[Notice]
    rows: list[RowResult]
    new_companies: list[str]
    new_task_forces: list[str]
    as_of: AsOfChoice

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0, "warning": 0}
        for row in self.rows:
            counts[row.status] += 1
            counts["warning"] += bool(row.warnings)
        counts["skipped"] = sum(len(s.skipped) for s in self.sheets)
        counts["sheet_errors"] = sum(n.level == "error" for n in self.notices)
        return counts

    @property
    def sheets_multi(self) -> bool:
        return len(self.sheets) > 1

    @property
    def has_errors(self) -> bool:
        return any(n.level == "error" for n in self.notices) or any(
            r.status == "error" for r in self.rows
        )


class Source(Protocol):
    """What analyze reads: an opened workbook (reading/table.py)."""

    sheets: list[SheetLayout]
    notices: list[Notice]

    @property
    def date1904(self) -> bool: ...

    def rows(self) -> Iterator[RawRow]: ...


def choose_as_of(
    sheets: list[SheetLayout], chosen: datetime.date | None, today: datetime.date
) -> tuple[AsOfChoice, list[Notice]]:
    """The person's choice; else the sheet's 截至 date (else its 填报 date); else today."""
    notices: list[Notice] = []
    if chosen is not None:
        choice = AsOfChoice(chosen, "导入人在预览中指定")
    else:
        found: list[tuple[SheetLayout, AsOf]] = [(s, d) for s in sheets for d in s.dates]
        as_of = [x for x in found if x[1].label == "截至"] or found
        days = sorted({d.date for _, d in as_of})
        if not days:
            return AsOfChoice(today, "表中没有写截至日期，按导入当天"), notices
        sheet, first = next(x for x in as_of if x[1].date == days[0])
        choice = AsOfChoice(
            first.date, f"取自“{sheet.sheet_name}”{first.cell}“{first.text}”", first.cell
        )
        if len(days) > 1:
            listed = "、".join(f"“{s.sheet_name}”{d.cell}“{d.text}”" for s, d in as_of)
            notices.append(
                Notice(
                    "error",
                    f"表中写了不同的截至日期：{listed}。请改为同一日期，或在预览中指定交房日期。",
                )
            )
    if choice.date > today:
        notices.append(
            Notice(
                "error",
                f"交房记录日期{choice.date}（{choice.source}）晚于今天，请核对表中的截至日期，"
                "或在预览中指定。",
            )
        )
    return choice, notices


def analyze(
    source: Source,
    *,
    actor: User,
    file_name: str,
    as_of: datetime.date | None = None,
    model_checks: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Analysis:
    """Check every row of an opened workbook, a chunk at a time, in a number of queries that
    grows per chunk, not per row. `model_checks=False` leaves the model's field and invariant
    checks to the write services (the apply, which calls them on every row anyway)."""
    ctx = Context(actor)
    ctx.multi_sheet = len(source.sheets) > 1
    factors = {
        s.sheet_name: {c.field: c.factor for c in s.recognised if c.field} for s in source.sheets
    }
    epoch = EPOCHS[source.date1904]
    rows: list[RowResult] = []
    chunk: list[RawRow] = []
    needs_task_force = (
        {s.sheet_name for s in source.sheets if "task_force" not in s.fields}
        if ctx.default_task_force is None
        else set()
    )

    def run(raws: list[RawRow]) -> None:
        parsed = [parse_row(raw, factors[raw.sheet], epoch) for raw in raws]
        for result, raw in zip(parsed, raws, strict=True):
            resolve(result, raw, ctx)
        ctx.load({r.project_id for r in parsed if r.project_id})
        for result, raw in zip(parsed, raws, strict=True):
            check(result, raw, ctx, model_checks=model_checks)
            diff(result, ctx)
            if result.status not in ("new", "changed"):
                result.values = {}  # nothing to write: only the preview's columns are kept
            rows.append(result)

    for raw in source.rows():
        chunk.append(raw)
        if progress is not None and (len(rows) + len(chunk)) % 500 == 0:
            progress(len(rows) + len(chunk))
        if len(chunk) >= ANALYSIS_CHUNK:
            run(chunk)
            chunk = []
    run(chunk)
    # After the rows: the 填报日期 of the footer under the table counts as much as the title's.
    choice, as_of_notices = choose_as_of(source.sheets, as_of, ctx.today)
    notices = [
        *source.notices,
        *(n for s in source.sheets for n in s.notices),
        *as_of_notices,
    ]
    new_without_task_force = {
        r.sheet for r in rows if r.status == "new" or (r.status == "error" and not r.project_id)
    } & needs_task_force
    for sheet in sorted(new_without_task_force):
        notices.append(
            Notice(
                "error",
                f"工作表“{sheet}”没有“{LABELS['task_force']}”列，无法确定新项目属于哪个专班。"
                "请在表中增加“工作专班”列并逐行填写（或使用摸排表模板）。",
            )
        )
    return Analysis(
        file_name=file_name,
        sheets=list(source.sheets),
        notices=notices,
        rows=rows,
        new_companies=sorted(ctx.new_companies.values()),
        new_task_forces=sorted(ctx.new_task_forces.values()),
        as_of=choice,
    )
