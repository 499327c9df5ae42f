from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.models import User
from petitions.permissions import can_see_personal_data
from petitions.selectors import petition_list


@login_required
def petition_list_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(petition_list(actor=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/petition_list.html",
        {"page": page, "today": timezone.localdate(), "show_personal": can_see_personal_data(user)},
    )
