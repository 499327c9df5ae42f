"""Create and edit pages of the ledger entries (one pair of views serves all five kinds), and
the 批量填报 screen of a 专班's week."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.dates import monday_of
from core.errors import add_service_errors, conflict_notice
from core.models import User
from core.versioning import EditConflict
from ledgers import forms, services
from ledgers.models import (
    DeliveryRecord,
    FundingRecord,
    Inspection,
    Photo,
    Problem,
    ProgressReport,
)
from ledgers.photos.services import photos_add
from ledgers.selectors import reports_before, week_sheet
from ledgers.week import add_batch_errors, week_formset
from projects.models import Project
from projects.permissions import REFUSED_EDIT, can_edit_project, editable_task_forces


@dataclass(frozen=True)
class EntryKind:
    model: type[models.Model]
    form: type[forms.EntryForm]
    label: str
    tab: str
    create: Any
    update: Any
    update_arg: str


KINDS: dict[str, EntryKind] = {
    "report": EntryKind(
        ProgressReport,
        forms.ProgressReportForm,
        "进度填报",
        "reports",
        services.progress_report_create,
        services.progress_report_update,
        "report",
    ),
    "problem": EntryKind(
        Problem,
        forms.ProblemForm,
        "问题",
        "problems",
        services.problem_create,
        services.problem_update,
        "problem",
    ),
    "funding": EntryKind(
        FundingRecord,
        forms.FundingRecordForm,
        "资金记录",
        "funding",
        services.funding_record_create,
        services.funding_record_update,
        "record",
    ),
    "delivery": EntryKind(
        DeliveryRecord,
        forms.DeliveryRecordForm,
        "交房记录",
        "deliveries",
        services.delivery_create,
        services.delivery_update,
        "delivery",
    ),
    "inspection": EntryKind(
        Inspection,
        forms.InspectionForm,
        "质量安全检查",
        "inspections",
        services.inspection_create,
        services.inspection_update,
        "inspection",
    ),
}


@login_required
def entry_form_view(
    request: HttpRequest, pk: int, kind: str, entry_id: int | None = None
) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("未知的台账类型")
    actor = actor_of(request)
    project = get_object_or_404(Project.objects.select_related("task_force"), pk=pk)
    if not can_edit_project(actor, project):
        raise PermissionDenied(REFUSED_EDIT)
    entry = get_object_or_404(spec.model, pk=entry_id, project=project) if entry_id else None
    posted = request.method == "POST"
    form = spec.form(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=entry,
        project=project,
    )
    back = f"{reverse('projects:detail', args=[project.pk])}?tab={spec.tab}"
    reported: int | None = None
    conflict: dict[str, Any] | None = None
    if posted and form.is_valid():
        try:
            _save_entry(spec, kind, form, actor=actor, project=project, entry=entry)
        except EditConflict:
            conflict = conflict_notice(entry, actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
            reported = reported_week(exc)
        else:
            messages.success(request, f"{spec.label}已保存，项目台账已同步更新。")
            return redirect(back)
    return render(
        request,
        "ledgers/entry_form.html",
        {
            "form": form,
            "project": project,
            "title": f"{'修改' if entry else '新增'}{spec.label}",
            "back": back,
            "delete_url": reverse("projects:entry_delete", args=[project.pk, kind, entry.pk])
            if entry
            else None,
            "previous": _previous_report(project, entry) if kind == "report" else None,
            "progress_jump": settings.PROGRESS_JUMP_POINTS,
            "reported_url": reverse("projects:entry_edit", args=[project.pk, kind, reported])
            if reported
            else None,
            "photos": _photos_of(entry),
            "photos_lost": posted and bool(request.FILES),
            "conflict": conflict,
            "noun": spec.label,
        },
    )


def _photos_of(entry: Any) -> list[Photo]:
    if isinstance(entry, ProgressReport):
        return list(Photo.objects.filter(report=entry).order_by("pk"))
    if isinstance(entry, Inspection):
        return list(Photo.objects.filter(inspection=entry).order_by("pk"))
    return []


@transaction.atomic
def _save_entry(
    spec: EntryKind, kind: str, form: Any, *, actor: User, project: Project, entry: Any
) -> None:
    """The entry and its photos in one transaction: a refused photo saves nothing."""
    if entry is None:
        extra: dict[str, Any] = {}
        if kind == "report":
            extra["delivered_this_week"] = form.cleaned_data.get("delivered_this_week") or 0
        entry = spec.create(actor=actor, project=project, data=form.service_data(), **extra)
    else:
        entry = spec.update(
            actor=actor,
            data=form.service_data(),
            expected_version=form.expected_version(),
            reason=form.cleaned_data.get("change_reason", ""),
            **{spec.update_arg: entry},
        )
    uploads = form.cleaned_data.get("photos") or []
    if uploads:
        photos_add(actor=actor, entry=entry, uploads=uploads)


def reported_week(error: ValidationError) -> int | None:
    """The id of the report that already covers the week, when that is why a save failed."""
    for e in getattr(error, "error_dict", {}).get("period_start", []):
        if e.code == services.WEEK_REPORTED and e.params:
            return int(e.params["report_id"])
    return None


def _previous_report(project: Project, entry: Any) -> ProgressReport | None:
    """Last week's report beside this week's form (for an edit: the one before it)."""
    week = entry.period_start if entry is not None else monday_of(timezone.localdate())
    return reports_before(project_ids=[project.pk], week=week).get(project.pk)


@login_required
@require_POST
def entry_delete_view(request: HttpRequest, pk: int, kind: str, entry_id: int) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("未知的台账类型")
    actor = actor_of(request)
    project = get_object_or_404(Project.objects.select_related("task_force"), pk=pk)
    if not can_edit_project(actor, project):
        raise PermissionDenied(REFUSED_EDIT)
    entry = get_object_or_404(spec.model, pk=entry_id, project=project)
    services.ledger_entry_delete(
        actor=actor, entry=entry, reason=request.POST.get("change_reason", "")
    )
    messages.success(request, f"{spec.label}已删除，项目台账已同步更新。")
    return redirect(f"{reverse('projects:detail', args=[project.pk])}?tab={spec.tab}")


WEEKS_BACK = 8
REFUSED_WEEK = "只有专班成员和系统管理员可以批量填报本专班的项目。"


def _chosen_week(value: str | None, today: datetime.date) -> datetime.date:
    """Any day of a week names its Monday; weeks to come are not reported, nor long-past ones."""
    current = monday_of(today)
    try:
        week = monday_of(datetime.date.fromisoformat(value or ""))
    except ValueError:
        return current
    earliest = current - datetime.timedelta(weeks=WEEKS_BACK)
    return min(max(week, earliest), current)


@login_required
def week_view(request: HttpRequest) -> HttpResponse:
    """批量填报: every open project of one 专班 for one week, saved together or not at all."""
    actor = actor_of(request)
    forces = list(editable_task_forces(actor).order_by("name"))
    if not forces:
        raise PermissionDenied(REFUSED_WEEK)
    wanted = request.GET.get("task_force", "")
    task_force = next((tf for tf in forces if str(tf.pk) == wanted), forces[0])
    today = timezone.localdate()
    week = _chosen_week(request.GET.get("week"), today)
    here = f"{reverse('projects:week')}?task_force={task_force.pk}&week={week:%Y-%m-%d}"
    lines, exempt = week_sheet(task_force=task_force, week=week)
    formset = week_formset(lines, request.POST if request.method == "POST" else None)
    batch_error = ""
    if request.method == "POST":
        if any(form.line is None for form in formset.forms):
            messages.error(request, "提交的项目与本专班本周的填报范围不一致，请核对后重新填报。")
            return redirect(here)
        if formset.is_valid():
            included = [f for f in formset.forms if f.cleaned_data.get("include")]
            rows = [f.report_row(week=week, today=today) for f in included]
            try:
                reports = services.progress_reports_file(actor=actor, rows=rows) if rows else []
            except ValidationError as exc:
                add_batch_errors(formset, included, exc)
                batch_error = "；".join(exc.messages)
            else:
                if reports:
                    messages.success(
                        request,
                        f"已保存{len(reports)}个项目{week:%m月%d日}这一周的进度填报，"
                        "项目台账已同步更新。",
                    )
                else:
                    messages.info(request, "没有勾选要填报的项目，未保存任何内容。")
                return redirect(here)
        if not batch_error:
            batch_error = "部分单元格有误，本批填报均未保存。请按标红处修改后重新提交。"
    forms_by_project = {form.line.project.pk: form for form in formset.forms if form.line}
    return render(
        request,
        "ledgers/week.html",
        {
            "task_force": task_force,
            "task_forces": forces,
            "week": week,
            "week_end": week + datetime.timedelta(days=6),
            "this_week": monday_of(today),
            "weeks": [
                monday_of(today) - datetime.timedelta(weeks=n) for n in range(WEEKS_BACK + 1)
            ],
            "rows": [(line, forms_by_project.get(line.project.pk)) for line in lines],
            "formset": formset,
            "reported": sum(line.reported for line in lines),
            "exempt": exempt,
            "batch_error": batch_error,
            "progress_jump": settings.PROGRESS_JUMP_POINTS,
        },
    )
