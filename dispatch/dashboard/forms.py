from typing import Any

from django import forms

from projects.models import TaskForce
from projects.selectors import township_list


class DashboardFilterForm(forms.Form):
    """The dashboard's township and 专班; an unknown value is dropped, never an error page."""

    township = forms.ModelChoiceField(
        label="乡镇(街道)",
        queryset=township_list(),
        to_field_name="name",
        required=False,
        empty_label="全部乡镇",
    )
    task_force = forms.ModelChoiceField(
        label="工作专班",
        queryset=TaskForce.objects.order_by("name"),
        required=False,
        empty_label="全部专班",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
