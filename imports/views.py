"""Pages of the survey import: upload → preview → confirm; template and error report."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.actors import actor_of
from imports import services
from imports.forms import AsOfForm, UploadForm
from imports.models import ImportBatch
from imports.permissions import can_import
from imports.selectors import import_batch_list
from imports.workbooks import error_report, template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def import_index_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_import(actor):
            raise PermissionDenied("只有专班成员和系统管理员可以导入摸排表。")
        if form.is_valid():
            batch = services.import_submit(actor=actor, upload=form.cleaned_data["file"])
            return redirect("imports:detail", pk=batch.pk)
    return render(
        request,
        "imports/index.html",
        {
            "form": form,
            "can_import": can_import(actor),
            "batches": import_batch_list(actor=actor)[:20],
        },
    )


@login_required
def import_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    batch = get_object_or_404(import_batch_list(actor=actor), pk=pk)
    preview = batch.preview
    rows = preview.get("rows", [])
    show = request.GET.get("show", "problems")
    if show == "problems":
        rows = [r for r in rows if r["status"] != "unchanged" or r.get("warnings")]
    page = Paginator(rows, 200).get_page(request.GET.get("page"))
    notices = preview.get("notices", [])
    counts = batch.counts
    blocked = bool(counts.get("error") or counts.get("sheet_errors"))
    return render(
        request,
        "imports/detail.html",
        {
            "batch": batch,
            "page": page,
            "show": show,
            "preview": preview,
            "errors": [m for level, m in notices if level == "error"],
            "warnings": [m for level, m in notices if level == "warning"],
            "infos": [m for level, m in notices if level == "info"],
            "blocked": blocked,
            "problems": (counts.get("error") or 0) + (counts.get("sheet_errors") or 0),
            "deliveries": sum(1 for r in preview.get("rows", []) if r.get("delivered")),
            "as_of_form": AsOfForm(initial={"as_of": (preview.get("as_of") or {}).get("date")})
            if batch.status == ImportBatch.Status.PREVIEWED and batch.uploaded_by_id == actor.pk
            else None,
        },
    )


@login_required
@require_POST
def import_as_of_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    batch = get_object_or_404(import_batch_list(actor=actor), pk=pk)
    form = AsOfForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的日期。")
        return redirect("imports:detail", pk=batch.pk)
    try:
        services.import_set_as_of(actor=actor, batch=batch, day=form.cleaned_data["as_of"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已按新的交房记录日期重新检查。")
    return redirect("imports:detail", pk=batch.pk)


@login_required
def import_status_view(request: HttpRequest, pk: int) -> JsonResponse:
    batch = get_object_or_404(import_batch_list(actor=actor_of(request)), pk=pk)
    return JsonResponse(
        {"status": batch.status, "label": batch.get_status_display(), "progress": batch.progress}
    )


@login_required
@require_POST
def import_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    batch = get_object_or_404(import_batch_list(actor=actor), pk=pk)
    try:
        batch = services.import_confirm(actor=actor, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if batch.status == ImportBatch.Status.APPLIED:
            counts = batch.counts
            messages.success(
                request,
                f"导入完成：新增{counts.get('new', 0)}个项目，更新{counts.get('changed', 0)}个，"
                f"{counts.get('unchanged', 0)}个无变化。",
            )
    return redirect("imports:detail", pk=batch.pk)


@login_required
@require_POST
def import_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    batch = get_object_or_404(import_batch_list(actor=actor), pk=pk)
    try:
        services.import_undo(actor=actor, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤销本次导入，台账已恢复到导入前的状态。")
    return redirect("imports:detail", pk=batch.pk)


@login_required
def import_errors_view(request: HttpRequest, pk: int) -> FileResponse:
    batch = get_object_or_404(import_batch_list(actor=actor_of(request)), pk=pk)
    if not (batch.counts.get("error") or batch.counts.get("sheet_errors")):
        raise PermissionDenied("该文件没有错误。")
    return FileResponse(
        error_report(Path(batch.file.path), batch.preview),
        as_attachment=True,
        filename=f"错误报告_{batch.file_name}",
        content_type=XLSX,
    )


@login_required
def import_template_view(request: HttpRequest) -> FileResponse:
    return FileResponse(
        template_workbook(), as_attachment=True, filename="保交房摸排表模板.xlsx", content_type=XLSX
    )
