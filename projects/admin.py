from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from core.actors import actor_of
from core.admin_mixins import ReadOnlyAdminMixin, VersionedAdminMixin
from projects.models import Company, Milestone, Project, SavedFilter, TaskForce, Township
from projects.resources import ProjectResource
from projects.selectors import township_list
from projects.services import township_merge
from projects.townships import township_key, township_stem


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="合并后保留", queryset=Township.objects.none(), widget=forms.RadioSelect
    )


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    """The list every filter, form and import offers; spellings of one place can be merged."""

    list_display = ("name", "order", "project_count", "look_alikes")
    list_editable = ("order",)
    search_fields = ("name",)
    actions = ["merge"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Township]:
        return super().get_queryset(request).annotate(n=Count("projects"))

    @admin.display(description="项目数", ordering="n")
    def project_count(self, township: Any) -> int:
        return int(township.n)

    @admin.display(description="疑似同一乡镇")
    def look_alikes(self, township: Township) -> str:
        stem = township_stem(township.key)
        return "、".join(
            t.name
            for t in township_list()
            if t.pk != township.pk and township_stem(township_key(t.name)) == stem
        )

    @admin.action(description="合并所选乡镇(街道)（项目改到保留的名称下）")
    def merge(self, request: HttpRequest, queryset: QuerySet[Township]) -> HttpResponse | None:
        form = MergeForm(request.POST if "target" in request.POST else None)
        form.fields["target"].queryset = queryset  # type: ignore[attr-defined]
        if form.is_valid():
            try:
                moved = township_merge(
                    actor=actor_of(request),
                    sources=list(queryset),
                    target=form.cleaned_data["target"],
                )
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                target = form.cleaned_data["target"]
                self.message_user(request, f"已合并，{moved}个项目改到“{target}”下。")
            return None
        return TemplateResponse(
            request,
            "admin/projects/township/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "合并乡镇(街道)",
                "form": form,
                "townships": queryset,
                "opts": self.model._meta,
            },
        )


@admin.register(Company)
class CompanyAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
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
class ProjectAdmin(ReadOnlyAdminMixin, VersionedAdminMixin, ExportMixin, SimpleHistoryAdmin):
    resource_classes = [ProjectResource]
    list_display = ("code", "name", "township", "task_force", "construction_status")
    list_filter = ("construction_status", "township", "task_force")
    search_fields = ("code", "name")
    inlines = [MilestoneInline]


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "shared_with", "query")
