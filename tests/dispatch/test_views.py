"""Dispatch pages: meetings, the task list and its filters, task steps, 未按时填报, 督办 buttons."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baozhaofang.celery import app
from core.models import Notification, User
from core.roles import Role
from dispatch.models import DispatchMeeting, SupervisionTask
from projects.models import Project
from tests.conftest import SUITE_NOW
from tests.factories import (
    DepartmentFactory,
    DispatchMeetingFactory,
    PetitionFactory,
    ProblemFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
)

TODAY = SUITE_NOW.date()  # the suite's pinned day (tests/conftest.py)
PAST = TODAY - datetime.timedelta(days=5)
LATER = TODAY + datetime.timedelta(days=20)


def test_meeting_is_entered_and_shown_with_its_tasks(
    client_for: Callable[[User], Client], taskforce_member: User, leader: User
) -> None:
    project = ProjectFactory.create()
    client = client_for(taskforce_member)
    response = client.post(
        "/dispatch/meetings/new/",
        {
            "date": TODAY.isoformat(),
            "title": "第52次周调度会",
            "chair": leader.pk,
            "attendees": [leader.pk, taskforce_member.pk],
            "projects": [project.pk],
            "minutes": "研究欠薪问题。",
        },
    )
    meeting = DispatchMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dispatch/meetings/{meeting.pk}/"
    SupervisionTaskFactory.create(meeting=meeting, title="清偿农民工工资")

    page = client.get(f"/dispatch/meetings/{meeting.pk}/").content.decode()

    assert "研究欠薪问题。" in page
    assert project.name in page
    assert "清偿农民工工资" in page
    assert f"/dispatch/tasks/new/?meeting={meeting.pk}" in page
    assert "第52次周调度会" in client.get("/dispatch/meetings/").content.decode()


def test_department_staff_cannot_open_the_meeting_form(
    client_for: Callable[[User], Client], department_user: User
) -> None:
    client = client_for(department_user)
    assert client.get("/dispatch/meetings/new/").status_code == 403
    assert client.post("/dispatch/meetings/new/", {"title": "x"}).status_code == 403
    assert not DispatchMeeting.objects.exists()


def test_task_list_filters_and_red_overdue_rows(
    client_for: Callable[[User], Client], leader: User
) -> None:
    land = DepartmentFactory.create(name="县自然资源局")
    finance = DepartmentFactory.create(name="县财政局")
    tf = TaskForceFactory.create(name="城关镇专班")
    late = SupervisionTaskFactory.create(title="逾期事项", assignee_department=land, deadline=PAST)
    on_time = SupervisionTaskFactory.create(
        title="未到期事项",
        assignee_department=finance,
        deadline=LATER,
        project=ProjectFactory.create(task_force=tf),
    )
    client = client_for(leader)

    def titles(query: str) -> list[str]:
        return [t.title for t in client.get(f"/dispatch/tasks/?{query}").context["page"]]

    assert titles("overdue=1") == [late.title]
    assert titles(f"department={finance.pk}") == [on_time.title]
    assert titles(f"task_force={tf.pk}") == [on_time.title]
    assert titles("q=未到期") == [on_time.title]
    assert titles("department=abc&overdue=x") == [late.title, on_time.title]
    html = client.get("/dispatch/tasks/").content.decode()
    assert html.count('class="row-overdue"') == 3  # the task row and both count tables
    assert f"?department={land.pk}&amp;overdue=1" in html


def test_department_staff_see_and_update_only_their_tasks(
    client_for: Callable[[User], Client], department_user: User
) -> None:
    mine = SupervisionTaskFactory.create(assignee_department=department_user.department)
    other = SupervisionTaskFactory.create(
        assignee_department=DepartmentFactory.create(name="县财政局")
    )
    client = client_for(department_user)
    assert [t.pk for t in client.get("/dispatch/tasks/").context["page"]] == [mine.pk]
    assert client.get(f"/dispatch/tasks/{other.pk}/").status_code == 404
    assert (
        client.post(f"/dispatch/tasks/{other.pk}/progress/", {"progress-note": "x"}).status_code
        == 404
    )
    assert client.get(f"/dispatch/tasks/{mine.pk}/edit/").status_code == 403

    response = client.post(f"/dispatch/tasks/{mine.pk}/progress/", {"progress-note": "已办理"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.result) == ("in_progress", "已办理")
    page = client.get(f"/dispatch/tasks/{mine.pk}/").content.decode()
    assert "填报进展" in page  # the change history


def test_done_step_with_bad_input_answers_in_chinese_and_changes_nothing(
    client_for: Callable[[User], Client], leader: User
) -> None:
    task = SupervisionTaskFactory.create()
    future = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = client_for(leader).post(
        f"/dispatch/tasks/{task.pk}/complete/",
        {"complete-result": "完成", "complete-done_date": future},
    )
    assert response.status_code == 400
    assert "完成日期不能晚于今天。" in response.content.decode()
    task.refresh_from_db()
    assert task.status == SupervisionTask.Status.OPEN
    assert client_for(leader).post(f"/dispatch/tasks/{task.pk}/bogus/").status_code == 404


def test_task_raised_from_a_problem_row_is_prefilled_and_notifies(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    department_user: User,
    own_project: Project,
) -> None:
    department = department_user.department
    assert department is not None
    problem = ProblemFactory.create(
        project=own_project, responsible_department=department, deadline=LATER
    )
    client = client_for(taskforce_member)
    project_page = client.get(f"/projects/{problem.project_id}/?tab=problems").content.decode()
    assert f"/dispatch/tasks/new/?problem={problem.pk}" in project_page

    form = client.get(f"/dispatch/tasks/new/?problem={problem.pk}").context["form"]
    assert form.initial["assignee_department"] == department.pk
    assert "project" not in form.fields
    response = client.post(
        f"/dispatch/tasks/new/?problem={problem.pk}",
        {
            "title": "化解资金缺口",
            "assignee_department": department.pk,
            "deadline": LATER.isoformat(),
        },
    )

    task = SupervisionTask.objects.get()
    assert response["Location"] == f"/dispatch/tasks/{task.pk}/"
    assert (task.source, task.problem, task.project) == ("problem", problem, problem.project)
    assert Notification.objects.filter(recipient=department_user, kind="task").exists()


def test_task_form_without_assignee_or_with_bad_origin(
    client_for: Callable[[User], Client], leader: User
) -> None:
    client = client_for(leader)
    response = client.post("/dispatch/tasks/new/", {"title": "x", "deadline": LATER.isoformat()})
    assert response.status_code == 200
    assert "督办事项须指定责任部门或责任人。" in response.content.decode()
    assert client.get("/dispatch/tasks/new/?problem=abc").status_code == 404
    assert client.get("/dispatch/tasks/new/?meeting=999999").status_code == 404
    assert not SupervisionTask.objects.exists()


def test_buttons_for_raising_tasks_follow_permissions(
    client_for: Callable[[User], Client],
    petition_clerk: User,
    department_user: User,
) -> None:
    problem = ProblemFactory.create()
    petition = PetitionFactory.create(department=department_user.department)
    clerk = client_for(petition_clerk)
    dept = client_for(department_user)
    assert f"?petition={petition.pk}" in clerk.get(f"/petitions/{petition.pk}/").content.decode()
    assert f"?petition={petition.pk}" not in dept.get(f"/petitions/{petition.pk}/").content.decode()
    assert (
        f"?problem={problem.pk}"
        not in clerk.get(f"/projects/{problem.project_id}/").content.decode()
    )
    assert clerk.get(f"/dispatch/tasks/new/?problem={problem.pk}").status_code == 403
    assert clerk.get(f"/dispatch/tasks/new/?petition={petition.pk}").status_code == 200


@pytest.mark.parametrize(
    ("role", "status", "can_send"),
    [
        (Role.LEADER, 200, True),
        (Role.ADMIN, 200, True),
        (Role.TASKFORCE, 200, False),
        (Role.DEPARTMENT, 403, False),
        (Role.PETITION, 403, False),
    ],
)
def test_unreported_page_and_reminder_button_per_role(
    client_for: Callable[[User], Client],
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    role: str,
    status: int,
    can_send: bool,
) -> None:
    member = make_user(Role.TASKFORCE)
    tf = TaskForceFactory.create(name="青石镇专班", members=[member])
    stale = ProjectFactory.create(task_force=tf, last_report_date=TODAY - datetime.timedelta(12))
    ProjectFactory.create(task_force=tf, last_report_date=TODAY)
    client = client_for(make_user(role))

    response = client.get("/dispatch/unreported/")

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert stale.name in html
        assert "12" in html
        assert ("立即催报" in html) is can_send
        assert "/dispatch/unreported/" in client.get("/").content.decode()
        assert "/dispatch/unreported/" in client.get("/dispatch/").content.decode()
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # no worker in this test
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/dispatch/reminders/send/")
    assert sent.status_code == (302 if can_send else 403)
    assert Notification.objects.filter(recipient=member).exists() is can_send


def test_overview_shows_tasks_meetings_and_reports(
    client_for: Callable[[User], Client], leader: User
) -> None:
    SupervisionTaskFactory.create(title="逾期事项", deadline=PAST)
    DispatchMeetingFactory.create(title="第9次周调度会")
    html = client_for(leader).get("/dispatch/").content.decode()
    assert "逾期事项" in html
    assert "row-overdue" in html
    assert "第9次周调度会" in html
    assert "报告" in html


def test_task_list_queries_do_not_grow_with_the_rows(
    client_for: Callable[[User], Client], leader: User
) -> None:
    client = client_for(leader)
    SupervisionTaskFactory.create_batch(2, project=ProjectFactory.create(), deadline=PAST)
    with CaptureQueriesContext(connection) as few:
        client.get("/dispatch/tasks/")
    SupervisionTaskFactory.create_batch(20, project=ProjectFactory.create(), deadline=PAST)
    with CaptureQueriesContext(connection) as many:
        client.get("/dispatch/tasks/")
    assert len(many) == len(few)


def test_a_task_force_members_desk_shows_their_own_task_forces_tasks(
    client_for: Callable[[User], Client],
    taskforce_member: User,
    own_project: Project,
    other_project: Project,
) -> None:
    mine = SupervisionTaskFactory.create(project=own_project, title="本专班的督办事项")
    SupervisionTaskFactory.create(project=other_project, title="别的专班的督办事项")
    SupervisionTaskFactory.create(project=own_project, status="done")

    desk = client_for(taskforce_member).get("/").context["my_tasks"]

    assert list(desk) == [mine]


def test_a_departments_dispatch_page_promises_no_reports_it_cannot_open(
    client_for: Callable[[User], Client], department_user: User, leader: User
) -> None:
    client = client_for(department_user)
    html = client.get("/dispatch/").content.decode()
    assert "/dispatch/reports/" not in html
    assert "月通报" not in html
    assert client.get("/dispatch/reports/").status_code == 403
    assert "/dispatch/reports/" in client_for(leader).get("/dispatch/").content.decode()
