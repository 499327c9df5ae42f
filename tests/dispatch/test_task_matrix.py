"""The supervision-task permission matrix (issue 15): every cell of the README's table, through
the pages and through the API. The table is read from the README, so the two cannot drift."""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from core.models import User
from core.roles import Role
from dispatch.models import SupervisionTask
from tests.conftest import SUITE_NOW
from tests.factories import (
    DepartmentFactory,
    PetitionFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
)

README = Path(__file__).resolve().parents[2] / "README.md"
ACTIONS = ["create", "edit", "complete", "reopen", "deadline", "backdate"]
TODAY = SUITE_NOW.date()
LATER = TODAY + datetime.timedelta(days=10)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _matrix() -> dict[str, dict[str, str]]:
    text = README.read_text()
    header = next(line for line in text.splitlines() if line.startswith("| 角色与对象关系 |"))
    rows = text.split(header, 1)[1].splitlines()[2:]
    matrix = {}
    for line in rows:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        key = cells[1].strip("`")
        matrix[key] = dict(zip(ACTIONS, cells[2:], strict=True))
    return matrix


MATRIX = _matrix()
CELLS = [
    (who, action, mark)
    for who, row in MATRIX.items()
    for action, mark in row.items()
    if mark != "—"
]


def test_the_table_names_every_relation_and_only_known_marks() -> None:
    assert set(MATRIX) == {
        "admin",
        "leader",
        "leader_assignee",
        "taskforce_own",
        "taskforce_other",
        "petition_raiser",
        "petition_other",
        "department_assignee",
        "department_other",
    }
    assert {mark for row in MATRIX.values() for mark in row.values()} <= {"✓", "✗", "—"}


@pytest.fixture
def world(make_user: Callable[..., User]) -> dict[str, Any]:
    """One task of the own 专班's project, raised from a petition by one clerk and assigned to
    one department; and the people standing in each relation to it."""
    own_member = make_user(Role.TASKFORCE, username="tf_own")
    other_member = make_user(Role.TASKFORCE, username="tf_other")
    own = TaskForceFactory.create(name="城关镇专班", members=[own_member])
    TaskForceFactory.create(name="城南专班", members=[other_member])
    project = ProjectFactory.create(task_force=own)
    bureau = DepartmentFactory.create(name="县自然资源局")
    raiser = make_user(Role.PETITION, username="xf_raiser")
    people = {
        "admin": make_user(Role.ADMIN, username="admin_m"),
        "leader": make_user(Role.LEADER, username="leader_m"),
        "leader_assignee": make_user(Role.LEADER, username="leader_a"),
        "taskforce_own": own_member,
        "taskforce_other": other_member,
        "petition_raiser": raiser,
        "petition_other": make_user(Role.PETITION, username="xf_other"),
        "department_assignee": make_user(Role.DEPARTMENT, username="d_a", department=bureau),
        "department_other": make_user(
            Role.DEPARTMENT, username="d_o", department=DepartmentFactory.create(name="县财政局")
        ),
    }
    petition = PetitionFactory.create(project=project, department=bureau)
    return {"people": people, "project": project, "bureau": bureau, "petition": petition}


def _task(world: dict[str, Any], who: str, *, done: bool = False) -> SupervisionTask:
    mine = who == "leader_assignee"
    task = SupervisionTaskFactory.create(
        source=SupervisionTask.Source.PETITION,
        petition=world["petition"],
        project=world["project"],
        created_by=world["people"]["petition_raiser"],
        assignee_department=None if mine else world["bureau"],
        assignee_user=world["people"]["leader_assignee"] if mine else None,
        deadline=TODAY + datetime.timedelta(days=3),
    )
    SupervisionTask.objects.filter(pk=task.pk).update(
        created_at=SUITE_NOW - datetime.timedelta(days=20),
        **({"status": "done", "done_date": TODAY, "result": "已办"} if done else {}),
    )
    task.refresh_from_db()
    return task


def _form(task: SupervisionTask, **changes: Any) -> dict[str, Any]:
    data = {
        "title": task.title,
        "description": task.description,
        "assignee_department": task.assignee_department_id or "",
        "assignee_user": task.assignee_user_id or "",
        "deadline": task.deadline.isoformat(),
        "change_reason": "核对",
        "version": task.version,
    }
    return {**data, **changes}


def _page(client: Client, world: dict[str, Any], task: SupervisionTask, action: str) -> int:
    url = f"/dispatch/tasks/{task.pk}/"
    if action == "create":
        body = {
            "title": "协调复工",
            "assignee_department": world["bureau"].pk,
            "deadline": LATER.isoformat(),
        }
        return client.post(
            f"/dispatch/tasks/new/?petition={world['petition'].pk}", body
        ).status_code
    if action == "edit":
        return client.post(url + "edit/", _form(task, title="改后的事项")).status_code
    if action == "deadline":
        return client.post(url + "edit/", _form(task, deadline=LATER.isoformat())).status_code
    if action == "complete":
        return client.post(url + "complete/", {"complete-result": "已办结"}).status_code
    if action == "backdate":
        body = {"complete-result": "已办结", "complete-done_date": YESTERDAY.isoformat()}
        return client.post(url + "complete/", {**body, "complete-reason": "系统故障"}).status_code
    return client.post(url + "reopen/", {"reopen-reason": "结果不合格"}).status_code


def _api(client: APIClient, world: dict[str, Any], task: SupervisionTask, action: str) -> int:
    url = f"/api/tasks/{task.pk}/"
    if action == "create":
        body = {
            "source": "petition",
            "petition": world["petition"].pk,
            "title": "协调复工",
            "assignee_department": world["bureau"].pk,
            "deadline": LATER.isoformat(),
        }
        return client.post("/api/tasks/", body, format="json").status_code
    if action == "edit":
        return client.patch(
            url, {"title": "改后的事项", "version": task.version}, format="json"
        ).status_code
    if action == "deadline":
        return client.patch(
            url, {"deadline": LATER.isoformat(), "version": task.version}, format="json"
        ).status_code
    if action == "complete":
        return client.post(url + "complete/", {"result": "已办结"}, format="json").status_code
    if action == "backdate":
        body = {"result": "已办结", "done_date": YESTERDAY.isoformat(), "reason": "系统故障"}
        return client.post(url + "complete/", body, format="json").status_code
    return client.post(url + "reopen/", {"reason": "结果不合格"}, format="json").status_code


def _happened(task: SupervisionTask, action: str, before: int) -> bool:
    if action == "create":
        return SupervisionTask.objects.count() > before
    task.refresh_from_db()
    return {
        "edit": task.title == "改后的事项",
        "deadline": task.deadline == LATER,
        "complete": task.status == SupervisionTask.Status.DONE,
        "backdate": task.done_date == YESTERDAY and task.is_backdated,
        "reopen": task.status != SupervisionTask.Status.DONE,
    }[action]


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["page", "api"])
@pytest.mark.parametrize(("who", "action", "mark"), CELLS)
def test_matrix_cell(world: dict[str, Any], who: str, action: str, mark: str, channel: str) -> None:
    user = world["people"][who]
    task = _task(world, who, done=action == "reopen")
    before = SupervisionTask.objects.count()
    if channel == "page":
        client = Client()
        client.force_login(user)
        status = _page(client, world, task, action)
    else:
        api = APIClient()
        api.force_authenticate(user)
        status = _api(api, world, task, action)
    allowed = mark == "✓"
    assert _happened(task, action, before) is allowed, (who, action, channel, status)
    if allowed:
        assert status in (200, 201, 302), status
    elif channel == "api" or action not in ("deadline", "backdate"):
        assert status in (403, 404), status
