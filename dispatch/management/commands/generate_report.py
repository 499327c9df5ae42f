"""python manage.py generate_report {weekly,monthly,quarterly} [--period YYYY-MM-DD]"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dispatch.models import Report
from dispatch.reports.periods import previous_period
from dispatch.reports.services import report_generate


class Command(BaseCommand):
    help = "生成（或重新生成）一期报告；不指定 --period 时生成刚结束的一期。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=Report.Kind.values)
        parser.add_argument(
            "--period",
            type=datetime.date.fromisoformat,
            help="期间内的任意一天，格式 YYYY-MM-DD",
        )

    def handle(self, *args: Any, kind: str, period: datetime.date | None, **options: Any) -> None:
        day = period or previous_period(kind, timezone.localdate())[0]
        try:
            report = report_generate(kind=kind, period_start=day)
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        self.stdout.write(
            f"{report.data['title']}：{report.period_start}—{report.period_end}，"
            f"报告编号 {report.pk}，文件 {report.file.name}"
        )
