"""The work cycle over the REST API: meetings, supervision tasks, reports.

Writes call `dispatch.services` and `dispatch.reports.services`, like the pages, so permissions,
validation, history and notifications are the same. Tasks come through `task_list`, so
department staff see only their department's and their own; reports through `report_list_for`,
which gives department staff none.
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.actors import actor_of
from core.api import (
    ReadOnlyViewSet,
    ServiceViewSet,
    StrictCharField,
    StrictModelSerializer,
    StrictSerializer,
    expected_version,
    reason_field,
    version_field,
)
from core.official_document import DOCX
from dispatch import services
from dispatch.models import DispatchMeeting, Report, SupervisionTask
from dispatch.reports import services as report_services
from dispatch.reports.document import report_docx, report_docx_name
from dispatch.reports.selectors import report_list_for
from dispatch.selectors import meeting_list, task_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeetingSerializer(StrictModelSerializer):
    version = version_field()
    reason = reason_field()

    class Meta:
        model = DispatchMeeting
        fields = [
            "id",
            "date",
            "title",
            "chair",
            "attendees",
            "minutes",
            "projects",
            "created_at",
            "version",
            "reason",
        ]


class SupervisionTaskSerializer(StrictModelSerializer):
    """Where a task comes from (source, meeting, problem, petition) is set once, on creation."""

    is_overdue = serializers.BooleanField(read_only=True, help_text="未完成且已过完成时限")
    version = version_field()
    is_backdated = serializers.BooleanField(
        read_only=True, help_text="补录：登记办结的日期晚于所填完成日期"
    )
    counted_done_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="计算按期完成所用的日期：完成日期与登记日期中较晚者；未完成为空",
    )
    reason = reason_field()

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
            "done_recorded_at",
            "backdate_reason",
            "is_backdated",
            "counted_done_date",
            "result",
            "created_by",
            "created_at",
            "is_overdue",
            "version",
            "reason",
        ]
        read_only_fields = [
            "status",
            "done_date",
            "done_recorded_at",
            "backdate_reason",
            "result",
            "created_by",
            "created_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            for name in ORIGIN:
                fields[name].read_only = True
        return fields


ORIGIN = ["source", "meeting", "problem", "petition"]


class TaskProgressSerializer(StrictSerializer):
    note = StrictCharField(max_length=2000, help_text="办理情况")


class TaskCompleteSerializer(StrictSerializer):
    result = StrictCharField(max_length=2000, help_text="办理结果")
    done_date = serializers.DateField(
        required=False,
        help_text="完成日期，缺省为今天（服务器日期）；早于今天为补录，仅县领导、系统管理员可填",
    )
    reason = StrictCharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="补录理由（完成日期早于今天时必填）",
    )


class TaskReopenSerializer(StrictSerializer):
    reason = StrictCharField(max_length=200, help_text="重新打开的理由")


class ReportSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField(help_text="是否有可下载的Excel文件（见 file/）")
    doc_number = serializers.CharField(
        read_only=True, help_text="发文字号，如 县保交房办〔2026〕12号；Word文件见 document/"
    )
    unread = serializers.BooleanField(read_only=True, help_text="本人尚未阅读")
    is_latest = serializers.SerializerMethodField(
        help_text="是否为该类型、该期间的最新版本；已批示或已发布的版本不再被重新生成覆盖"
    )

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "version",
            "is_latest",
            "generated_at",
            "has_file",
            "doc_number",
            "published_at",
            "unread",
            "data",
            "remark",
            "published",
        ]

    def get_has_file(self, report: Report) -> bool:
        return bool(report.file)

    def get_is_latest(self, report: Report) -> bool:
        """False for a version superseded by a newer one of the same kind and period."""
        return report.version == getattr(report, "latest_version", report.version)


class ReportRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Report.Kind.choices, help_text="报告类型")
    period = serializers.DateField(
        required=False,
        help_text="期间内任一日期；不填则为上一个完整的周、月或季度，当期内的日期生成截至今日的数据",
    )


class ReportRemarkSerializer(StrictSerializer):
    remark = StrictCharField(max_length=2000, allow_blank=True, help_text="领导批示")
    published = serializers.BooleanField(help_text="是否发布")


class MeetingViewSet(ServiceViewSet):
    """周调度会。录入和修改：系统管理员、县领导、专班成员；部门人员和信访专员只能查看
    自己主持、参加或从中接到督办事项（本人或本部门）的调度会。"""

    serializer_class = MeetingSerializer
    filterset_fields = ["date", "chair"]
    search_fields = ["title", "minutes"]
    ordering_fields = ["date", "id"]

    queryset = DispatchMeeting.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[DispatchMeeting]:
        return meeting_list(actor=actor_of(self.request)).prefetch_related("attendees", "projects")

    def create_object(self, data: dict[str, Any], reason: str) -> DispatchMeeting:
        data.pop("version", None)
        return services.meeting_create(actor=actor_of(self.request), data=data)

    def update_object(self, instance: Any, data: dict[str, Any], reason: str) -> DispatchMeeting:
        return services.meeting_update(
            actor=actor_of(self.request),
            meeting=instance,
            data=data,
            expected_version=expected_version(data),
            reason=reason,
        )


class SupervisionTaskViewSet(ServiceViewSet):
    """督办事项。部门人员只能看到交本部门或本人办理的事项。

    办理环节见 progress/、complete/、reopen/。
    """

    serializer_class = SupervisionTaskSerializer
    filterset_fields = ["status", "source", "project", "assignee_department", "meeting"]
    search_fields = ["title", "description"]
    ordering_fields = ["deadline", "status", "id"]

    queryset = SupervisionTask.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[SupervisionTask]:
        return task_list(actor=actor_of(self.request))

    def create_object(self, data: dict[str, Any], reason: str) -> SupervisionTask:
        origin = {name: data.pop(name, None) for name in ORIGIN}
        data.pop("version", None)
        return services.task_create(
            actor=actor_of(self.request),
            source=origin.pop("source"),
            data=data,
            **origin,
        )

    def update_object(self, instance: Any, data: dict[str, Any], reason: str) -> SupervisionTask:
        return services.task_update(
            actor=actor_of(self.request),
            task=instance,
            data=data,
            expected_version=expected_version(data),
            reason=reason,
        )

    def _step(self, request: Request, serializer_class: type, step: Any) -> Response:
        task = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        step(actor=actor_of(request), task=task, **serializer.validated_data)
        shown = self.reread(task)
        return Response(
            SupervisionTaskSerializer(shown, context=self.get_serializer_context()).data
        )

    @extend_schema(request=TaskProgressSerializer, responses={200: SupervisionTaskSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        """填报办理情况：待办理的事项转为办理中。"""
        return self._step(request, TaskProgressSerializer, services.task_report_progress)

    @extend_schema(request=TaskCompleteSerializer, responses={200: SupervisionTaskSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """办结：办理结果和完成日期。"""
        return self._step(request, TaskCompleteSerializer, services.task_complete)

    @extend_schema(request=TaskReopenSerializer, responses={200: SupervisionTaskSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """重新打开已完成的事项（交办人或调度工作人员）。"""
        return self._step(request, TaskReopenSerializer, services.task_reopen)


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

    queryset = Report.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[Report]:
        return report_list_for(actor=actor_of(self.request)).defer(None)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={202: OpenApiResponse(description="已提交，由后台任务生成；完成后出现在列表中")},
    )
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        """生成（或重新生成）指定期间的报告。"""
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        start, end = report_services.report_request(
            actor=actor_of(request),
            kind=serializer.validated_data["kind"],
            day=serializer.validated_data.get("period"),
        )
        return Response({"period_start": start, "period_end": end}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=ReportRemarkSerializer, responses={200: ReportSerializer})
    @action(detail=True, methods=["post"])
    def remark(self, request: Request, pk: str | None = None) -> Response:
        """领导批示与发布（县领导、系统管理员）。"""
        report = self.get_object()
        serializer = ReportRemarkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report_services.report_comment_publish(
            actor=actor_of(request),
            report=report,
            remark=serializer.validated_data["remark"],
            publish=serializer.validated_data["published"],
        )
        shown = self.get_queryset().get(pk=report.pk)
        return Response(ReportSerializer(shown, context=self.get_serializer_context()).data)

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

    @extend_schema(
        responses={
            (200, DOCX): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="报告的Word文件（公文格式，GB/T 9704-2012）：发文字号、正文、附件表格；"
                "已发布的报告含领导批示，未发布的标为送审稿",
            ),
        },
        description="下载报告的Word文件，与Excel文件的查看权限相同。",
    )
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        response = HttpResponse(report_docx(report), content_type=DOCX)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=report_docx_name(report)
        )
        return response
