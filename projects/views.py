"""Pages of the project ledger: thin — parse, call a selector or service, render."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.errors import add_service_errors, conflict_notice
from core.models import User
from core.versioning import EditConflict
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from ledgers.selectors import project_entries, project_trend
from projects import columns, history, services
from projects.exports import ledger_workbook
from projects.extensions import project_tabs
from projects.filters import FLAG_CHOICES, ProjectFilter
from projects.forms import CompanyForm, MilestoneForm, ProjectForm, SavedFilterForm
from projects.models import Milestone, Project, SavedFilter
from projects.permissions import (
    REFUSED_EDIT,
    can_create_project,
    can_edit_companies,
    can_edit_project,
)
from projects.selectors import (
    RISK_BY_RANK,
    RISK_RULES,
    project_detail,
    project_list,
    risk_reasons,
    saved_filters_for,
)

PAGE_SIZE = 50


def _filtered(request: HttpRequest, today: datetime.date) -> ProjectFilter:
    return ProjectFilter(
        request.GET or None,
        queryset=project_list(actor=actor_of(request), today=today),
        today=today,
    )


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    actor = actor_of(request)
    filterset = _filtered(request, today)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = columns.chosen_columns(actor=actor)
    params = request.GET.copy()
    params.pop("page", None)
    ordering = params.pop("o", [""])[-1]
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "today": today,
            "query": params.urlencode(),
            "full_query": request.GET.urlencode(),
            "ordering": ordering,
            "flag_choices": FLAG_CHOICES,
            "risk_by_rank": RISK_BY_RANK,
            "risk_rules": RISK_RULES,
            "saved_filters": saved_filters_for(actor=actor),
            "saved_filter_form": SavedFilterForm(initial={"query": request.GET.urlencode()}),
            "can_create": can_create_project(actor),
            "show": dict.fromkeys(shown, True),
            "column_choices": [(c, c.key in shown) for c in columns.OPTIONAL_COLUMNS],
            "column_count": 2 + len(shown),
        },
    )


@login_required
@require_POST
def columns_view(request: HttpRequest) -> HttpResponse:
    """显示列: remember which ledger columns this person sees, then back to the same list."""
    actor = actor_of(request)
    if request.POST.get("reset"):
        columns.columns_reset(actor=actor)
        messages.success(request, "已恢复默认显示列。")
    else:
        columns.columns_choose(actor=actor, keys=request.POST.getlist("columns"))
        messages.success(request, "显示列已保存，下次打开台账时保持不变。")
    back = request.POST.get("next", "")
    if not back.startswith(reverse("projects:list")) or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("projects:list")
    return redirect(back)


@login_required
def project_export_view(request: HttpRequest) -> FileResponse:
    today = timezone.localdate()
    rows = _filtered(request, today).qs.iterator(chunk_size=2000)
    return FileResponse(
        ledger_workbook(rows, today=today),
        as_attachment=True,
        filename=f"项目台账_{today:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _parse_day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@login_required
def project_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    try:
        project = project_detail(actor=actor, pk=pk, today=today)
    except Project.DoesNotExist as exc:
        raise Http404("项目不存在") from exc
    as_of = _parse_day(request.GET.get("as_of"))
    if request.GET.get("as_of") and as_of is None:
        messages.error(request, "日期格式不正确，请使用 年-月-日，例如 2026-09-30。")
    context: dict[str, Any] = {
        "project": project,
        "today": today,
        "risk": RISK_BY_RANK[project.risk_rank],  # type: ignore[attr-defined]
        "risk_reasons": risk_reasons(project),
        "risk_rules": RISK_RULES,
        "can_edit": can_edit_project(actor, project),
        "tab": request.GET.get("tab", "reports"),
    }
    if as_of is not None and as_of >= today:
        messages.info(request, "“台账截至”应早于今天；以下为当前台账。")
    if as_of is not None and as_of < today:
        context.update(_as_of_context(project, as_of))
    else:
        as_of = None
        context.update(_current_context(project, actor, today))
    shown = context["shown"]
    context["delay"] = shown.delay_days_on(as_of or today) if shown else 0
    return render(request, "projects/project_detail.html", context)


def _current_context(project: Project, actor: User, today: datetime.date) -> dict[str, Any]:
    context = {
        "as_of": None,
        "shown": project,
        **project_entries(project, actor=actor),
        "trend": project_trend(project),
        "history": history.project_history(project),
    }
    for tabs in project_tabs.values():
        context.update(tabs(project, actor, today))
    return context


def _as_of_context(project: Project, day: datetime.date) -> dict[str, Any]:
    shown = history.project_as_of(project, day)
    entries: dict[str, Any] = {}
    for key, model in [
        ("reports", ProgressReport),
        ("problems", Problem),
        ("funding", FundingRecord),
        ("deliveries", DeliveryRecord),
        ("inspections", Inspection),
        ("milestones", Milestone),
    ]:
        entries[key] = history.entries_as_of(model, project, day)
    history.attach_related(entries["problems"], "responsible_department")
    history.attach_related(entries["reports"], "reporter")
    return {
        "as_of": day,
        "shown": shown,
        **entries,
        "tasks": [],
        "petitions": [],
        "history": [],
    }


@login_required
def project_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_create_project(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以新建项目。")
    form = ProjectForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=actor, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新建项目 {project.code} {project.name}。")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    project = get_object_or_404(Project.objects.select_related("task_force"), pk=pk)
    if not can_edit_project(actor, project):
        raise PermissionDenied(REFUSED_EDIT)
    form = ProjectForm(request.POST or None, instance=project, actor=actor)
    conflict: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=actor,
                project=project,
                data=form.service_data(),
                expected_version=form.expected_version(),
                reason=form.cleaned_data.get("change_reason", ""),
            )
        except EditConflict:
            conflict = conflict_notice(project, actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "项目信息已保存。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "conflict": conflict},
    )


@login_required
def company_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_edit_companies(actor):
        raise PermissionDenied("只有专班成员和系统管理员可以登记企业。")
    form = CompanyForm(request.POST or None)
    next_url = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("projects:list")
    if request.method == "POST" and form.is_valid():
        try:
            company = services.company_create(actor=actor, data=form.service_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记企业：{company.name}。")
            return redirect(next_url)
    return render(request, "projects/company_form.html", {"form": form, "next": next_url})


@login_required
def milestone_form_view(
    request: HttpRequest, pk: int, milestone_id: int | None = None
) -> HttpResponse:
    actor = actor_of(request)
    project = get_object_or_404(Project.objects.select_related("task_force"), pk=pk)
    if not can_edit_project(actor, project):
        raise PermissionDenied(REFUSED_EDIT)
    milestone = (
        get_object_or_404(Milestone, pk=milestone_id, project=project) if milestone_id else None
    )
    form = MilestoneForm(request.POST or None, instance=milestone)
    if milestone is None:
        del form.fields["change_reason"]
    conflict: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if milestone is None:
                services.milestone_create(actor=actor, project=project, data=form.service_data())
            else:
                services.milestone_update(
                    actor=actor,
                    milestone=milestone,
                    data=form.service_data(),
                    expected_version=form.expected_version(),
                    reason=form.cleaned_data.get("change_reason", ""),
                )
        except EditConflict:
            conflict = conflict_notice(milestone, actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "一楼一策节点已保存。")
            return redirect(f"{reverse('projects:detail', args=[project.pk])}?tab=plan")
    return render(
        request,
        "ledgers/entry_form.html",
        {
            "form": form,
            "project": project,
            "title": "修改一楼一策节点" if milestone else "新增一楼一策节点",
            "back": f"{reverse('projects:detail', args=[project.pk])}?tab=plan",
            "conflict": conflict,
            "noun": "节点",
        },
    )


@login_required
@require_POST
def saved_filter_create_view(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    query = request.POST.get("query", "")
    if form.is_valid():
        try:
            services.saved_filter_create(
                actor=actor_of(request),
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
                share=form.cleaned_data["share"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已保存常用筛选“{form.cleaned_data['name']}”。")
    else:
        messages.error(request, "请填写筛选名称（不超过50字）。")
    return redirect(f"{reverse('projects:list')}?{query}" if query else reverse("projects:list"))


@login_required
@require_POST
def saved_filter_delete_view(request: HttpRequest, filter_id: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=filter_id)
    services.saved_filter_delete(actor=actor_of(request), saved_filter=saved)
    messages.success(request, f"已删除常用筛选“{saved.name}”。")
    return redirect("projects:list")


@login_required
def project_search_view(request: HttpRequest) -> JsonResponse:
    """Projects by name or code, for the pickers of other pages (petitions, tasks)."""
    term = request.GET.get("q", "").strip()[:50]
    qs = Project.objects.order_by("code")
    if term:
        qs = qs.filter(Q(name__icontains=term) | Q(code__icontains=term))
    return JsonResponse(
        {"results": [{"value": p.pk, "text": f"{p.code} {p.name}"} for p in qs[:20]]}
    )
