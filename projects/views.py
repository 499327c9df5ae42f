from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import User
from projects.selectors import project_list, stale_cutoff


@login_required
def project_list_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(project_list(actor=user, search=search), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "search": search,
            "today": timezone.localdate(),
            "stale_cutoff": stale_cutoff(),
        },
    )
