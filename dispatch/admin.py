from django.contrib import admin
from django.db import models
from django.forms import Textarea, TextInput
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin, VersionedAdminMixin
from dispatch.models import (
    AnnualTarget,
    AssessmentIndicator,
    AssessmentScore,
    DispatchMeeting,
    MarketFigure,
    Report,
    ReportTemplate,
    SupervisionTask,
)
from dispatch.reports.drafting import FIGURES, figure_values
from dispatch.reports.forms import ReportTemplateForm


@admin.register(DispatchMeeting)
class DispatchMeetingAdmin(VersionedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "title", "chair")
    filter_horizontal = ("attendees", "projects")


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "project", "assignee_department", "deadline", "status")
    list_filter = ("status", "source")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("kind", "period_start", "period_end", "doc_number", "generated_at", "published")
    list_filter = ("kind", "published")

    @admin.display(description="发文字号")
    def doc_number(self, obj: Report) -> str:
        return obj.doc_number


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    """The wording of the reports as 公文; the placeholders are checked when saved."""

    form = ReportTemplateForm
    list_display = ("kind", "title", "updated_at")
    fields = ("kind", "title", "recipients", "body", "copy_to", "placeholders")
    readonly_fields = ("kind", "placeholders")
    formfield_overrides = {
        models.CharField: {"widget": TextInput(attrs={"size": 90})},
        models.TextField: {"widget": Textarea(attrs={"rows": 24, "cols": 90})},
    }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="可用占位符")
    def placeholders(self, obj: ReportTemplate) -> str:
        """Each placeholder, what it means, and what it says in the latest report of the kind."""
        latest = Report.objects.filter(kind=obj.kind).order_by("-period_start").first()
        values = figure_values(obj.kind, latest.data, latest.as_of) if latest is not None else {}
        rows = format_html_join(
            "",
            "<tr><td><code>{{{{{}}}}}</code></td><td>{}</td><td>{}</td></tr>",
            ((f.name, f.meaning, values.get(f.name, "")) for f in FIGURES[obj.kind]),
        )
        example = f"（取自{latest}）" if latest is not None else ""
        return format_html(
            "<table><thead><tr><th>占位符</th><th>含义</th><th>示例{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            example,
            rows,
        )


@admin.register(AnnualTarget)
class AnnualTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "task_force", "units")


@admin.register(AssessmentIndicator)
class AssessmentIndicatorAdmin(admin.ModelAdmin):
    """Weights and on/off of the 季度考核 indicators; the computation is fixed by the code."""

    list_display = ("name", "code", "weight", "active", "order")
    list_editable = ("weight", "active", "order")
    readonly_fields = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "task_force", "indicator", "raw_value", "score")
    list_filter = ("indicator",)


@admin.register(MarketFigure)
class MarketFigureAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("month", "sales_area", "inventory_area", "entered_by")
