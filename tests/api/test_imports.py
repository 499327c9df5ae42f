"""Import through the API: upload for a dry-run preview, then apply; same rules as the page."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.models import User
from imports.models import ImportBatch
from projects.models import Project, TaskForce
from tests.factories import TownshipFactory
from tests.imports.sheets import messy_sheet, row

ApiFor = Callable[[User], APIClient]


@pytest.fixture(autouse=True)
def _media(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture
def client(api_for: ApiFor, taskforce_member: User) -> APIClient:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    return api_for(taskforce_member)


def _upload(client: APIClient, content: bytes, name: str = "摸排表.xlsx") -> dict:
    response = client.post(
        "/api/imports/", {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )
    assert response.status_code in (201, 400), response.content
    return {"http": response.status_code, **response.json()}


def test_dry_run_preview_then_apply(client: APIClient) -> None:
    preview = _upload(client, messy_sheet([row(), row(code="CG-002", name="御景湾")]))
    assert (preview["http"], preview["status"]) == (201, "previewed")
    assert (preview["counts"]["new"], preview["counts"]["error"]) == (2, 0)
    assert [r["status"] for r in preview["preview"]["rows"]] == ["new", "new"]
    assert not Project.objects.exists()
    applied = client.post(f"/api/imports/{preview['id']}/apply/")
    assert applied.status_code == 200
    assert applied.json()["status"] == "applied"
    assert Project.objects.count() == 2
    again = client.post(f"/api/imports/{preview['id']}/apply/")
    assert again.status_code == 400
    assert "不能再次导入" in again.json()["non_field_errors"][0]


def test_rows_in_error_block_apply(client: APIClient) -> None:
    preview = _upload(client, messy_sheet([row(), row(code="CG-002", sold="500")]))
    assert preview["counts"]["error"] == 1
    errors = preview["preview"]["rows"][1]["errors"]
    assert "已售套数不能大于总套数" in str(errors)
    refused = client.post(f"/api/imports/{preview['id']}/apply/")
    assert refused.status_code == 400
    assert "未导入任何数据" in refused.json()["non_field_errors"][0]
    assert not Project.objects.exists()


def test_not_an_xlsx_is_a_field_error(client: APIClient) -> None:
    response = _upload(client, b"a,b\n1,2\n", name="摸排表.xls")
    assert response == {"http": 400, "file": ["这是旧版Excel（.xls）文件，请另存为.xlsx后再上传。"]}
    assert not ImportBatch.objects.exists()


def test_undo_restores_the_ledger(client: APIClient) -> None:
    preview = _upload(client, messy_sheet([row()]))
    client.post(f"/api/imports/{preview['id']}/apply/")
    undone = client.post(f"/api/imports/{preview['id']}/undo/")
    assert undone.status_code == 200
    assert undone.json()["status"] == "undone"
    assert not Project.objects.exists()
