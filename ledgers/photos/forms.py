"""The photo upload field of the ledger's forms and of the photo API."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


class PhotoPicker(forms.FileInput):
    """Two buttons for one field: the phone's camera, or several files from the album."""

    allow_multiple_selected = True
    template_name = "ledgers/widgets/photo_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["max_files"] = settings.PHOTO_MAX_FILES
        context["max_mb"] = settings.PHOTO_MAX_BYTES // (1024 * 1024)
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        """From the project's templates (the form renderer only reads Django's own)."""
        return mark_safe(  # noqa: S308 - our own template, escaped by the template engine
            render_to_string(self.template_name, self.get_context(name, value, attrs))
        )


class PhotosField(forms.FileField):
    """Any number of photos up to PHOTO_MAX_FILES; the size is checked here, the content (is it
    really a photo, is it a bomb) when the service reads each one."""

    widget = PhotoPicker

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.PHOTO_MAX_FILES:
            raise ValidationError(f"一次最多上传{settings.PHOTO_MAX_FILES}张照片。")
        return [super(PhotosField, self).clean(f, initial) for f in files]


def photos_field() -> PhotosField:
    return PhotosField(
        label="现场照片",
        required=False,
        help_text=f"可拍照或从相册选择多张；JPG、PNG、WEBP，每张不超过"
        f"{settings.PHOTO_MAX_BYTES // (1024 * 1024)}MB。拍摄时间取自照片信息。",
    )
