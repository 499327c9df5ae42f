from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin
from dispatch.models import AnnualTarget, DispatchMeeting, Report, SupervisionTask


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
