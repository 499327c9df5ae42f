"""Pages of the petition register: thin — parse, call a selector or service, render."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.actors import actor_of
from core.errors import add_service_errors
from core.models import User
from core.official_document import DOCX
from petitions import services
from petitions.documents import notice_docx, render_document
from petitions.exports import petition_workbook
from petitions.filters import PetitionFilter
from petitions.forms import ACTION_FORMS, RegistrationForm
from petitions.models import DocumentTemplate, Petition
from petitions.permissions import can_register, can_see_personal_data
from petitions.selectors import (
    collective_warnings,
    petition_list,
    petition_rates,
    possible_duplicates,
)

# Which event's note fills {{办理意见}} in which notice, and when the notice exists at all.
DOCUMENT_SOURCES = {
    DocumentTemplate.Kind.ACCEPTANCE: (["受理"], lambda p: p.accepted_date is not None),
    DocumentTemplate.Kind.NON_ACCEPTANCE: (
        ["不予受理"],
        lambda p: p.status == Petition.Status.NOT_ACCEPTED,
    ),
    DocumentTemplate.Kind.EXTENSION: (["延期"], lambda p: bool(p.extended_days)),
    DocumentTemplate.Kind.REPLY: (
        ["答复", "复查答复", "复核答复"],
        lambda p: p.replied_date is not None,
    ),
}


def _period(request: HttpRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the rates panel: ?from=&to=, this month by default."""
    try:
        start = datetime.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = today.replace(day=1)
    try:
        end = datetime.date.fromisoformat(request.GET.get("to", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


AREA_FILTERS = ("township", "task_force")


def _area(
    request: HttpRequest, visible: QuerySet[Petition], today: datetime.date
) -> QuerySet[Petition]:
    """The petitions of the township or 专班 the list is narrowed to: the rates and warnings
    follow them (as on the dashboard), not the status or category filters."""
    data = {k: request.GET[k] for k in AREA_FILTERS if request.GET.get(k)}
    if not data:
        return visible
    area = PetitionFilter(data, queryset=visible, today=today)
    return area.qs if area.is_valid() else visible


@never_cache
@login_required
def petition_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    visible = petition_list(actor=actor)
    filterset = PetitionFilter(request.GET or None, queryset=visible, today=today)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    start, end = _period(request, today)
    area = _area(request, visible, today)
    return render(
        request,
        "petitions/petition_list.html",
        {
            "filter": filterset,
            "page": page,
            "today": today,
            "show_personal": can_see_personal_data(actor),
            "can_register": can_register(actor),
            "rates": petition_rates(start=start, end=end, base=area),
            "period": (start, end),
            "warnings": collective_warnings(today=today, base=area),
            "project_filter": filterset.form.cleaned_data.get("project")
            if filterset.is_bound and filterset.is_valid()
            else None,
            "full_query": request.GET.urlencode(),
        },
    )


@never_cache
@login_required
def petition_export_view(request: HttpRequest) -> FileResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    qs = PetitionFilter(request.GET or None, queryset=petition_list(actor=actor), today=today).qs
    return FileResponse(
        petition_workbook(
            qs.iterator(chunk_size=2000), today=today, show_personal=can_see_personal_data(actor)
        ),
        as_attachment=True,
        filename=f"信访件_{today:%Y%m%d}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@never_cache
@login_required
def petition_register_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    if not can_register(actor):
        raise PermissionDenied("只有信访专员和系统管理员可以登记信访件。")
    form = RegistrationForm(request.POST or None)
    duplicates: Any = []
    checked: dict[str, Any] = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                petition = services.petition_register(actor=actor, data=form.service_data())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记信访件 {petition.number}。")
                return redirect("petitions:detail", pk=petition.pk)
        duplicates, checked = _duplicate_check(
            actor,
            phone=request.POST.get("petitioner_phone", ""),
            id_number=request.POST.get("petitioner_id_number", ""),
            project=request.POST.get("project"),
            category=request.POST.get("category", ""),
        )
    return render(
        request,
        "petitions/register.html",
        {"form": form, "duplicates": duplicates, "show_personal": True, "checked": checked},
    )


# A phone number with fewer digits is still being typed (landlines have 7 or 8, mobiles 11).
COMPLETE_PHONE_DIGITS = 7


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@never_cache
@login_required
@require_POST
def duplicates_view(request: HttpRequest) -> HttpResponse:
    """The duplicate hint beside the registration form, refreshed while the clerk types.

    POST, so phone and ID numbers travel in the body and never in a URL (URLs end up in logs
    and browser history).
    """
    actor = actor_of(request)
    if not can_register(actor):
        raise PermissionDenied("只有信访专员和系统管理员可以登记信访件。")
    found, checked = _duplicate_check(
        actor,
        phone=request.POST.get("phone", ""),
        id_number=request.POST.get("id_number", ""),
        project=request.POST.get("project"),
        category=request.POST.get("category", ""),
    )
    return render(
        request,
        "petitions/_duplicates.html",
        {"duplicates": found, "show_personal": True, "checked": checked},
    )


def _duplicate_check(
    actor: User, *, phone: str, id_number: str, project: str | None, category: str
) -> tuple[Any, dict[str, Any]]:
    """Look up only complete numbers (a phone still being typed matches nothing), and say
    what was checked, so that "none found" tells the clerk the check ran."""
    phone = phone.replace(" ", "").strip()[:30]
    id_number = id_number.strip().upper()[:18]
    project_id = _int(project)
    category = category[:20]
    whole_phone = phone if sum(c.isdigit() for c in phone) >= COMPLETE_PHONE_DIGITS else ""
    whole_id = id_number if len(id_number) == 18 else ""
    same_project = bool(project_id and category)
    checked = {"phone": whole_phone, "id_number": whole_id, "project": same_project}
    if not (whole_phone or whole_id or same_project):
        return [], checked
    found = possible_duplicates(
        actor=actor,
        phone=whole_phone,
        id_number=whole_id,
        project_id=project_id if same_project else None,
        category=category if same_project else "",
    )
    return found, checked


@never_cache
@login_required
def petition_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    petition = get_object_or_404(petition_list(actor=actor), pk=pk)
    actions = services.available_actions(actor, petition)
    forms = {name: ACTION_FORMS[name](prefix=name) for name in actions}
    return render(
        request,
        "petitions/petition_detail.html",
        _detail_context(actor, petition, forms),
    )


def _detail_context(actor: User, petition: Petition, forms: dict[str, Any]) -> dict[str, Any]:
    return {
        "petition": petition,
        "events": petition.events.select_related("actor").order_by("at", "pk"),
        "show_personal": can_see_personal_data(actor),
        "action_forms": [
            (name, services.TRANSITIONS[name][0], form) for name, form in forms.items()
        ],
        "documents": [
            (kind, label)
            for kind, label in DocumentTemplate.Kind.choices
            if DOCUMENT_SOURCES[DocumentTemplate.Kind(kind)][1](petition)
        ],
        "duplicates": petition_list(actor=actor).filter(duplicate_of=petition),
        "today": timezone.localdate(),
    }


@login_required
@require_POST
def petition_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_of(request)
    if action not in ACTION_FORMS:
        raise Http404("未知的办理环节")
    petition = get_object_or_404(petition_list(actor=actor), pk=pk)
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.petition_take_action(actor=actor, petition=petition, action=action, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已{services.TRANSITIONS[action][0]}。")
            return redirect("petitions:detail", pk=petition.pk)
    petition.refresh_from_db()
    forms: dict[str, Any] = {
        name: ACTION_FORMS[name](prefix=name)
        for name in services.available_actions(actor, petition)
    }
    forms[action] = form
    context = _detail_context(actor, petition, forms)
    context["open_action"] = action
    return render(request, "petitions/petition_detail.html", context, status=400)


def _notice(request: HttpRequest, pk: int, kind: str) -> tuple[Petition, DocumentTemplate, str]:
    """The petition, the notice's template and the note of the step it reports."""
    actor = actor_of(request)
    petition = get_object_or_404(petition_list(actor=actor), pk=pk)
    if kind not in DocumentTemplate.Kind.values:
        raise Http404("未知的文书类型")
    actions, available = DOCUMENT_SOURCES[DocumentTemplate.Kind(kind)]
    if not available(petition):
        raise Http404("该信访件尚未到达这一环节，没有此文书。")
    template = get_object_or_404(DocumentTemplate, kind=kind)
    event = petition.events.filter(action__in=actions).order_by("-at", "-pk").first()
    return petition, template, event.note if event else ""


@never_cache
@login_required
def petition_document_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    petition, template, note = _notice(request, pk, kind)
    body, signature = render_document(template, petition, note)
    return render(
        request,
        "petitions/document.html",
        {
            "petition": petition,
            "kind": kind,
            "title": template.title,
            "body": body,
            "signature": signature,
        },
    )


@never_cache
@login_required
def petition_document_docx_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The same notice as a Word document in the 公文 layout, for printing and sealing."""
    petition, template, note = _notice(request, pk, kind)
    response = HttpResponse(notice_docx(template, petition, note), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{template.title}（{petition.number}）.docx"
    )
    return response
