"""Pages of the reports: list with unread marks, generate now, a report, its Excel file, the
leader brief, and the monthly market figures. Thin: parse, call a selector or service, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.errors import add_service_errors
from core.models import User
from core.official_document import DOCX
from dispatch.models import Report
from dispatch.permissions import (
    can_comment_report,
    can_enter_market_figures,
    can_generate_reports,
    can_read_reports,
)
from dispatch.reports import services
from dispatch.reports.brief import brief_context
from dispatch.reports.document import report_docx, report_docx_name
from dispatch.reports.forms import GenerateForm, MarketFigureForm, RemarkForm
from dispatch.reports.selectors import market_figure_list, report_list_for, report_versions


def _reader(request: HttpRequest) -> User:
    user = actor_of(request)
    if not can_read_reports(user):
        raise PermissionDenied("您没有查看报告的权限。")
    return user


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    kind = request.GET.get("kind", "")
    if kind not in Report.Kind.values:
        kind = ""
    page = Paginator(report_list_for(actor=actor, kind=kind), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "dispatch/reports/report_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": Report.Kind.choices,
            "form": GenerateForm() if can_generate_reports(actor) else None,
        },
    )


@login_required
@require_POST
def report_generate_now(request: HttpRequest) -> HttpResponse:
    """Queue the generation (a worker builds it; without a broker it runs right away)."""
    actor = _reader(request)
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择报告类型和期间内的日期。")
        return redirect("dispatch:report_list")
    kind = form.cleaned_data["kind"]
    try:
        start, end = services.report_request(
            actor=actor, kind=kind, day=form.cleaned_data["period"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("dispatch:report_list")
    messages.success(
        request,
        f"已提交生成{Report.Kind(kind).label}（{start:%Y-%m-%d}—{end:%Y-%m-%d}），"
        "完成后将出现在列表中并通知相关人员。",
    )
    return redirect("dispatch:report_list")


def _report(request: HttpRequest, pk: int) -> tuple[User, Report]:
    actor = _reader(request)
    return actor, get_object_or_404(Report, pk=pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor, report = _report(request, pk)
    services.report_mark_read(actor=actor, report=report)
    return render(
        request,
        f"dispatch/reports/{report.kind}.html",
        {
            "report": report,
            "d": report.data,
            "versions": report_versions(report),
            "remark_form": RemarkForm(
                initial={"remark": report.remark, "published": report.published}
            )
            if can_comment_report(actor)
            else None,
        },
    )


@login_required
@require_POST
def report_comment(request: HttpRequest, pk: int) -> HttpResponse:
    actor, report = _report(request, pk)
    form = RemarkForm(request.POST)
    if form.is_valid():
        try:
            services.report_comment_publish(
                actor=actor,
                report=report,
                remark=form.cleaned_data["remark"],
                publish=form.cleaned_data["published"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, "批示已保存。")
            return redirect("dispatch:report_detail", pk=report.pk)
    messages.error(
        request, "批示未保存：" + "；".join(str(m) for ms in form.errors.values() for m in ms)
    )
    return redirect("dispatch:report_detail", pk=report.pk)


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    _, report = _report(request, pk)
    if not report.file.name or not report.file.storage.exists(report.file.name):
        raise Http404("报告文件不存在，请重新生成。")
    name = f"{report.data.get('title', report)}.xlsx"
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=name)


@login_required
def report_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a Word document (公文), for the same readers as its Excel file."""
    _, report = _report(request, pk)
    response = HttpResponse(report_docx(report), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report_docx_name(report)
    )
    return response


@login_required
def report_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page A3 brief of a week for the dispatch meeting."""
    _, report = _report(request, pk)
    if report.kind != Report.Kind.WEEKLY:
        raise Http404("领导简报只按周生成。")
    return render(
        request,
        "dispatch/reports/brief.html",
        {"report": report, "d": report.data, "b": brief_context(report.data)},
    )


@login_required
def market_figures(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    can_enter = can_enter_market_figures(actor)
    form = MarketFigureForm(request.POST or None, initial={"month": _last_month()})
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied("只有专班成员和系统管理员可以填报市场数据。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.market_figure_save(actor=actor, month=data.pop("month"), data=data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, "市场数据已保存。如该月通报已生成，可重新生成以更新。")
                return redirect("dispatch:market_figures")
    return render(
        request,
        "dispatch/reports/market_figures.html",
        {
            "form": form if can_enter else None,
            "figures": market_figure_list()[:24],
        },
    )


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
