"""Forms of the ledger entries; one per kind, all saved through ledgers.services."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.dates import monday_of
from core.forms import REASON_FIELD_KWARGS, DateInput, StyledFormMixin
from ledgers import services
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport


class EntryForm(StyledFormMixin, forms.ModelForm):
    """Common to all entry forms: an optional 变更说明 when an existing entry is edited."""

    service_fields: list[str] = []
    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["change_reason"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.service_fields}


class ProgressReportForm(EntryForm):
    service_fields = services.REPORT_FIELDS
    delivered_this_week = forms.IntegerField(
        label="本周新交房套数",
        min_value=0,
        required=False,
        help_text="本周新交付的套数，将自动登记为交房记录；累计交房套数由系统计算。",
    )

    class Meta:
        model = ProgressReport
        fields = services.REPORT_FIELDS
        widgets = {"period_start": DateInput(), "report_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["delivered_this_week"]
        else:
            today = timezone.localdate()
            self.fields["period_start"].initial = monday_of(today)
            self.fields["report_date"].initial = today

    def clean_period_start(self) -> datetime.date:
        """Any day of the week is accepted and stored as that week's Monday."""
        return monday_of(self.cleaned_data["period_start"])


class ProblemForm(EntryForm):
    service_fields = services.PROBLEM_FIELDS

    class Meta:
        model = Problem
        fields = services.PROBLEM_FIELDS
        widgets = {
            "deadline": DateInput(),
            "reported_date": DateInput(),
            "resolved_date": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["reported_date"].initial = timezone.localdate()


class FundingRecordForm(EntryForm):
    service_fields = services.FUNDING_FIELDS

    class Meta:
        model = FundingRecord
        fields = services.FUNDING_FIELDS
        widgets = {"date": DateInput()}


class DeliveryRecordForm(EntryForm):
    service_fields = services.DELIVERY_FIELDS

    class Meta:
        model = DeliveryRecord
        fields = services.DELIVERY_FIELDS
        widgets = {"date": DateInput()}


class InspectionForm(EntryForm):
    service_fields = services.INSPECTION_FIELDS

    class Meta:
        model = Inspection
        fields = services.INSPECTION_FIELDS
        widgets = {
            "date": DateInput(),
            "rectification_deadline": DateInput(),
            "rectified_date": DateInput(),
        }
