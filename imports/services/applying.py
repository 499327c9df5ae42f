"""Apply a checked sheet: all of it or nothing, through the ledger's own services.

The sheet is read and matched again inside the transaction that writes it, under a lock, so two
imports of one sheet cannot both create its projects. Companies, 专班, projects and ledger
entries are written by the services the forms and the API use (projects.services,
ledgers.bulk), many rows at a time: their rules, codes, history and derived figures are the
ledger's, and any row they refuse names its sheet and row. What was written is recorded so the
import can be undone as one step.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.bulk import RowErrors, in_batches
from core.dates import monday_of
from core.memory import collector_paused
from core.models import User
from imports.analysis import Analysis, RowResult
from imports.analysis.rows import COMPANY_FIELDS, PROJECT_FIELDS
from imports.models import ImportBatch
from imports.permissions import can_import
from imports.safety import ImportRejected
from imports.services.checking import REFUSED, in_background, kept, preview_json, queue, read
from ledgers.bulk import ledger_entries_add_many, projects_create_with_entries
from ledgers.models import Problem, ProgressReport
from projects.models import Company, Project, TaskForce
from projects.names import name_key
from projects.services import companies_create_many, projects_update_many
from projects.services import task_forces_create_many as task_forces_create

logger = logging.getLogger(__name__)
IMPORT_LOCK_KEY = 4_242_001  # pg_advisory_xact_lock key serialising survey imports
SURVEY_NOTE = "摸排表导入"
WRITE_CHUNK = 5000  # rows written together: the objects of one chunk are all held at once
APPLY_FAILED = "导入时发生系统错误，未写入任何数据。请稍后重试，或联系系统管理员。"


class ImportHasErrors(ValidationError):
    """The sheet has rows in error: nothing was written."""


def lock_imports() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


@collector_paused()
@transaction.atomic
def import_apply(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Apply the whole sheet or nothing."""
    if not can_import(actor):
        raise PermissionDenied(REFUSED)
    # The stored preview is rebuilt below: not loading it keeps 20,000 rows of JSON out of memory.
    batch = ImportBatch.objects.select_for_update().defer("preview", "changes").get(pk=batch.pk)
    if batch.status not in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED):
        raise ValidationError(f"该导入当前状态为“{batch.get_status_display()}”，不能再次导入。")
    lock_imports()
    # The preview's analysis holds while the ledger is as it was then; otherwise the sheet is
    # read again (the model's checks then run once, in the write services, naming the row).
    analysis = kept(batch, actor)
    shown_as_kept = analysis is not None  # the stored preview is this analysis's own
    if analysis is None:
        try:
            analysis = read(batch, actor, model_checks=False)
        except ImportRejected as exc:
            raise ValidationError(str(exc)) from exc
        shown = ImportBatch.objects.values_list("preview", flat=True).get(pk=batch.pk)
        if _outline(preview_json(analysis)["rows"]) != _outline(shown.get("rows", [])):
            raise ValidationError(
                "预览之后台账已有变化（他人修改或导入了相关项目），为免写入与预览不同的内容，"
                "本次未导入任何数据。请重新上传该文件，核对新的预览后再确认。"
            )
    if analysis.has_errors:
        errors = analysis.counts["error"] + analysis.counts["sheet_errors"]
        raise ImportHasErrors(f"表中有{errors}处错误，未导入任何数据。请修改后重新上传。")
    reason = f"{SURVEY_NOTE}：{batch.file_name}"[:100]
    changes = _write(analysis, actor=actor, reason=reason)
    batch.status = ImportBatch.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.counts = analysis.counts
    batch.changes = changes
    batch.message = ""
    fields = ["status", "applied_at", "counts", "changes", "message"]
    if not shown_as_kept:
        batch.preview = preview_json(analysis)
        fields.append("preview")
    batch.save(update_fields=fields)
    return batch


def _outline(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What the person confirmed of each row: its result and the changes shown."""
    return [(r["sheet"], r["row"], r["status"], r["changes"], r["delivered"]) for r in rows]


def _refused(exc: RowErrors, describe: Callable[[Any], str]) -> NoReturn:
    """A write service refused rows: say which sheet rows, in the service's words."""
    lines = [
        f"{describe(key)}：{'；'.join(err.messages)}" for key, err in list(exc.rows.items())[:10]
    ]
    raise ImportHasErrors(["未导入任何数据。", *lines]) from exc


WRITTEN = frozenset(PROJECT_FIELDS)
Planned = list[tuple[int, dict[str, Any]]]


def _write(analysis: Analysis, *, actor: User, reason: str) -> dict[str, Any]:
    """Write the new and changed rows a chunk at a time, inside the caller's transaction."""
    changes: dict[str, Any] = {"created": {}, "updated": {}, "after": {}}
    companies = {name_key(c.name): c for c in Company.objects.all()}
    wanted = [n for n in analysis.new_companies if name_key(n) not in companies]
    if wanted:
        try:
            fresh = companies_create_many(actor=actor, names=wanted, reason=reason)
        except RowErrors as exc:
            _refused(exc, lambda i: f"企业“{wanted[i]}”")
        companies.update({name_key(c.name): c for c in fresh})
        changes["created"]["Company"] = [c.pk for c in fresh]
    if analysis.new_task_forces:
        fresh_tf = task_forces_create(actor=actor, names=analysis.new_task_forces)
        changes["created"]["TaskForce"] = [tf.pk for tf in fresh_tf]
    task_forces = {name_key(tf.name): tf for tf in TaskForce.objects.all()}
    writer = _Writer(analysis, actor, reason, companies, task_forces, changes)
    rows = [r for r in analysis.rows if r.status in ("new", "changed")]
    for start in range(0, len(rows), WRITE_CHUNK):
        chunk = rows[start : start + WRITE_CHUNK]
        writer.new([r for r in chunk if not r.project_id])
        writer.known([r for r in chunk if r.project_id])
    return changes


@dataclass
class _Writer:
    """One apply's writes: what each chunk needs to resolve its names, point a refusal at its
    sheet row, and record what it wrote for undo (`changes`)."""

    analysis: Analysis
    actor: User
    reason: str
    companies: dict[str, Company]
    task_forces: dict[str, TaskForce]
    changes: dict[str, Any]

    def values(self, row: RowResult) -> dict[str, Any]:
        """The row's project fields, names of companies and 专班 as the rows they name."""
        out = {}
        for name, value in row.values.items():
            if name not in WRITTEN:
                continue
            if name in COMPANY_FIELDS and isinstance(value, str):
                value = self.companies[name_key(value)]
            elif name == "task_force" and isinstance(value, str):
                value = self.task_forces[name_key(value)]
            out[name] = value
        return out

    def where(self, row: RowResult) -> str:
        return row.where(self.analysis.sheets_multi)

    def new(self, rows: list[RowResult]) -> None:
        """New projects and their first entries, together: each is created as they leave it."""
        if not rows:
            return
        data = []
        for row in rows:
            values = self.values(row)
            values["units_delivered_opening"] = row.values.get("units_delivered") or 0
            data.append(values)
        entries, owner = self.entries(rows, list(range(len(rows))))
        try:
            created, made = projects_create_with_entries(
                actor=self.actor, reason=self.reason, rows=data, **entries
            )
        except RowErrors as exc:
            _refused(exc, lambda key: self.where(owner[key] if key in owner else rows[key]))
        self.changes["created"].setdefault("Project", []).extend(p.pk for p in created)
        self.record(made, {})

    def known(self, rows: list[RowResult]) -> None:
        """Changes to projects in the ledger, then the entries the sheet's figures call for."""
        if not rows:
            return
        updates: dict[int, dict[str, Any]] = {}
        by_pid: dict[int, RowResult] = {}
        for row in rows:
            assert row.project_id is not None
            by_pid[row.project_id] = row
            data = self.values(row)
            data.pop("code", None)
            if data:
                updates[row.project_id] = data
        if updates:
            before = latest_history_ids(Project, list(updates))
            keys = list(updates)
            try:
                updated = projects_update_many(
                    actor=self.actor, changes=updates, reason=self.reason
                )
            except RowErrors as exc:
                _refused(exc, lambda i: self.where(by_pid[keys[i]]))
            self.changes["updated"].setdefault("Project", {}).update(
                {str(p.pk): before[str(p.pk)] for p in updated}
            )
        pids = list(by_pid)
        entries, owner = self.entries(rows, pids)
        before_reports = latest_history_ids(
            ProgressReport, _this_week_reports([p for p, _ in entries["reports"]])
        )
        try:
            made = ledger_entries_add_many(actor=self.actor, reason=self.reason, **entries)
        except RowErrors as exc:
            _refused(exc, lambda key: self.where(owner[key]))
        self.record(made, before_reports)
        self.changes["after"].update(latest_history_ids(Project, pids))

    def entries(
        self, rows: list[RowResult], targets: list[int]
    ) -> tuple[dict[str, Planned], dict[tuple[str, int], RowResult]]:
        """The entries that make the derived figures what the sheet says, each for the target of
        its row (a project id, or a new row's position): a delivery for homes handed over since
        the ledger's figure (dated as the sheet stands), this week's report for status and
        progress, a problem for each new or larger funding gap or wage debt. `owner` maps each
        entry's key in a RowErrors back to its row."""
        deliveries: Planned = []
        reports: Planned = []
        problems: Planned = []
        owner: dict[tuple[str, int], RowResult] = {}
        today = timezone.localdate()
        note = self.reason
        for row, target in zip(rows, targets, strict=True):
            values = row.values
            if row.delivered > 0:
                owner[("delivery", len(deliveries))] = row
                deliveries.append(
                    (
                        target,
                        {"date": self.analysis.as_of.date, "units": row.delivered, "note": note},
                    )
                )
            report: dict[str, Any] = {
                k: values[k] for k in ("construction_status", "progress_percent") if k in values
            }
            if report:
                owner[("report", len(reports))] = row
                reports.append((target, {**report, "note": note}))
            for ptype, amount in row.problems:
                owner[("problem", len(problems))] = row
                description = row.main_problem or f"{SURVEY_NOTE}：{Problem.Type(ptype).label}"
                problems.append(
                    (
                        target,
                        {
                            "problem_type": ptype,
                            "description": description,
                            "amount": amount,
                            "reported_date": today,
                        },
                    )
                )
        return {"deliveries": deliveries, "reports": reports, "problems": problems}, owner

    def record(self, made: dict[str, list[Any]], before_reports: dict[str, int]) -> None:
        """What undo needs: the entries created, and the history of this week's reports
        changed."""
        created, updated = self.changes["created"], self.changes["updated"]
        for name, model in (("deliveries", "DeliveryRecord"), ("reports", "ProgressReport"),
                            ("problems", "Problem")):  # fmt: skip
            created.setdefault(model, []).extend(o.pk for o in made[name])
        updated.setdefault("ProgressReport", {}).update(
            {str(r.pk): before_reports[str(r.pk)] for r in made["changed_reports"]}
        )


def _this_week_reports(project_ids: list[int]) -> list[int]:
    monday = monday_of(timezone.localdate())
    ids: list[int] = []
    for batch in in_batches(project_ids):
        ids += ProgressReport.objects.filter(project_id__in=batch, period_start=monday).values_list(
            "pk", flat=True
        )
    return ids


def latest_history_ids(model: Any, ids: list[int]) -> dict[str, int]:
    latest: dict[str, int] = {}
    for batch in in_batches(ids):
        latest.update(
            (str(pk), history_id)
            for pk, history_id in model.history.filter(id__in=batch)
            .values_list("id")
            .annotate(m=Max("history_id"))
        )
    return latest


def import_confirm(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Apply now, or hand a large sheet to a worker."""
    if not can_import(actor):
        raise PermissionDenied(REFUSED)
    if in_background(batch):
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED]
        ).update(status=ImportBatch.Status.APPLYING, progress=0, message="")
        if not updated:
            raise ValidationError("该导入正在进行或已完成。")
        queue("import_apply_task", batch.pk, actor.pk)
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
        fail(batch, "；".join(exc.messages))
    except PermissionDenied as exc:
        fail(batch, str(exc))
    except Exception:
        logger.exception("survey apply failed batch=%s", batch.pk)
        fail(batch, APPLY_FAILED)
        raise
    batch.refresh_from_db()
    return batch


def fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FAILED, message=message
    )
