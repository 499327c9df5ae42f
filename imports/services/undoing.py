"""Undo an applied import as one step, if nobody has changed its projects since.

The rows the import created are removed and those it changed are put back as their history
recorded them just before; every project it touched gets its figures recounted from the entries
that remain, by the ledger's own recount.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from core.bulk import bulk_history, in_batches
from core.models import User
from imports.models import ImportBatch
from imports.services.applying import SURVEY_NOTE, latest_history_ids, lock_imports
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from projects.figures import projects_refresh_figures
from projects.models import Company, Project, TaskForce
from projects.permissions import is_admin

ENTRY_MODELS: dict[str, Any] = {
    "DeliveryRecord": DeliveryRecord,
    "ProgressReport": ProgressReport,
    "Problem": Problem,
}


@transaction.atomic
def import_undo(*, actor: User, batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not (is_admin(actor) or batch.uploaded_by_id == actor.pk):
        raise PermissionDenied("只有导入人和系统管理员可以撤销导入。")
    if batch.status != ImportBatch.Status.APPLIED:
        raise ValidationError(f"该导入当前状态为“{batch.get_status_display()}”，不能撤销。")
    lock_imports()
    changes = batch.changes
    created = changes.get("created", {})
    after: dict[str, int] = changes.get("after", {})
    now = latest_history_ids(Project, [int(pk) for pk in after])
    moved = [int(pk) for pk, hid in now.items() if after.get(pk) != hid]
    for ids in in_batches(created.get("Project", [])):
        # A project the import created has its creation alone in its history until edited.
        edited = Project.history.filter(id__in=ids).exclude(history_type="+")
        moved += edited.values_list("id", flat=True).distinct()
    if moved:
        names = "、".join(Project.objects.filter(pk__in=moved).values_list("name", flat=True)[:5])
        raise ValidationError(f"导入后这些项目又被修改过，不能整体撤销：{names}。请逐项更正。")
    reason = f"撤销{SURVEY_NOTE}：{batch.file_name}"[:100]
    for name, model in ENTRY_MODELS.items():
        objs = list(model.objects.filter(pk__in=created.get(name, [])))
        bulk_history(objs, actor=actor, reason=reason, kind="-")
        model.objects.filter(pk__in=[o.pk for o in objs]).delete()
    for name, restore in changes.get("updated", {}).items():
        model = ProgressReport if name == "ProgressReport" else Project
        _restore(model, restore, actor=actor, reason=reason)
    new_projects = list(Project.objects.filter(pk__in=created.get("Project", [])))
    bulk_history(new_projects, actor=actor, reason=reason, kind="-")
    try:
        Project.objects.filter(pk__in=[p.pk for p in new_projects]).delete()
        companies = list(Company.objects.filter(pk__in=created.get("Company", [])))
        bulk_history(companies, actor=actor, reason=reason, kind="-")
        Company.objects.filter(pk__in=[c.pk for c in companies]).delete()
        TaskForce.objects.filter(pk__in=created.get("TaskForce", []), projects=None).delete()
    except ProtectedError as exc:
        raise ValidationError(
            "导入新建的项目或企业已被其他记录引用（如信访件），不能撤销。"
        ) from exc
    # Every project the import touched, not only those whose own fields it changed: a project
    # that only received entries gets its figures back from the entries that remain.
    remaining = [int(pk) for pk in after if int(pk) not in set(created.get("Project", []))]
    projects_refresh_figures(project_ids=remaining, actor=actor, reason=reason)
    batch.status = ImportBatch.Status.UNDONE
    batch.save(update_fields=["status"])
    return batch


def _restore(model: Any, before: dict[str, int], *, actor: User, reason: str) -> None:
    """Put rows back as their history recorded them just before the import."""
    fields = [
        f.attname
        for f in model._meta.concrete_fields
        if f.name not in ("id", "created_at", "version")
    ]
    records = {r.id: r for r in model.history.filter(history_id__in=before.values())}
    objs = list(model.objects.filter(pk__in=records))
    for obj in objs:
        record = records[obj.pk]
        for name in fields:
            setattr(obj, name, getattr(record, name))
        if hasattr(obj, "version"):
            obj.version += 1
    if objs:
        model.objects.bulk_update(
            objs, [*fields, *(["version"] if hasattr(objs[0], "version") else [])], batch_size=1000
        )
        bulk_history(objs, actor=actor, reason=reason)
