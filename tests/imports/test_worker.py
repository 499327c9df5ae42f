"""A large sheet is checked and applied by a real Celery worker over Redis (CI runs this)."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.models import User
from imports import services
from imports.models import ImportBatch
from projects.models import Project, TaskForce
from tests.imports.sheets import messy_sheet, row

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(tmp_path: Path, settings: Any) -> Iterator[None]:
    if not django_settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL: the worker shares the test database")
    settings.MEDIA_ROOT = tmp_path / "media"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "IMPORT_BACKGROUND_ROWS": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "baozhaofang",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in (tmp_path / "worker.log").read_text() and time.monotonic() < deadline:
        time.sleep(0.5)
    yield
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def wait_for(batch: ImportBatch, statuses: set[str], seconds: float = 90) -> ImportBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status in statuses:
            return batch
        time.sleep(0.5)
    raise AssertionError(f"worker did not finish: {batch.status}")


def test_worker_checks_and_applies_a_large_sheet(
    worker: None, taskforce_member: User, settings: Any
) -> None:
    TaskForce.objects.filter(members=taskforce_member).update(name="城关镇专班")
    settings.IMPORT_BACKGROUND_ROWS = 0
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
