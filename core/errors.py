"""Turning a service's ValidationError into messages next to the form's fields."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Field errors go next to their field when the form has it, everything else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target if name != NON_FIELD_ERRORS else None, e)
    else:
        form.add_error(None, error)
