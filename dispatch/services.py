"""Writes of the work cycle: dispatch meetings, supervision tasks (督办事项) and 催报 reminders.

Pages, the API and the Friday job call these, so who may do what, the task's states and the
notifications are the same whichever way a change comes in. Every write leaves a history row
with who, when and why.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.dates import monday_of, report_due_day, report_due_weekday_label
from core.models import Department, Notification, User
from core.services import notifications_send
from core.versioning import claim_version
from dispatch import permissions
from dispatch.models import DispatchMeeting, SupervisionTask
from dispatch.selectors import due_within_q, overdue_task_q
from projects.models import Project, TaskForce
from projects.selectors import week_missing_q
from projects.services import save_with_history

S = SupervisionTask.Status
Source = SupervisionTask.Source

MEETING_FIELDS = ["date", "title", "chair", "minutes"]
MEETING_RELATIONS = ["attendees", "projects"]
TASK_FIELDS = [
    "project",
    "title",
    "description",
    "assignee_department",
    "assignee_user",
    "deadline",
]
REMINDER_DAYS = 7  # tasks due within this many days (or overdue) are reminded


def _apply(instance: Any, data: dict[str, Any], allowed: list[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)


def _check_meeting_date(day: datetime.date | None) -> None:
    if day is not None and day > timezone.localdate() + datetime.timedelta(days=30):
        raise ValidationError({"date": "会议日期不能晚于今天30天以上，请核对。"})


def _save_meeting(
    *, actor: User, meeting: DispatchMeeting, data: dict[str, Any], reason: str
) -> DispatchMeeting:
    related = {name: data.pop(name) for name in MEETING_RELATIONS if name in data}
    _apply(meeting, data, MEETING_FIELDS)
    _check_meeting_date(meeting.date)
    save_with_history(meeting, actor=actor, reason=reason)
    for name, values in related.items():
        getattr(meeting, name).set(values)
    return meeting


@transaction.atomic
def meeting_create(*, actor: User, data: dict[str, Any]) -> DispatchMeeting:
    """录入周调度会: date, chair, attendees, minutes and the projects reviewed."""
    if not permissions.can_manage_meetings(actor):
        raise PermissionDenied(permissions.REFUSED_MEETING)
    return _save_meeting(actor=actor, meeting=DispatchMeeting(), data=dict(data), reason="录入")


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: DispatchMeeting,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> DispatchMeeting:
    if not permissions.can_manage_meetings(actor):
        raise PermissionDenied(permissions.REFUSED_MEETING)
    locked = DispatchMeeting.objects.select_for_update().get(pk=meeting.pk)
    claim_version(locked, expected_version)
    return _save_meeting(actor=actor, meeting=locked, data=dict(data), reason=reason or "修改")


def _recipients(task: SupervisionTask) -> list[User]:
    """The assignee user, or every active user of the assigned department."""
    users: list[User] = []
    if task.assignee_user is not None and task.assignee_user.is_active:
        users.append(task.assignee_user)
    if task.assignee_department_id is not None:
        users.extend(User.objects.filter(department_id=task.assignee_department_id, is_active=True))
    return users


def _notify_assigned(task: SupervisionTask, *, actor: User) -> None:
    recipients = [u for u in _recipients(task) if u.pk != actor.pk]
    where = f"（{task.project.name}）" if task.project is not None else ""
    notifications_send(
        recipients=recipients,
        kind=Notification.Kind.TASK,
        title=f"新督办事项：{task.title}",
        body=f"{actor}交办{where}，完成时限{_day(task.deadline)}。",
        url=reverse("dispatch:task_detail", args=[task.pk]),
        key=f"task:{task.pk}:{task.assignee_department_id}:{task.assignee_user_id}",
    )


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_deadline(deadline: datetime.date | None, *, today: datetime.date) -> None:
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": "完成时限不能早于今天。"})


def _origin(source: str, origin: dict[str, Any]) -> dict[str, Any]:
    """The meeting, problem or petition the task comes from; the source says which is needed."""
    needed = {
        Source.MEETING: ("meeting", "请选择交办该事项的调度会。"),
        Source.PROBLEM: ("problem", "请选择该事项针对的台账问题。"),
        Source.PETITION: ("petition", "请选择该事项针对的信访件。"),
    }
    if source not in Source.values:
        raise ValidationError({"source": "请选择督办事项的来源。"})
    unknown = set(origin) - {"meeting", "problem", "petition"}
    if unknown:
        raise ValueError(f"unknown task origins: {sorted(unknown)}")
    links = {name: obj for name, obj in origin.items() if obj is not None}
    if source == Source.OTHER:
        if links:
            raise ValidationError({"source": "来源为“其他”的督办事项不能关联会议、问题或信访件。"})
        return {}
    name, message = needed[Source(source)]
    if links.get(name) is None or set(links) != {name}:
        raise ValidationError({"source": message})
    return {name: links[name]}


@transaction.atomic
def task_create(
    *,
    actor: User,
    source: str,
    data: dict[str, Any],
    meeting: DispatchMeeting | None = None,
    problem: Any = None,
    petition: Any = None,
) -> SupervisionTask:
    """交办督办事项; a task from a problem or a petition belongs to that item's project."""
    if not permissions.can_raise_task_from(actor, source):
        raise PermissionDenied(permissions.REFUSED_RAISE)
    links = _origin(source, {"meeting": meeting, "problem": problem, "petition": petition})
    task = SupervisionTask(source=source, created_by=actor, status=S.OPEN, **links)
    _apply(task, data, TASK_FIELDS)
    inferred = problem or petition
    if inferred is not None and inferred.project_id is not None:
        task.project_id = inferred.project_id
    if not permissions.can_raise_task(actor, source, task.project):
        raise PermissionDenied(permissions.REFUSED_RAISE_PROJECT)
    _check_deadline(task.deadline, today=timezone.localdate())
    save_with_history(task, actor=actor, reason="交办")
    _notify_assigned(task, actor=actor)
    return task


def _locked(task: SupervisionTask) -> SupervisionTask:
    return (
        SupervisionTask.objects.select_for_update(of=("self",))
        .select_related("project", "assignee_user")
        .get(pk=task.pk)
    )


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: SupervisionTask,
    data: dict[str, Any],
    expected_version: int,
    reason: str = "",
) -> SupervisionTask:
    """Change what is asked, of whom and by when; a new assignee is told as on creation."""
    t = _locked(task)
    if not permissions.can_edit_task(actor, t):
        raise PermissionDenied(permissions.REFUSED_EDIT)
    claim_version(t, expected_version)
    if t.status == S.DONE:
        raise ValidationError("该督办事项已完成，如需修改请先重新打开。", code="done")
    if (t.problem_id or t.petition_id) and "project" in data:
        data = {k: v for k, v in data.items() if k != "project"}  # follows its problem/petition
    before = (t.assignee_department_id, t.assignee_user_id)
    old_deadline = t.deadline
    _apply(t, data, TASK_FIELDS)
    if t.deadline != old_deadline:
        if not permissions.can_move_deadline(actor, t):
            raise PermissionDenied(permissions.REFUSED_DEADLINE)
        _check_deadline(t.deadline, today=timezone.localdate())
    save_with_history(t, actor=actor, reason=reason or "修改")
    if (t.assignee_department_id, t.assignee_user_id) != before:
        _notify_assigned(t, actor=actor)
    return t


def _check_day(day: datetime.date, *, task: SupervisionTask, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({"done_date": f"{what}不能晚于今天。"})
    created = timezone.localdate(task.created_at)
    if day < created:
        raise ValidationError({"done_date": f"{what}不能早于交办日期（{created:%Y-%m-%d}）。"})


@transaction.atomic
def task_report_progress(*, actor: User, task: SupervisionTask, note: str) -> SupervisionTask:
    """填报办理情况: an open task becomes 办理中; the note is kept and its changes logged."""
    t = _locked(task)
    if not permissions.can_report_progress(actor, t):
        raise PermissionDenied(permissions.REFUSED_PROGRESS)
    if t.status == S.DONE:
        raise ValidationError("该督办事项已完成，不能再填报进展。", code="done")
    if not note.strip():
        raise ValidationError({"note": "请填写办理情况。"})
    t.status = S.IN_PROGRESS
    t.result = note.strip()
    save_with_history(t, actor=actor, reason="填报进展")
    return t


@transaction.atomic
def task_complete(
    *,
    actor: User,
    task: SupervisionTask,
    result: str,
    done_date: datetime.date | None = None,
    reason: str = "",
) -> SupervisionTask:
    """办结: the result, recorded at the server's time. A done date before today is a 补录: only
    a supervisor the task does not measure enters one, with a reason, and 按期完成 still counts
    the day it was recorded (SupervisionTask.counted_done_date)."""
    t = _locked(task)
    if not permissions.can_report_progress(actor, t):
        raise PermissionDenied(permissions.REFUSED_PROGRESS)
    if t.status == S.DONE:
        raise ValidationError("该督办事项已经完成。", code="done")
    if not result.strip():
        raise ValidationError({"result": "请填写办理结果。"})
    today = timezone.localdate()
    day = done_date or today
    _check_day(day, task=t, what="完成日期")
    backdated = day < today
    if backdated and not permissions.can_backdate(actor, t):
        raise PermissionDenied(permissions.REFUSED_BACKDATE)
    if backdated and not reason.strip():
        raise ValidationError({"reason": "完成日期早于今天（补录），请说明理由。"})
    t.status = S.DONE
    t.result = result.strip()
    t.done_date = day
    t.done_recorded_at = timezone.now()
    t.backdate_reason = reason.strip() if backdated else ""
    note = f"补录办结（完成日期{day:%Y-%m-%d}）：{t.backdate_reason}" if backdated else "办结"
    save_with_history(t, actor=actor, reason=note)
    return t


@transaction.atomic
def task_reopen(*, actor: User, task: SupervisionTask, reason: str) -> SupervisionTask:
    """重新打开 a task whose result was not accepted; it is 办理中 again with its old deadline."""
    t = _locked(task)
    if not permissions.can_reopen_task(actor, t):
        raise PermissionDenied(permissions.REFUSED_EDIT)
    if t.status != S.DONE:
        raise ValidationError("只有已完成的督办事项可以重新打开。", code="not_done")
    if not reason.strip():
        raise ValidationError({"reason": "请填写重新打开的理由。"})
    t.status = S.IN_PROGRESS
    t.done_date = t.done_recorded_at = None
    t.backdate_reason = ""
    save_with_history(t, actor=actor, reason=f"重新打开：{reason.strip()}")
    return t


def _task_forces_missing(week: datetime.date) -> list[tuple[TaskForce, int]]:
    """专班 with projects still to report on the week, and how many."""
    counts = dict(
        Project.objects.filter(week_missing_q(week))
        .values_list("task_force")
        .annotate(n=Count("pk"))
        .values_list("task_force", "n")
    )
    task_forces = TaskForce.objects.filter(pk__in=counts).select_related("leader")
    return [(tf, counts[tf.pk]) for tf in task_forces.prefetch_related("members")]


def _active(users: Iterable[User | None]) -> list[User]:
    return [u for u in users if u is not None and u.is_active]


def reminders_send(*, today: datetime.date) -> int:
    """催报: tell each 专班 whose report of the current week is not yet in for every project,
    and each assignee with tasks due; once a week.

    The week (its Monday) is part of each notification's key, so running again in the same week
    (a retried job, a leader pressing 立即催报 after the Friday run) tells nobody twice.
    """
    week = monday_of(today)
    sent = 0
    week_url = reverse("projects:week")
    due_day = report_due_day(week)
    due = f"{due_day.month}月{due_day.day}日（{report_due_weekday_label()}）"
    for tf, count in _task_forces_missing(week):
        sent += notifications_send(
            recipients=_active([*tf.members.all(), tf.leader]),
            kind=Notification.Kind.REMINDER,
            title=f"催报：{tf.name}有{count}个项目本周进度尚未填报",
            body=f"本周进度须于{due}前填报，请尽快完成，更新项目台账。",
            url=f"{week_url}?task_force={tf.pk}&week={week:%Y-%m-%d}",
            key=f"remind:ledger:{tf.pk}:{week:%Y-%m-%d}",
        )
    sent += _remind_tasks(today=today, week=week)
    return sent


def _remind_tasks(*, today: datetime.date, week: datetime.date) -> int:
    due = SupervisionTask.objects.filter(due_within_q(today, REMINDER_DAYS))
    overdue = Count("pk", filter=overdue_task_q(today))
    list_url = reverse("dispatch:task_list")
    sent = 0
    by_department = (
        due.filter(assignee_department__isnull=False)
        .values_list("assignee_department")
        .annotate(n=Count("pk"), late=overdue)
        .values_list("assignee_department", "n", "late")
    )
    departments = {d.pk: d for d in Department.objects.filter(pk__in=[r[0] for r in by_department])}
    for department_id, count, late in by_department:
        users = User.objects.filter(department_id=department_id, is_active=True)
        sent += notifications_send(
            recipients=users,
            kind=Notification.Kind.REMINDER,
            title=f"督办提醒：{departments[department_id]}有{count}项督办事项即将到期或已逾期",
            body=_due_body(count, late),
            url=f"{list_url}?department={department_id}",
            key=f"remind:tasks:dept:{department_id}:{week:%Y-%m-%d}",
        )
    # Tasks given to a person and no department: that person is the one to remind.
    by_user = (
        due.filter(assignee_department__isnull=True, assignee_user__is_active=True)
        .values_list("assignee_user")
        .annotate(n=Count("pk"), late=overdue)
        .values_list("assignee_user", "n", "late")
    )
    people = User.objects.in_bulk([r[0] for r in by_user])
    for user_id, count, late in by_user:
        sent += notifications_send(
            recipients=[people[user_id]],
            kind=Notification.Kind.REMINDER,
            title=f"督办提醒：您有{count}项督办事项即将到期或已逾期",
            body=_due_body(count, late),
            url=f"{list_url}?mine=1",
            key=f"remind:tasks:user:{user_id}:{week:%Y-%m-%d}",
        )
    return sent


def _due_body(count: int, late: int) -> str:
    soon = count - late
    parts = [f"已逾期{late}项"] if late else []
    if soon:
        parts.append(f"{REMINDER_DAYS}日内到期{soon}项")
    return "，".join(parts) + "。请抓紧办理并及时填报办理情况。"
