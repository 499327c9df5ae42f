"""Pages of the work cycle: thin — parse, call a selector or service, render."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.errors import add_service_errors, conflict_notice
from core.models import User
from core.versioning import EditConflict
from dispatch import permissions, services, tasks
from dispatch.filters import TaskFilter
from dispatch.forms import TASK_STEP_FORMS, CompleteForm, TaskForm
from dispatch.models import DispatchMeeting, SupervisionTask
from dispatch.reports.selectors import report_list_for
from dispatch.selectors import (
    meeting_list,
    open_tasks_q,
    overdue_task_q,
    task_counts_by_department,
    task_counts_by_task_force,
    task_detail,
    task_history,
    task_list,
    unreported_by_task_force,
)
from ledgers.models import Problem
from petitions.models import Petition
from petitions.selectors import petition_list

PAGE_SIZE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    tasks_qs = task_list(actor=actor)
    return render(
        request,
        "dispatch/index.html",
        {
            "today": today,
            "meetings": meeting_list(actor=actor)[:5],
            "tasks": tasks_qs.filter(open_tasks_q())[:12],
            "task_totals": {
                "open": tasks_qs.filter(open_tasks_q()).count(),
                "overdue": tasks_qs.filter(overdue_task_q(today)).count(),
            },
            "unreported": unreported_by_task_force(today=today)
            if permissions.can_view_unreported(actor)
            else None,
            "can_manage_meetings": permissions.can_manage_meetings(actor),
            "can_raise_tasks": permissions.can_raise_tasks(actor),
            "can_read_reports": permissions.can_read_reports(actor),
            "reports": report_list_for(actor=actor)[:8]
            if permissions.can_read_reports(actor)
            else [],
        },
    )


# --- supervision tasks ----------------------------------------------------------------------


@login_required
def task_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    filterset = TaskFilter(
        request.GET or None, queryset=task_list(actor=actor), today=today, request=request
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dispatch/task_list.html",
        {
            "filter": filterset,
            "page": page,
            "today": today,
            "query": params.urlencode(),
            "by_department": task_counts_by_department(actor=actor, today=today),
            "by_task_force": task_counts_by_task_force(actor=actor, today=today),
            "can_raise_tasks": permissions.can_raise_tasks(actor),
        },
    )


def _origin(request: HttpRequest, actor: User) -> tuple[str, dict[str, Any]]:
    """Which meeting, problem or petition the new task comes from (?meeting=, ?problem=, …)."""
    for name, source, queryset in (
        ("meeting", SupervisionTask.Source.MEETING, DispatchMeeting.objects.all()),
        ("problem", SupervisionTask.Source.PROBLEM, Problem.objects.select_related("project")),
        ("petition", SupervisionTask.Source.PETITION, petition_list(actor=actor)),
    ):
        value = request.GET.get(name)
        if value:
            if not value.isdigit() or len(value) > 12:
                raise Http404("来源不存在")
            return source, {name: get_object_or_404(queryset, pk=int(value))}
    return SupervisionTask.Source.OTHER, {}


def _future(day: datetime.date | None) -> datetime.date | None:
    """A deadline already past is no deadline to give a new task: the form asks for one."""
    return day if day is not None and day >= timezone.localdate() else None


def _initial(origin: dict[str, Any]) -> dict[str, Any]:
    """The form starts from what the problem or petition already says."""
    problem: Problem | None = origin.get("problem")
    petition: Petition | None = origin.get("petition")
    if problem is not None:
        return {
            "title": f"化解{problem.get_problem_type_display()}问题：{problem.project.name}",
            "description": problem.description,
            "assignee_department": problem.responsible_department_id,
            "deadline": _future(problem.deadline),
        }
    if petition is not None:
        return {
            "title": f"办理信访件{petition.number}（{petition.get_category_display()}）",
            "description": petition.summary,
            "assignee_department": petition.department_id,
            "deadline": _future(petition.due_date),
            "project": petition.project_id,
        }
    return {}


@login_required
def task_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    source, origin = _origin(request, actor)
    if not permissions.can_raise_task_from(actor, source):
        raise PermissionDenied(permissions.REFUSED_RAISE)
    inferred = origin.get("problem") or origin.get("petition")
    project_fixed = inferred is not None and inferred.project_id is not None
    form = TaskForm(request.POST or None, initial=_initial(origin), project_fixed=project_fixed)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                actor=actor, source=source, data=form.service_data(), **origin
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已交办督办事项“{task.title}”，并已通知责任单位。")
            return redirect("dispatch:task_detail", pk=task.pk)
    return render(
        request,
        "dispatch/task_form.html",
        {
            "form": form,
            "task": None,
            "source_label": SupervisionTask.Source(source).label,
            "origin": next(iter(origin.items()), None),
            "fixed_project": inferred.project if project_fixed and inferred else None,
        },
    )


def _task_or_404(actor: User, pk: int) -> SupervisionTask:
    try:
        return task_detail(actor=actor, pk=pk)
    except SupervisionTask.DoesNotExist as exc:
        raise Http404("督办事项不存在或您无权查看") from exc


@login_required
def task_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task_or_404(actor, pk)
    if not permissions.can_edit_task(actor, task):
        raise PermissionDenied(permissions.REFUSED_EDIT)
    fixed = bool(task.problem_id or task.petition_id) and task.project_id is not None
    form = TaskForm(
        request.POST or None,
        instance=task,
        project_fixed=fixed,
        deadline_fixed=not permissions.can_move_deadline(actor, task),
    )
    conflict: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(
                actor=actor,
                task=task,
                data=form.service_data(),
                expected_version=form.expected_version(),
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except EditConflict:
            conflict = conflict_notice(task, actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存督办事项。")
            return redirect("dispatch:task_detail", pk=task.pk)
    return render(
        request,
        "dispatch/task_form.html",
        {
            "form": form,
            "task": task,
            "source_label": task.get_source_display(),
            "fixed_project": task.project if fixed else None,
            "conflict": conflict,
        },
    )


def _steps(actor: User, task: SupervisionTask) -> list[str]:
    """The steps this user may take on this task now."""
    if task.status == SupervisionTask.Status.DONE:
        return ["reopen"] if permissions.can_reopen_task(actor, task) else []
    return ["progress", "complete"] if permissions.can_report_progress(actor, task) else []


def _step_form(actor: User, task: SupervisionTask, step: str, data: Any = None) -> Form:
    """The step's form; only who may back-date a completion gets its date field."""
    if step == "complete":
        return CompleteForm(data, prefix=step, backdate=permissions.can_backdate(actor, task))
    return TASK_STEP_FORMS[step][1](data, prefix=step)


def _task_page(
    request: HttpRequest,
    actor: User,
    task: SupervisionTask,
    forms: dict[str, Any] | None = None,
    open_step: str = "",
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    steps = [
        (name, TASK_STEP_FORMS[name][0], forms.get(name) or _step_form(actor, task, name))
        for name in _steps(actor, task)
    ]
    today = timezone.localdate()
    return render(
        request,
        "dispatch/task_detail.html",
        {
            "task": task,
            "today": today,
            "overdue_days": (today - task.deadline).days if task.is_overdue else 0,
            "steps": steps,
            "open_step": open_step or next((name for name, _l, _f in steps), ""),
            "can_edit": permissions.can_edit_task(actor, task)
            and task.status != SupervisionTask.Status.DONE,
            "history": task_history(task),
        },
        status=status,
    )


@login_required
def task_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return _task_page(request, actor, _task_or_404(actor, pk))


@login_required
@require_POST
def task_step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    actor = actor_of(request)
    if step not in TASK_STEP_FORMS:
        raise Http404("未知的办理环节")
    task = _task_or_404(actor, pk)
    label = TASK_STEP_FORMS[step][0]
    form = _step_form(actor, task, step, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if step == "progress":
                services.task_report_progress(actor=actor, task=task, note=data["note"])
            elif step == "complete":
                services.task_complete(
                    actor=actor,
                    task=task,
                    result=data["result"],
                    done_date=data.get("done_date"),
                    reason=data.get("reason", ""),
                )
            else:
                services.task_reopen(actor=actor, task=task, reason=data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已{label}。")
            return redirect("dispatch:task_detail", pk=task.pk)
    task = _task_or_404(actor, pk)
    return _task_page(request, actor, task, {step: form}, open_step=step, status=400)


# --- 催报 -------------------------------------------------------------------------------------


@login_required
def unreported_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not permissions.can_view_unreported(actor):
        raise PermissionDenied("只有系统管理员、县领导和专班成员可以查看未按时填报情况。")
    today = timezone.localdate()
    groups = unreported_by_task_force(today=today)
    return render(
        request,
        "dispatch/unreported.html",
        {
            "groups": groups,
            "total": sum(len(projects) for _tf, projects in groups),
            "today": today,
            "can_send": permissions.can_send_reminders(actor),
        },
    )


@login_required
@require_POST
def reminders_send_view(request: HttpRequest) -> HttpResponse:
    """立即催报: the Friday job, now; whoever was told this week is not told again."""
    actor = actor_of(request)
    if not permissions.can_send_reminders(actor):
        raise PermissionDenied("只有系统管理员和县领导可以发出催报。")
    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: tasks.reminders_send.delay(day))
    messages.success(
        request, "已发出催报提醒：各专班和责任部门将在站内通知中收到（本周已提醒过的不再重复）。"
    )
    return redirect("dispatch:unreported")
