"""Writes of the ledger rows (projects), their milestones (一楼一策) and saved filters."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from core.bulk import (
    Cleaner,
    RowErrors,
    allocate_ids,
    bulk_history,
    fast_bulk_insert,
    fast_bulk_update,
    in_batches,
    maker,
)
from core.models import User
from core.versioning import EditConflict, Versioned, claim_version, edit_conflict_message
from projects.codes import project_codes_next
from projects.figures import PROJECT_RELATIONS
from projects.models import Milestone, Project, SavedFilter, TaskForce
from projects.permissions import (
    REFUSED_EDIT,
    can_edit_project,
    editable_task_forces,
)

PROJECT_FIELDS = [
    "code",
    "name",
    "township",
    "address",
    "developer",
    "construction_unit",
    "general_contractor",
    "total_floor_area",
    "sold_area",
    "total_units",
    "units_sold",
    "contract_delivery_date",
    "expected_delivery_date",
    "task_force",
    "responsible_leader",
    "contact_person",
    "contact_phone",
    "strategy",
    "whitelisted",
    "notes",
]
# A new project may bring the homes it delivered before it entered the ledger (期初).
PROJECT_CREATE_FIELDS = [*PROJECT_FIELDS, "units_delivered_opening"]
REQUIRED_RELATIONS = ["township", "developer", "task_force"]
MILESTONE_FIELDS = ["title", "planned_date", "done_date", "note"]


def save_with_history(
    instance: models.Model, *, actor: User | None, reason: str = "", **save_kwargs: Any
) -> None:
    """Validate and save, recording the actor and the 变更说明 on the history row; a changed
    row gets its next version, so an edit begun before this save is refused (core.versioning)."""
    instance.full_clean()
    if isinstance(instance, Versioned) and not instance._state.adding:
        instance.version += 1
    instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    instance.save(**save_kwargs)


def _apply(instance: models.Model, data: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


def _check_task_force(actor: User, task_force: TaskForce | None) -> None:
    if task_force is not None and not editable_task_forces(actor).filter(pk=task_force.pk).exists():
        raise ValidationError({"task_force": "只能选择您所在的专班。"})


@transaction.atomic
def project_create(*, actor: User, data: dict[str, Any], reason: str = "") -> Project:
    """A new ledger row; a blank 项目编号 gets the ledger's next code."""
    try:
        return projects_create_many(actor=actor, rows=[data], reason=reason or "新建项目")[0]
    except RowErrors as exc:
        raise exc.rows[0] from None


_ALL_FIELDS = [f.name for f in Project._meta.concrete_fields]


def project_check(
    project: Project, fields: list[str] | None = None, *, cleaner: Cleaner | None = None
) -> None:
    """The model's rules for a project about to be written: its fields (only `fields`, when the
    others are known to be valid) and its invariants, without a query per foreign key (the
    callers pass objects). The import calls it for its preview; many projects share a Cleaner."""
    errors: dict[str, list[str]] = {}
    for name in REQUIRED_RELATIONS:
        if getattr(project, f"{name}_id") is None and getattr(project, name, None) is None:
            errors[name] = ["这个字段是必填项。"]
    checked = [f for f in (fields or _ALL_FIELDS) if f not in PROJECT_RELATIONS]
    if not project.code and "code" in checked:
        checked.remove("code")  # given the ledger's next code when written
    try:
        (cleaner or Cleaner(Project))(project, checked)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _taken_codes(codes: Iterable[str]) -> set[str]:
    wanted = sorted(set(codes))
    taken: set[str] = set()
    for batch in in_batches(wanted, "text"):
        taken.update(Project.objects.filter(code__in=batch).values_list("code", flat=True))
    return taken


@transaction.atomic
def projects_create_many(*, actor: User, rows: list[dict[str, Any]], reason: str) -> list[Project]:
    """New ledger rows, all or none (RowErrors names each refused row).

    Blank codes get the ledger's next codes; a project's 已交房 starts at its opening balance.
    """
    projects = projects_plan_many(actor=actor, rows=rows)
    projects_insert_many(projects, actor=actor, reason=reason)
    return projects


@transaction.atomic
def projects_plan_many(*, actor: User, rows: list[dict[str, Any]]) -> list[Project]:
    """New ledger rows checked by the rules of `projects_create_many` and given their codes and
    ids, not yet inserted: entries that point at them can be planned first, so the projects
    are inserted as their entries leave them. Insert them with `projects_insert_many` in the
    same transaction."""
    editable = set(editable_task_forces(actor).values_list("pk", flat=True))
    projects: list[Project] = []
    errors: dict[int, ValidationError] = {}
    seen: dict[str, int] = {}
    cleaner = Cleaner(Project)
    new_project = maker(Project)
    for i, data in enumerate(rows):
        project = new_project()
        _apply(project, data, PROJECT_CREATE_FIELDS)
        project.code = (project.code or "").strip()
        project.units_delivered = project.units_delivered_opening
        try:
            task_force = data.get("task_force")
            if task_force is not None and task_force.pk not in editable:
                raise ValidationError({"task_force": "只能选择您所在的专班。"})
            project_check(project, [*data, "units_delivered"], cleaner=cleaner)
            if project.code in seen:
                raise ValidationError({"code": f"与第{seen[project.code] + 1}条的项目编号相同。"})
        except ValidationError as exc:
            errors[i] = exc
        if project.code:
            seen[project.code] = i
        projects.append(project)
    for code in _taken_codes(seen):
        errors.setdefault(
            seen[code], ValidationError({"code": f"项目编号{code}已被其他项目使用。"})
        )
    if errors:
        raise RowErrors(errors)
    blank = [p for p in projects if not p.code]
    for project, code in zip(
        blank, project_codes_next(year=timezone.localdate().year, count=len(blank)), strict=True
    ):
        project.code = code
    allocate_ids(projects)
    return projects


def projects_insert_many(projects: list[Project], *, actor: User, reason: str) -> None:
    """Write planned projects (`projects_plan_many`) with their history rows."""
    fast_bulk_insert(projects)
    bulk_history(projects, actor=actor, reason=reason, kind="+")


@transaction.atomic
def projects_update_many(
    *, actor: User, changes: dict[int, dict[str, Any]], reason: str
) -> list[Project]:
    """Edits of many projects at once (the import): the rules of `project_update`, per row;
    all or none. Returns the projects that changed."""
    editable = set(editable_task_forces(actor).values_list("pk", flat=True))
    ids = list(changes)
    locked: dict[int, Project] = {}
    for batch in in_batches(ids):
        locked.update((p.pk, p) for p in Project.objects.select_for_update().filter(pk__in=batch))
    changed: list[Project] = []
    fields: set[str] = set()
    errors: dict[int, ValidationError] = {}
    stamp = timezone.now()
    cleaner = Cleaner(Project)
    for i, (pk, data) in enumerate(changes.items()):
        project = locked[pk]
        if project.task_force_id not in editable:
            raise PermissionDenied(REFUSED_EDIT)
        touched = [name for name, value in data.items() if _differs(project, name, value)]
        if not touched:
            continue
        try:
            if "task_force" in touched and data["task_force"].pk not in editable:
                raise ValidationError({"task_force": "只能选择您所在的专班。"})
            _apply(project, {name: data[name] for name in touched}, PROJECT_FIELDS)
            project_check(project, touched, cleaner=cleaner)
        except ValidationError as exc:
            errors[i] = exc
            continue
        project.version += 1
        project.updated_at = stamp  # bulk updates do not apply auto_now
        fields.update(touched)
        changed.append(project)
    if errors:
        raise RowErrors(errors)
    if changed:
        fast_bulk_update(changed, [*sorted(fields), "version", "updated_at"])
        bulk_history(changed, actor=actor, reason=reason)
    return changed


def _differs(project: Project, name: str, value: Any) -> bool:
    """Compare relations by key, so the related rows need not be loaded."""
    if name in PROJECT_RELATIONS:
        return getattr(project, f"{name}_id") != (value.pk if value is not None else None)
    return bool(getattr(project, name) != value)


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Project:
    """Save an edit unless someone else saved the project since the editor loaded it."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if not can_edit_project(actor, locked):
        raise PermissionDenied(REFUSED_EDIT)
    if locked.version != expected_version:
        raise EditConflict(edit_conflict_message(locked, "项目"), code="edit_conflict")
    if "task_force" in data and data["task_force"] != locked.task_force:
        _check_task_force(actor, data["task_force"])
    _apply(locked, data, PROJECT_FIELDS)
    locked.version += 1
    save_with_history(locked, actor=actor, reason=reason)
    return locked


@transaction.atomic
def milestone_create(
    *, actor: User, project: Project, data: dict[str, Any], reason: str = ""
) -> Milestone:
    if not can_edit_project(actor, project):
        raise PermissionDenied(REFUSED_EDIT)
    milestone = Milestone(project=project)
    _apply(milestone, data, MILESTONE_FIELDS)
    save_with_history(milestone, actor=actor, reason=reason)
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Milestone:
    if not can_edit_project(actor, milestone.project):
        raise PermissionDenied(REFUSED_EDIT)
    claim_version(milestone, expected_version)
    _apply(milestone, data, MILESTONE_FIELDS)
    save_with_history(milestone, actor=actor, reason=reason)
    return milestone


@transaction.atomic
def saved_filter_create(*, actor: User, name: str, query: str, share: bool) -> SavedFilter:
    """Save the list's query string under a name; shared filters go to the actor's 专班."""
    shared_with = None
    if share:
        shared_with = TaskForce.objects.filter(members=actor).order_by("pk").first()
        if shared_with is None:
            raise ValidationError({"share": "您不属于任何专班，无法共享。"})
    saved = SavedFilter(
        owner=actor, name=name.strip(), query=query.lstrip("?"), shared_with=shared_with
    )
    saved.full_clean()
    saved.save()
    return saved


@transaction.atomic
def saved_filter_delete(*, actor: User, saved_filter: SavedFilter) -> None:
    if saved_filter.owner_id != actor.pk:
        raise PermissionDenied("只能删除自己创建的常用筛选。")
    saved_filter.delete()
