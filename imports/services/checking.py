"""Upload and check: store the file, read it against the ledger, keep the preview.

Checking writes nothing to the ledger. A file that cannot be read ends 文件无法导入 with the
reason; anything else that goes wrong ends 导入失败 with a Chinese message, never a batch left
at 检查中 or a page that fails.
"""

import datetime
import hashlib
import logging
import pickle
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.memory import collector_paused
from core.models import User
from core.roles import Role
from imports.analysis import Analysis, analyze
from imports.headers import LABELS
from imports.models import ImportBatch
from imports.permissions import can_import
from imports.reading.table import SurveyWorkbook
from imports.safety import ImportRejected, check_workbook
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from projects.models import Company, Project, TaskForce, Township
from projects.permissions import editable_task_forces, is_admin

logger = logging.getLogger(__name__)
REFUSED = "只有专班成员和系统管理员可以导入摸排表。"
CHECK_FAILED = "检查文件时发生系统错误，未写入任何数据。请稍后重试，或联系系统管理员。"


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
        raise PermissionDenied(REFUSED)
    name = Path(upload.name or "survey.xlsx").name[:200]
    batch = ImportBatch(file_name=name, uploaded_by=actor, sha256="")
    batch.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    batch.sha256 = _sha256(Path(batch.file.path))
    batch.save()
    return batch


def sheet_bytes(batch: ImportBatch) -> int:
    """What the workbook's sheets unpack to: how much reading there is, whatever the sheets
    claim about their own size (a 2 MB file of 400,000 rows is a large file)."""
    try:
        with zipfile.ZipFile(batch.file.path) as archive:
            return sum(
                i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
            )
    except (zipfile.BadZipFile, OSError):
        return 0  # refused within a second by the check


def in_background(batch: ImportBatch) -> bool:
    return sheet_bytes(batch) > settings.IMPORT_BACKGROUND_BYTES


def read(
    batch: ImportBatch,
    actor: User,
    *,
    model_checks: bool = True,
    progress: Callable[[int], None] | None = None,
) -> Analysis:
    workbook = SurveyWorkbook(Path(batch.file.path))
    try:
        return analyze(
            workbook,
            actor=actor,
            file_name=batch.file_name,
            as_of=batch.as_of,
            model_checks=model_checks,
            progress=progress,
        )
    finally:
        workbook.close()


def ledger_stamp(actor: User, batch: ImportBatch) -> tuple[Any, ...]:
    """What an analysis depends on besides the file: the day, the date chosen for deliveries,
    every ledger write (each leaves a history row), the 专班 and leaders names are matched
    against, and what the actor may edit. Equal stamps give equal analyses."""
    histories = [
        m.history.aggregate(last=Max("history_id"))["last"]
        for m in (Project, Company, DeliveryRecord, ProgressReport, Problem)
    ]
    return (
        timezone.localdate(),
        batch.as_of,
        batch.sha256,
        *histories,
        tuple(TaskForce.objects.order_by("pk").values_list("pk", "name")),
        tuple(Township.objects.order_by("pk").values_list("pk", "name")),
        tuple(
            User.objects.filter(groups__name=Role.LEADER)
            .order_by("pk")
            .values_list("pk", "full_name", "username")
        ),
        tuple(editable_task_forces(actor).order_by("pk").values_list("pk", flat=True)),
        is_admin(actor),
    )


def _kept_path(batch: ImportBatch) -> Path:
    return Path(batch.file.path).with_suffix(".analysis")


def keep(batch: ImportBatch, analysis: Analysis, stamp: tuple[Any, ...]) -> None:
    """The analysis beside the upload (our own pickle, never a user's file), for the apply."""
    with _kept_path(batch).open("wb") as out:
        pickle.dump((stamp, analysis), out, protocol=pickle.HIGHEST_PROTOCOL)


def kept(batch: ImportBatch, actor: User) -> Analysis | None:
    """The check's analysis if nothing it depends on has changed since, else None."""
    path = _kept_path(batch)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        stamp, analysis = pickle.load(fh)  # noqa: S301  (written by keep above)
    return analysis if stamp == ledger_stamp(actor, batch) else None


def preview_json(analysis: Analysis) -> dict[str, Any]:
    multi = len(analysis.sheets) > 1
    return {
        "sheets": [
            {
                "name": s.sheet_name,
                "header_rows": s.header_rows,
                "recognised": [[c.letter, c.header, _label(c.field), c.unit] for c in s.recognised],
                "ignored": [
                    [c.letter, c.header, f"{c.aside}，未导入" if c.aside else "未识别"]
                    for c in s.ignored
                ],
                "skipped": [list(x) for x in s.skipped],
            }
            for s in analysis.sheets
        ],
        "multi_sheet": multi,
        "notices": [[n.level, n.message] for n in analysis.notices],
        "as_of": {
            "date": analysis.as_of.date.isoformat(),
            "source": analysis.as_of.source,
        },
        "new_companies": analysis.new_companies,
        "new_task_forces": analysis.new_task_forces,
        "rows": [
            {
                "sheet": r.sheet,
                "row": r.number,
                "status": r.status,
                "code": r.code,
                "name": r.name,
                "errors": [list(e) for e in r.errors],
                "warnings": [list(w) for w in r.warnings],
                "changes": [[c.label, c.old, c.new] for c in r.changes],
                "delivered": r.delivered,
            }
            for r in analysis.rows
        ],
    }


def _label(field: str | None) -> str:
    return LABELS.get(field or "", "")


def _progress_of(batch: ImportBatch) -> Callable[[int], None]:
    total = max(sheet_bytes(batch) // 700, 1)  # about 700 bytes of XML a row

    def progress(rows: int) -> None:
        """Shown by the page while a worker checks a large sheet."""
        ImportBatch.objects.filter(pk=batch.pk).update(progress=min(95, int(rows * 100 / total)))

    return progress


@collector_paused()
def import_check(*, batch: ImportBatch) -> ImportBatch:
    """Read and check the sheet; store the preview. Writes nothing to the ledger."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING)
    try:
        stamp = ledger_stamp(batch.uploaded_by, batch)
        analysis = read(batch, batch.uploaded_by, progress=_progress_of(batch))
        keep(batch, analysis, stamp)
    except ImportRejected as exc:
        return _end(batch, ImportBatch.Status.REJECTED, str(exc))
    except Exception:
        logger.exception("survey check failed batch=%s", batch.pk)
        return _end(batch, ImportBatch.Status.FAILED, CHECK_FAILED)
    batch.preview = preview_json(analysis)
    batch.counts = analysis.counts
    batch.status = ImportBatch.Status.PREVIEWED
    batch.progress = 100
    batch.message = ""
    batch.save(update_fields=["preview", "counts", "status", "progress", "message"])
    return batch


def queue(task: str, *args: object) -> None:
    """Run a task of imports/tasks.py once the transaction commits. By name: the tasks import
    the services, never the other way round (imports/apps.py registers them at start-up)."""
    transaction.on_commit(lambda: current_app.tasks[f"imports.tasks.{task}"].delay(*args))


def _end(batch: ImportBatch, status: str, message: str) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, message=message, progress=100)
    batch.refresh_from_db()
    return batch


def import_submit(*, actor: User, upload: UploadedFile) -> ImportBatch:
    """Upload and check: small files at once, large ones by a worker (the page shows progress)."""
    batch = import_upload(actor=actor, upload=upload)
    try:
        check_workbook(Path(batch.file.path))  # refuse bad files at once, whatever their size
    except ImportRejected as exc:
        return _end(batch, ImportBatch.Status.REJECTED, str(exc))
    if in_background(batch):
        queue("import_check_task", batch.pk)
        return batch
    return import_check(batch=batch)


def import_set_as_of(*, actor: User, batch: ImportBatch, day: datetime.date | None) -> ImportBatch:
    """The person corrects the date new deliveries are recorded on; the sheet is checked again."""
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied("只有导入人可以修改交房记录日期。")
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError(f"该导入当前状态为“{batch.get_status_display()}”，不能修改日期。")
    ImportBatch.objects.filter(pk=batch.pk).update(as_of=day)
    batch.refresh_from_db()
    if in_background(batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.CHECKING)
        queue("import_check_task", batch.pk)
        batch.refresh_from_db()
        return batch
    return import_check(batch=batch)
