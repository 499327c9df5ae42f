"""Survey-import benchmark: a 20,000-row sheet saved as Excel saves it, against the floor and
django-import-export.

Usage (what `make bench-import` runs, once per database):
    DATABASE_URL=… python bench/import_bench.py --rows 20000

The sheet is written part by part as Excel writes it (tests/imports/xlsx.py: shared strings,
styles, a merged title, percent and 年月 number formats). The floor is reading it with
python-calamine plus a plain bulk insert of the same values (COPY on PostgreSQL, executemany on
SQLite) into a scratch table. Each step runs in its own process so its peak memory (max RSS) is
its own; a step's time is the check (preview) and the apply that follows, as the person waits
for both. Prints a Markdown table.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozhaofang.settings")

STEPS = [
    ("floor", "floor: python-calamine read + bulk insert"),
    ("apply_new", "check + apply, all rows new (target ≤ 7 s)"),
    ("reimport_unchanged", "check + apply of the same sheet again, all unchanged (target ≤ 4 s)"),
    ("apply_update_all", "check + apply with every row changed"),
    ("ie_default", "django-import-export, default settings, all rows new"),
    ("ie_bulk", "django-import-export, use_bulk + skip_diff + force_init_instance, all new"),
]
PREFIX = "IB-"
TASK_FORCE = "基准测试专班"


def build_sheet(path: Path, rows: int, *, progress: float) -> None:
    from tests.imports.sheets import HEADERS
    from tests.imports.xlsx import C, Sheet, xlsx

    table: list[list[Any]] = [
        ["示范县保交房项目摸排表（基准测试）"],
        ["单位：万元、平方米、套"],
        HEADERS,
    ]
    month = datetime.date(2025, 6, 1)
    for i in range(rows):
        table.append(
            [
                i + 1,
                f"{PREFIX}{i:06d}",
                f"基准项目{i}",
                "城关镇",
                f"基准开发企业{i % 300}有限公司",
                f"基准建设工程{i % 200}有限公司",
                "50,000",
                30000,
                400,
                300,
                0,
                C(300, formula=f"J{i + 4}-K{i + 4}"),
                C(month, fmt='yyyy"年"m"月"') if i % 2 else "2025年6月",
                "停工",
                C(progress, fmt="0%"),
                0,
                0,
                None,
                None,
                TASK_FORCE,
                None,
            ]
        )
    table += [["合计"], ["填报人：基准测试"]]
    path.write_bytes(xlsx(Sheet("摸排表", table, merges=["A1:U1"])))


def run_step(step: str, sheet: Path, sheet2: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from core.models import User
    from imports import services

    actor = User.objects.get(username="bench-admin")
    started = time.perf_counter()
    detail = ""
    if step == "floor":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(sheet))
        values = [
            row
            for row in workbook.get_sheet_by_index(0).iter_rows()
            if len(row) > 1 and row[0] != "" and row[1] != ""
        ][1:]
        workbook.close()
        width = max(len(v) for v in values)
        padded = [list(v) + [None] * (width - len(v)) for v in values]
        cols = ", ".join(f"c{i} text" for i in range(width))
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_floor")
            cursor.execute(f"CREATE TABLE bench_floor ({cols})")
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(
                    f"COPY bench_floor ({', '.join(f'c{i}' for i in range(width))}) FROM STDIN"
                ) as copy:
                    for row in padded:
                        copy.write_row([None if v is None else str(v) for v in row])
            else:
                marks = ", ".join(["%s"] * width)
                cursor.executemany(
                    f"INSERT INTO bench_floor VALUES ({marks})",  # noqa: S608
                    [[None if v is None else str(v) for v in row] for row in padded],
                )
            cursor.execute("DROP TABLE bench_floor")
        detail = f"{len(values)} rows"
    elif step in ("apply_new", "reimport_unchanged", "apply_update_all"):
        path = sheet2 if step == "apply_update_all" else sheet
        batch = services.import_check(
            batch=services.import_upload(
                actor=actor, upload=SimpleUploadedFile(path.name, path.read_bytes())
            )
        )
        checked = time.perf_counter() - started
        batch = services.import_apply(actor=actor, batch=batch)
        applied = time.perf_counter() - started - checked
        counts = {k: v for k, v in batch.counts.items() if v}
        detail = f"check {checked:.1f} s + apply {applied:.1f} s; " + json.dumps(counts)
    else:
        import tablib
        from python_calamine import CalamineWorkbook

        from projects.resources import ProjectResource

        headers = ["项目编号", "项目名称", "所在乡镇(街道)", "开发企业", "总建筑面积", "已售面积",
                   "总套数", "已售套数", "合同约定交房时间", "工作专班"]  # fmt: skip
        data = tablib.Dataset(headers=headers)
        workbook = CalamineWorkbook.from_path(str(sheet))
        for r in list(workbook.get_sheet_by_index(0).iter_rows())[3:]:
            if str(r[1]).startswith(PREFIX):
                data.append(
                    [
                        r[1],
                        r[2],
                        r[3],
                        r[4],
                        "50000",
                        "30000",
                        int(str(r[8]).split(".")[0]),
                        int(str(r[9]).split(".")[0]),
                        "2025-06-30",
                        r[19],
                    ]
                )
        workbook.close()
        from projects.models import Company

        # import-export resolves foreign keys but never creates them: give it the companies.
        Company.objects.bulk_create(
            [Company(name=n) for n in sorted({row[3] for row in data})], ignore_conflicts=True
        )
        resource_ = ProjectResource()
        kwargs: dict[str, Any] = {}
        if step == "ie_bulk":

            class BulkResource(ProjectResource):
                class Meta(ProjectResource.Meta):
                    use_bulk = True
                    skip_diff = True
                    force_init_instance = True
                    batch_size = 2000

            resource_ = BulkResource()
        started = time.perf_counter()
        result = resource_.import_data(data, dry_run=False, raise_errors=True, **kwargs)
        detail = f"new {result.totals.get('new', 0)}"
    seconds = time.perf_counter() - started
    cpu = time.process_time()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "peak_mib": peak_kib / 1024, "detail": detail}


def reset_data() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from core.models import User
    from core.roles import Role
    from imports.models import ImportBatch
    from ledgers.models import DeliveryRecord, Problem, ProgressReport
    from projects.models import Company, Project, TaskForce, Township
    from projects.townships import township_key

    projects = Project.objects.filter(code__startswith=PREFIX)
    for model in (ProgressReport, DeliveryRecord, Problem):
        model.objects.filter(project__in=projects).delete()
        model.history.filter(project_id__in=projects.values("pk")).delete()
    Project.history.filter(code__startswith=PREFIX).delete()
    projects.delete()
    Company.objects.filter(name__startswith="基准").delete()
    ImportBatch.objects.filter(uploaded_by__username="bench-admin").delete()
    TaskForce.objects.get_or_create(name=TASK_FORCE)
    Township.objects.get_or_create(key=township_key("城关镇"), defaults={"name": "城关镇"})
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    admin.groups.set(Group.objects.filter(name=Role.ADMIN))
    from django.db import connection

    if connection.vendor == "postgresql":
        # The deleted rows are vacuumed now, not by autovacuum in the middle of a measured step.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--step")
    parser.add_argument("--sheet")
    parser.add_argument("--sheet2")
    parser.add_argument("--only", help="comma-separated steps to run (the floor always runs)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the importer's steps")
    args = parser.parse_args()
    if args.step:
        if args.step == "reset":
            reset_data()
            return
        print(json.dumps(run_step(args.step, Path(args.sheet), Path(args.sheet2))))
        return

    work = Path(tempfile.mkdtemp(prefix="bzf-bench-"))
    sheet, sheet2 = work / "survey.xlsx", work / "survey-updated.xlsx"
    build_sheet(sheet, args.rows, progress=0.6)
    build_sheet(sheet2, args.rows, progress=0.65)
    env = {**os.environ, "MEDIA_ROOT": str(work / "media")}

    def call(step: str) -> dict[str, Any]:
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--step",
                step,
                "--sheet",
                str(sheet),
                "--sheet2",
                str(sheet2),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
        return json.loads(lines[-1]) if lines else {}

    import django

    django.setup()
    from django.db import connection

    wanted = {"floor", *(args.only.split(",") if args.only else [s for s, _ in STEPS])}
    steps = [(s, label) for s, label in STEPS if s in wanted]
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s, _ in steps}
    ours = [s for s in ("apply_new", "reimport_unchanged", "apply_update_all") if s in wanted]
    call("reset")
    runs["floor"].append(call("floor"))
    for _ in range(args.repeat):  # new rows, then the same sheet again, then every row changed
        call("reset")
        for step in ours:
            runs[step].append(call(step))
            print(f"  {step}: {runs[step][-1]}", file=sys.stderr)
    for step in ("ie_default", "ie_bulk"):
        if step in wanted:
            call("reset")
            runs[step].append(call(step))
            print(f"  {step}: {runs[step][-1]}", file=sys.stderr)
    call("reset")
    floor = statistics.median(r["seconds"] for r in runs["floor"])
    print(f"\n### {args.rows:,}-row survey sheet on {connection.vendor}\n")
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, load average {os.getloadavg()[0]:.1f}; "
        f"importer steps run {args.repeat}× (median, range)\n"
    )
    print("| step | seconds | × floor | CPU s (this process) | peak RSS (MiB) | result |")
    print("|---|---:|---:|---:|---:|---|")
    for step, label in steps:
        done = runs[step]
        seconds = sorted(r["seconds"] for r in done)
        shown = f"{statistics.median(seconds):.1f}"
        if len(seconds) > 1:
            shown += f" ({seconds[0]:.1f}–{seconds[-1]:.1f})"
        cpu = statistics.median(r["cpu"] for r in done)
        peak = max(r["peak_mib"] for r in done)
        print(
            f"| {label} | {shown} | {statistics.median(seconds) / floor:.1f} | {cpu:.1f} | "
            f"{peak:.0f} | {done[len(done) // 2]['detail']} |"
        )


if __name__ == "__main__":
    main()
