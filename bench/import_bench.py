"""Survey-import benchmark: a 20,000-row sheet against the floor and django-import-export.

Usage (what `make bench-import` runs, once per database):
    DATABASE_URL=… python bench/import_bench.py --rows 20000

The floor is reading the sheet with openpyxl in read-only mode plus a plain bulk insert of the
same values (COPY on PostgreSQL, executemany on SQLite) into a scratch table. Each step runs in
its own process so its peak memory (max RSS) is its own. Prints a Markdown table.
"""

import argparse
import json
import os
import platform
import resource
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
    ("floor", "floor: openpyxl read-only + bulk insert"),
    ("preview_new", "this importer: preview, all rows new"),
    ("apply_new", "this importer: apply, all rows new"),
    ("reimport_unchanged", "this importer: apply of the same sheet again, all unchanged"),
    ("apply_update_all", "this importer: apply with every row changed"),
    ("ie_default", "django-import-export, default settings, all rows new"),
    ("ie_bulk", "django-import-export, use_bulk + skip_diff + force_init_instance, all new"),
]
PREFIX = "IB-"
TASK_FORCE = "基准测试专班"


def build_sheet(path: Path, rows: int, *, progress: str) -> None:
    from openpyxl import Workbook

    from tests.imports.sheets import HEADERS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("摸排表")
    ws.append(["示范县保交房项目摸排表（基准测试）"])
    ws.append(["单位：万元、平方米、套"])
    ws.append(HEADERS)
    for i in range(rows):
        ws.append(
            [
                i + 1,
                f"{PREFIX}{i:06d}",
                f"基准项目{i}",
                "城关镇",
                f"基准开发企业{i % 300}有限公司",
                f"基准建设工程{i % 200}有限公司",
                "50,000",
                "30000",
                400,
                300,
                0,
                300,
                "2025年6月",
                "停工",
                progress,
                0,
                0,
                "",
                "",
                TASK_FORCE,
                "",
            ]
        )
    ws.append(["合计"])
    ws.append(["填报人：基准测试"])
    wb.save(path)


def run_step(step: str, sheet: Path, sheet2: Path) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from core.models import User
    from imports import services
    from imports.reading import SurveySheet

    actor = User.objects.get(username="bench-admin")
    started = time.perf_counter()
    detail = ""
    if step == "floor":
        from openpyxl import load_workbook

        wb = load_workbook(sheet, read_only=True, data_only=True)
        values = [
            row
            for row in wb.worksheets[0].iter_rows(min_row=4, values_only=True)
            if len(row) > 1 and row[0] is not None and row[1] is not None
        ]
        wb.close()
        width = max(len(v) for v in values)
        padded = [v + (None,) * (width - len(v)) for v in values]
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
    elif step in ("preview_new", "apply_new", "reimport_unchanged", "apply_update_all"):
        path = sheet2 if step == "apply_update_all" else sheet
        batch = services.import_check(
            batch=services.import_upload(
                actor=actor, upload=SimpleUploadedFile(path.name, path.read_bytes())
            )
        )
        checked = time.perf_counter() - started
        if step != "preview_new":
            started = time.perf_counter()  # the apply alone; its preview is reported apart
            batch = services.import_apply(actor=actor, batch=batch)
            detail = f"preview {checked:.1f} s before it; " + json.dumps(batch.counts)
        else:
            detail = json.dumps(batch.counts)
    else:
        import tablib

        from projects.resources import ProjectResource

        data = tablib.Dataset(
            headers=[
                "项目编号",
                "项目名称",
                "所在乡镇(街道)",
                "开发企业",
                "总建筑面积",
                "已售面积",
                "总套数",
                "已售套数",
                "合同约定交房时间",
                "工作专班",
            ]
        )
        sheet_obj = SurveySheet(sheet)
        for r in sheet_obj.rows():
            c = {k: v.value for k, v in r.cells.items()}
            data.append(
                [
                    c["code"],
                    c["name"],
                    c["township"],
                    c["developer"],
                    "50000",
                    "30000",
                    c["total_units"],
                    c["units_sold"],
                    "2025-06-30",
                    c["task_force"],
                ]
            )
        sheet_obj.close()
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
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_mib": peak_kib / 1024, "detail": detail}


def reset_data() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import Group

    from core.models import User
    from core.roles import Role
    from imports.models import ImportBatch
    from ledgers.models import DeliveryRecord, Problem, ProgressReport
    from projects.models import Company, Project, TaskForce

    projects = Project.objects.filter(code__startswith=PREFIX)
    for model in (ProgressReport, DeliveryRecord, Problem):
        model.objects.filter(project__in=projects).delete()
        model.history.filter(project_id__in=projects.values("pk")).delete()
    Project.history.filter(code__startswith=PREFIX).delete()
    projects.delete()
    Company.objects.filter(name__startswith="基准").delete()
    ImportBatch.objects.filter(uploaded_by__username="bench-admin").delete()
    TaskForce.objects.get_or_create(name=TASK_FORCE)
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_superuser": True, "is_staff": True}
    )
    admin.groups.set(Group.objects.filter(name=Role.ADMIN))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--step")
    parser.add_argument("--sheet")
    parser.add_argument("--sheet2")
    parser.add_argument("--only", help="comma-separated steps to run (the floor always runs)")
    args = parser.parse_args()
    if args.step:
        if args.step == "reset":
            reset_data()
            return
        print(json.dumps(run_step(args.step, Path(args.sheet), Path(args.sheet2))))
        return

    work = Path(tempfile.mkdtemp(prefix="bzf-bench-"))
    sheet, sheet2 = work / "survey.xlsx", work / "survey-updated.xlsx"
    build_sheet(sheet, args.rows, progress="60%")
    build_sheet(sheet2, args.rows, progress="65%")
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

    results: dict[str, dict[str, Any]] = {}
    wanted = {"floor", *(args.only.split(",") if args.only else [s for s, _ in STEPS])}
    steps = [(s, label) for s, label in STEPS if s in wanted]
    call("reset")
    for step, _ in steps:
        if step in ("preview_new", "ie_default", "ie_bulk"):
            call("reset")
        results[step] = call(step)
        print(f"  {step}: {results[step]}", file=sys.stderr)
    call("reset")
    floor = results["floor"]["seconds"]
    print(f"\n### {args.rows:,}-row survey sheet on {connection.vendor}\n")
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print("| step | seconds | × floor | peak RSS (MiB) | result |")
    print("|---|---:|---:|---:|---|")
    for step, label in steps:
        r = results[step]
        print(
            f"| {label} | {r['seconds']:.1f} | {r['seconds'] / floor:.1f} | "
            f"{r['peak_mib']:.0f} | {r['detail']} |"
        )


if __name__ == "__main__":
    main()
