"""The import pages and command: upload, preview, confirm, error report, template, bad files."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from core.models import User
from imports.models import ImportBatch
from projects.models import Project, TaskForce
from tests.factories import TownshipFactory
from tests.imports.sheets import messy_sheet, row


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture
def member(taskforce_member: User) -> User:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return taskforce_member


def post_file(client: Client, content: bytes, name: str = "摸排表.xlsx") -> Any:
    return client.post("/import/", {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_confirm(client_for: Callable[[User], Client], member: User) -> None:
    client = client_for(member)
    response = post_file(client, messy_sheet([row(), row(code="CG-002", name="御景湾")]))
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/import/{batch.pk}/"
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert "确认导入" in page
    assert "第4行" in page
    assert "将新建企业" in page
    assert not Project.objects.exists()
    response = client.post(f"/import/{batch.pk}/apply/")
    assert response.status_code == 302
    assert Project.objects.count() == 2
    assert "导入完成：新增2个项目" in client.get(f"/import/{batch.pk}/").content.decode()


def test_errors_block_confirm_and_come_back_marked_in_the_sheet(
    client_for: Callable[[User], Client], member: User
) -> None:
    client = client_for(member)
    post_file(client, messy_sheet([row(), row(code="CG-002", sold="500")]))
    batch = ImportBatch.objects.get()
    page = client.get(f"/import/{batch.pk}/").content.decode()
    assert f'action="/import/{batch.pk}/apply/"' not in page
    assert "本表有 <strong>1</strong> 处错误，所以没有“确认导入”按钮" in page
    assert "J列：已售套数不能大于总套数。" in page
    assert client.post(f"/import/{batch.pk}/apply/").status_code == 302
    assert not Project.objects.exists()
    report = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/import/{batch.pk}/errors.xlsx").getvalue())
    )
    ws = report["摸排表"]
    header = [c.value for c in ws[3]]
    assert header[-1] == "错误说明"
    assert "已售套数不能大于总套数" in ws.cell(row=5, column=len(header)).value
    assert ws["J5"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=4, column=len(header)).value is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a spreadsheet at all", "a.xlsx", "不是Excel工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a.xlsx", "旧版Excel"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
            "a.xlsx",
            "密码",
        ),
        (b"PK\x03\x04broken", "a.xlsx", "已损坏"),
    ],
)
def test_bad_files_get_a_clear_message_never_a_500(
    client_for: Callable[[User], Client], member: User, content: bytes, name: str, message: str
) -> None:
    client = client_for(member)
    response = post_file(client, content, name)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatch.Status.REJECTED
    assert message in client.get(f"/import/{batch.pk}/").content.decode()


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_macro_workbooks_and_xml_entities_and_bombs_are_refused(
    client_for: Callable[[User], Client], member: User, settings: object
) -> None:
    client = client_for(member)
    base = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    macro = _zip({**base, "xl/vbaProject.bin": b"\0" * 100})
    entity = _zip(
        {
            **base,
            "xl/worksheets/sheet1.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        }
    )
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 5 * 1024 * 1024  # type: ignore[attr-defined]
    bomb = _zip({**base, "xl/worksheets/sheet1.xml": b"0" * (6 * 1024 * 1024)})
    for content, message in [(macro, "包含宏"), (entity, "DTD"), (bomb, "压缩炸弹")]:
        post_file(client, content)
        batch = ImportBatch.objects.latest("pk")
        assert batch.status == ImportBatch.Status.REJECTED
        assert message in batch.message


def test_xls_name_is_refused_at_upload(client_for: Callable[[User], Client], member: User) -> None:
    response = post_file(client_for(member), b"whatever", "old.xls")
    assert response.status_code == 200
    assert "旧版Excel" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_other_roles_cannot_upload(client_for: Callable[[User], Client], leader: User) -> None:
    response = post_file(client_for(leader), messy_sheet([row()]))
    assert response.status_code == 403


def test_template_has_headers_example_dropdowns_and_instructions(
    client_for: Callable[[User], Client], member: User
) -> None:
    wb = openpyxl.load_workbook(
        io.BytesIO(client_for(member).get("/import/template.xlsx").getvalue())
    )
    ws = wb["摸排表"]
    headers = [c.value for c in ws[3]]
    assert headers[:3] == ["序号", "项目编号", "项目名称"]
    assert ws["C4"].value == "锦绣华府一期"
    validations = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("选项!$A$2" in f for f in validations.values())
    assert "填写说明" in wb.sheetnames


def test_command_line_import(
    member: User, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(messy_sheet([row()]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(messy_sheet([row(sold="500")]))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"junk")
    with pytest.raises(SystemExit) as exit_:
        call_command("import_survey", str(bad), "--user", member.username)
    assert exit_.value.code == 1
    assert "row 4, column J: 已售套数不能大于总套数。" in capsys.readouterr().out
    call_command("import_survey", str(good), "--user", member.username, "--dry-run")
    assert "new 1, changed 0, unchanged 0, skipped 2, errors 0" in capsys.readouterr().out
    assert not Project.objects.exists()
    call_command("import_survey", str(good), "--user", member.username)
    assert Project.objects.count() == 1
    with pytest.raises(SystemExit) as exit_:
        call_command("import_survey", str(junk), "--user", member.username)
    assert exit_.value.code == 2


def test_a_ledger_export_imports_back_with_zero_changes(
    client_for: Callable[[User], Client], admin_user: User
) -> None:
    client = client_for(admin_user)
    TownshipFactory.create(name="城关镇")
    post_file(
        client,
        messy_sheet([row(), row(code="CG-002", name="御景湾", delivered=10, undelivered=290)]),
    )
    client.post(f"/import/{ImportBatch.objects.get().pk}/apply/")
    assert Project.objects.count() == 2
    exported = client.get("/projects/export.xlsx").getvalue()
    post_file(client, exported, "项目台账.xlsx")
    batch = ImportBatch.objects.latest("pk")
    assert batch.counts["error"] == 0, batch.preview["rows"]
    assert batch.counts["unchanged"] == 2, batch.preview["rows"]
    assert batch.counts["changed"] == batch.counts["new"] == 0


def test_more_rows_than_the_limit_is_refused_whole(
    client_for: Callable[[User], Client], member: User, settings: Any
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    post_file(client_for(member), messy_sheet([row(code=f"CG-{i}") for i in range(3)]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "有内容的行超过2行（合计、落款等行也计算在内）" in batch.message
