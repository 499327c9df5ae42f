"""项目编号 come from one generator for the form, the API and the import: the ledger's scheme
BJF-year-number, never a number twice, even when two people save at the same moment."""

import datetime
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client

from core.models import User
from projects.codes import project_codes_next
from projects.models import Project
from projects.services import projects_create_many
from tests.factories import CompanyFactory, ProjectFactory, TownshipFactory
from tests.projects.test_views import form_data

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _pinned(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def test_codes_continue_from_the_years_highest_and_skip_codes_typed_by_hand(db: None) -> None:
    ProjectFactory.create(code="BJF-2026-00040")
    ProjectFactory.create(code="BJF-2025-00900")
    assert project_codes_next(year=2026, count=2) == ["BJF-2026-00041", "BJF-2026-00042"]
    ProjectFactory.create(code="BJF-2026-00044")  # typed by hand, ahead of the counter
    assert project_codes_next(year=2026, count=2) == ["BJF-2026-00043", "BJF-2026-00045"]


def test_the_form_gives_a_blank_code_the_next_one(
    client_for: Callable[[User], Client], taskforce_member: User, own_project: Project
) -> None:
    data = form_data(own_project, code="", name="新项目", units_delivered_opening=120)
    response = client_for(taskforce_member).post("/projects/new/", data)
    assert response.status_code == 302
    project = Project.objects.get(name="新项目")
    assert project.code == "BJF-2026-00001"
    assert (project.units_delivered, project.units_delivered_opening) == (120, 120)


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_at_once_never_get_the_same_code(taskforce_member: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the counter's row lock matters on PostgreSQL")
    task_force = taskforce_member.task_forces.get()
    developer = CompanyFactory.create()
    township = TownshipFactory.create(name="城关镇")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def create(n: int) -> None:
        rows = [
            {"name": f"项目{n}-{i}", "township": township, "developer": developer,
             "total_floor_area": 1000, "total_units": 10, "task_force": task_force}
            for i in range(5)
        ]  # fmt: skip
        try:
            barrier.wait()
            projects_create_many(actor=taskforce_member, rows=rows, reason="并发测试")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 20
    assert sorted(codes) == [f"BJF-2026-{n:05d}" for n in range(1, 21)]
