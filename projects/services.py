"""Writes of projects, companies, milestones and saved filters; the derived figures.

Every entry point (pages, API, Excel import) calls these, so validation, permission checks,
history (who, when, 变更说明) and derived figures are the same whichever way a change comes in.
"""

from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from core.bulk import fast_bulk_update, insert_rows
from core.models import User
from ledgers.models import OPEN_PROBLEM_STATUSES, DeliveryRecord, Problem, ProgressReport
from projects.models import Company, Milestone, Project, SavedFilter, TaskForce, Township
from projects.permissions import (
    REFUSED_EDIT,
    can_edit_companies,
    can_edit_project,
    editable_task_forces,
    is_admin,
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
PROJECT_RELATIONS = [
    "township",
    "developer",
    "construction_unit",
    "general_contractor",
    "task_force",
    "responsible_leader",
]
COMPANY_FIELDS = ["name", "credit_code", "legal_representative", "phone", "notes"]
MILESTONE_FIELDS = ["title", "planned_date", "done_date", "note"]
OPEN_PROBLEM = OPEN_PROBLEM_STATUSES
REFRESH_CHUNK = 5000  # ids per query: SQLite allows 32,766 parameters at most


def save_with_history(
    instance: models.Model, *, actor: User | None, reason: str = "", **save_kwargs: Any
) -> None:
    """Validate and save, recording the actor and the 变更说明 on the history row."""
    instance.full_clean()
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
    _check_task_force(actor, data.get("task_force"))
    project = Project()
    _apply(project, data, PROJECT_FIELDS)
    save_with_history(project, actor=actor, reason=reason or "新建项目")
    return project


class EditConflict(ValidationError):
    """Someone saved the project after the editor loaded it: the save is refused, not merged."""


def edit_conflict_message(project: Project) -> str:
    """Who saved the newer version and when, for the person whose save was refused."""
    latest = project.history.select_related("history_user").first()
    who = str(latest.history_user) if latest and latest.history_user else "其他用户"
    when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
    return (
        f"该项目已被{who}于{when:%Y-%m-%d %H:%M}修改，您编辑的是旧版本，本次保存未生效。"
        "请刷新页面，在最新内容上重新修改。"
    )


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
        raise EditConflict(edit_conflict_message(locked), code="edit_conflict")
    if "task_force" in data and data["task_force"] != locked.task_force:
        _check_task_force(actor, data["task_force"])
    _apply(locked, data, PROJECT_FIELDS)
    locked.version += 1
    save_with_history(locked, actor=actor, reason=reason)
    return locked


@transaction.atomic
def project_refresh_figures(*, project: Project, actor: User | None, reason: str) -> None:
    """Recompute one project's derived figures, in the caller's transaction."""
    projects_refresh_figures(project_ids=[project.pk], actor=actor, reason=reason)


@transaction.atomic
def projects_refresh_figures(
    *, project_ids: list[int], actor: User | None, reason: str
) -> list[Project]:
    """Recompute the figures derived from the ledger entries, with a history row per change.

    units_delivered from the deliveries; status, progress and last report date from the
    latest progress report; funding gap and wages owed from the open problems. One set of
    aggregate queries per 5,000 projects, so the importer uses it too.
    """
    if len(project_ids) > REFRESH_CHUNK:
        done: list[Project] = []
        for start in range(0, len(project_ids), REFRESH_CHUNK):
            chunk = project_ids[start : start + REFRESH_CHUNK]
            done += projects_refresh_figures(project_ids=chunk, actor=actor, reason=reason)
        return done
    locked = {p.pk: p for p in Project.objects.select_for_update().filter(pk__in=project_ids)}
    delivered = dict(
        DeliveryRecord.objects.filter(project_id__in=locked)
        .values_list("project_id")
        .annotate(n=Sum("units"))
    )
    last_dates = dict(
        ProgressReport.objects.filter(project_id__in=locked)
        .values_list("project_id")
        .annotate(d=Max("report_date"))
    )
    latest: dict[int, tuple[str, Decimal]] = {}
    for pid, status, progress in (
        ProgressReport.objects.filter(project_id__in=locked)
        .order_by("project_id", "-period_start", "-report_date")
        .values_list("project_id", "construction_status", "progress_percent")
    ):
        latest.setdefault(pid, (status, progress))
    money: dict[tuple[int, str], Decimal] = {
        (pid, ptype): total
        for pid, ptype, total in Problem.objects.filter(
            project_id__in=locked, status__in=OPEN_PROBLEM
        )
        .values_list("project_id", "problem_type")
        .annotate(total=Sum("amount"))
    }
    changed_projects: list[Project] = []
    changed_fields: set[str] = set()
    for pid, project in locked.items():
        figures: dict[str, Any] = {
            "units_delivered": delivered.get(pid) or 0,
            "last_report_date": last_dates.get(pid),
            "funding_gap": money.get((pid, Problem.Type.FUNDING_GAP)) or Decimal(0),
            "wages_owed": money.get((pid, Problem.Type.WAGE_ARREARS)) or Decimal(0),
        }
        if pid in latest:
            figures["construction_status"], figures["progress_percent"] = latest[pid]
        changed = [name for name, value in figures.items() if getattr(project, name) != value]
        if not changed:
            continue
        for name in changed:
            setattr(project, name, figures[name])
        project.updated_at = timezone.now()  # bulk_update does not apply auto_now
        # Only figures changed: skip the foreign keys, whose validation costs a query each.
        project.full_clean(
            exclude=PROJECT_RELATIONS, validate_unique=False, validate_constraints=False
        )
        changed_fields.update(changed)
        changed_projects.append(project)
    if changed_projects:
        fast_bulk_update(changed_projects, [*sorted(changed_fields), "updated_at"])
        bulk_history(changed_projects, actor=actor, reason=reason)
    return changed_projects


def bulk_history(objs: list[Any], *, actor: User | None, reason: str, kind: str = "~") -> None:
    """History rows for objects written in bulk: the same who/when/why as a single save.

    The rows are built as plain values, not historical model instances: instantiating 20,000 of
    them cost more than writing them.
    """
    if not objs:
        return
    historical = type(objs[0]).history.model
    now = timezone.now()
    fixed = {
        "history_date": now,
        "history_type": kind,
        "history_user_id": actor.pk if actor else None,
        "history_change_reason": reason.strip()[:100],
    }
    fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
    copied = [f.attname for f in fields if f.attname not in fixed]
    values = attrgetter(*copied)
    tail = tuple(fixed[f.attname] for f in fields if f.attname in fixed)
    order = [f for f in fields if f.attname not in fixed] + [
        f for f in fields if f.attname in fixed
    ]
    insert_rows(historical, order, (values(o) + tail for o in objs))


@transaction.atomic
def township_merge(*, actor: User, sources: list[Township], target: Township) -> int:
    """Fold spellings of one place (城关 and 城关镇) into one township: their projects move to
    the target with a history row each, and the other names leave the list. Returns how many
    projects moved."""
    if not is_admin(actor):
        raise PermissionDenied("只有系统管理员可以合并乡镇(街道)。")
    others = [t for t in sources if t.pk != target.pk]
    if not others:
        raise ValidationError("请至少选择两个乡镇(街道)，并指定合并后保留的名称。")
    moved = list(Project.objects.select_for_update().filter(township__in=others).order_by("pk"))
    for project in moved:
        project.township = target
        project.version += 1
        project.updated_at = timezone.now()
    if moved:
        fast_bulk_update(moved, ["township", "version", "updated_at"])
        names = "、".join(t.name for t in others)
        bulk_history(moved, actor=actor, reason=f"乡镇合并：{names} → {target.name}")
    Township.objects.filter(pk__in=[t.pk for t in others]).delete()
    return len(moved)


@transaction.atomic
def company_create(*, actor: User, data: dict[str, Any]) -> Company:
    if not can_edit_companies(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以登记企业。")
    company = Company()
    _apply(company, data, COMPANY_FIELDS)
    save_with_history(company, actor=actor, reason="登记企业")
    return company


@transaction.atomic
def company_update(
    *, actor: User, company: Company, data: dict[str, Any], reason: str = ""
) -> Company:
    if not can_edit_companies(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以修改企业信息。")
    _apply(company, data, COMPANY_FIELDS)
    save_with_history(company, actor=actor, reason=reason)
    return company


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
    *, actor: User, milestone: Milestone, data: dict[str, Any], reason: str = ""
) -> Milestone:
    if not can_edit_project(actor, milestone.project):
        raise PermissionDenied(REFUSED_EDIT)
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
