"""Create and edit pages of the ledger entries; one pair of views serves all five kinds."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.errors import add_service_errors
from ledgers import forms, services
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from projects.models import Project
from projects.permissions import REFUSED_EDIT, can_edit_project


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
    form = spec.form(request.POST or None, instance=entry)
    back = f"{reverse('projects:detail', args=[project.pk])}?tab={spec.tab}"
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                extra: dict[str, Any] = {}
                if kind == "report":
                    extra["delivered_this_week"] = form.cleaned_data.get("delivered_this_week") or 0
                spec.create(actor=actor, project=project, data=form.service_data(), **extra)
            else:
                spec.update(
                    actor=actor,
                    data=form.service_data(),
                    reason=form.cleaned_data.get("change_reason", ""),
                    **{spec.update_arg: entry},
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
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
        },
    )


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
