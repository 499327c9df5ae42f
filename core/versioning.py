"""Optimistic locking, one mechanism for every editable row (projects, ledger entries,
companies, milestones, meetings, supervision tasks).

The editor reads the row's `version` (a hidden form field, the API's `version`) and sends it back;
the save locks the row and refuses it when someone saved a newer version meanwhile. Every save of
a row (edits, actions such as completing a task, and saves in Django's admin through
core.admin_mixins.VersionedAdminMixin) stores the next version. Pages show the
refusal with includes/edit_conflict.html, the API answers 409 (core.api.api_exception_handler).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        "版本", default=1, help_text="每次保存加一，用于发现两人同时修改"
    )

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """Someone saved the row after the editor loaded it: the save is refused, not merged."""


def edit_conflict_message(instance: Any, noun: str) -> str:
    """Who saved the newer version and when, for the person whose save was refused."""
    latest = instance.history.select_related("history_user").first()
    who = str(latest.history_user) if latest and latest.history_user else "其他用户"
    when = timezone.localtime(latest.history_date) if latest else timezone.localtime()
    return (
        f"该{noun}已被{who}于{when:%Y-%m-%d %H:%M}修改，您编辑的是旧版本，本次保存未生效。"
        "请刷新页面，在最新内容上重新修改。"
    )


def claim_version(instance: Any, expected_version: int) -> None:
    """Lock the row inside the caller's transaction and refuse the edit unless both the row and
    the instance being edited are still at the version the editor read. The save then stores the
    next version (projects.services.save_with_history)."""
    current = (
        type(instance)
        ._default_manager.select_for_update()
        .values_list("version", flat=True)
        .get(pk=instance.pk)
    )
    if current != expected_version or instance.version != expected_version:
        noun = str(instance._meta.verbose_name)
        raise EditConflict(edit_conflict_message(instance, noun), code="edit_conflict")
