"""Reads of the site photos: the strip on a project page."""

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from ledgers.models import Photo
from projects.models import Project

STRIP_SIZE = 12


def project_photos(project: Project) -> QuerySet[Photo]:
    """A project's photos, latest taken (or, without EXIF, uploaded) first."""
    return (
        Photo.objects.filter(project=project)
        .select_related("report", "inspection", "uploaded_by")
        .annotate(shot=Coalesce("taken_at", "uploaded_at"))
        .order_by("-shot", "-pk")
    )
