"""Serving and removing site photos on the pages. No photo has a public URL: every file goes
through ledgers.photos.serving, as it does for the API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.actors import actor_of
from ledgers.models import Photo
from ledgers.photos.services import photo_delete
from ledgers.photos.serving import photo_response
from projects.permissions import REFUSED_EDIT, can_edit_project

VARIANTS = {"image": "image", "thumb": "thumbnail"}


@login_required
@require_GET
def photo_view(request: HttpRequest, uid: str, variant: str) -> FileResponse:
    if variant not in VARIANTS:
        raise Http404("照片不存在")
    photo = get_object_or_404(Photo.objects.select_related("project"), uid=uid)
    return photo_response(actor_of(request), photo, VARIANTS[variant])


@login_required
@require_POST
def photo_delete_view(request: HttpRequest, uid: str) -> HttpResponse:
    actor = actor_of(request)
    photo = get_object_or_404(Photo.objects.select_related("project__task_force"), uid=uid)
    if not can_edit_project(actor, photo.project):
        raise PermissionDenied(REFUSED_EDIT)
    entry = photo.entry
    kind = "report" if photo.report_id else "inspection"
    photo_delete(actor=actor, photo=photo)
    messages.success(request, "照片已删除。")
    return redirect(reverse("projects:entry_edit", args=[photo.project_id, kind, entry.pk]))
