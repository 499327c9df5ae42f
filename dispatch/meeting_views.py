"""Weekly dispatch meetings (周调度会) in the browser: list, record and read their minutes."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.actors import actor_of
from core.errors import add_service_errors, conflict_notice
from core.versioning import EditConflict
from dispatch import permissions, services
from dispatch.forms import MeetingForm
from dispatch.models import DispatchMeeting
from dispatch.selectors import meeting_detail, meeting_rows, task_list


@login_required
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = Paginator(meeting_rows(actor=actor), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "dispatch/meeting_list.html",
        {"page": page, "can_manage_meetings": permissions.can_manage_meetings(actor)},
    )


@login_required
def meeting_form_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request)
    if not permissions.can_manage_meetings(actor):
        raise PermissionDenied(permissions.REFUSED_MEETING)
    meeting = get_object_or_404(DispatchMeeting, pk=pk) if pk is not None else None
    form = MeetingForm(request.POST or None, instance=meeting)
    conflict: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                saved = services.meeting_create(actor=actor, data=form.service_data())
            else:
                saved = services.meeting_update(
                    actor=actor,
                    meeting=meeting,
                    data=form.service_data(),
                    expected_version=form.expected_version(),
                    reason=form.cleaned_data.get("change_reason", ""),
                )
        except EditConflict:
            conflict = conflict_notice(meeting, actor=actor)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已保存调度会“{saved.title}”。")
            return redirect("dispatch:meeting_detail", pk=saved.pk)
    return render(
        request,
        "dispatch/meeting_form.html",
        {"form": form, "meeting": meeting, "conflict": conflict},
    )


@login_required
def meeting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        meeting = meeting_detail(actor=actor, pk=pk)
    except DispatchMeeting.DoesNotExist as exc:
        raise Http404("调度会不存在") from exc
    return render(
        request,
        "dispatch/meeting_detail.html",
        {
            "meeting": meeting,
            "tasks": task_list(actor=actor).filter(meeting=meeting),
            "today": timezone.localdate(),
            "can_manage_meetings": permissions.can_manage_meetings(actor),
            "can_raise_tasks": permissions.can_raise_tasks(actor),
            "history": meeting.history.select_related("history_user").order_by("-history_date"),
        },
    )
