"""One survey row against the ledger: parsed, matched, checked by the ledger's own rules, and
compared with what the ledger holds (new · changed · unchanged · error).

Empty cells mean "not reported", never "erase". Figures the ledger derives (已交房套数, 施工状态,
形象进度, 资金缺口, 欠薪) become the entries that produce them; the checks of the fields and the
project's invariants are the model's, called here on the project the row would make.
"""

import copy
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from core.models import User
from imports import parsing
from imports.analysis.context import Context
from imports.analysis.values import CellProblem, label, parse_cell
from imports.reading.cells import RawRow
from ledgers.models import Problem
from projects.models import Company, Project, TaskForce, Township
from projects.names import code_key, name_key
from projects.services import project_check

PROJECT_FIELDS = ["code", "name", "township", "developer", "construction_unit",
                  "general_contractor", "total_floor_area", "sold_area", "total_units",
                  "units_sold", "contract_delivery_date", "task_force", "responsible_leader",
                  "notes"]  # fmt: skip
DERIVED_FIELDS = ["units_delivered", "construction_status", "progress_percent", "funding_gap",
                  "wages_owed"]  # fmt: skip
COMPANY_FIELDS = ["developer", "construction_unit", "general_contractor"]
REQUIRED_FOR_NEW = ["name", "township", "developer", "total_floor_area", "total_units"]
AREA_PER_UNIT = (Decimal(15), Decimal(2000))  # m² a home: outside this the unit is suspect


@dataclass(slots=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class RowResult:
    sheet: str
    number: int
    status: str = "unchanged"  # new · changed · unchanged · error
    code: str = ""
    name: str = ""
    project_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problem_types: list[str] = field(default_factory=list)
    main_problem: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column letter, message)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read
    delivered: int = 0  # homes handed over since the ledger's figure (a delivery record)
    problems: list[tuple[str, Decimal]] = field(default_factory=list)  # (type, amount) to add

    def error(self, letter: str, message: str) -> None:
        self.errors.append((letter, message))

    def where(self, multi_sheet: bool) -> str:
        return f"“{self.sheet}”第{self.number}行" if multi_sheet else f"第{self.number}行"


def show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, Company | TaskForce | Township):
        return value.name
    if isinstance(value, User):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def parse_row(row: RawRow, factors: dict[str, Decimal], epoch: datetime.datetime) -> RowResult:
    result = RowResult(sheet=row.sheet, number=row.number)
    values = result.values
    for name, cell in row.cells.items():
        if name == "seq":
            continue
        try:
            value, warning = parse_cell(name, cell, factors.get(name, Decimal(1)), epoch)
        except (CellProblem, parsing.ParseError) as exc:
            result.error(cell.letter, f"{label(name)}：{exc}")
            result.failed.add(name)
            continue
        if warning:
            result.warnings.append((cell.letter, f"{label(name)}：{warning}"))
        values[name] = value
    if row.hidden:
        result.warnings.append(("", "该行在Excel中是隐藏行，其内容也会导入，请取消隐藏核对"))
    result.problem_types = values.pop("problem_types", None) or []
    result.main_problem = values.pop("main_problem", "")
    result.code = str(values.get("code", ""))
    result.name = str(values.get("name", ""))
    if not result.code:
        values.pop("code", None)
    return result


def check(result: RowResult, row: RawRow, ctx: Context, *, model_checks: bool) -> None:
    values = result.values
    cells = row.cells
    project = ctx.by_pk.get(result.project_id) if result.project_id else None

    def letter(name: str) -> str:
        return cells[name].letter if name in cells else ""

    if project is not None and result.code and code_key(result.code) != code_key(project.code):
        result.error(
            letter("code"), f"项目“{project.name}”在系统中的编号为{project.code}，与表中编号不一致"
        )
    if project is not None and result.code:
        result.code = project.code
    if project is not None:
        result.name = result.name or project.name
        result.code = project.code
    if project is None:
        missing = [
            label(f)
            for f in REQUIRED_FOR_NEW
            if values.get(f) in (None, "") and f not in result.failed
        ]
        if "task_force" not in values and ctx.default_task_force is None:
            missing.append(label("task_force"))
        if missing:
            result.error("", f"新项目缺少必填项：{'、'.join(missing)}")
    tf = values.get("task_force") or (project.task_force if project else ctx.default_task_force)
    if isinstance(tf, TaskForce) and tf.pk not in ctx.editable:
        result.error(letter("task_force"), f"您只能导入本专班的项目，该行属于“{tf.name}”")
    if project is not None and project.task_force_id not in ctx.editable:
        result.error("", f"项目“{project.name}”属于“{project.task_force.name}”，您无权修改")
    _figures(result, row, project, letter)
    if model_checks:
        _model_rules(result, project, ctx, letter)
    _duplicates(result, ctx, letter)
    _plausible(result, project, letter)


def _figures(result: RowResult, row: RawRow, project: Project | None, letter: Any) -> None:
    """The sheet's cumulative figures against the ledger's: they never go back."""
    values = result.values
    sold = values.get("units_sold", project.units_sold if project else None)
    delivered = values.get("units_delivered", project.units_delivered if project else 0)
    undelivered = values.pop("units_undelivered", None)
    known = undelivered is not None and sold is not None and delivered is not None
    if known and undelivered != sold - delivered:
        result.error(
            letter("units_undelivered"),
            f"未交房套数（{undelivered}）不等于已售套数减已交房套数（{sold - delivered}）",
        )
    if project is None:
        return
    if "units_delivered" in values and values["units_delivered"] < project.units_delivered:
        result.error(
            letter("units_delivered"),
            f"已交房套数不能减少：系统已登记交房{project.units_delivered}套，如需更正请修改交房记录",
        )
    elif "units_delivered" in values:
        result.delivered = values["units_delivered"] - project.units_delivered
    for name, kind in (("funding_gap", "资金短缺"), ("wages_owed", "欠薪")):
        target = values.get(name)
        if target is not None and target < getattr(project, name):
            result.error(
                letter(name),
                f"{label(name)}（{show(target)}万元）小于系统中未化解的{kind}问题合计"
                f"（{show(getattr(project, name))}万元），请先在问题清单中更新后再导入",
            )


def _model_rules(result: RowResult, project: Project | None, ctx: Context, letter: Any) -> None:
    """The project as the row would leave it, checked by the ledger's own rules."""
    values = result.values
    given = [f for f in PROJECT_FIELDS if f in values and f not in result.failed]
    if project is not None:
        given = [f for f in given if _differs(getattr(project, f), values[f])]
        if not given and values.get("units_delivered", project.units_delivered) == (
            project.units_delivered
        ):
            return  # nothing the row changes: the ledger's row already keeps the rules
    if project is None:
        candidate = ctx.new_project()
        candidate.units_delivered_opening = values.get("units_delivered") or 0
        candidate.units_delivered = candidate.units_delivered_opening
    else:
        candidate = copy.copy(project)
        candidate.units_delivered = values.get("units_delivered", project.units_delivered)
    for name in given:
        value = values[name]
        if (name in COMPANY_FIELDS or name == "task_force") and isinstance(value, str):
            value = ctx.unsaved(TaskForce if name == "task_force" else Company, value)
        elif name == "township" and isinstance(value, str):
            continue  # not on the list: the row has that error already
        setattr(candidate, name, value)
    try:
        project_check(candidate, [*given, "units_delivered"], cleaner=ctx.cleaner)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in result.failed:
                continue  # its cell is reported already
            for message in messages:
                where = "units_delivered" if "已交房" in message else name
                result.error(letter(where), message)


def _duplicates(result: RowResult, ctx: Context, letter: Any) -> None:
    if result.code:
        key = code_key(result.code)
        if key in ctx.codes_in_sheet:
            result.error(letter("code"), f"项目编号与{ctx.codes_in_sheet[key]}重复")
        else:
            ctx.codes_in_sheet[key] = result.where(ctx.multi_sheet)
    if not result.project_id and not result.code and result.name:
        dev = result.values.get("developer")
        dev_name = dev.name if isinstance(dev, Company) else str(dev or "")
        pair = (name_key(result.name), name_key(dev_name))
        if pair in ctx.names_in_sheet:
            result.error(letter("name"), f"与{ctx.names_in_sheet[pair]}是同一项目")
        else:
            ctx.names_in_sheet[pair] = result.where(ctx.multi_sheet)


def _plausible(result: RowResult, project: Project | None, letter: Any) -> None:
    """Figures a wrong unit would give: a home of 0.01 m², a funding gap of 1,200 元."""
    values = result.values
    area = values.get("total_floor_area", project.total_floor_area if project else None)
    units = values.get("total_units", project.total_units if project else None)
    if "total_floor_area" in values and area and units:
        per_unit = area / units
        if not AREA_PER_UNIT[0] <= per_unit <= AREA_PER_UNIT[1]:
            result.error(
                letter("total_floor_area"),
                f"总建筑面积{show(area)}平方米、{units}套，平均每套{per_unit:.2f}平方米，"
                "不合常理，请核对面积单位（万平方米？）",
            )
    for name in ("funding_gap", "wages_owed"):
        amount = values.get(name)
        if amount is not None and 0 < amount < 1:
            result.warnings.append(
                (
                    letter(name),
                    f"{label(name)}仅{show(amount)}万元（{amount * 10000:.0f}元），请核对单位",
                )
            )


def diff(result: RowResult, ctx: Context) -> None:
    if result.errors:
        result.status = "error"
        return
    if not result.project_id:
        result.status = "new"
        result.problems = problems_added(result, None, set())
        return
    project = ctx.by_pk[result.project_id]
    for name in PROJECT_FIELDS + DERIVED_FIELDS:
        if name not in result.values or name == "code":
            continue
        new = result.values[name]
        old = getattr(project, name)
        if not _differs(old, new):
            continue
        if name == "name" and name_key(new) == name_key(old):
            del result.values[name]  # the same name spelt another way: the ledger's stays
            continue
        if isinstance(new, str) and isinstance(old, Company | TaskForce):
            result.changes.append(Change(name, label(name), show(old), new))
        elif _comparable(old) != _comparable(new):
            if name == "construction_status":
                old, new = Project.Status(old).label, Project.Status(new).label
            result.changes.append(Change(name, label(name), show(old), show(new)))
    result.problems = problems_added(result, project, ctx.open_problem_types.get(project.pk, set()))
    missing = [t for t, _ in result.problems if t in result.problem_types]
    if missing:
        labels = "、".join(str(Problem.Type(t).label) for t in missing)
        result.changes.append(Change("problem_types", "问题类型", "—", f"新增：{labels}"))
    result.status = "changed" if result.changes else "unchanged"


def problems_added(
    result: RowResult, project: Project | None, open_types: set[str]
) -> list[tuple[str, Decimal]]:
    """(type, amount) of the problems a row adds: the increase of the funding gap or wage debt
    (the ledger keeps them as the open problems' amounts), and listed types not yet open."""
    out: list[tuple[str, Decimal]] = []
    for ptype, name in ((Problem.Type.FUNDING_GAP, "funding_gap"),
                        (Problem.Type.WAGE_ARREARS, "wages_owed")):  # fmt: skip
        target = result.values.get(name)
        before = getattr(project, name) if project is not None else Decimal(0)
        if target is not None and target > before:
            out.append((str(ptype), target - before))
    known = {t for t, _ in out} | open_types
    for listed in result.problem_types:
        if listed not in known:
            out.append((listed, Decimal(0)))
            known.add(listed)
    return out


def _differs(old: Any, new: Any) -> bool:
    if old == new and type(old) is type(new):
        return False
    return bool(_comparable(old) != _comparable(new))


def _comparable(value: Any) -> Any:
    if isinstance(value, Company | TaskForce | Township | User):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, str):
        return value or None
    return value
