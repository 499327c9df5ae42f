"""Benchmarks of the ledger pages and export at county or province scale.

Usage (what `make bench` runs):
    DATABASE_URL=postgres://…/bzf_bench python bench/run.py --projects 20000

Seeds the database with `seed_demo --projects N` when it does not already hold N projects, then
times each page through Django's test client (the full request path, no network) and prints a
Markdown table for docs/benchmarks.md. Timings are medians of several runs after one warm-up.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozhaofang.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.models import User  # noqa: E402
from projects.exports import ledger_workbook  # noqa: E402
from projects.filters import ProjectFilter  # noqa: E402
from projects.models import Project, TaskForce  # noqa: E402
from projects.selectors import project_list  # noqa: E402


def timed(client: Client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)
    samples = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(ctx.captured_queries)
        reset_queries()
    return statistics.median(samples), queries


def export_run(params: dict[str, str]) -> tuple[float, float, int]:
    """Seconds and rows of one ledger export, then its peak traced memory (MiB) in a second
    run: tracemalloc slows Python down several times, so it never times the first."""
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    qs = ProjectFilter(params, queryset=project_list(actor=admin, today=today), today=today).qs
    rows = qs.count()
    start = time.perf_counter()
    ledger_workbook(qs.iterator(chunk_size=2000), today=today).close()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    ledger_workbook(qs.iterator(chunk_size=2000), today=today).close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 2**20, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--only", choices=["ledger", "export", "dashboard"], help="run one part of the benchmark"
    )
    args = parser.parse_args()

    if Project.objects.count() != args.projects:
        print(f"seeding {args.projects} projects …", file=sys.stderr)
        call_command("seed_demo", projects=args.projects, reset=True, verbosity=0)

    vendor = connection.vendor
    print(f"\n### {args.projects:,} projects on {vendor} — {timezone.localdate():%Y-%m-%d}\n")
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    if args.only in (None, "ledger"):
        ledger_pages(args.runs)
    if args.only in (None, "export"):
        exports()
    if args.only in (None, "dashboard"):
        dashboard(args.runs)


def ledger_pages(runs: int) -> None:
    client = Client()
    client.force_login(User.objects.get(username="taskforce1"))
    busy = (
        Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    )  # a project with a full year of weekly reports
    pages = [
        ("台账列表（第1页）", "/projects/"),
        ("台账列表（第50页）", "/projects/?page=50"),
        ("筛选：高风险", "/projects/?risk=high"),
        ("筛选：资金短缺 + 按延期排序", "/projects/?problem=funding_gap&o=-delay"),
        ("筛选：超期未更新 + 乡镇", "/projects/?flag=stale&township=城关镇"),
        ("筛选：专班 + 搜索企业", "/projects/?task_force=1&q=恒昌"),
        ("排序：风险", "/projects/?o=-risk"),
        ("项目页（52周填报）", f"/projects/{busy}/"),
        ("项目页：截至某日", f"/projects/{busy}/?as_of=2026-09-30"),
    ]
    print("| page | median ms | SQL queries |")
    print("|---|---:|---:|")
    for label, url in pages:
        ms, queries = timed(client, url, runs)
        print(f"| {label} | {ms:.0f} | {queries} |")


def exports() -> None:
    print("\n| export | rows | seconds | peak Python memory (MiB) |")
    print("|---|---:|---:|---:|")
    for label, params in [
        ("台账导出：停工项目", {"status": "stopped"}),
        ("台账导出：一个乡镇", {"township": "城关镇"}),
        ("台账导出：全部", {}),
    ]:
        seconds, peak, rows = export_run(params)
        print(f"| {label} | {rows:,} | {seconds:.1f} | {peak:.1f} |")


def dashboard(runs: int) -> None:
    """The leader's dashboard: every figure computed afresh (cache off), then as most
    requests find it, from the copy kept for DASHBOARD_CACHE_SECONDS."""
    client = Client()
    client.force_login(User.objects.get(username="leader1"))
    task_force = TaskForce.objects.order_by("pk").values_list("pk", flat=True).first()
    township = Project.objects.values_list("township", flat=True).first()
    pages = [
        ("驾驶舱：全县", "/dashboard/"),
        (f"驾驶舱：乡镇（{township}）", f"/dashboard/?township={township}"),
        ("驾驶舱：专班", f"/dashboard/?task_force={task_force}"),
    ]
    print("\n| dashboard | fresh: median ms | SQL queries | kept copy: median ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for label, url in pages:
        with override_settings(DASHBOARD_CACHE_SECONDS=0):
            fresh_ms, fresh_queries = timed(client, url, runs)
        with override_settings(DASHBOARD_CACHE_SECONDS=120):
            kept_ms, kept_queries = timed(client, url, runs)
        print(f"| {label} | {fresh_ms:.0f} | {fresh_queries} | {kept_ms:.0f} | {kept_queries} |")


if __name__ == "__main__":
    main()
