"""The work cycle over the REST API, read-only: meetings, supervision tasks, reports.

Tasks come through `task_list`, so department staff see only their department's and their own.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request

from core.api import ReadOnlyViewSet, actor_of
from dispatch.models import DispatchMeeting, Report, SupervisionTask
from dispatch.selectors import meeting_list, report_list, task_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = DispatchMeeting
        fields = ["id", "date", "title", "chair", "attendees", "minutes", "projects", "created_at"]


class SupervisionTaskSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True, help_text="未完成且已过完成时限")

    class Meta:
        model = SupervisionTask
        fields = [
            "id",
            "source",
            "meeting",
            "problem",
            "petition",
            "project",
            "title",
            "description",
            "assignee_department",
            "assignee_user",
            "deadline",
            "status",
            "done_date",
            "result",
            "created_by",
            "created_at",
            "is_overdue",
        ]


class ReportSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField(help_text="是否有可下载的Excel文件（见 file/）")

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "generated_at",
            "has_file",
            "data",
            "remark",
            "published",
        ]

    def get_has_file(self, report: Report) -> bool:
        return bool(report.file)


class MeetingViewSet(ReadOnlyViewSet):
    """周调度会。"""

    serializer_class = MeetingSerializer
    filterset_fields = ["date", "chair"]
    search_fields = ["title", "minutes"]
    ordering_fields = ["date", "id"]

    def get_queryset(self) -> QuerySet[DispatchMeeting]:
        return meeting_list().prefetch_related("attendees", "projects")


class SupervisionTaskViewSet(ReadOnlyViewSet):
    """督办事项。部门人员只能看到交本部门或本人办理的事项。"""

    serializer_class = SupervisionTaskSerializer
    filterset_fields = ["status", "source", "project", "assignee_department", "meeting"]
    search_fields = ["title", "description"]
    ordering_fields = ["deadline", "status", "id"]

    queryset = SupervisionTask.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[SupervisionTask]:
        return task_list(actor=actor_of(self.request))


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.TypedChoiceFilter):
    """true or false only: django-filter's own boolean filter reads any other value as "no
    filter", so a typo would silently list everything."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("true", "是"), ("false", "否")], coerce=lambda v: v == "true", **kwargs
        )


class ReportFilter(django_filters.FilterSet):
    published = StrictBooleanFilter(label="已发布")

    class Meta:
        model = Report
        fields = ["kind", "published"]


class ReportViewSet(ReadOnlyViewSet):
    """周调度简报、月通报、季度考核。"""

    serializer_class = ReportSerializer
    filterset_class = ReportFilter
    ordering_fields = ["period_start", "generated_at", "id"]

    def get_queryset(self) -> QuerySet[Report]:
        return report_list()

    @extend_schema(
        responses={
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="报告的Excel文件"),
        },
        description="下载报告的Excel文件；报告尚无文件时返回404。",
    )
    @action(detail=True, methods=["get"])
    def file(self, request: Request, pk: str | None = None) -> FileResponse:
        report = self.get_object()
        if not report.file:
            raise Http404("该报告尚未生成文件。")
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("报告文件已不存在，请重新生成。") from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{report}.xlsx",
            content_type=XLSX,
        )
