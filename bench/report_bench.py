"""Time each report's generation at county or province scale (Issue 6).

Usage (on a database seeded with `seed_demo --projects 20000`, migrated with this branch):
    DATABASE_URL=postgres://…/bzf_bench_reports python bench/report_bench.py

Runs the same service the Celery task runs, for the last full week, month and quarter, and
prints a Markdown table for docs/benchmarks.md: seconds, SQL queries, snapshot and file size.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozhaofang.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from dispatch.models import Report  # noqa: E402
from dispatch.reports.periods import previous_period  # noqa: E402
from dispatch.reports.services import report_generate  # noqa: E402
from projects.models import Project  # noqa: E402


def main() -> None:
    today = timezone.localdate()
    print(f"projects: {Project.objects.count():,}  today: {today}\n")
    print("| report | period | seconds | SQL queries | snapshot KiB | xlsx KiB | target |")
    print("|---|---|---:|---:|---:|---:|---|")
    for kind in Report.Kind.values:
        start, end = previous_period(kind, today)
        for attempt in ("first", "again"):
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                report = report_generate(kind=kind, period_start=start)
                seconds = time.perf_counter() - began
            snapshot = len(json.dumps(report.data, ensure_ascii=False).encode()) / 1024
            size = report.file.size / 1024
            mark = "✔" if seconds < 60 else "✘"
            print(
                f"| {Report.Kind(kind).label}（{attempt}） | {start}—{end} | {seconds:.1f} | "
                f"{len(ctx.captured_queries)} | {snapshot:,.0f} | {size:,.0f} | < 60 s {mark} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
