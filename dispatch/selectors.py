"""Reads of the work cycle: meetings, supervision tasks, reports."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import User
from core.roles import Role
from dispatch.models import AnnualTarget, DispatchMeeting, SupervisionTask
from dispatch.permissions import reads_all_meetings, sees_all_tasks
from projects.history import Change, HistoryEntry
from projects.models import Project, TaskForce
from projects.selectors import overdue_ledger_q


def task_list(*, actor: User) -> QuerySet[SupervisionTask]:
    qs = SupervisionTask.objects.select_related("project", "assignee_department", "assignee_user")
    if not sees_all_tasks(actor):  # department staff, or no reading role at all
        qs = qs.filter(
            Q(assignee_department_id=actor.department_id, assignee_department__isnull=False)
            | Q(assignee_user=actor)
        )
    return qs.order_by("deadline", "pk")


def project_tabs(project: Project, actor: User, today: datetime.date) -> dict[str, Any]:
    """The project page's 督办事项 tab: the tasks the reader may see, as in the task list."""
    return {
        "tasks": list(task_list(actor=actor).filter(project=project).order_by("status", "deadline"))
    }


def overdue_task_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    return ~Q(status=SupervisionTask.Status.DONE) & Q(deadline__lt=today)


def meeting_list(*, actor: User) -> QuerySet[DispatchMeeting]:
    """The meetings the actor may read (dispatch.permissions.reads_all_meetings)."""
    qs = DispatchMeeting.objects.select_related("chair").order_by("-date")
    if reads_all_meetings(actor):
        return qs
    party = Q(chair=actor) | Q(attendees=actor) | Q(tasks__assignee_user=actor)
    if actor.department_id is not None:
        party |= Q(tasks__assignee_department_id=actor.department_id)
    return qs.filter(pk__in=DispatchMeeting.objects.filter(party).values("pk"))


def _count_of(model: Any, link: str, extra: Q | None = None) -> Subquery:
    rows = model.objects.filter(**{link: OuterRef("pk")})
    if extra is not None:
        rows = rows.filter(extra)
    return Subquery(
        rows.order_by().values(link).annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def meeting_rows(*, actor: User) -> QuerySet[DispatchMeeting]:
    """The meeting list with its counts: one query, however many attendees and tasks."""
    through_attendees = DispatchMeeting.attendees.through
    through_projects = DispatchMeeting.projects.through
    return meeting_list(actor=actor).annotate(
        attendee_count=Coalesce(_count_of(through_attendees, "dispatchmeeting"), 0),
        project_count=Coalesce(_count_of(through_projects, "dispatchmeeting"), 0),
        task_count=Coalesce(_count_of(SupervisionTask, "meeting"), 0),
        open_task_count=Coalesce(_count_of(SupervisionTask, "meeting", open_tasks_q()), 0),
    )


def meeting_detail(*, actor: User, pk: int) -> DispatchMeeting:
    return meeting_list(actor=actor).prefetch_related("attendees", "projects").get(pk=pk)


def open_tasks_q() -> Q:
    return ~Q(status=SupervisionTask.Status.DONE)


def desk_tasks(*, actor: User) -> QuerySet[SupervisionTask]:
    """Open tasks for the 工作台. 专班 members may read every task, but their desk shows their
    own 专班's projects' and those given to or raised by them; others see their whole scope."""
    qs = task_list(actor=actor).filter(open_tasks_q())
    if actor.has_role(Role.TASKFORCE) and not actor.has_role(Role.ADMIN, Role.LEADER):
        qs = qs.filter(
            Q(project__task_force__members=actor) | Q(assignee_user=actor) | Q(created_by=actor)
        ).distinct()
    return qs


def due_within_q(today: datetime.date, days: int) -> Q:
    """Open tasks past their deadline or due within the next `days` days: what 催报 is about."""
    return open_tasks_q() & Q(deadline__lte=today + datetime.timedelta(days=days))


@dataclass
class TaskCount:
    """One row of the per-department or per-专班 table: links go to the filtered task list."""

    pk: int | None
    name: str
    open: int
    overdue: int


def _counts(qs: QuerySet[SupervisionTask], key: str, name: str, today: datetime.date) -> list[Any]:
    rows = (
        qs.filter(open_tasks_q())
        .values(key, name)
        .annotate(open=Count("pk"), overdue=Count("pk", filter=overdue_task_q(today)))
        .order_by("-overdue", "-open", name)
    )
    return [TaskCount(r[key], r[name] or "未指定", r["open"], r["overdue"]) for r in rows]


def task_counts_by_department(
    *, actor: User, today: datetime.date | None = None
) -> list[TaskCount]:
    """Open and overdue tasks per assigned department (tasks given to a person only: 未指定)."""
    today = today or timezone.localdate()
    return _counts(
        task_list(actor=actor), "assignee_department", "assignee_department__name", today
    )


def task_counts_by_task_force(
    *, actor: User, today: datetime.date | None = None
) -> list[TaskCount]:
    """Open and overdue tasks per 专班 of the task's project (tasks without a project: 未指定)."""
    today = today or timezone.localdate()
    return _counts(
        task_list(actor=actor), "project__task_force", "project__task_force__name", today
    )


def task_detail(*, actor: User, pk: int) -> SupervisionTask:
    """One task the actor may see; DoesNotExist otherwise."""
    return (
        task_list(actor=actor)
        .select_related("meeting", "problem", "petition", "project__task_force", "created_by")
        .get(pk=pk)
    )


_TASK_HISTORY_HIDDEN = {
    "id",
    "created_at",
    "created_by",
    "source",
    "meeting",
    "problem",
    "petition",
}


def task_history(task: SupervisionTask) -> list[HistoryEntry]:
    """Who changed what of a task and when, newest first, in the words of the task page."""
    records = list(
        task.history.select_related(
            "history_user", "project", "assignee_department", "assignee_user"
        ).order_by("history_date", "history_id")
    )
    fields = [
        f for f in SupervisionTask._meta.concrete_fields if f.name not in _TASK_HISTORY_HIDDEN
    ]
    entries = []
    previous = None
    for record in records:
        changes = []
        for f in fields:
            new = _shown(record, f)
            old = _shown(previous, f) if previous is not None else ""
            created = record.history_type == "+"
            if (created and new != "—") or (previous is not None and old != new):
                changes.append(Change(str(f.verbose_name), old, new))
        previous = record
        entries.append(
            HistoryEntry(
                at=timezone.localtime(record.history_date),
                user=str(record.history_user) if record.history_user else "系统",
                subject="督办事项",
                action="交办" if record.history_type == "+" else "修改",
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.reverse()
    return entries


def _shown(record: Any, f: Any) -> str:
    value = getattr(record, f.name)
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@dataclass
class UnreportedProject:
    project: Project
    days_since: int | None


def unreported_by_task_force(
    *, today: datetime.date | None = None
) -> list[tuple[TaskForce, list[UnreportedProject]]]:
    """未按时填报: each 专班 with the projects whose ledger is overdue (台账未更新), the longest
    silent first."""
    today = today or timezone.localdate()
    projects = (
        Project.objects.filter(overdue_ledger_q(today))
        .select_related("task_force", "task_force__leader")
        .only(
            "id",
            "code",
            "name",
            "last_report_date",
            "construction_status",
            "task_force__name",
            "task_force__leader",
        )
        .order_by("task_force__name", F("last_report_date").asc(nulls_first=True), "code")
    )
    grouped: dict[int, tuple[TaskForce, list[UnreportedProject]]] = {}
    for p in projects:
        days = (today - p.last_report_date).days if p.last_report_date else None
        grouped.setdefault(p.task_force_id, (p.task_force, []))[1].append(
            UnreportedProject(p, days)
        )
    return list(grouped.values())


def annual_target(*, year: int, task_force_id: int | None = None) -> int | None:
    """年度交房任务 (units): the county's, or one 专班's; None where none was set."""
    target = AnnualTarget.objects.filter(year=year, task_force_id=task_force_id).first()
    return target.units if target is not None else None
