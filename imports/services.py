"""Writes of the survey import: upload, check, apply all-or-nothing, undo.

Apply re-checks the sheet inside the transaction that writes it, under a lock, so two imports of
the same sheet cannot both create its projects; any error and nothing is written. Rows are written
in bulk with a history row each — the same who, when and 变更说明 as a form edit — and the derived
figures are recomputed by the ledger's own `projects_refresh_figures`.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from core.bulk import fast_bulk_insert, fast_bulk_update
from core.dates import monday_of
from core.models import User
from imports.analysis import (
    COMPANY_FIELDS,
    PROJECT_FIELDS,
    Analysis,
    RowResult,
    analyze,
    company_key,
)
from imports.models import ImportBatch
from imports.permissions import can_import
from imports.reading import ParsedSheet, RecordingSheet, SurveySheet
from imports.safety import ImportRejected
from ledgers.models import OPEN_PROBLEM_STATUSES, DeliveryRecord, Problem, ProgressReport
from projects.models import Company, Project, TaskForce
from projects.permissions import is_admin
from projects.services import PROJECT_RELATIONS, bulk_history, projects_refresh_figures

IMPORT_LOCK_KEY = 4_242_001  # pg_advisory_xact_lock key serialising survey imports
SURVEY_NOTE = "摸排表导入"


class ImportHasErrors(ValidationError):
    """The sheet has rows in error: nothing was written."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def import_upload(*, actor: User, upload: UploadedFile) -> ImportBatch:
    """Store the file and its fingerprint; checking it is `import_check`'s job."""
    if not can_import(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以导入摸排表。")
    name = Path(upload.name or "survey.xlsx").name[:200]
    batch = ImportBatch(file_name=name, uploaded_by=actor, sha256="")
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    batch.sha256 = _sha256(Path(batch.file.path))
    batch.save()
    return batch


def row_count_hint(batch: ImportBatch) -> int:
    """Rows the sheet claims (its dimension), to decide foreground or background checking."""
    try:
        sheet = SurveySheet(Path(batch.file.path))
    except ImportRejected:
        return 0
    try:
        return sheet.claimed_rows
    finally:
        sheet.close()


def _analysis_json(analysis: Analysis) -> dict[str, Any]:
    return {
        "sheet": analysis.sheet_name,
        "header_rows": analysis.header_rows,
        "recognised": [list(c) for c in analysis.recognised],
        "ignored": [list(c) for c in analysis.ignored],
        "skipped": [list(c) for c in analysis.skipped],
        "new_companies": analysis.new_companies,
        "new_task_forces": analysis.new_task_forces,
        "rows": [
            {
                "row": r.number,
                "status": r.status,
                "code": r.code,
                "name": r.name,
                "errors": [list(e) for e in r.errors],
                "changes": [[c.label, c.old, c.new] for c in r.changes],
            }
            for r in analysis.rows
        ],
    }


def _cache_path(batch: ImportBatch) -> Path:
    return Path(batch.file.path).with_suffix(".parsed")


def _open_and_analyze(batch: ImportBatch, actor: User) -> Analysis:
    """Analyse the batch's sheet: parsed from the workbook the first time, from the rows the
    preview kept beside the upload afterwards."""
    cache = _cache_path(batch)
    sheet: RecordingSheet | ParsedSheet
    if cache.exists():
        sheet = ParsedSheet(cache)
    else:
        sheet = RecordingSheet(SurveySheet(Path(batch.file.path)), cache)
    total = max(sheet.claimed_rows, 1)

    def progress(row_number: int) -> None:
        """Shown by the page while a worker checks a large sheet."""
        ImportBatch.objects.filter(pk=batch.pk).update(
            progress=min(95, int(row_number * 100 / total))
        )

    try:
        analysis = analyze(sheet, actor=actor, file_name=batch.file_name, progress=progress)
        sheet.keep()
    finally:
        sheet.close()
    return analysis


def import_check(*, batch: ImportBatch) -> ImportBatch:
    """Read and check the sheet; store the preview. Writes nothing to the ledger."""
    batch.status = ImportBatch.Status.CHECKING
    batch.save(update_fields=["status"])
    try:
        analysis = _open_and_analyze(batch, batch.uploaded_by)
    except ImportRejected as exc:
        batch.status = ImportBatch.Status.REJECTED
        batch.message = str(exc)
        batch.progress = 100
        batch.save(update_fields=["status", "message", "progress"])
        return batch
    batch.preview = _analysis_json(analysis)
    batch.counts = analysis.counts
    batch.status = ImportBatch.Status.PREVIEWED
    batch.progress = 100
    batch.message = ""
    batch.save(update_fields=["preview", "counts", "status", "progress", "message"])
    return batch


def _lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


@transaction.atomic
def import_apply(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Apply the whole sheet or nothing."""
    if not can_import(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以导入摸排表。")
    # The stored preview is rebuilt below: not loading it keeps 20,000 rows of JSON out of memory.
    batch = ImportBatch.objects.select_for_update().defer("preview", "changes").get(pk=batch.pk)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        raise ValidationError(f"该导入当前状态为“{batch.get_status_display()}”，不能再次导入。")
    _lock_imports()
    try:
        analysis = _open_and_analyze(batch, actor)
    except ImportRejected as exc:
        raise ValidationError(str(exc)) from exc
    if analysis.has_errors:
        raise ImportHasErrors(
            f"表中有{analysis.counts['error']}行存在错误，未导入任何数据。请修改后重新上传。"
        )
    changes = _write(analysis, actor=actor, reason=f"{SURVEY_NOTE}：{batch.file_name}")
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.counts = analysis.counts
    batch.preview = _analysis_json(analysis)
    batch.changes = changes
    batch.save(update_fields=["status", "applied_at", "counts", "preview", "changes"])
    return batch


WRITE_CHUNK = 2000  # rows written together: the objects of one chunk are all held at once


def _write(analysis: Analysis, *, actor: User, reason: str) -> dict[str, Any]:
    """Write the new and changed rows, a chunk at a time, all inside the caller's transaction."""
    changes: dict[str, Any] = {"created": {}, "updated": {}, "after": {}}
    # Companies and 专班 named in the sheet but not yet known.
    companies = {
        company_key(c.name): c for c in Company.objects.filter(name__in=analysis.new_companies)
    }
    fresh = [Company(name=n) for n in analysis.new_companies if company_key(n) not in companies]
    for company in fresh:  # names checked against the ledger by the analysis
        company.full_clean(validate_unique=False, validate_constraints=False)
    Company.objects.bulk_create(fresh)
    bulk_history(fresh, actor=actor, reason=reason, kind="+")
    changes["created"]["Company"] = [c.pk for c in fresh]
    companies.update({company_key(c.name): c for c in fresh})
    fresh_tf = [TaskForce(name=n) for n in analysis.new_task_forces]
    TaskForce.objects.bulk_create(fresh_tf)
    changes["created"]["TaskForce"] = [tf.pk for tf in fresh_tf]
    task_forces = {tf.name: tf for tf in TaskForce.objects.all()}
    own = list(TaskForce.objects.filter(members=actor))

    def resolved(name: str, value: Any) -> Any:
        if name in COMPANY_FIELDS and isinstance(value, str):
            return companies[company_key(value)]
        if name == "task_force" and isinstance(value, str):
            return task_forces[value]
        return value

    target = _Target(
        resolved=resolved, default_task_force=own[0] if len(own) == 1 else None, changes=changes
    )
    rows = [r for r in analysis.rows if r.status in ("new", "changed")]
    for start in range(0, len(rows), WRITE_CHUNK):
        _write_chunk(rows[start : start + WRITE_CHUNK], target, actor=actor, reason=reason)
    return changes


@dataclass
class _Target:
    """What every chunk is written with: resolved names, the default 专班, the undo record."""

    resolved: Callable[[str, Any], Any]
    default_task_force: TaskForce | None
    changes: dict[str, Any]


def _differs(project: Project, name: str, value: Any) -> bool:
    """Compare by key for relations, so the current related rows need not be loaded."""
    if name in PROJECT_RELATIONS:
        return getattr(project, f"{name}_id") != (value.pk if value is not None else None)
    return bool(getattr(project, name) != value)


def _write_chunk(rows: list[RowResult], target: _Target, *, actor: User, reason: str) -> None:
    today = timezone.localdate()
    changes = target.changes
    existing = Project.objects.in_bulk([r.project_id for r in rows if r.project_id])
    row_project: dict[int, Project] = {}
    new_projects: list[Project] = []
    updated_projects: list[Project] = []
    updated_fields: set[str] = set()
    stamp = timezone.now()
    for row in rows:
        values = {k: target.resolved(k, v) for k, v in row.values.items() if k in PROJECT_FIELDS}
        if row.project_id:
            project = existing[row.project_id]
            touched = [k for k, v in values.items() if _differs(project, k, v)]
            if touched:
                for k in touched:
                    setattr(project, k, values[k])
                project.version += 1
                project.updated_at = stamp
                updated_fields.update(touched)
                updated_projects.append(project)
        else:
            values.setdefault("task_force", target.default_task_force)
            project = Project(**values, created_at=stamp, updated_at=stamp)
            if not project.code:
                project.code = f"MP{today:%Y%m%d}-{row.number:05d}"
            _set_derived(project, row.values, today)
            new_projects.append(project)
        for name in ("total_floor_area", "sold_area"):
            if getattr(project, name) is None:
                setattr(project, name, Decimal(0))
        if project.units_sold is None:
            project.units_sold = 0
        # Foreign keys come from rows just read or created: validating them would cost a query
        # each; uniqueness was checked against the whole ledger by the analysis.
        project.full_clean(
            exclude=PROJECT_RELATIONS, validate_unique=False, validate_constraints=False
        )
        row_project[row.number] = project
    fast_bulk_insert(new_projects, assign_ids=True)
    bulk_history(new_projects, actor=actor, reason=reason, kind="+")
    changes["created"].setdefault("Project", []).extend(p.pk for p in new_projects)
    if updated_projects:
        before = _latest_history_ids(Project, [p.pk for p in updated_projects])
        fast_bulk_update(updated_projects, [*sorted(updated_fields), "version", "updated_at"])
        bulk_history(updated_projects, actor=actor, reason=reason)
        changes["updated"].setdefault("Project", {}).update(before)
    new_ids = {p.pk for p in new_projects}
    _write_entries(rows, row_project, new_ids, actor=actor, reason=reason, changes=changes)
    touched_ids = [p.pk for p in row_project.values()]
    # New projects were created with the figures their new entries produce; the ledger's own
    # recount confirms them (and writes nothing) and updates the projects that changed.
    projects_refresh_figures(project_ids=touched_ids, actor=actor, reason=reason)
    changes["after"].update(_latest_history_ids(Project, touched_ids))


def _latest_history_ids(model: Any, ids: list[int]) -> dict[str, int]:
    latest: dict[str, int] = {}
    for start in range(0, len(ids), 5000):  # SQLite's parameter limit
        latest.update(
            (str(pk), history_id)
            for pk, history_id in model.history.filter(id__in=ids[start : start + 5000])
            .values_list("id")
            .annotate(m=Max("history_id"))
        )
    return latest


def _set_derived(project: Project, values: dict[str, Any], today: Any) -> None:
    """A new project's figures as the entries written for it will make them."""
    project.units_delivered = values.get("units_delivered") or 0
    status, progress = values.get("construction_status"), values.get("progress_percent")
    if status is not None or progress is not None:
        project.construction_status = status or Project.Status.NORMAL
        project.progress_percent = progress if progress is not None else Decimal(0)
        project.last_report_date = today
    project.funding_gap = values.get("funding_gap") or Decimal(0)
    project.wages_owed = values.get("wages_owed") or Decimal(0)


def _write_entries(
    rows: list[Any],
    row_project: dict[int, Project],
    new_ids: set[int],
    *,
    actor: User,
    reason: str,
    changes: dict[str, Any],
) -> None:
    """The entries that make the derived figures what the sheet says."""
    today = timezone.localdate()
    monday = monday_of(today)
    deliveries: list[DeliveryRecord] = []
    reports_new: list[ProgressReport] = []
    reports_upd: list[ProgressReport] = []
    problems_new: list[Problem] = []
    ids = [row_project[r.number].pk for r in rows]
    this_week: dict[int, ProgressReport] = {}
    open_types: dict[int, set[str]] = {}
    for start in range(0, len(ids), 5000):  # SQLite's parameter limit
        chunk = ids[start : start + 5000]
        for week_report in ProgressReport.objects.filter(project_id__in=chunk, period_start=monday):
            this_week[week_report.project_id] = week_report
        for pid, ptype in Problem.objects.filter(
            project_id__in=chunk, status__in=OPEN_PROBLEM_STATUSES
        ).values_list("project_id", "problem_type"):
            open_types.setdefault(pid, set()).add(ptype)
    for row in rows:
        project = row_project[row.number]
        values = row.values
        is_new = project.pk in new_ids
        before_delivered = 0 if is_new else project.units_delivered
        delivered = values.get("units_delivered")
        if delivered is not None and delivered > before_delivered:
            units = delivered - before_delivered
            area = (
                (project.sold_area / project.units_sold * units).quantize(Decimal("0.01"))
                if project.units_sold
                else Decimal(0)
            )
            deliveries.append(
                DeliveryRecord(project=project, date=today, units=units, area=area, note=reason)
            )
        status, progress = values.get("construction_status"), values.get("progress_percent")
        if status is not None or progress is not None:
            report = this_week.get(project.pk)
            if report is None:
                reports_new.append(
                    ProgressReport(
                        project=project,
                        period_start=monday,
                        report_date=today,
                        construction_status=status or project.construction_status,
                        progress_percent=progress
                        if progress is not None
                        else project.progress_percent,
                        units_delivered_cumulative=delivered or project.units_delivered,
                        reporter=actor,
                        note=reason,
                    )
                )
            elif (status and report.construction_status != status) or (
                progress is not None and report.progress_percent != progress
            ):
                report.construction_status = status or report.construction_status
                report.progress_percent = (
                    progress if progress is not None else report.progress_percent
                )
                reports_upd.append(report)
        known = open_types.setdefault(project.pk, set())
        for ptype, amount_field in (
            (Problem.Type.FUNDING_GAP, "funding_gap"),
            (Problem.Type.WAGE_ARREARS, "wages_owed"),
        ):
            target = values.get(amount_field)
            current = Decimal(0) if is_new else getattr(project, amount_field)
            if target is not None and target > current:
                problems_new.append(
                    Problem(
                        project=project,
                        problem_type=ptype,
                        description=row.main_problem
                        or f"{SURVEY_NOTE}：{Problem.Type(ptype).label}",
                        amount=target - current,
                        reported_date=today,
                    )
                )
                known.add(ptype)
        for ptype in row.problem_types:
            if ptype not in known:
                problems_new.append(
                    Problem(
                        project=project,
                        problem_type=ptype,
                        description=row.main_problem
                        or f"{SURVEY_NOTE}：{Problem.Type(ptype).label}",
                        reported_date=today,
                    )
                )
                known.add(ptype)
    batches: list[tuple[Any, list[Any]]] = [
        (DeliveryRecord, deliveries),
        (ProgressReport, reports_new),
        (Problem, problems_new),
    ]
    for model, objs in batches:
        fast_bulk_insert(objs, assign_ids=True)
        bulk_history(objs, actor=actor, reason=reason, kind="+")
        changes["created"].setdefault(model.__name__, []).extend(o.pk for o in objs)
    if reports_upd:
        changes["updated"].setdefault("ProgressReport", {}).update(
            _latest_history_ids(ProgressReport, [r.pk for r in reports_upd])
        )
        fast_bulk_update(reports_upd, ["construction_status", "progress_percent"])
        bulk_history(reports_upd, actor=actor, reason=reason)


def _in_background(batch: ImportBatch) -> bool:
    return row_count_hint(batch) > settings.IMPORT_BACKGROUND_ROWS


def import_submit(*, actor: User, upload: UploadedFile) -> ImportBatch:
    """Upload and check: small sheets at once, large ones by a worker (the page shows progress)."""
    from imports.tasks import import_check_task

    batch = import_upload(actor=actor, upload=upload)
    if _in_background(batch):
        transaction.on_commit(lambda: import_check_task.delay(batch.pk))
        return batch
    return import_check(batch=batch)


def import_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Apply now, or hand a large sheet to a worker."""
    from imports.tasks import import_apply_task

    if not can_import(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以导入摸排表。")
    if _in_background(batch):
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED]
        ).update(status=ImportBatch.Status.APPLYING, progress=0, message="")
        if not updated:
            raise ValidationError("该导入正在进行或已完成。")
        transaction.on_commit(lambda: import_apply_task.delay(batch.pk, actor.pk))
        batch.refresh_from_db()
        return batch
    return import_apply(actor=actor, batch=batch)


def import_apply_in_background(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """The worker's apply: a refusal or a crash is recorded on the batch for the person to read.

    The batch reads 导入中 until the apply commits: the hand-back to 待确认 that import_apply
    expects happens inside its transaction, so the page never offers to confirm again halfway.
    Safe to run twice: a batch no longer 导入中 (applied, failed) is left as it is.
    """
    try:
        with transaction.atomic():
            claimed = ImportBatch.objects.filter(
                pk=batch.pk, status=ImportBatch.Status.APPLYING
            ).update(status=ImportBatch.Status.PREVIEWED)
            if claimed:
                return import_apply(actor=actor, batch=batch)
    except ValidationError as exc:
        _fail(batch, "；".join(exc.messages))
    except PermissionDenied as exc:
        _fail(batch, str(exc))
    except Exception:
        _fail(batch, "导入时发生系统错误，未写入任何数据。请稍后重试，或联系系统管理员。")
        raise
    batch.refresh_from_db()
    return batch


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, message=message
    )


ENTRY_MODELS: dict[str, Any] = {
    "DeliveryRecord": DeliveryRecord,
    "ProgressReport": ProgressReport,
    "Problem": Problem,
}


@transaction.atomic
def import_undo(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Undo an applied import as one step, if nobody has changed its projects since."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not (is_admin(actor) or batch.uploaded_by_id == actor.pk):
        raise PermissionDenied("只有导入人和系统管理员可以撤销导入。")
    if batch.status != ImportBatch.Status.APPLIED:
        raise ValidationError(f"该导入当前状态为“{batch.get_status_display()}”，不能撤销。")
    _lock_imports()
    changes = batch.changes
    after: dict[str, int] = changes.get("after", {})
    now = _latest_history_ids(Project, [int(pk) for pk in after])
    moved = [int(pk) for pk, hid in now.items() if after.get(pk) != hid]
    if moved:
        names = "、".join(Project.objects.filter(pk__in=moved).values_list("name", flat=True)[:5])
        raise ValidationError(f"导入后这些项目又被修改过，不能整体撤销：{names}。请逐项更正。")
    reason = f"撤销{SURVEY_NOTE}：{batch.file_name}"
    created = changes.get("created", {})
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
        Company.objects.filter(pk__in=created.get("Company", [])).delete()
        TaskForce.objects.filter(pk__in=created.get("TaskForce", []), projects=None).delete()
    except ProtectedError as exc:
        raise ValidationError(
            "导入新建的项目或企业已被其他记录引用（如信访件），不能撤销。"
        ) from exc
    # Every project the import touched, not only those whose own fields it changed: a project
    # that only received entries gets its figures back from the entries that remain.
    projects_refresh_figures(project_ids=[int(pk) for pk in after], actor=actor, reason=reason)
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
    records = model.history.filter(history_id__in=before.values())
    objs = []
    for record in records:
        obj = model.objects.get(pk=record.id)
        for name in fields:
            setattr(obj, name, getattr(record, name))
        if hasattr(obj, "version"):
            obj.version += 1
        objs.append(obj)
    if objs:
        model.objects.bulk_update(
            objs, [*fields, *(["version"] if hasattr(objs[0], "version") else [])], batch_size=1000
        )
        bulk_history(objs, actor=actor, reason=reason)
