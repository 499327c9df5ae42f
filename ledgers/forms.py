"""Forms of the ledger entries; one per kind, all saved through ledgers.services."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import monday_of
from core.forms import REASON_FIELD_KWARGS, DateInput, StyledFormMixin, VersionedFormMixin
from ledgers import services
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from ledgers.photos.forms import photos_field
from ledgers.selectors import reports_before
from projects.models import Project


def progress_warning(previous: ProgressReport | None, progress: Decimal) -> str | None:
    """A fall in 形象进度, or a rise larger than PROGRESS_JUMP_POINTS since the last report, is
    more often a slipped decimal point (24% typed as 2.4) than the site: ask before saving."""
    if previous is None:
        return None
    before = previous.progress_percent
    week = f"{previous.period_start:%m-%d}那周"
    if progress < before:
        return (
            f"形象进度由上次（{week}）的{before}%降为{progress}%。是否小数点错位？"
            "如确属进度回退（如返工拆除），请勾选“确认无误”后保存。"
        )
    limit = Decimal(settings.PROGRESS_JUMP_POINTS)
    if progress - before > limit:
        return (
            f"形象进度由上次（{week}）的{before}%升至{progress}%，一次增加"
            f"{progress - before}个百分点，超过{limit}个百分点，请核对；确认无误请勾选后保存。"
        )
    return None


CONFIRM_LABEL = "确认无误"


class ConfirmProgressMixin:
    """A hidden 确认无误 box that turns into a checkbox once the progress needs a second look."""

    def ask_to_confirm(self, warning: str) -> None:
        form: Any = self
        form.needs_confirm = True
        form.fields["confirm_progress"].widget = forms.CheckboxInput(
            attrs={"class": "form-check-input"}
        )
        form.add_error("progress_percent", ValidationError(warning, code="confirm"))


class EntryForm(VersionedFormMixin, StyledFormMixin, forms.ModelForm):
    """Common to all entry forms: an optional 变更说明 and the version read when an existing entry
    is edited."""

    service_fields: list[str] = []
    change_reason = forms.CharField(**REASON_FIELD_KWARGS)  # type: ignore[arg-type]

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        self.project = project
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["change_reason"]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.service_fields}


class ProgressReportForm(ConfirmProgressMixin, EntryForm):
    service_fields = services.REPORT_FIELDS
    delivered_this_week = forms.IntegerField(
        label="本周新交房套数",
        min_value=0,
        required=False,
        help_text="本周新交付的套数，将自动登记为交房记录；累计交房套数由系统计算。",
    )
    confirm_progress = forms.BooleanField(
        label=CONFIRM_LABEL, required=False, widget=forms.HiddenInput
    )
    photos = photos_field()

    class Meta:
        model = ProgressReport
        fields = services.REPORT_FIELDS
        widgets = {"period_start": DateInput(), "report_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_confirm = False
        self.order_fields([*services.REPORT_FIELDS[:4], "confirm_progress"])
        self.fields["progress_percent"].widget.attrs.update({"inputmode": "decimal", "step": "0.1"})
        if self.instance.pk:
            del self.fields["delivered_this_week"]
        else:
            today = timezone.localdate()
            self.fields["period_start"].initial = monday_of(today)
            self.fields["report_date"].initial = today
            self.fields["delivered_this_week"].widget.attrs["inputmode"] = "numeric"
            if self.project is not None:
                # Last week's status and progress, as on the 批量填报 screen.
                before = reports_before(project_ids=[self.project.pk], week=monday_of(today))
                source: Any = before.get(self.project.pk) or self.project
                self.fields["construction_status"].initial = source.construction_status
                self.fields["progress_percent"].initial = source.progress_percent

    def clean_period_start(self) -> datetime.date:
        """Any day of the week is accepted and stored as that week's Monday."""
        return monday_of(self.cleaned_data["period_start"])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        week, progress = cleaned.get("period_start"), cleaned.get("progress_percent")
        if self.project is None or week is None or progress is None:
            return cleaned
        if cleaned.get("confirm_progress"):
            return cleaned
        previous = reports_before(project_ids=[self.project.pk], week=week).get(self.project.pk)
        warning = progress_warning(previous, progress)
        if warning:
            self.ask_to_confirm(warning)
        return cleaned


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
    photos = photos_field()

    class Meta:
        model = Inspection
        fields = services.INSPECTION_FIELDS
        widgets = {
            "date": DateInput(),
            "rectification_deadline": DateInput(),
            "rectified_date": DateInput(),
        }
