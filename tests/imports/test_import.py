"""Checking and applying survey sheets: all or nothing, history, idempotency, permissions."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import User
from imports import services
from imports.models import ImportBatch
from imports.services import applying
from imports.tasks import import_apply_task
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from projects.figures import projects_refresh_figures
from projects.models import Company, Project, TaskForce
from tests.factories import TownshipFactory
from tests.imports.sheets import messy_sheet, row


def upload(actor: User, content: bytes, name: str = "摸排表.xlsx") -> ImportBatch:
    batch = services.import_upload(actor=actor, upload=SimpleUploadedFile(name, content))
    return services.import_check(batch=batch)


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


def test_preview_reads_a_messy_sheet_without_writing(member: User) -> None:
    batch = upload(
        member, messy_sheet([row(), row(code="CG-002", name="御景湾")], two_row_header=True)
    )
    assert batch.status == ImportBatch.Status.PREVIEWED
    counts = batch.counts
    assert (counts["new"], counts["changed"], counts["error"], counts["skipped"]) == (2, 0, 0, 2)
    assert batch.preview["new_companies"] == [
        "示范县宏达建设工程有限公司",
        "示范县新城房地产开发有限公司",
    ]
    assert not Project.objects.exists()
    assert len(batch.sha256) == 64


def test_apply_creates_projects_with_history_and_derived_figures(member: User) -> None:
    batch = upload(member, messy_sheet([row(delivered=20, undelivered=280)]))
    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get(code="CG-001")
    assert project.total_floor_area == Decimal("50000.00")
    assert (project.units_delivered, project.units_delivered_opening) == (20, 20)
    assert project.construction_status == "stopped"
    assert project.progress_percent == Decimal("60.0")
    assert project.funding_gap == Decimal("1200.00")
    assert project.wages_owed == Decimal("35.00")
    assert project.contract_delivery_date == datetime.date(2025, 6, 30)
    assert project.developer.name == "示范县新城房地产开发有限公司"
    assert not DeliveryRecord.objects.filter(project=project).exists()  # delivered before: 期初
    assert ProgressReport.objects.filter(project=project).count() == 1
    assert set(Problem.objects.filter(project=project).values_list("problem_type", flat=True)) == {
        "funding_gap",
        "wage_arrears",
    }
    created = project.history.earliest()
    assert created.history_user == member
    assert created.history_change_reason.startswith("摸排表导入")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


def test_a_new_project_is_created_as_its_entries_leave_it(member: User) -> None:
    """One history row per new project, already holding the figures its first report and
    problems give it: a recount afterwards finds nothing to change."""
    batch = upload(member, messy_sheet([row(delivered=20, undelivered=280)]))
    services.import_apply(actor=member, batch=batch)
    project = Project.objects.get(code="CG-001")
    assert project.last_report_date == datetime.date(2026, 11, 30)
    (created,) = project.history.all()
    assert (created.history_type, created.construction_status, created.funding_gap) == (
        "+",
        "stopped",
        Decimal("1200.00"),
    )
    assert projects_refresh_figures(project_ids=[project.pk], actor=member, reason="复核") == []


def test_reimporting_the_same_file_changes_nothing(member: User) -> None:
    content = messy_sheet([row(delivered=20, undelivered=280), row(code="CG-002", name="御景湾")])
    services.import_apply(actor=member, batch=upload(member, content))
    history_rows = Project.history.count()
    again = upload(member, content)
    assert again.counts["unchanged"] == 2
    assert again.counts["new"] == again.counts["changed"] == 0
    services.import_apply(actor=member, batch=again)
    assert Project.history.count() == history_rows
    assert Project.objects.count() == 2


def test_changed_rows_show_old_and_new(member: User) -> None:
    services.import_apply(actor=member, batch=upload(member, messy_sheet([row()])))
    batch = upload(member, messy_sheet([row(sold="320", undelivered=320, status="正常施工")]))
    changed = batch.preview["rows"][0]
    assert changed["status"] == "changed"
    assert ["已售套数", "300", "320"] in changed["changes"]
    assert ["施工状态", "停工", "正常施工"] in changed["changes"]


def test_any_error_means_nothing_is_written(member: User) -> None:
    content = messy_sheet([row(), row(code="CG-002", sold="500")])  # 500 sold of 400 units
    batch = upload(member, content)
    assert batch.counts["error"] == 1
    error = batch.preview["rows"][1]
    assert error["row"] == 5
    assert ["J", "已售套数不能大于总套数。"] in error["errors"]
    with pytest.raises(services.ImportHasErrors):
        services.import_apply(actor=member, batch=batch)
    assert not Project.objects.exists()
    assert not Company.objects.exists()


def test_a_township_is_matched_against_the_list_and_a_near_miss_is_an_error(
    member: User,
) -> None:
    """城关镇 typed with a full-width space is 城关镇; 城关 might be 城关镇 and is asked about."""
    batch = upload(
        member,
        messy_sheet(
            [row(township="城关镇\u3000"), row(code="CG-2", name="御景湾", township="城关")]
        ),
    )
    assert [r["status"] for r in batch.preview["rows"]] == ["new", "error"]
    assert batch.preview["rows"][1]["errors"] == [
        ["D", "乡镇(街道)“城关”不在乡镇(街道)列表中，是否应为“城关镇”？"]
    ]


def test_rows_of_another_task_force_are_errors(member: User) -> None:
    TaskForce.objects.create(name="南湖镇专班")
    batch = upload(member, messy_sheet([row(task_force="南湖镇专班")]))
    assert batch.counts["error"] == 1
    assert "您只能导入本专班的项目" in batch.preview["rows"][0]["errors"][0][1]


def test_only_admin_and_task_force_staff_may_import(leader: User, petition_clerk: User) -> None:
    for actor in (leader, petition_clerk):
        with pytest.raises(PermissionDenied):
            services.import_upload(actor=actor, upload=SimpleUploadedFile("a.xlsx", b"x"))


def test_a_project_found_by_name_keeps_its_code(member: User) -> None:
    services.import_apply(actor=member, batch=upload(member, messy_sheet([row(code="CG-001")])))
    batch = upload(member, messy_sheet([row(code="XX-999")]))
    assert batch.counts["error"] == 1
    assert "在系统中的编号为CG-001" in batch.preview["rows"][0]["errors"][0][1]
    batch = upload(member, messy_sheet([row(code="")]))
    assert batch.counts["unchanged"] == 1


def test_an_import_is_undone_as_one_step(member: User) -> None:
    services.import_apply(actor=member, batch=upload(member, messy_sheet([row(code="CG-001")])))
    project = Project.objects.get()
    before = (project.name, project.units_sold, project.units_delivered, project.funding_gap)
    batch = upload(
        member,
        messy_sheet(
            [
                row(code="CG-001", name="锦绣华府二期", sold="320", delivered=30, undelivered=290),
                row(code="CG-002", name="御景湾"),
            ]
        ),
    )
    services.import_apply(actor=member, batch=batch)
    project.refresh_from_db()
    assert (project.name, project.units_delivered) == ("锦绣华府二期", 30)
    services.import_undo(actor=member, batch=batch)
    project.refresh_from_db()
    assert (
        project.name,
        project.units_sold,
        project.units_delivered,
        project.funding_gap,
    ) == before
    assert not Project.objects.filter(code="CG-002").exists()
    assert not DeliveryRecord.objects.filter(project=project, units=30).exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    with pytest.raises(ValidationError):
        services.import_undo(actor=member, batch=batch)


def test_undo_is_refused_once_the_projects_changed_again(member: User) -> None:
    from projects.services import project_update

    batch = services.import_apply(actor=member, batch=upload(member, messy_sheet([row()])))
    project = Project.objects.get()
    project_update(actor=member, project=project, data={"notes": "后续修改"}, expected_version=1)
    with pytest.raises(ValidationError, match="导入后这些项目又被修改过"):
        services.import_undo(actor=member, batch=batch)
    assert Project.objects.exists()


def test_formula_cells_use_their_cached_values(member: User, tmp_path: Path) -> None:
    """openpyxl writes formulas without results; the cached value Excel saves is what counts.
    A formula without a cached value reads as an empty cell, so a required figure is reported."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(messy_sheet([row()])))
    ws = wb.active
    ws["M4"] = "=J4-K4"  # 未交房套数 as a formula, no cached value
    ws["I4"] = "=200+200"  # 总套数
    out = io.BytesIO()
    wb.save(out)
    batch = upload(member, out.getvalue())
    errors = batch.preview["rows"][0]["errors"]
    assert batch.counts["error"] == 1
    assert any("总套数" in message for _, message in errors)


def test_a_million_empty_rows_saved_by_an_editor_are_not_data(member: User) -> None:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(messy_sheet([row()])))
    ws = wb.active
    ws.cell(row=1_048_576, column=1, value=None).number_format = "0"
    ws.cell(row=1_048_576, column=2).value = " "
    out = io.BytesIO()
    wb.save(out)
    batch = upload(member, out.getvalue())
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.counts["new"] == 1


def test_ids_of_undone_projects_are_never_reused(member: User) -> None:
    first = services.import_apply(actor=member, batch=upload(member, messy_sheet([row()])))
    old_id = Project.objects.get().pk
    services.import_undo(actor=member, batch=first)
    services.import_apply(actor=member, batch=upload(member, messy_sheet([row()])))
    assert Project.objects.get().pk > old_id


def test_the_background_apply_is_safe_to_run_twice(member: User, settings: object) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 0  # type: ignore[attr-defined]
    batch = upload(member, messy_sheet([row()]))
    batch = services.import_confirm(actor=member, batch=batch)
    assert batch.status == ImportBatch.Status.APPLYING
    assert import_apply_task(batch.pk, member.pk) == ImportBatch.Status.APPLIED
    Project.objects.filter(code="CG-001").update(progress_percent=80)  # edited after the import
    assert import_apply_task(batch.pk, member.pk) == ImportBatch.Status.APPLIED
    assert Project.objects.get(code="CG-001").progress_percent == 80


def test_a_crash_of_the_background_apply_is_shown_on_the_batch(
    member: User, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_BACKGROUND_BYTES = 0  # type: ignore[attr-defined]
    batch = services.import_confirm(actor=member, batch=upload(member, messy_sheet([row()])))

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(applying, "_write", crash)
    with pytest.raises(RuntimeError):
        import_apply_task(batch.pk, member.pk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert "系统错误" in batch.message
    assert not Project.objects.exists()


def test_a_sheet_longer_than_a_chunk_is_checked_written_and_undone_as_one(
    member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are read, checked and written two at a time here: matching, duplicates across
    chunks, history, derived figures and undo must not notice."""
    from imports import analysis

    monkeypatch.setattr(analysis, "ANALYSIS_CHUNK", 2)
    monkeypatch.setattr(applying, "WRITE_CHUNK", 2)
    first = [row(code=f"CG-00{i}", name=f"项目{i}") for i in range(1, 4)]
    services.import_apply(actor=member, batch=upload(member, messy_sheet(first)))
    duplicate = upload(member, messy_sheet([*first, row(code="CG-009", name="项目9"), first[0]]))
    assert duplicate.counts["error"] == 1
    assert "项目编号与第4行重复" in duplicate.preview["rows"][4]["errors"][0][1]

    second = [
        row(code="CG-001", name="项目1", delivered=10, undelivered=290),
        row(code="CG-002", name="项目2"),
        row(code="", name="项目3", sold="350", undelivered=350),  # matched by name, 3rd chunk
        row(code="CG-004", name="项目4"),
        row(code="CG-005", name="项目5", progress="80%"),
    ]
    batch = upload(member, messy_sheet(second))
    counts = batch.counts
    assert (counts["new"], counts["changed"], counts["unchanged"], counts["error"]) == (2, 2, 1, 0)
    services.import_apply(actor=member, batch=batch)
    assert Project.objects.count() == 5
    assert Project.objects.get(code="CG-001").units_delivered == 10
    assert Project.objects.get(code="CG-003").units_sold == 350
    assert Project.objects.get(code="CG-005").progress_percent == Decimal("80.0")
    assert set(Project.history.filter(history_type="+").values_list("code", flat=True)) == {
        f"CG-00{i}" for i in range(1, 6)
    }
    services.import_undo(actor=member, batch=batch)
    assert sorted(Project.objects.values_list("code", "units_sold", "units_delivered")) == [
        ("CG-001", 300, 0),
        ("CG-002", 300, 0),
        ("CG-003", 300, 0),
    ]


def test_one_new_company_spelt_two_ways_is_created_once(member: User) -> None:
    content = messy_sheet(
        [
            row(code="CG-001", developer="示范县新城房地产开发有限公司"),
            row(code="CG-002", name="御景湾", developer="示范县新城 房地产开发有限公司"),
        ]
    )
    services.import_apply(actor=member, batch=upload(member, content))
    developers = set(Project.objects.values_list("developer__name", flat=True))
    assert developers == {"示范县新城房地产开发有限公司"}


def test_a_ledger_changed_after_the_preview_is_checked_again_on_apply(member: User) -> None:
    """The preview's findings are reused only while the ledger is as it was: a project entered
    meanwhile under the sheet's code makes the apply refuse instead of writing a duplicate."""
    from tests.factories import ProjectFactory

    batch = upload(member, messy_sheet([row(code="CG-001")]))
    assert batch.counts["new"] == 1
    ProjectFactory.create(code="CG-001", name="另一个项目", task_force=TaskForce.objects.get())
    with pytest.raises(ValidationError, match="预览之后台账已有变化"):
        services.import_apply(actor=member, batch=batch)
    assert Project.objects.get().name == "另一个项目"


def test_a_township_not_on_the_list_names_the_nearest(member: User) -> None:
    from tests.factories import TownshipFactory

    TownshipFactory.create(name="南湖街道")
    batch = upload(member, messy_sheet([row(township="南湖新区")]))
    (message,) = [m for _, m in batch.preview["rows"][0]["errors"]]
    assert "不在乡镇(街道)列表中" in message
    assert "列表中相近的有：南湖街道" in message
