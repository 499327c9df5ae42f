"""Projects name their township from the admin's list; a near miss is refused with suggestions."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from core.models import User
from tests.factories import CompanyFactory, ProjectFactory, TownshipFactory


@pytest.fixture(autouse=True)
def _clock(time_machine: Any) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.mark.django_db
def test_the_api_names_the_township_and_suggests_on_a_near_miss(
    api_for: Callable[[User], APIClient], admin_user: User
) -> None:
    TownshipFactory.create(name="城关镇")
    project = ProjectFactory.create()
    body = {
        "code": "N-1",
        "name": "新项目",
        "township": "城关",
        "developer": CompanyFactory.create().pk,
        "total_floor_area": "1000",
        "total_units": 10,
        "task_force": project.task_force_id,
    }

    refused = api_for(admin_user).post("/api/projects/", body, format="json")
    body["township"] = "城关镇\u3000"
    created = api_for(admin_user).post("/api/projects/", body, format="json")

    assert refused.status_code == 400
    assert refused.json()["township"] == [
        "乡镇(街道)“城关”不在乡镇(街道)列表中，是否应为“城关镇”？"
    ]
    assert created.status_code == 201, created.json()
    assert created.json()["township"] == "城关镇"
