"""Writes of the site photos. Called by the entry forms inside the entry's own transaction, so a
refused photo refuses the whole save (nothing half-written)."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from core.models import User
from ledgers.models import Inspection, Photo, ProgressReport, photo_storage
from ledgers.photos.images import check_photo
from projects.permissions import REFUSED_EDIT, can_edit_project
from projects.services import save_with_history


def _folder(entry: ProgressReport | Inspection) -> str:
    """Beside its entry: photos/<project>/report-<id>/ or photos/<project>/inspection-<id>/."""
    return f"photos/{entry.project_id}/{_entry_field(entry)}-{entry.pk}"


@transaction.atomic
def photos_add(
    *, actor: User, entry: ProgressReport | Inspection, uploads: Sequence[Any]
) -> list[Photo]:
    """Check every upload, store the accepted ones with their entry; refuse all if any is bad.

    Files are written as each photo is checked (one photo in memory at a time); if one is
    refused, those already written are removed again and the error names every bad file.
    """
    if not can_edit_project(actor, entry.project):
        raise PermissionDenied(REFUSED_EDIT)
    storage = photo_storage()
    written: list[str] = []
    saved: list[Photo] = []
    errors: list[ValidationError] = []
    try:
        for upload in uploads:
            try:
                checked = check_photo(upload)
            except ValidationError as exc:
                errors.append(exc)
                continue
            if errors:
                continue
            photo = Photo(
                project=entry.project,
                report=entry if isinstance(entry, ProgressReport) else None,
                inspection=entry if isinstance(entry, Inspection) else None,
                content_type=checked.display_type,
                original_name=checked.name,
                size=len(checked.original),
                width=checked.width,
                height=checked.height,
                taken_at=checked.taken_at,
                latitude=checked.latitude,
                longitude=checked.longitude,
                uploaded_by=actor,
            )
            base = f"{_folder(entry)}/{photo.uid.hex}"
            display_ext = "png" if checked.display_type == "image/png" else "jpg"
            for field, name, data in [
                ("original", f"{base}-original.{checked.original_extension}", checked.original),
                ("image", f"{base}.{display_ext}", checked.display),
                ("thumbnail", f"{base}-thumb.jpg", checked.thumbnail),
            ]:
                stored = storage.save(name, ContentFile(data))
                written.append(stored)
                setattr(photo, field, stored)
            save_with_history(photo, actor=actor, reason="上传现场照片")
            saved.append(photo)
        if errors:
            raise ValidationError({"photos": errors})
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return saved


@transaction.atomic
def photo_delete(*, actor: User, photo: Photo, reason: str = "") -> None:
    """Remove a photo taken by mistake; its files go once the deletion is committed."""
    if not can_edit_project(actor, photo.project):
        raise PermissionDenied(REFUSED_EDIT)
    names = [n for n in (photo.original.name, photo.image.name, photo.thumbnail.name) if n]
    photo._history_user = actor  # type: ignore[attr-defined]
    photo._change_reason = reason.strip()[:100] or "删除现场照片"  # type: ignore[attr-defined]
    photo.delete()
    files_delete_on_commit(names)


def photo_files(entry: ProgressReport | Inspection) -> list[str]:
    """The stored files of an entry's photos, to remove once the entry's deletion commits."""
    return [
        name
        for photo in Photo.objects.filter(**{_entry_field(entry): entry})
        for name in (photo.original.name, photo.image.name, photo.thumbnail.name)
        if name
    ]


def files_delete_on_commit(names: list[str]) -> None:
    storage = photo_storage()

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def _entry_field(entry: ProgressReport | Inspection) -> str:
    return "report" if isinstance(entry, ProgressReport) else "inspection"
