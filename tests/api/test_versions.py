"""Lost updates: every editable row refuses an edit made on a version someone has replaced —
409 in the API, the project page's conflict message on the pages (core.versioning)."""

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from core.models import User
from ledgers import services as ledger_services
from ledgers.models import Problem
from projects.models import Milestone, Project
from tests.factories import (
    CompanyFactory,
    DeliveryRecordFactory,
    DispatchMeetingFactory,
    FundingRecordFactory,
    ProblemFactory,
    ProgressReportFactory,
    SupervisionTaskFactory,
)

ApiFor = Callable[[User], APIClient]


def _inspection(project: Project) -> Any:
    return ledger_services.inspection_create(
        actor=project.task_force.members.get(),
        project=project,
        data={"date": datetime.date(2026, 11, 1), "kind": "safety", "findings": "脚手架"},
    )


def _milestone(project: Project) -> Milestone:
    return Milestone.objects.create(
        project=project, title="主体封顶", planned_date=datetime.date(2026, 12, 31)
    )


# resource, how to make a row (of the member's own project), one field and two values for it
ROWS: list[tuple[str, Callable[[Project], Any], str, Any, Any]] = [
    ("meetings", lambda p: DispatchMeetingFactory.create(), "minutes", "甲", "乙"),
    ("tasks", lambda p: SupervisionTaskFactory.create(project=p), "description", "甲", "乙"),
    ("problems", lambda p: ProblemFactory.create(project=p), "description", "甲", "乙"),
    ("funding-records", lambda p: FundingRecordFactory.create(project=p), "note", "甲", "乙"),
    ("deliveries", lambda p: DeliveryRecordFactory.create(project=p), "note", "甲", "乙"),
    ("progress-reports", lambda p: ProgressReportFactory.create(project=p), "note", "甲", "乙"),
    ("inspections", _inspection, "findings", "甲", "乙"),
    ("milestones", _milestone, "note", "甲", "乙"),
    ("companies", lambda p: CompanyFactory.create(), "notes", "甲", "乙"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("resource", "make", "field", "first", "second"), ROWS)
def test_an_edit_of_a_replaced_version_is_409_and_changes_nothing(
    api_for: ApiFor,
    admin_user: User,
    taskforce_member: User,
    own_project: Project,
    resource: str,
    make: Callable[[Project], Any],
    field: str,
    first: Any,
    second: Any,
) -> None:
    row = make(own_project)
    api = api_for(admin_user if resource in ("meetings", "tasks") else taskforce_member)
    url = f"/api/{resource}/{row.pk}/"
    read = api.get(url).json()["version"]
    saved = api.patch(url, {field: first, "version": read}, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["version"] == read + 1
    stale = api.patch(url, {field: second, "version": read}, format="json")
    assert stale.status_code == 409
    assert "本次保存未生效" in stale.json()["detail"]
    blind = api.patch(url, {field: second}, format="json")
    assert blind.status_code == 400
    assert "version" in blind.json()
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == (first, read + 1)


@pytest.mark.django_db
def test_a_task_step_replaces_the_version_an_edit_was_opened_at(
    api_for: ApiFor, leader: User, department_user: User
) -> None:
    task = SupervisionTaskFactory.create(assignee_department=department_user.department)
    stepped = api_for(department_user).post(
        f"/api/tasks/{task.pk}/progress/", {"note": "已约谈开发企业"}, format="json"
    )
    assert stepped.status_code == 200
    assert stepped.json()["version"] == 2
    stale = api_for(leader).patch(
        f"/api/tasks/{task.pk}/", {"title": "新标题", "version": 1}, format="json"
    )
    assert stale.status_code == 409


@pytest.mark.django_db
def test_a_page_edit_of_a_replaced_problem_shows_who_saved_it(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    taskforce_member: User,
    own_project: Project,
) -> None:
    colleague = make_user("taskforce", username="tf2", full_name="李同事")
    own_project.task_force.members.add(colleague)
    problem = ProblemFactory.create(project=own_project)
    url = f"/projects/{own_project.pk}/problem/{problem.pk}/edit/"
    form = client_for(taskforce_member).get(url).context["form"]
    stale = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    assert stale["version"] == 1
    assert client_for(colleague).post(url, {**stale, "amount": "300"}).status_code == 302
    refused = client_for(taskforce_member).post(url, {**stale, "description": "旧页面上的修改"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert html.count("这次保存未生效") == 1
    assert "该问题已被李同事于" in html
    problem.refresh_from_db()
    assert (problem.amount, problem.description) == (Decimal("300"), "资金缺口")
    own_project.refresh_from_db()
    assert own_project.funding_gap == Decimal("300")


EDITS = {"amount": {"amount": "900.00"}, "description": {"description": "新的描述"}}


def _race(client_for: Callable[[], APIClient], url: str) -> dict[str, int]:
    """Both edits sent at once on version 1; the answer each got."""
    barrier = threading.Barrier(len(EDITS))
    answers: dict[str, int] = {}

    def patch(name: str) -> None:
        try:
            barrier.wait()
            response = client_for().patch(url, {**EDITS[name], "version": 1}, format="json")
            answers[name] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(name,)) for name in EDITS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_patches_of_one_problem_never_lose_a_change(
    api_for: ApiFor, taskforce_member: User, own_project: Project
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row locks matter on PostgreSQL")
    for _ in range(5):
        problem = ProblemFactory.create(project=own_project, amount=Decimal("100"))
        answers = _race(lambda: api_for(taskforce_member), f"/api/problems/{problem.pk}/")
        assert sorted(answers.values()) == [200, 409]
        winner = next(name for name, code in answers.items() if code == 200)
        expected = {"amount": Decimal("100"), "description": "资金缺口"}
        expected[winner] = Decimal(EDITS["amount"]["amount"]) if winner == "amount" else "新的描述"
        problem.refresh_from_db()
        assert {"amount": problem.amount, "description": problem.description} == expected
        assert problem.version == 2
        own_project.refresh_from_db()
        assert own_project.funding_gap == sum(
            p.amount for p in Problem.objects.filter(project=own_project)
        )
