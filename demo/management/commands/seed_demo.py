"""python manage.py seed_demo [--projects N] [--seed S] [--reset]"""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from demo.reset import demo_reset
from demo.seeder import DEMO_PASSWORD, DemoSeeder
from dispatch.reports.periods import previous_period
from dispatch.reports.services import report_generate
from projects.models import Project


class Command(BaseCommand):
    help = "生成演示数据：8个专班、约40个项目及台账、信访、调度和各角色演示账号。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--projects", type=int, default=40, help="项目数（默认40，基准测试可用20000）"
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子：同一种子同一天生成相同数据"
        )
        parser.add_argument(
            "--weeks", type=int, default=52, help="每个项目的周进度填报周数（默认52）"
        )
        parser.add_argument("--reset", action="store_true", help="先清空已有业务数据和账号再生成")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["projects"] < 1 or options["projects"] > 200_000:
            raise CommandError("--projects 应在 1 到 200000 之间。")
        if options["reset"] and settings.PRODUCTION:
            raise CommandError("生产环境（DEBUG=0）不允许 --reset：它会删除全部业务数据和账号。")
        if Project.objects.exists():
            if not options["reset"]:
                self.stdout.write("已有数据，未重新生成（如需重建请加 --reset）。")
                self.print_logins()
                return
            demo_reset()
        started = time.monotonic()
        seeder = DemoSeeder(
            projects=options["projects"],
            seed=options["seed"],
            weeks=options["weeks"],
            progress=lambda msg: self.stdout.write(f"  … {msg}"),
        )
        result = seeder.run()
        self.stdout.write("  … 生成上周周调度简报、上月月通报、上季度考核")
        for kind in ("weekly", "monthly", "quarterly"):
            # The seeder's day, not the clock's: seeding that starts at 23:59 ends the next day.
            report_generate(kind=kind, period_start=previous_period(kind, seeder.today)[0])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load
        counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已生成（{time.monotonic() - started:.1f} 秒）：{counts}")
        )
        self.print_logins()

    def print_logins(self) -> None:
        from core.models import User

        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        users = User.objects.select_related("department").prefetch_related("groups", "task_forces")
        for user in users.order_by("pk"):
            roles = "、".join(user.role_labels) or "—"
            unit = "、".join(tf.name for tf in user.task_forces.all()) or user.department or ""
            self.stdout.write(f"  {user.username:<12} {roles:<6} {user!s:<6} {unit}")
