"""A large sheet is checked and applied by a real Celery worker over Redis (CI runs this)."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import User
from imports import services
from imports.models import ImportBatch
from projects.models import Project, TaskForce
from tests.conftest import WorkerProcess
from tests.factories import TownshipFactory
from tests.imports.sheets import messy_sheet, row

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(batch: ImportBatch, statuses: set[str], seconds: float = 90) -> ImportBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in statuses:
            return batch
        time.sleep(0.5)
    raise AssertionError(f"worker did not finish: {batch.status}")


def test_worker_checks_and_applies_a_large_sheet(
    worker: WorkerProcess, taskforce_member: User
) -> None:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    TownshipFactory.create(name="城关镇")  # the sheets' township, on the admin's list
    rows = [row(code=f"CG-{i:03d}", name=f"项目{i}") for i in range(30)]
    batch = services.import_submit(
        actor=taskforce_member, upload=SimpleUploadedFile("大表.xlsx", messy_sheet(rows))
    )
    assert batch.status == ImportBatch.Status.CHECKING
    batch = wait_for(batch, {"previewed", "rejected"})
    assert batch.counts["new"] == 30
    batch = services.import_confirm(actor=taskforce_member, batch=batch)
    assert batch.status == ImportBatch.Status.APPLYING
    batch = wait_for(batch, {"applied", "failed"})
    assert batch.status == ImportBatch.Status.APPLIED, batch.message
    assert Project.objects.count() == 30
