"""Dispatch services: who may do what, the task's states, notifications, overdue counts."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from core.models import Notification, User
from core.roles import Role
from dispatch import permissions, services
from dispatch.models import SupervisionTask
from dispatch.reports import quarterly
from dispatch.reports.common import overdue_tasks_as_of
from dispatch.selectors import task_counts_by_department, task_counts_by_task_force
from projects.models import Project
from tests.conftest import SHANGHAI, SUITE_NOW
from tests.factories import (
    DepartmentFactory,
    DispatchMeetingFactory,
    PetitionFactory,
    ProblemFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    UserFactory,
)

TODAY = SUITE_NOW.date()  # the suite's pinned day (tests/conftest.py)
NEXT_WEEK = TODAY + datetime.timedelta(days=7)
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _raise(actor: User, **kwargs: object) -> SupervisionTask:
    data = {"title": "督促复工", "deadline": NEXT_WEEK, **kwargs.pop("data", {})}  # type: ignore[dict-item]
    return services.task_create(
        actor=actor,
        source=str(kwargs.pop("source", SupervisionTask.Source.OTHER)),
        data=data,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("role", "meetings", "raise_any", "raise_from_petition", "send_reminders"),
    [
        (Role.ADMIN, True, True, True, True),
        (Role.LEADER, True, True, True, True),
        (Role.TASKFORCE, True, True, True, False),
        (Role.PETITION, False, False, True, False),
        (Role.DEPARTMENT, False, False, False, False),
    ],
)
def test_who_may_run_the_cycle(
    make_user: Callable[..., User],
    role: str,
    meetings: bool,
    raise_any: bool,
    raise_from_petition: bool,
    send_reminders: bool,
) -> None:
    user = make_user(role)
    assert permissions.can_manage_meetings(user) is meetings
    assert permissions.can_raise_task_from(user, SupervisionTask.Source.MEETING) is raise_any
    assert permissions.can_raise_task_from(user, SupervisionTask.Source.PROBLEM) is raise_any
    assert (
        permissions.can_raise_task_from(user, SupervisionTask.Source.PETITION)
        is raise_from_petition
    )
    assert permissions.can_send_reminders(user) is send_reminders


def test_meeting_records_attendees_projects_and_who_entered_it(
    taskforce_member: User, leader: User
) -> None:
    projects = ProjectFactory.create_batch(2)
    meeting = services.meeting_create(
        actor=taskforce_member,
        data={
            "date": TODAY,
            "title": "第1次周调度会",
            "chair": leader,
            "minutes": "研究资金缺口问题。",
            "attendees": [leader, taskforce_member],
            "projects": projects,
        },
    )
    assert set(meeting.attendees.all()) == {leader, taskforce_member}
    assert set(meeting.projects.all()) == set(projects)
    assert meeting.history.get().history_user == taskforce_member

    services.meeting_update(
        actor=leader,
        meeting=meeting,
        data={"minutes": "改", "projects": []},
        expected_version=1,
        reason="补充",
    )
    meeting.refresh_from_db()
    assert meeting.minutes == "改"
    assert not meeting.projects.exists()
    assert meeting.history.first().history_change_reason == "补充"


def test_department_staff_cannot_enter_meetings(department_user: User) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=department_user, data={"date": TODAY, "title": "会"})


def test_task_from_a_problem_belongs_to_its_project_and_tells_the_department(
    taskforce_member: User, department_user: User, own_project: Project
) -> None:
    colleague = UserFactory.create(department=department_user.department)
    outsider = UserFactory.create(department=DepartmentFactory.create(name="县财政局"))
    problem = ProblemFactory.create(project=own_project)
    task = _raise(
        taskforce_member,
        source=SupervisionTask.Source.PROBLEM,
        problem=problem,
        data={
            "project": ProjectFactory.create(),
            "assignee_department": department_user.department,
        },
    )
    assert task.project == problem.project
    assert task.created_by == taskforce_member
    told = Notification.objects.filter(kind=Notification.Kind.TASK)
    assert set(told.values_list("recipient", flat=True)) == {department_user.pk, colleague.pk}
    assert not told.filter(recipient=outsider).exists()
    assert {n.url for n in told} == {f"/dispatch/tasks/{task.pk}/"}


def test_petition_office_raises_from_a_petition_but_not_from_a_meeting(
    petition_clerk: User, department_user: User
) -> None:
    petition = PetitionFactory.create(project=ProjectFactory.create())
    task = _raise(
        petition_clerk,
        source=SupervisionTask.Source.PETITION,
        petition=petition,
        data={"assignee_department": department_user.department},
    )
    assert task.project == petition.project
    with pytest.raises(PermissionDenied):
        _raise(
            petition_clerk,
            source=SupervisionTask.Source.MEETING,
            meeting=DispatchMeetingFactory.create(),
            data={"assignee_department": department_user.department},
        )


@pytest.mark.parametrize(
    ("source", "changes", "field", "message"),
    [
        ("meeting", {}, "source", "请选择交办该事项的调度会。"),
        ("bogus", {}, "source", "请选择督办事项的来源。"),
        ("other", {"assignee_department": None}, "__all__", "督办事项须指定责任部门或责任人。"),
        (
            "other",
            {"deadline": YESTERDAY},
            "deadline",
            "完成时限不能早于今天。",
        ),
    ],
)
def test_bad_tasks_are_refused_in_chinese_and_nothing_is_saved(
    leader: User,
    department_user: User,
    source: str,
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    data = {"assignee_department": department_user.department, **changes}
    with pytest.raises(ValidationError) as exc:
        _raise(leader, source=source, data=data)
    assert message in exc.value.message_dict[field]
    assert not SupervisionTask.objects.exists()
    assert not Notification.objects.exists()


def test_task_goes_open_in_progress_done_and_back_with_who_and_when(
    leader: User, department_user: User
) -> None:
    task = _raise(leader, data={"assignee_department": department_user.department})

    task = services.task_report_progress(actor=department_user, task=task, note="已约谈企业")
    assert (task.status, task.result) == (SupervisionTask.Status.IN_PROGRESS, "已约谈企业")

    task = services.task_complete(
        actor=department_user, task=task, result="已复工", done_date=TODAY
    )
    assert (task.status, task.done_date) == (SupervisionTask.Status.DONE, TODAY)
    with pytest.raises(ValidationError):
        services.task_complete(actor=department_user, task=task, result="again")
    with pytest.raises(ValidationError):
        services.task_report_progress(actor=department_user, task=task, note="x")
    with pytest.raises(PermissionDenied):
        services.task_reopen(actor=department_user, task=task, reason="未复工")

    task = services.task_reopen(actor=leader, task=task, reason="现场核查未复工")
    assert (task.status, task.done_date) == (SupervisionTask.Status.IN_PROGRESS, None)
    history = list(task.history.order_by("history_date", "history_id"))
    assert [h.history_user for h in history] == [leader, department_user, department_user, leader]
    assert history[-1].history_change_reason == "重新打开：现场核查未复工"


def test_done_date_cannot_be_in_the_future_or_before_the_task(
    leader: User, department_user: User
) -> None:
    task = _raise(leader, data={"assignee_department": department_user.department})
    for day in (TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            services.task_complete(actor=leader, task=task, result="完成", done_date=day)
        assert "done_date" in exc.value.message_dict
    task.refresh_from_db()
    assert task.status == SupervisionTask.Status.OPEN


def test_another_department_cannot_report_progress(
    leader: User, department_user: User, make_user: Callable[..., User]
) -> None:
    task = _raise(leader, data={"assignee_department": DepartmentFactory.create(name="县财政局")})
    assert not permissions.can_report_progress(department_user, task)
    with pytest.raises(PermissionDenied):
        services.task_report_progress(actor=department_user, task=task, note="x")
    person = make_user(Role.DEPARTMENT, department=DepartmentFactory.create(name="县人社局"))
    mine = _raise(leader, data={"assignee_user": person})
    assert permissions.can_report_progress(person, mine)


def test_reassigning_a_task_tells_the_new_department(leader: User, department_user: User) -> None:
    finance = DepartmentFactory.create(name="县财政局")
    finance_user = UserFactory.create(department=finance)
    task = _raise(leader, data={"assignee_department": department_user.department})
    services.task_update(actor=leader, task=task, data={"title": "新标题"}, expected_version=1)
    assert Notification.objects.count() == 1
    services.task_update(
        actor=leader, task=task, data={"assignee_department": finance}, expected_version=2
    )
    assert Notification.objects.filter(recipient=finance_user).count() == 1


def test_overdue_counts_per_department_and_task_force(leader: User) -> None:
    land, finance = (
        DepartmentFactory.create(name="县自然资源局"),
        DepartmentFactory.create(name="县财政局"),
    )
    project: Project = ProjectFactory.create()
    past = TODAY - datetime.timedelta(days=3)
    SupervisionTaskFactory.create(assignee_department=land, deadline=past, project=project)
    SupervisionTaskFactory.create(assignee_department=land, deadline=NEXT_WEEK, project=project)
    SupervisionTaskFactory.create(assignee_department=finance, deadline=past)
    SupervisionTaskFactory.create(
        assignee_department=finance, deadline=past, status="done", done_date=past
    )

    by_department = {
        r.name: (r.open, r.overdue) for r in task_counts_by_department(actor=leader, today=TODAY)
    }
    by_task_force = {
        r.name: (r.open, r.overdue) for r in task_counts_by_task_force(actor=leader, today=TODAY)
    }

    assert by_department == {"县自然资源局": (2, 1), "县财政局": (1, 1)}
    assert by_task_force == {project.task_force.name: (2, 1), "未指定": (1, 1)}


def test_a_back_dated_completion_is_kept_shown_and_counted_on_the_day_it_was_recorded(
    leader: User,
    own_project: Project,
    client_for: Callable[[User], Client],
    time_machine: Any,
) -> None:
    """Issue 15: a done date before the event needs a reason and is 补录; 督办按期完成率 and the
    overdue list of a past day go by the later of the stated and the recorded day."""
    deadline = datetime.date(2026, 11, 20)
    on_time, late = (
        SupervisionTaskFactory.create(project=own_project, deadline=deadline, title=title)
        for title in ("按时办结", "事后补录")
    )
    SupervisionTask.objects.update(created_at=SUITE_NOW - datetime.timedelta(days=30))
    time_machine.move_to(datetime.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI), tick=False)
    services.task_complete(actor=leader, task=on_time, result="已复工")
    time_machine.move_to(SUITE_NOW, tick=False)

    with pytest.raises(ValidationError) as no_reason:
        services.task_complete(
            actor=leader, task=late, result="已复工", done_date=datetime.date(2026, 11, 18)
        )
    assert "reason" in no_reason.value.message_dict
    services.task_complete(
        actor=leader,
        task=late,
        result="已复工",
        done_date=datetime.date(2026, 11, 18),
        reason="纸质台账补录",
    )
    late.refresh_from_db()
    assert (late.done_date, late.counted_done_date) == (datetime.date(2026, 11, 18), TODAY)
    assert (late.is_backdated, late.backdate_reason) == (True, "纸质台账补录")

    data = quarterly.build(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    row = next(r for r in data["rows"] if r["task_force_id"] == own_project.task_force_id)
    codes = [i["code"] for i in data["indicators"]]
    assert row["items"][codes.index("tasks_on_time")]["raw"] == 0.5
    assert [t["title"] for t in overdue_tasks_as_of(datetime.date(2026, 11, 25))] == ["事后补录"]

    page = client_for(leader).get(f"/dispatch/tasks/{late.pk}/").content.decode()
    assert "补录" in page
    assert "纸质台账补录" in page
    assert "超期完成" in page
