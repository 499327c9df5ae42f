"""python manage.py import_survey FILE.xlsx [--dry-run] [--user USERNAME]

Exit codes: 0 applied (or a clean dry run), 1 the sheet has errors (nothing written),
2 the file cannot be read.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.models import User
from imports import services
from imports.models import ImportBatch


class Command(BaseCommand):
    help = "导入摸排表（.xlsx）：打印新增、变更、无变化、跳过、错误行数及每个错误。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查不写入")
        parser.add_argument("--user", default="admin", help="以哪个账号导入（默认 admin）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            self.stderr.write(f"文件不存在：{path}")
            sys.exit(2)
        try:
            actor = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"账号不存在：{options['user']}") from exc
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            batch = services.import_check(batch=services.import_upload(actor=actor, upload=upload))
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if batch.status in (ImportBatch.Status.REJECTED, ImportBatch.Status.FAILED):
            self.stderr.write(batch.message)
            sys.exit(2)
        counts = batch.counts
        self.stdout.write(
            f"new {counts['new']}, changed {counts['changed']}, unchanged {counts['unchanged']}, "
            f"skipped {counts['skipped']}, errors {counts['error']}"
        )
        preview = batch.preview
        for level, message in preview["notices"]:
            self.stdout.write(f"{level}: {message}")
        for row in preview["rows"]:
            sheet = f"sheet {row['sheet']}, " if preview["multi_sheet"] else ""
            for kind, entries in (("", row["errors"]), ("warning: ", row["warnings"])):
                for letter, message in entries:
                    column = letter or "-"
                    self.stdout.write(f"{kind}{sheet}row {row['row']}, column {column}: {message}")
        if counts["error"] or counts["sheet_errors"]:
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write("dry run: nothing written")
            return
        try:
            services.import_apply(actor=actor, batch=batch)
        except ValidationError as exc:
            self.stderr.write("；".join(exc.messages))
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"applied: import #{batch.pk}"))
