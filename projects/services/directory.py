"""Writes of the names projects refer to: companies (企业), 专班 and townships (乡镇/街道).

One company, one 专班, one township per name as people write it: spellings that differ only in
width, spaces or brackets are the same entry."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.bulk import RowErrors, bulk_history, fast_bulk_insert, fast_bulk_update
from core.models import User
from core.versioning import claim_version
from projects.models import Company, Project, TaskForce, Township
from projects.names import name_key
from projects.permissions import can_edit_companies, is_admin
from projects.services.ledger import _apply, save_with_history

COMPANY_FIELDS = ["name", "credit_code", "legal_representative", "phone", "notes"]


def _check_company_name(
    name: str, *, known: dict[str, Company], exclude: int | None = None
) -> None:
    """One company, one entry: a name differing only in width, spaces or brackets is the same."""
    same = known.get(name_key(name))
    if same is not None and same.pk != exclude:
        raise ValidationError(
            {"name": f"与已登记的企业“{same.name}”是同一名称（仅全角半角、空格或括号不同）。"}
        )


def companies_by_key() -> dict[str, Company]:
    return {name_key(c.name): c for c in Company.objects.all()}


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
    _check_company_name(company.name, known=companies_by_key())
    save_with_history(company, actor=actor, reason="登记企业")
    return company


@transaction.atomic
def companies_create_many(*, actor: User, names: list[str], reason: str) -> list[Company]:
    """Companies named in an import and not yet registered, by name only, all or none."""
    if not can_edit_companies(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以登记企业。")
    known = companies_by_key()
    companies: list[Company] = []
    errors: dict[int, ValidationError] = {}
    for i, name in enumerate(names):
        company = Company(name=name.strip())
        try:
            _check_company_name(company.name, known=known)
            company.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors[i] = exc
        known[name_key(company.name)] = company
        companies.append(company)
    if errors:
        raise RowErrors(errors)
    fast_bulk_insert(companies, assign_ids=True)
    bulk_history(companies, actor=actor, reason=reason, kind="+")
    return companies


@transaction.atomic
def task_forces_create_many(*, actor: User, names: list[str]) -> list[TaskForce]:
    """专班 named in an import by an administrator and not yet set up."""
    if not is_admin(actor):
        raise PermissionDenied("只有系统管理员可以新建工作专班。")
    known = {name_key(t.name): t for t in TaskForce.objects.all()}
    created = []
    for name in names:
        if name_key(name) in known:
            raise ValidationError(
                f"工作专班“{name}”与已有的“{known[name_key(name)].name}”是同一名称。"
            )
        task_force = TaskForce(name=name.strip())
        task_force.full_clean(validate_unique=False)
        known[name_key(name)] = task_force
        created.append(task_force)
    TaskForce.objects.bulk_create(created)
    return created


@transaction.atomic
def company_update(
    *,
    actor: User,
    company: Company,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> Company:
    if not can_edit_companies(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以修改企业信息。")
    claim_version(company, expected_version)
    _apply(company, data, COMPANY_FIELDS)
    save_with_history(company, actor=actor, reason=reason)
    return company
