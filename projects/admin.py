from django.contrib import admin
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import ReadOnlyAdminMixin
from projects.models import Company, Milestone, Project, SavedFilter, TaskForce
from projects.resources import ProjectResource


@admin.register(Company)
class CompanyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "credit_code", "legal_representative", "phone")
    search_fields = ("name", "credit_code")


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    """Where administrators put staff into their 专班."""

    list_display = ("name", "leader")
    filter_horizontal = ("members",)


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    list_display = ("code", "name", "township", "task_force", "construction_status")
    list_filter = ("construction_status", "township", "task_force")
    search_fields = ("code", "name")
    inlines = [MilestoneInline]


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shared_with", "query")
