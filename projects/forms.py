"""Browser forms of the project ledger; validation rules live on the models and services."""

from typing import Any, cast

from django import forms

from core.forms import REASON_FIELD_KWARGS, DateInput, StyledFormMixin, VersionedFormMixin
from core.models import User
from core.roles import Role
from projects.models import Company, Milestone, Project
from projects.permissions import editable_task_forces
from projects.services import COMPANY_FIELDS, MILESTONE_FIELDS, PROJECT_FIELDS


class ProjectForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "contract_delivery_date": DateInput(),
            "expected_delivery_date": DateInput(),
            "strategy": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self._model_choice
        choice("task_force").queryset = editable_task_forces(actor)
        choice("responsible_leader").queryset = User.objects.filter(
            groups__name=Role.LEADER
        ).order_by("username")
        companies = Company.objects.order_by("name")
        for name in ("developer", "construction_unit", "general_contractor"):
            choice(name).queryset = companies
        if not self.instance.pk:
            del self.fields["change_reason"]
            self.fields["code"].required = False
            self.fields["code"].help_text = "留空则按台账规则自动生成（BJF-年份-序号）"
            self.fields["units_delivered_opening"] = forms.IntegerField(
                label="期初已交房套数",
                min_value=0,
                required=False,
                initial=0,
                help_text="纳入台账前已交付的套数：计入累计已交房和交房率，不计入任何时段的交房",
            )

    def _model_choice(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in PROJECT_FIELDS}
        if not self.instance.pk:
            data["units_delivered_opening"] = self.cleaned_data.get("units_delivered_opening") or 0
        return data


class CompanyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Company
        fields = COMPANY_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def clean_credit_code(self) -> str:
        return str(self.cleaned_data["credit_code"]).strip().upper()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in COMPANY_FIELDS}


class MilestoneForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    class Meta:
        model = Milestone
        fields = MILESTONE_FIELDS
        widgets = {"planned_date": DateInput(), "done_date": DateInput()}

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in MILESTONE_FIELDS}


class SavedFilterForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=50)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
    share = forms.BooleanField(label="共享给本专班", required=False)
