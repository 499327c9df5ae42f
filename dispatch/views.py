from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import User
from dispatch.selectors import meeting_list, report_list, task_list


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "dispatch/index.html",
        {
            "today": timezone.localdate(),
            "meetings": meeting_list()[:5],
            "tasks": task_list(actor=user).exclude(status="done")[:20],
            "reports": report_list()[:10],
        },
    )
