"""The weekly ledger entries over the REST API (进度填报, 问题, 资金, 交房, 检查).

Each write goes through ledgers.services, which locks the project, records history and recounts
the project's derived figures in the same transaction — exactly as the project page does.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from core.actors import actor_of
from core.api import StrictIntegerField
from ledgers import services
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from projects.api import EntryViewSet, ProjectEntrySerializer

REASON_PARAM = OpenApiParameter(
    "reason", str, description="删除说明（记入变更记录）", required=False
)


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
            "reason",
        ]
        read_only_fields = ["units_delivered_cumulative", "reporter", "created_at"]

    def validate_delivered_this_week(self, value: int) -> int:
        if self.instance is not None and value:
            raise serializers.ValidationError("修改填报时不能登记交房，请新增交房记录。")
        return value


class ProblemSerializer(ProjectEntrySerializer):
    class Meta:
        model = Problem
        fields = ["id", "project", *services.PROBLEM_FIELDS, "reason"]


class FundingRecordSerializer(ProjectEntrySerializer):
    class Meta:
        model = FundingRecord
        fields = ["id", "project", *services.FUNDING_FIELDS, "reason"]


class DeliveryRecordSerializer(ProjectEntrySerializer):
    class Meta:
        model = DeliveryRecord
        fields = ["id", "project", *services.DELIVERY_FIELDS, "reason"]


class InspectionSerializer(ProjectEntrySerializer):
    class Meta:
        model = Inspection
        fields = ["id", "project", *services.INSPECTION_FIELDS, "reason"]


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
