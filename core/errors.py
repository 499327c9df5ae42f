"""Turning a service's ValidationError into messages next to the form's fields; what an edit
conflict page says."""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Field errors go next to their field when the form has it, everything else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target if name != NON_FIELD_ERRORS else None, e)
    else:
        form.add_error(None, error)


def conflict_notice(instance: Any, *, actor: Any) -> dict[str, Any]:
    """Who saved the version that made an edit stale, and when, from the object's history — and
    whether it was the same person in another tab or window, which calls for other words than
    "someone else changed it"."""
    latest = instance.history.select_related("history_user").first()
    if latest is None:
        return {"mine": False, "who": "其他用户", "at": timezone.localtime()}
    return {
        "mine": latest.history_user_id is not None and latest.history_user_id == actor.pk,
        "who": str(latest.history_user) if latest.history_user else "其他用户",
        "at": timezone.localtime(latest.history_date),
    }
