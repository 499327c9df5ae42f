"""The one way a photo file leaves the storage, for the project pages and the API alike: to a
reader who may see its project, never the original (its EXIF carries the GPS position), with
headers that keep browsers and proxies from sharing or sniffing it."""

from django.http import FileResponse, Http404

from core.models import User
from ledgers.models import Photo
from projects.permissions import can_read_project

SERVED = ("image", "thumbnail")


def photo_response(actor: User, photo: Photo, field: str) -> FileResponse:
    """The display copy ("image") or the "thumbnail"; 404 for anything else or another reader."""
    if field not in SERVED or not can_read_project(actor, photo.project):
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
