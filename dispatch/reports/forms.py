"""Forms of the report pages: generate now, a leader's remark, the monthly market figures;
and the admin's form of a report template."""

import datetime
from typing import Any

from django import forms

from core.forms import DateInput, StyledFormMixin
from core.placeholders import placeholder_errors
from dispatch.models import Report, ReportTemplate
from dispatch.reports.drafting import placeholder_names


class GenerateForm(StyledFormMixin, forms.Form):
    """Left blank, the period is the last complete one of the kind (上周, 上月, 上季度)."""

    kind = forms.ChoiceField(label="报告类型", choices=Report.Kind.choices)
    period = forms.DateField(
        label="期间内任一日期",
        widget=DateInput(),
        required=False,
        help_text="留空则生成上一个完整的周、月或季度；选当期内的日期则生成截至今日的数据",
    )


class RemarkForm(StyledFormMixin, forms.Form):
    remark = forms.CharField(
        label="领导批示", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    published = forms.BooleanField(label="发布", required=False)


class MarketFigureForm(StyledFormMixin, forms.Form):
    """One month's figures; entering a month again corrects it."""

    month = forms.DateField(
        label="月份",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    sales_area = forms.DecimalField(label="商品住宅销售面积(m²)", min_value=0, decimal_places=2)
    sales_units = forms.IntegerField(label="商品住宅销售套数", min_value=0, required=False)
    inventory_area = forms.DecimalField(label="商品住宅库存面积(m²)", min_value=0, decimal_places=2)
    inventory_units = forms.IntegerField(label="商品住宅库存套数", min_value=0, required=False)

    def clean_month(self) -> datetime.date:
        month: datetime.date = self.cleaned_data["month"]
        return month.replace(day=1)


class ReportTemplateForm(forms.ModelForm):
    """A template's wording: every {{名称}} must be a figure of its kind's snapshot."""

    class Meta:
        model = ReportTemplate
        fields = ["title", "recipients", "body", "copy_to"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        names = placeholder_names(self.instance.kind)
        for field in self.Meta.fields:
            found = placeholder_errors(cleaned.get(field) or "", names)
            if found:
                self.add_error(field, found)
        return cleaned
