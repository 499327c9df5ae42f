from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin
from dispatch.models import (
    AnnualTarget,
    AssessmentIndicator,
    AssessmentScore,
    DispatchMeeting,
    MarketFigure,
    Report,
    SupervisionTask,
)


@admin.register(DispatchMeeting)
class DispatchMeetingAdmin(admin.ModelAdmin):
    list_display = ("date", "title", "chair")
    filter_horizontal = ("attendees", "projects")


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("title", "project", "assignee_department", "deadline", "status")
    list_filter = ("status", "source")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("kind", "period_start", "period_end", "generated_at", "published")
    list_filter = ("kind", "published")


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
