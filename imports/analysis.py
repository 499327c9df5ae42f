"""Reads a survey sheet against the ledger: each row new, changed (old → new), unchanged or an
error pointing at the row and column the person sees in Excel. Writes nothing.

Empty cells mean "not reported", never "erase": a township that leaves 备注 blank does not wipe
the 专班's notes. Figures the ledger derives (已交房套数, 施工状态, 形象进度, 资金缺口, 欠薪) are
compared with the ledger's and, on apply, recorded as the entries that produce them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from core.models import User
from core.roles import Role
from imports import parsing
from imports.headers import LABELS
from imports.reading import Cell, ParsedSheet, RawRow, RecordingSheet, SurveySheet
from ledgers.models import OPEN_PROBLEM_STATUSES, Problem
from projects.models import Company, Project, TaskForce, Township
from projects.permissions import editable_task_forces, is_admin
from projects.selectors import township_list
from projects.townships import township_match

# Columns written straight onto the project, in the order a person reads them.
PROJECT_FIELDS = [
    "code",
    "name",
    "township",
    "developer",
    "construction_unit",
    "general_contractor",
    "total_floor_area",
    "sold_area",
    "total_units",
    "units_sold",
    "contract_delivery_date",
    "task_force",
    "responsible_leader",
    "notes",
]
# Columns that become ledger entries on apply.
DERIVED_FIELDS = ["units_delivered", "construction_status", "progress_percent", "funding_gap",
                  "wages_owed"]  # fmt: skip
COMPANY_FIELDS = ["developer", "construction_unit", "general_contractor"]
ONE = Decimal(1)
REQUIRED_FOR_NEW = ["name", "township", "developer", "total_floor_area", "total_units"]


@dataclass(slots=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass(slots=True)
class RowResult:
    number: int
    status: str = "unchanged"  # new / changed / unchanged / error
    code: str = ""
    name: str = ""
    project_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    problem_types: list[str] = field(default_factory=list)
    main_problem: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column letter, message)
    changes: list[Change] = field(default_factory=list)

    def error(self, cell: Cell | None, message: str) -> None:
        self.errors.append((cell.letter if cell else "", message))


@dataclass
class Analysis:
    file_name: str
    sheet_name: str
    header_rows: list[int]
    recognised: list[tuple[str, str, str]]  # (column letter, header as written, field label)
    ignored: list[tuple[str, str]]
    skipped: list[tuple[int, str]]
    rows: list[RowResult]
    new_companies: list[str]
    new_task_forces: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0, "skipped": len(self.skipped)}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(r.status == "error" for r in self.rows)


def company_key(name: str) -> str:
    return parsing.normalize_text(name).replace(" ", "").replace("（", "(").replace("）", ")")


def _show(value: Any) -> str:
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


def _key_text(cell: Cell | None) -> str:
    """The text a code or name cell is matched by (a code typed as a number reads as one)."""
    if cell is None:
        return ""
    if isinstance(cell.value, float) and cell.value.is_integer():
        return str(int(cell.value))
    return parsing.normalize_text(cell.value)


def _chunks(values: list[Any], size: int = 5000) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


class _Context:
    """What rows are matched against. Task forces, companies and leaders are loaded once; the
    projects a chunk of rows names are loaded for that chunk only (`load_projects`), so neither
    a province-sized ledger nor all the sheet's projects are held at once."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.today = timezone.localdate()
        self.admin = is_admin(actor)
        self.editable = {tf.pk for tf in editable_task_forces(actor)}
        self.task_forces = {tf.name: tf for tf in TaskForce.objects.all()}
        self.townships = list(township_list())
        own = [tf for tf in self.task_forces.values() if tf.pk in self.editable]
        self.default_task_force = own[0] if len(own) == 1 and not self.admin else None
        companies = list(Company.objects.all())
        self.companies = {company_key(c.name): c for c in companies}
        self.leaders: dict[str, User] = {}
        leaders = list(User.objects.filter(groups__name=Role.LEADER))
        for user in leaders:
            self.leaders.setdefault(user.full_name or user.username, user)
        # The related rows of matched projects, by key: attached from here rather than loaded
        # with each project (select_related built six objects a project).
        self._related: dict[str, dict[int, Any]] = {
            "company": {c.pk: c for c in companies},
            "task_force": {tf.pk: tf for tf in self.task_forces.values()},
            "township": {t.pk: t for t in self.townships},
            "user": {u.pk: u for u in leaders},
        }
        self.new_companies: dict[str, str] = {}
        self.new_task_forces: dict[str, str] = {}
        self.codes_in_sheet: dict[str, int] = {}
        self.names_in_sheet: dict[tuple[str, str], int] = {}
        self.load_projects(set(), set())

    def load_projects(self, codes: set[str], names: set[str]) -> None:
        """The projects these codes or names may match, with their open problem types."""
        found: dict[int, Project] = {}
        for chunk in _chunks(sorted(codes)):
            found.update((p.pk, p) for p in Project.objects.filter(code__in=chunk))
        for chunk in _chunks(sorted(names)):
            found.update((p.pk, p) for p in Project.objects.filter(name__in=chunk))
        projects = list(found.values())
        self._attach_related(projects)
        self.by_code = {p.code: p for p in projects}
        self.by_pk = found
        self.open_problem_types: dict[int, set[str]] = {}
        for chunk_ids in _chunks(list(found)):
            for pid, ptype in Problem.objects.filter(
                project_id__in=chunk_ids, status__in=OPEN_PROBLEM_STATUSES
            ).values_list("project_id", "problem_type"):
                self.open_problem_types.setdefault(pid, set()).add(ptype)
        self.by_name = {(p.name, company_key(p.developer.name)): p for p in projects}

    def _attach_related(self, projects: list[Project]) -> None:
        kinds: dict[str, tuple[str, Any]] = {
            "township": ("township", Township),
            "developer": ("company", Company),
            "construction_unit": ("company", Company),
            "general_contractor": ("company", Company),
            "task_force": ("task_force", TaskForce),
            "responsible_leader": ("user", User),
        }
        for name, (kind, model) in kinds.items():
            known = self._related[kind]
            # Rows written since the context was loaded, or a leader no longer in the group.
            missing = {getattr(p, f"{name}_id") for p in projects} - known.keys() - {None}
            if missing:
                known.update(model.objects.in_bulk(missing))
        for project in projects:
            for name, (kind, _) in kinds.items():
                pk = getattr(project, f"{name}_id")
                if pk is not None:
                    setattr(project, name, self._related[kind][pk])


def _parse(row: RawRow, ctx: _Context, columns: dict[str, Decimal]) -> RowResult:
    result = RowResult(number=row.number)
    values = result.values
    parsers: dict[str, Any] = {
        "total_floor_area": lambda c: parsing.parse_decimal(
            c.value, units=parsing.AREA_UNITS, header_factor=columns.get("total_floor_area", ONE)
        ),
        "sold_area": lambda c: parsing.parse_decimal(
            c.value, units=parsing.AREA_UNITS, header_factor=columns.get("sold_area", ONE)
        ),
        "funding_gap": lambda c: parsing.parse_decimal(
            c.value, units=parsing.MONEY_UNITS, header_factor=columns.get("funding_gap", ONE)
        ),
        "wages_owed": lambda c: parsing.parse_decimal(
            c.value, units=parsing.MONEY_UNITS, header_factor=columns.get("wages_owed", ONE)
        ),
        "total_units": lambda c: parsing.parse_count(c.value),
        "units_sold": lambda c: parsing.parse_count(c.value),
        "units_delivered": lambda c: parsing.parse_count(c.value),
        "units_undelivered": lambda c: parsing.parse_count(c.value),
        "contract_delivery_date": lambda c: parsing.parse_date(c.value),
        "construction_status": lambda c: parsing.parse_status(c.value),
        "progress_percent": lambda c: parsing.parse_percent(c.value, cell_is_percent=c.is_percent),
        "problem_types": lambda c: parsing.parse_problem_types(c.value),
    }
    for name, cell in row.cells.items():
        try:
            if name in parsers:
                values[name] = parsers[name](cell)
            else:
                text = parsing.normalize_text(cell.value)
                if isinstance(cell.value, float) and cell.value.is_integer():
                    text = str(int(cell.value))  # a code typed as a number
                values[name] = text
        except parsing.ParseError as exc:
            result.error(cell, f"{LABELS[name]}：{exc}")
    result.problem_types = values.pop("problem_types", None) or []
    result.main_problem = values.pop("main_problem", "")
    result.code = str(values.get("code", ""))
    result.name = str(values.get("name", ""))
    return result


def _resolve(result: RowResult, row: RawRow, ctx: _Context) -> None:
    """Companies, 专班 and leader by name; the project by code, else by name + developer."""
    values = result.values
    for name in COMPANY_FIELDS:
        if name not in values:
            continue
        key = company_key(values[name])
        company = ctx.companies.get(key)
        if company is None:
            ctx.new_companies.setdefault(key, values[name])
        values[name] = company or values[name]
    if values.get("township"):
        match = township_match(values["township"], ctx.townships)
        if match.township is None:
            result.error(row.cells.get("township"), match.message())
        else:
            values["township"] = match.township
    if "task_force" in values:
        name = values["task_force"]
        tf = ctx.task_forces.get(name)
        if tf is None:
            if ctx.admin:
                ctx.new_task_forces.setdefault(name, name)
            else:
                result.error(row.cells.get("task_force"), f"工作专班“{name}”不存在，请核对名称")
        values["task_force"] = tf or name
    if "responsible_leader" in values:
        leader = ctx.leaders.get(values["responsible_leader"])
        if leader is None:
            result.error(
                row.cells.get("responsible_leader"),
                f"包案领导“{values['responsible_leader']}”不是系统中的县领导，请核对姓名",
            )
        values["responsible_leader"] = leader
    project = ctx.by_code.get(result.code) if result.code else None
    developer = values.get("developer")
    if project is None and result.name and developer is not None:
        dev_name = developer.name if isinstance(developer, Company) else developer
        project = ctx.by_name.get((result.name, company_key(dev_name)))
    if project is not None:
        if result.code and result.code != project.code:
            result.error(
                row.cells.get("code"),
                f"项目“{project.name}”在系统中的编号为{project.code}，与表中编号不一致，请核对",
            )
        result.project_id = project.pk
        result.code = project.code
        result.name = result.name or project.name


def _check_row(result: RowResult, row: RawRow, ctx: _Context) -> None:
    values = result.values
    cells = row.cells
    project = ctx.by_pk.get(result.project_id) if result.project_id else None

    def current(name: str) -> Any:
        if name in values:
            return values[name]
        return getattr(project, name, None) if project else None

    if project is None:
        missing = [LABELS[f] for f in REQUIRED_FOR_NEW if values.get(f) in (None, "")]
        if "task_force" not in values and ctx.default_task_force is None:
            missing.append(LABELS["task_force"])
        if missing:
            result.error(
                None,
                f"新项目缺少必填项：{'、'.join(missing)}"
                "（若这些单元格是公式，请在Excel中打开、保存后再上传，以保存计算结果）",
            )
    # Who may write this row.
    tf = values.get("task_force") or (project.task_force if project else ctx.default_task_force)
    if isinstance(tf, TaskForce) and tf.pk not in ctx.editable:
        result.error(cells.get("task_force"), f"您只能导入本专班的项目，该行属于“{tf.name}”")
    if project is not None and project.task_force_id not in ctx.editable:
        result.error(None, f"项目“{project.name}”属于“{project.task_force.name}”，您无权修改")
    # The ledger's invariants, on the values the project would have after the import.
    sold, total = current("units_sold"), current("total_units")
    delivered = values.get("units_delivered", project.units_delivered if project else 0)
    if sold is not None and total is not None and sold > total:
        result.error(cells.get("units_sold"), f"已售套数（{sold}）大于总套数（{total}）")
    if delivered is not None and sold is not None and delivered > sold:
        result.error(
            cells.get("units_delivered"), f"已交房套数（{delivered}）大于已售套数（{sold}）"
        )
    area, sold_area = current("total_floor_area"), current("sold_area")
    if area is not None and sold_area is not None and sold_area > area:
        result.error(cells.get("sold_area"), "已售面积大于总建筑面积，请核对单位")
    undelivered = values.pop("units_undelivered", None)
    known = undelivered is not None and sold is not None and delivered is not None
    if known and undelivered != sold - delivered:
        result.error(
            cells.get("units_undelivered"),
            f"未交房套数（{undelivered}）不等于已售套数减已交房套数（{sold - delivered}）",
        )
    if project is not None and delivered is not None and delivered < project.units_delivered:
        result.error(
            cells.get("units_delivered"),
            f"已交房套数不能减少：系统已登记交房{project.units_delivered}套，如需更正请修改交房记录",
        )
    for name, label in (("funding_gap", "资金短缺"), ("wages_owed", "欠薪")):
        target = values.get(name)
        if project is not None and target is not None and target < getattr(project, name):
            result.error(
                cells.get(name),
                f"{LABELS[name]}（{target}万元）小于系统中未化解的{label}问题合计"
                f"（{getattr(project, name)}万元），请先在问题清单中更新后再导入",
            )
    if result.code and result.code in ctx.codes_in_sheet:
        result.error(cells.get("code"), f"项目编号与第{ctx.codes_in_sheet[result.code]}行重复")
    elif result.code:
        ctx.codes_in_sheet[result.code] = row.number
    if not result.project_id and result.name:
        dev = values.get("developer")
        key = (result.name, company_key(dev.name if isinstance(dev, Company) else str(dev)))
        if key in ctx.names_in_sheet:
            result.error(cells.get("name"), f"与第{ctx.names_in_sheet[key]}行是同一项目")
        ctx.names_in_sheet[key] = row.number
    for name in ("total_floor_area", "sold_area", "funding_gap", "wages_owed"):
        value = values.get(name)
        if value is not None and value >= Decimal(10) ** 10:
            result.error(cells.get(name), f"{LABELS[name]}数值过大，请核对单位")


def _diff(result: RowResult, ctx: _Context) -> None:
    if result.errors:
        result.status = "error"
        return
    if not result.project_id:
        result.status = "new"
        return
    project = ctx.by_pk[result.project_id]
    for name in PROJECT_FIELDS + DERIVED_FIELDS:
        if name not in result.values or name == "code":
            continue
        new = result.values[name]
        old = getattr(project, name)
        if isinstance(new, str) and isinstance(old, Company | TaskForce):
            result.changes.append(Change(name, LABELS[name], _show(old), new))
        elif _comparable(old) != _comparable(new):
            if name == "construction_status":
                old, new = Project.Status(old).label, Project.Status(new).label
            result.changes.append(Change(name, LABELS[name], _show(old), _show(new)))
    if result.problem_types:
        open_types = ctx.open_problem_types.get(project.pk, set())
        missing = [t for t in result.problem_types if t not in open_types]
        if missing:
            labels = "、".join(str(Problem.Type(t).label) for t in missing)
            result.changes.append(Change("problem_types", "问题类型", "—", f"新增：{labels}"))
    result.status = "changed" if result.changes else "unchanged"


def _comparable(value: Any) -> Any:
    if isinstance(value, Company | TaskForce | Township | User):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if value != "" else None


ANALYSIS_CHUNK = 2000  # rows checked against the projects they name, loaded together


def analyze(
    sheet: SurveySheet | RecordingSheet | ParsedSheet,
    *,
    actor: User,
    file_name: str,
    progress: Callable[[int], None] | None = None,
) -> Analysis:
    """Check every row of an opened sheet (a SurveySheet or the rows it kept), a chunk at a
    time, in a number of queries that grows per chunk, not per row."""
    ctx = _Context(actor)
    layout = sheet.layout
    factors = {c.field: c.factor for c in layout.recognised if c.field}
    rows: list[RowResult] = []
    chunk: list[RawRow] = []

    def check(raws: list[RawRow]) -> None:
        ctx.load_projects(
            codes={k for r in raws if (k := _key_text(r.cells.get("code")))},
            names={k for r in raws if (k := _key_text(r.cells.get("name")))},
        )
        for raw in raws:
            result = _parse(raw, ctx, factors)
            if not result.errors:
                _resolve(result, raw, ctx)
            _check_row(result, raw, ctx)
            _diff(result, ctx)
            if result.status not in ("new", "changed"):
                result.values = {}  # nothing to write: only the preview's columns are kept
            rows.append(result)

    for raw in sheet.rows():
        chunk.append(raw)
        if progress is not None and (len(rows) + len(chunk)) % 500 == 0:
            progress(raw.number)
        if len(chunk) >= ANALYSIS_CHUNK:
            check(chunk)
            chunk = []
    check(chunk)
    ctx.load_projects(set(), set())
    return Analysis(
        file_name=file_name,
        sheet_name=layout.sheet_name,
        header_rows=layout.header_rows,
        recognised=[(c.letter, c.header, LABELS[c.field]) for c in layout.recognised if c.field],
        ignored=[(c.letter, c.header) for c in layout.ignored],
        skipped=list(layout.skipped),
        rows=rows,
        new_companies=sorted(ctx.new_companies.values()),
        new_task_forces=sorted(ctx.new_task_forces.values()),
    )
