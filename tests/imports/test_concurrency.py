"""Two imports of the same sheet at the same moment create its projects once."""

import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.models import User
from imports import services
from projects.models import Project, TaskForce
from tests.factories import TownshipFactory
from tests.imports.sheets import messy_sheet, row


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_sheet_never_duplicate_projects(
    taskforce_member: User, settings: Any, tmp_path: Path
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the advisory lock matters on PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    content = messy_sheet([row(code="", name=f"项目{i}") for i in range(20)])
    batches = [
        services.import_check(
            batch=services.import_upload(
                actor=taskforce_member, upload=SimpleUploadedFile("a.xlsx", content)
            )
        )
        for _ in range(2)
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def apply(batch: Any) -> None:
        try:
            barrier.wait()
            services.import_apply(actor=taskforce_member, batch=batch)
        except ValidationError:
            pass
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Project.objects.count() == 20


@pytest.mark.django_db(transaction=True)
def test_two_sheets_without_codes_on_one_day_get_distinct_codes(
    taskforce_member: User, settings: Any, tmp_path: Path
) -> None:
    """Two townships' sheets, no 项目编号 in either, confirmed at the same moment: every new
    project gets its own code of the ledger's scheme (this was a 500 and a stuck batch)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the code counter's lock matters on PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")
    sheets = [
        messy_sheet([row(code="", name=f"{town}项目{i}") for i in range(10)])
        for town in ("东街", "西街")
    ]
    batches = [
        services.import_check(
            batch=services.import_upload(
                actor=taskforce_member, upload=SimpleUploadedFile("a.xlsx", content)
            )
        )
        for content in sheets
    ]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def apply(batch: Any) -> None:
        try:
            barrier.wait()
            services.import_apply(actor=taskforce_member, batch=batch)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(set(codes)) == 20
    assert all(c.startswith("BJF-") for c in codes)
