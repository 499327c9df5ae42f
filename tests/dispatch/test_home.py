"""工作台: a 专班 member's figures are their own 专班's, beside this week's reporting."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.test import Client

from core.models import User
from projects.models import Project
from tests.factories import ProgressReportFactory, ProjectFactory

FRIDAY = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_members_headline_figures_are_their_own_task_forces(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
    time_machine: Any,
) -> None:
    time_machine.move_to(FRIDAY, tick=False)
    ProjectFactory.create_batch(3, task_force=other_project.task_force)
    ProgressReportFactory.create(project=own_project, period_start=datetime.date(2026, 11, 30))
    second = ProjectFactory.create(task_force=own_project.task_force)

    response = client_for(taskforce_member).get("/")

    assert response.context["totals"]["projects"] == 2
    assert response.context["totals"]["units_undelivered"] == 600
    page = response.content.decode()
    assert "本专班项目" in page
    assert '本周填报 <span class="text-overdue">1/2</span>' in page
    assert f"/projects/{second.pk}/report/new/" in page
    assert f"?task_force={own_project.task_force_id}" in page


def test_a_leader_sees_the_county(
    client_for: Callable[[User], Client], leader: User, own_project: Project, other_project: Project
) -> None:
    response = client_for(leader).get("/")
    assert response.context["totals"]["projects"] == 2
    assert response.context["my_weeks"] == []
    assert "纳入台账项目" in response.content.decode()
