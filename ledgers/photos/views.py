"""Serving and removing site photos. No photo has a public URL: every file goes through here,
to a reader who may see its project, with headers that keep browsers and proxies from sharing
or sniffing it."""

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
from projects.permissions import REFUSED_EDIT, can_edit_project, can_read_project

VARIANTS = {"image": "image", "thumb": "thumbnail"}


@login_required
@require_GET
def photo_view(request: HttpRequest, uid: str, variant: str) -> FileResponse:
    field = VARIANTS.get(variant)
    photo = get_object_or_404(Photo.objects.select_related("project"), uid=uid)
    if field is None or not can_read_project(actor_of(request), photo.project):
        raise Http404("照片不存在")
    stored = getattr(photo, field)
    content_type = photo.content_type if field == "image" else "image/jpeg"
    extension = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(
        stored.storage.open(stored.name, "rb"),
        content_type=content_type,
        filename=f"{photo.project.code}-{photo.uid.hex[:8]}.{extension}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


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
