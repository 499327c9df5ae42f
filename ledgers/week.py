"""批量填报: a 专班's week on one screen, one row per project, saved as one batch.

The rows are a formset whose forms stand beside the week's lines (selectors.week_sheet); the
save goes through services.progress_reports_file like the single form and the API, so a wrong
row comes back as errors in its own cells and nothing of the week is written.
"""

import datetime
import unicodedata
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from core.errors import add_service_errors
from ledgers import services
from ledgers.forms import CONFIRM_LABEL, ConfirmProgressMixin, progress_warning
from ledgers.models import ProgressReport
from ledgers.selectors import WeekLine
from projects.models import Project

NUMBER_NOISE = str.maketrans("", "", ",，%％ \u3000")


def _plain_number(value: Any) -> Any:
    """Numbers as people paste them from Excel or WPS: "1,234", "85%", full-width digits."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).translate(NUMBER_NOISE)
    return value


class PastedDecimalField(forms.DecimalField):
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number: Decimal | None = super().to_python(_plain_number(value))
        return number


class PastedIntegerField(forms.IntegerField):
    def to_python(self, value: Any) -> int | None:
        number: int | None = super().to_python(_plain_number(value))
        return number


NUMBER = {"invalid": "请输入数字。", "min_value": "不能为负数。"}
WHOLE = {"invalid": "请输入整数。", "min_value": "不能为负数。", "max_value": "数字过大，请核对。"}


def _cell(kind: str = "text", **attrs: str) -> forms.TextInput:
    return forms.TextInput(
        attrs={"class": "form-control form-control-sm", "inputmode": kind, **attrs}
    )


class WeekRowForm(ConfirmProgressMixin, forms.Form):
    """One project's cells. Blank numbers mean none this week, as on the single form."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(
        label="填报",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    construction_status = forms.ChoiceField(
        label="施工状态",
        choices=Project.Status.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    progress_percent = PastedDecimalField(
        label="形象进度(%)",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=1,
        widget=_cell("decimal"),
        error_messages={**NUMBER, "max_value": "形象进度不能超过100%%。"},
    )
    delivered_this_week = PastedIntegerField(
        label="本周交房(套)",
        min_value=0,
        max_value=100_000,
        required=False,
        widget=_cell("numeric"),
        error_messages=WHOLE,
    )
    workers_on_site = PastedIntegerField(
        label="在岗人数",
        min_value=0,
        max_value=100_000,
        required=False,
        widget=_cell("numeric"),
        error_messages=WHOLE,
    )
    funds_received = PastedDecimalField(
        label="到位资金(万元)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        widget=_cell("decimal"),
        error_messages=NUMBER,
    )
    note = forms.CharField(label="进展说明", max_length=500, required=False, widget=_cell())
    confirm_progress = forms.BooleanField(
        label=CONFIRM_LABEL, required=False, widget=forms.HiddenInput
    )

    line: WeekLine | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_confirm = False

    def full_clean(self) -> None:
        """A row left out (填报 unticked) is not checked: it is not part of the save."""
        if self.is_bound and not self._raw_include():
            self.cleaned_data = {"include": False}
            self._errors = ErrorDict()
            return
        super().full_clean()

    def _raw_include(self) -> bool:
        value = self.data.get(self.add_prefix("include"))
        return bool(value) and value not in ("false", "False", "0", "off")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        progress = cleaned.get("progress_percent")
        if progress is None or cleaned.get("confirm_progress"):
            return cleaned
        warning = progress_warning(self.line.previous if self.line else None, progress)
        if warning:
            self.ask_to_confirm(warning)
        return cleaned

    def report_row(self, *, week: datetime.date, today: datetime.date) -> services.ReportRow:
        assert self.line is not None  # the view refuses rows without a line before saving
        data = self.cleaned_data
        return services.ReportRow(
            project=self.line.project,
            data={
                "period_start": week,
                "report_date": today,
                "construction_status": data["construction_status"],
                "progress_percent": data["progress_percent"],
                "workers_on_site": data.get("workers_on_site") or 0,
                "funds_received": data.get("funds_received") or Decimal(0),
                "note": data.get("note", ""),
            },
            delivered_this_week=data.get("delivered_this_week") or 0,
        )


def initial_row(line: WeekLine) -> dict[str, Any]:
    """Last week's status and progress (or the ledger's, before the first report)."""
    source: ProgressReport | Project = line.previous or line.project
    return {
        "project": line.project.pk,
        "include": True,
        "construction_status": source.construction_status,
        "progress_percent": source.progress_percent,
    }


WeekFormSet = forms.formset_factory(WeekRowForm, extra=0)


def week_formset(lines: list[WeekLine], data: Any = None) -> Any:
    """The rows still to report, each form holding its line. Posted rows are matched by project
    id, not position: a row another person filed meanwhile is refused in its own cells by the
    service, and a row naming a project outside the 专班 has no line (the view refuses it)."""
    open_lines = [line for line in lines if not line.reported]
    formset = WeekFormSet(data, initial=[initial_row(line) for line in open_lines], prefix="rows")
    if data is None:
        for form, line in zip(formset.forms, open_lines, strict=True):
            form.line = line
        return formset
    by_project = {line.project.pk: line for line in lines}
    for form in formset.forms:
        posted = str(form.data.get(form.add_prefix("project"), ""))
        form.line = by_project.get(int(posted)) if posted.isdigit() and len(posted) < 12 else None
    return formset


def add_batch_errors(formset: Any, included: list[Any], error: ValidationError) -> None:
    """Put each rejected row's messages in that row's cells."""
    rows = getattr(error, "rows", None)
    if rows is None:
        add_service_errors(included[0], error)
        return
    for position, row_error in rows.items():
        add_service_errors(included[position], row_error)
