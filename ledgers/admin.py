from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin, VersionedAdminMixin
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("project", "period_start", "construction_status", "progress_percent")
    list_filter = ("construction_status",)
    search_fields = ("project__code", "project__name")


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("project", "problem_type", "amount", "status", "deadline")
    list_filter = ("problem_type", "status")
    search_fields = ("project__code", "project__name")


@admin.register(FundingRecord)
class FundingRecordAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("project", "source", "amount", "status", "date")
    list_filter = ("source", "status")


@admin.register(DeliveryRecord)
class DeliveryRecordAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("project", "date", "units", "area")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ("project", "date", "kind", "severity", "rectified_date")
    list_filter = ("kind", "severity")
