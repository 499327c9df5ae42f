"""催报: who is told on Friday, with what link, and never twice in one week."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_celery_beat.models import PeriodicTask
from time_machine import TimeMachineFixture

from baozhaofang.celery import app
from core.models import Notification, User
from core.roles import Role
from dispatch import services, tasks
from projects.models import Project
from tests.conftest import SHANGHAI
from tests.factories import (
    DepartmentFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
    UserFactory,
)

FRIDAY = datetime.date(2026, 11, 20)
THIS_WEEK = datetime.date(2026, 11, 16)
DAY = datetime.timedelta(days=1)


def _report(project: Project, week: datetime.date) -> None:
    ProgressReportFactory.create(project=project, period_start=week, report_date=week + 2 * DAY)


def _stale_task_force(make_user: Callable[..., User]) -> tuple[object, User, User]:
    """南湖镇专班 on FRIDAY: two projects reported last week but not yet this week, one this
    week, one 已全部交付 (exempt)."""
    member = make_user(Role.TASKFORCE)
    chief = make_user(Role.TASKFORCE)
    tf = TaskForceFactory.create(name="南湖镇专班", members=[member], leader=chief)
    for project in ProjectFactory.create_batch(2, task_force=tf):
        _report(project, THIS_WEEK - 7 * DAY)
    _report(ProjectFactory.create(task_force=tf), THIS_WEEK)
    ProjectFactory.create(task_force=tf, construction_status=Project.Status.DELIVERED)
    return tf, member, chief


def test_task_force_missing_this_weeks_reports_is_told_with_a_link_to_the_week(
    make_user: Callable[..., User],
) -> None:
    tf, member, chief = _stale_task_force(make_user)
    fresh = TaskForceFactory.create(members=[make_user(Role.TASKFORCE)])
    _report(ProjectFactory.create(task_force=fresh), THIS_WEEK)

    services.reminders_send(today=FRIDAY)

    told = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    assert set(told.values_list("recipient", flat=True)) == {member.pk, chief.pk}
    note = told.get(recipient=member)
    assert "2个项目本周进度尚未填报" in note.title
    assert "11月20日（周五）前" in note.body
    assert note.url == f"/projects/week/?task_force={tf.pk}&week=2026-11-16"  # type: ignore[attr-defined]


def test_the_reminder_names_the_due_day_of_the_setting(
    make_user: Callable[..., User], settings: Any
) -> None:
    settings.LEDGER_REPORT_DUE_WEEKDAY = 4
    _stale_task_force(make_user)

    services.reminders_send(today=FRIDAY - DAY)

    assert "11月19日（周四）前" in Notification.objects.filter(kind="reminder").first().body  # type: ignore[union-attr]


def test_department_with_tasks_due_or_overdue_is_told(make_user: Callable[..., User]) -> None:
    land = DepartmentFactory.create(name="县自然资源局")
    quiet = DepartmentFactory.create(name="县财政局")
    land_user = make_user(Role.DEPARTMENT, department=land)
    quiet_user = make_user(Role.DEPARTMENT, department=quiet)
    person = UserFactory.create()
    SupervisionTaskFactory.create(assignee_department=land, deadline=FRIDAY - 3 * DAY)
    SupervisionTaskFactory.create(assignee_department=land, deadline=FRIDAY + 5 * DAY)
    SupervisionTaskFactory.create(assignee_department=quiet, deadline=FRIDAY + 9 * DAY)
    SupervisionTaskFactory.create(
        assignee_department=quiet,
        deadline=FRIDAY - 3 * DAY,
        status="done",
        done_date=FRIDAY,
    )
    SupervisionTaskFactory.create(assignee_department=None, assignee_user=person, deadline=FRIDAY)

    services.reminders_send(today=FRIDAY)

    note = Notification.objects.get(recipient=land_user)
    assert "2项" in note.title
    assert "已逾期1项" in note.body
    assert note.url == f"/dispatch/tasks/?department={land.pk}"
    assert not Notification.objects.filter(recipient=quiet_user).exists()
    assert Notification.objects.filter(recipient=person).count() == 1


def test_running_twice_in_a_week_tells_each_recipient_once(
    make_user: Callable[..., User],
) -> None:
    _tf, member, _chief = _stale_task_force(make_user)
    land = DepartmentFactory.create(name="县自然资源局")
    land_user = make_user(Role.DEPARTMENT, department=land)
    SupervisionTaskFactory.create(assignee_department=land, deadline=FRIDAY)

    first = services.reminders_send(today=FRIDAY)
    again = services.reminders_send(today=FRIDAY + DAY)

    assert (first, again) == (3, 0)
    assert Notification.objects.filter(recipient=member).count() == 1
    assert Notification.objects.filter(recipient=land_user).count() == 1
    next_week = services.reminders_send(today=FRIDAY + 7 * DAY)
    assert next_week == 3


def test_the_scheduled_task_is_registered_under_the_name_beat_calls(
    make_user: Callable[..., User],
) -> None:
    _stale_task_force(make_user)
    scheduled = PeriodicTask.objects.get(name__startswith="催报提醒")
    assert scheduled.task == "dispatch.tasks.reminders_send"
    assert tasks.reminders_send.name == scheduled.task
    assert scheduled.task in app.tasks

    sent = app.tasks[scheduled.task].apply().get()

    assert sent == Notification.objects.count() > 0
    assert app.tasks[scheduled.task].apply().get() == 0


def test_reminders_pressed_on_sunday_night_are_for_that_week_when_a_worker_runs_on_monday(
    make_user: Callable[..., User],
    client_for: Callable[[User], Client],
    django_capture_on_commit_callbacks: Callable[..., Any],
    time_machine: TimeMachineFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _tf, member, _chief = _stale_task_force(make_user)
    leader = make_user(Role.LEADER)
    time_machine.move_to(datetime.datetime(2026, 11, 22, 23, 59, 50, tzinfo=SHANGHAI), tick=False)
    with django_capture_on_commit_callbacks() as queued:
        client_for(leader).post("/dispatch/reminders/send/")

    time_machine.move_to(datetime.datetime(2026, 11, 23, 0, 0, 10, tzinfo=SHANGHAI), tick=False)
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the worker, after midnight
    for run in queued:
        run()

    told = Notification.objects.get(recipient=member)
    assert told.key.endswith(":2026-11-16")
