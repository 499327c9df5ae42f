"""Shared fixtures: a pinned clock, a user per role, logged-in clients, fast hashing, Chromium,
a Celery worker.

The clock: every test starts at SUITE_NOW, Monday 2026-11-30 00:30 Asia/Shanghai, and the clock
ticks from there. The moment is chosen to be awkward: a Monday (this week has no reports yet,
the fault behind issue 12), the last day of a month, half an hour after midnight (anything
stamped "today at 10:00" lies in the future) and still Sunday 16:30 in UTC, the server's clock
(a date taken from UTC rather than Asia/Shanghai is a day off). The factories' fixed dates are
weeks before it. A test about another day moves the clock with time-machine's fixture:
`time_machine.move_to(datetime(2027, 1, 1, 9, tzinfo=SHANGHAI), tick=False)`. The real
Celery worker is another process and keeps the real clock, so tests hand it explicit dates
(a report's period, the reminders' day) instead of letting it read "today".
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from time_machine import TimeMachineFixture

from core.masking import mask_personal_text
from core.models import SecurityEvent, User
from core.roles import Role, sync_role_groups
from projects.models import Project
from tests.factories import DepartmentFactory, ProjectFactory, TaskForceFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUITE_NOW = datetime(2026, 11, 30, 0, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _suite_clock(time_machine: TimeMachineFixture) -> None:
    """Every test starts at SUITE_NOW (see the module docstring), whatever day the suite runs."""
    time_machine.move_to(SUITE_NOW, tick=True)


@pytest.fixture(autouse=True)
def _security_log_keeps_no_personal_numbers() -> Iterator[None]:
    """The security log can never be purged (issue 15): whatever a test does, no row it writes
    holds a whole phone or ID number."""
    written: list[SecurityEvent] = []

    def keep(sender: Any, instance: SecurityEvent, **kwargs: Any) -> None:
        written.append(instance)

    post_save.connect(keep, sender=SecurityEvent, weak=False, dispatch_uid="suite_security_log")
    yield
    post_save.disconnect(sender=SecurityEvent, dispatch_uid="suite_security_log")
    leaks = [
        (e.username, e.path, e.user_agent)
        for e in written
        if any(mask_personal_text(v) != v for v in (e.username, e.path, e.user_agent))
    ]
    assert not leaks, f"whole phone or ID number in the security log: {leaks}"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_dashboard(settings: object) -> None:
    """Every request computes the dashboard: a kept copy in Redis outlives the test's data."""
    settings.DASHBOARD_CACHE_SECONDS = 0  # type: ignore[attr-defined]


@pytest.fixture
def roles(db: None) -> None:
    """The role groups come from a data migration; transactional tests flush them, so restore."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.count() < len(Role):
        sync_role_groups(apps)


@pytest.fixture
def make_user(roles: None) -> Callable[..., User]:
    def make(role: str, **kwargs: object) -> User:
        if role == Role.DEPARTMENT and "department" not in kwargs:
            kwargs["department"] = DepartmentFactory.create(name="县自然资源局")
        return UserFactory.create(roles=[role], is_staff=role == Role.ADMIN, **kwargs)

    return make


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, username="admin1")


@pytest.fixture
def leader(make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, username="leader1")


@pytest.fixture
def taskforce_member(make_user: Callable[..., User]) -> User:
    user = make_user(Role.TASKFORCE, username="tf1")
    TaskForceFactory.create(name="城关镇专班", members=[user])
    return user


@pytest.fixture
def petition_clerk(make_user: Callable[..., User]) -> User:
    return make_user(Role.PETITION, username="xf1")


@pytest.fixture
def department_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.DEPARTMENT, username="dept1")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def own_project(taskforce_member: User) -> Project:
    """A project of the task-force member's own 专班."""
    return ProjectFactory.create(task_force=taskforce_member.task_forces.get())


@pytest.fixture
def other_project(roles: None) -> Project:
    """A project of a 专班 the task-force member does not belong to."""
    return ProjectFactory.create(task_force=TaskForceFactory.create(name="南湖镇专班"))


@pytest.fixture
def photo_root(settings: Any, tmp_path: Path) -> Path:
    """Site photos stored in the test's own folder, so a test can see which files exist."""
    root = tmp_path / "photos"
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; skipped where no Chromium is installed."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"未找到 Chromium（{CHROMIUM}）：浏览器测试跳过")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test body.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


SOFFICE = os.environ.get("SOFFICE", "soffice")


@pytest.fixture(scope="session")
def soffice(tmp_path_factory: pytest.TempPathFactory) -> Callable[[list[Path]], list[Path]]:
    """Converts .docx files to PDF with LibreOffice headless (its own profile, the repository's
    font names); skipped where LibreOffice is not installed."""
    binary = shutil.which(SOFFICE)
    if binary is None:
        pytest.skip(
            f"未找到 LibreOffice（{SOFFICE}）：文档转换测试跳过"
            "（apt-get install -y libreoffice-writer-nogui fonts-noto-cjk 后可运行）"
        )
    profile = tmp_path_factory.mktemp("soffice-profile")
    env = {**os.environ, "FONTCONFIG_FILE": str(ROOT / "docs" / "fonts.conf")}

    def convert(paths: list[Path]) -> list[Path]:
        out = paths[0].parent / "pdf"
        command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        command += ["--norestore", "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)]
        subprocess.run(command, check=True, env=env, capture_output=True, timeout=300)  # noqa: S603
        return [out / f"{p.stem}.pdf" for p in paths]

    return convert


@dataclass(frozen=True)
class WorkerProcess:
    """A running `celery worker` and where it writes: its log and the shared media folder."""

    log: Path
    media_root: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(scope="session")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    """One real worker for the session: starting Django and Celery costs seconds per test.

    It reads the test database (transactional tests only: it cannot see uncommitted rows) and
    consumes the Redis queue, so it needs PostgreSQL and REDIS_URL; otherwise dependants skip.
    """
    if not django_settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and PostgreSQL: the worker shares the test database")
    folder = tmp_path_factory.mktemp("worker")
    worker = WorkerProcess(log=folder / "worker.log", media_root=folder / "media")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(worker.media_root),
        "IMPORT_BACKGROUND_BYTES": "0",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "baozhaofang", "worker", "--pool", "solo",
        "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--purge",
    ]  # fmt: skip
    with worker.log.open("w") as log:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            deadline = time.monotonic() + 60
            while "ready." not in worker.log_text():
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Celery worker did not start:\n{worker.log_text()[-3000:]}")
                time.sleep(0.2)
            yield worker
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.fixture
def worker(
    celery_worker_process: WorkerProcess, transactional_db: None, settings: Any
) -> WorkerProcess:
    """The session's worker for this test: same media folder, and every sheet goes to it."""
    settings.MEDIA_ROOT = celery_worker_process.media_root
    settings.IMPORT_BACKGROUND_BYTES = 0
    return celery_worker_process
