"""The weekly ledger entries over the REST API (进度填报, 问题, 资金, 交房, 检查).

Each write goes through ledgers.services, which locks the project, records history and recounts
the project's derived figures in the same transaction — exactly as the project page does.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.actors import actor_of
from core.api import REASON_PARAM, StrictIntegerField, reason_field, service_error_detail
from ledgers import services
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from projects.api import EntryViewSet, ProjectEntrySerializer

BATCH_MAX = 500


class ProgressReportSerializer(ProjectEntrySerializer):
    delivered_this_week = StrictIntegerField(
        write_only=True,
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="本周新交房套数（仅新建时）：登记为填报当日的交房记录",
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            *services.REPORT_FIELDS,
            "units_delivered_cumulative",
            "reporter",
            "created_at",
            "delivered_this_week",
            "version",
            "reason",
        ]
        read_only_fields = ["units_delivered_cumulative", "reporter", "created_at"]
        # One report per project and week is the service's check: it names the existing report.
        validators: list[Any] = []

    def validate_delivered_this_week(self, value: int) -> int:
        if self.instance is not None and value:
            raise serializers.ValidationError("修改填报时不能登记交房，请新增交房记录。")
        return value


class ProgressReportBatchSerializer(serializers.Serializer):
    reports: serializers.ListSerializer[ProgressReport] = serializers.ListSerializer(
        child=ProgressReportSerializer(),
        allow_empty=False,
        max_length=BATCH_MAX,
        help_text="每个项目一条本周填报",
    )
    reason = reason_field()


def _flat_errors(errors: Any, prefix: str) -> dict[str, list[str]]:
    """Nested list errors as the API's one error shape: {"reports[2].progress_percent": [...]}."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flat_errors(value, name))
        return flat
    if isinstance(errors, list) and errors and not isinstance(errors[0], str):
        flat = {}
        for i, item in enumerate(errors):
            flat.update(_flat_errors(item, f"{prefix}[{i}]"))
        return flat
    return {prefix: [str(e) for e in errors]} if errors else {}


class ProblemSerializer(ProjectEntrySerializer):
    class Meta:
        model = Problem
        fields = ["id", "project", *services.PROBLEM_FIELDS, "version", "reason"]


class FundingRecordSerializer(ProjectEntrySerializer):
    class Meta:
        model = FundingRecord
        fields = ["id", "project", *services.FUNDING_FIELDS, "version", "reason"]


class DeliveryRecordSerializer(ProjectEntrySerializer):
    class Meta:
        model = DeliveryRecord
        fields = ["id", "project", *services.DELIVERY_FIELDS, "version", "reason"]


class InspectionSerializer(ProjectEntrySerializer):
    class Meta:
        model = Inspection
        fields = ["id", "project", *services.INSPECTION_FIELDS, "version", "reason"]


@extend_schema(methods=["DELETE"], parameters=[REASON_PARAM])
class LedgerEntryViewSet(EntryViewSet):
    """Entries a mistaken one of which may be deleted; the project's figures are recounted."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    model: Any

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.select_related("project__task_force").order_by("-pk")

    def destroy_object(self, instance: Any, reason: str) -> None:
        services.ledger_entry_delete(actor=actor_of(self.request), entry=instance, reason=reason)


class ProgressReportViewSet(LedgerEntryViewSet):
    """进度填报：每个项目每周一条，最新一条更新项目的施工状态和形象进度。"""

    model = ProgressReport
    serializer_class = ProgressReportSerializer
    filterset_fields = ["project", "period_start", "construction_status"]
    ordering_fields = ["period_start", "report_date", "id"]
    search_fields = ["note", "project__name", "project__code"]
    create_service = staticmethod(services.progress_report_create)
    update_service = staticmethod(services.progress_report_update)
    update_arg = "report"

    def create_object(self, data: dict[str, Any], reason: str) -> ProgressReport:
        delivered = data.pop("delivered_this_week", 0)
        data.pop("version", None)
        return services.progress_report_create(
            actor=actor_of(self.request),
            project=data.pop("project"),
            data=data,
            delivered_this_week=delivered,
            reason=reason,
        )

    def update_object(self, instance: Any, data: dict[str, Any], reason: str) -> ProgressReport:
        data.pop("delivered_this_week", None)
        report: ProgressReport = super().update_object(instance, data, reason)
        return report

    @extend_schema(
        request=ProgressReportBatchSerializer, responses={201: ProgressReportSerializer(many=True)}
    )
    @action(detail=False, methods=["post"])
    def batch(self, request: Request) -> Response:
        """批量填报：多个项目的周进度填报一次提交，全部保存；任一条有误时全部不保存，
        错误按 reports[序号].字段 给出。"""
        serializer = ProgressReportBatchSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        if not serializer.is_valid():
            raise ValidationError(_flat_errors(serializer.errors, ""))
        rows = []
        for item in serializer.validated_data["reports"]:
            data = dict(item)
            data.pop("reason", None)
            data.pop("version", None)
            rows.append(
                services.ReportRow(
                    project=data.pop("project"),
                    delivered_this_week=data.pop("delivered_this_week", 0),
                    data=data,
                )
            )
        try:
            reports = services.progress_reports_file(
                actor=actor_of(request),
                rows=rows,
                reason=serializer.validated_data.get("reason", ""),
            )
        except services.BatchRejected as exc:
            raise ValidationError(
                {
                    f"reports[{i}].{field}": messages
                    for i, error in exc.rows.items()
                    for field, messages in service_error_detail(error).items()
                }
            ) from None
        saved = self.get_queryset().filter(pk__in=[r.pk for r in reports]).order_by("pk")
        return Response(
            ProgressReportSerializer(saved, many=True).data, status=status.HTTP_201_CREATED
        )


class ProblemViewSet(LedgerEntryViewSet):
    """问题清单：未化解的资金短缺和欠薪金额汇总为项目的资金缺口和拖欠工资。"""

    model = Problem
    serializer_class = ProblemSerializer
    filterset_fields = ["project", "problem_type", "status", "responsible_department"]
    ordering_fields = ["reported_date", "deadline", "amount", "id"]
    search_fields = ["description", "resolution", "project__name", "project__code"]
    create_service = staticmethod(services.problem_create)
    update_service = staticmethod(services.problem_update)
    update_arg = "problem"


class FundingRecordViewSet(LedgerEntryViewSet):
    """资金台账。"""

    model = FundingRecord
    serializer_class = FundingRecordSerializer
    filterset_fields = ["project", "source", "status"]
    ordering_fields = ["date", "amount", "id"]
    search_fields = ["note", "project__name", "project__code"]
    create_service = staticmethod(services.funding_record_create)
    update_service = staticmethod(services.funding_record_update)
    update_arg = "record"


class DeliveryRecordViewSet(LedgerEntryViewSet):
    """交房记录：合计即项目的已交房套数，不能超过已售套数。"""

    model = DeliveryRecord
    serializer_class = DeliveryRecordSerializer
    filterset_fields = ["project", "date"]
    ordering_fields = ["date", "units", "id"]
    search_fields = ["note", "project__name", "project__code"]
    create_service = staticmethod(services.delivery_create)
    update_service = staticmethod(services.delivery_update)
    update_arg = "delivery"


class InspectionViewSet(LedgerEntryViewSet):
    """质量安全检查。"""

    model = Inspection
    serializer_class = InspectionSerializer
    filterset_fields = ["project", "kind", "severity"]
    ordering_fields = ["date", "rectification_deadline", "id"]
    search_fields = ["findings", "project__name", "project__code"]
    create_service = staticmethod(services.inspection_create)
    update_service = staticmethod(services.inspection_update)
    update_arg = "inspection"
