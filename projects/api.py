"""The project ledger over the REST API: companies, 专班, projects and their 一楼一策 milestones.

Reads go through the ledger selectors and the list page's FilterSet (so `?q=…&risk=high&o=-delay`
means the same in the browser and the API); writes go through projects.services.
"""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from core.actors import actor_of
from core.api import (
    LEADERS,
    ReadOnlyViewSet,
    ServiceViewSet,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
    expected_version,
    reason_field,
    version_field,
)
from projects import services
from projects.filters import ProjectFilter
from projects.models import Company, Milestone, Project, TaskForce, Township
from projects.permissions import (
    REFUSED_EDIT,
    can_create_project,
    can_edit_companies,
    can_edit_project,
)
from projects.selectors import (
    Risk,
    project_list,
    risk_level,
    risk_reasons,
    township_list,
    township_lookup,
)


class EditsProject(permissions.BasePermission):
    """Writes to a project or one of its entries: admins and the project's own 专班."""

    message = REFUSED_EDIT

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        project = obj if isinstance(obj, Project) else obj.project
        return can_edit_project(actor_of(request), project)


class CreatesProject(permissions.BasePermission):
    message = "只有专班成员和系统管理员可以新建项目。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method != "POST" or can_create_project(actor_of(request))


class EditsCompanies(permissions.BasePermission):
    message = "只有专班成员和系统管理员可以登记和修改企业。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in permissions.SAFE_METHODS or can_edit_companies(actor_of(request))


class CompanySerializer(StrictModelSerializer):
    version = version_field()
    reason = reason_field()

    class Meta:
        model = Company
        fields = ["id", *services.COMPANY_FIELDS, "version", "reason"]


class CompanyViewSet(ServiceViewSet):
    """企业：开发企业、建设单位、总包单位。"""

    serializer_class = CompanySerializer
    permission_classes = [permissions.IsAuthenticated, EditsCompanies]
    search_fields = ["name", "credit_code", "legal_representative"]
    ordering_fields = ["name", "id"]

    def get_queryset(self) -> QuerySet[Company]:
        return Company.objects.order_by("name")

    def create_object(self, data: dict[str, Any], reason: str) -> Company:
        data.pop("version", None)
        return services.company_create(actor=actor_of(self.request), data=data)

    def update_object(self, instance: Company, data: dict[str, Any], reason: str) -> Company:
        return services.company_update(
            actor=actor_of(self.request),
            company=instance,
            data=data,
            expected_version=expected_version(data),
            reason=reason,
        )


class TaskForceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskForce
        fields = ["id", "name", "leader", "members", "description"]


class TaskForceViewSet(ReadOnlyViewSet):
    """工作专班（只读；专班由系统管理员在后台维护）。"""

    serializer_class = TaskForceSerializer
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self) -> QuerySet[TaskForce]:
        return TaskForce.objects.prefetch_related("members").order_by("name")


@extend_schema_field(OpenApiTypes.STR)
class TownshipField(serializers.RelatedField[Township, str, str]):
    """A township by its name, as on the list the administrator keeps. Width and spaces do not
    matter; a near miss (城关 for 城关镇) is refused with the names it may mean."""

    def get_queryset(self) -> QuerySet[Township]:
        return township_list()

    def to_internal_value(self, data: Any) -> Township:
        if not isinstance(data, str):
            raise serializers.ValidationError("应为乡镇(街道)名称（字符串）。")
        match = township_lookup(data)
        if match.township is None:
            raise serializers.ValidationError(match.message())
        return match.township

    def to_representation(self, value: Any) -> str:
        return str(value.name)


class ProjectSerializer(StrictModelSerializer):
    township = TownshipField(help_text="所在乡镇(街道)：乡镇(街道)列表中的名称")
    developer_name = serializers.CharField(source="developer.name", read_only=True)
    task_force_name = serializers.CharField(source="task_force.name", read_only=True)
    units_undelivered = serializers.IntegerField(read_only=True, help_text="未交房套数（派生）")
    delivery_rate = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        read_only=True,
        allow_null=True,
        help_text="交房率 = 已交房套数 / 已售套数，0.813即81.3%（派生，四舍五入；未售时为空）",
    )
    delay_days = serializers.IntegerField(read_only=True, help_text="延期天数（派生）")
    risk_level = serializers.SerializerMethodField(help_text="风险等级（派生，规则见项目页）")
    risk_reasons = serializers.SerializerMethodField(help_text="适用的风险规则")
    reason = reason_field()

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "name",
            "township",
            "address",
            "developer",
            "developer_name",
            "construction_unit",
            "general_contractor",
            "total_floor_area",
            "sold_area",
            "total_units",
            "units_sold",
            "units_delivered",
            "units_delivered_opening",
            "units_undelivered",
            "delivery_rate",
            "contract_delivery_date",
            "expected_delivery_date",
            "delay_days",
            "construction_status",
            "progress_percent",
            "task_force",
            "task_force_name",
            "responsible_leader",
            "contact_person",
            "contact_phone",
            "strategy",
            "whitelisted",
            "funding_gap",
            "wages_owed",
            "last_report_date",
            "risk_level",
            "risk_reasons",
            "notes",
            "version",
            "created_at",
            "updated_at",
            "reason",
        ]
        read_only_fields = [
            "units_delivered",
            "construction_status",
            "progress_percent",
            "funding_gap",
            "wages_owed",
            "last_report_date",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "code": {
                "required": False,
                "allow_blank": True,
                "help_text": "项目编号；新建时留空则按台账规则自动生成（BJF-年份-序号）",
            },
            "units_delivered_opening": {
                "required": False,
                "help_text": "期初已交房套数：纳入台账前已交付的套数，只能在新建时填写；"
                "计入累计已交房和交房率，不计入任何时段的交房",
            },
            "version": {
                "required": False,
                "help_text": "修改时必填：读取项目时的版本号；他人已保存新版本时返回409。",
            },
            "responsible_leader": {"queryset": LEADERS},
        }

    def validate_units_delivered_opening(self, value: int) -> int:
        if self.instance is not None and value != self.instance.units_delivered_opening:
            raise ValidationError("期初已交房套数只能在新建项目时填写。")
        return value

    @extend_schema_field(serializers.ChoiceField(choices=Risk.CHOICES))
    def get_risk_level(self, project: Project) -> str:
        return risk_level(project)

    def get_risk_reasons(self, project: Project) -> list[str]:
        return risk_reasons(project)


CONFLICT = OpenApiResponse(
    response={"$ref": "#/components/schemas/Error"},
    description="他人已保存了更新的版本，本次修改未生效。",
)


@extend_schema(
    description=(
        "项目台账。筛选参数与台账页面相同（可直接使用页面地址栏中的查询串）；"
        "排序用 o，如 o=-delay。派生字段只读，由台账填报自动更新。"
    )
)
@extend_schema(methods=["PUT", "PATCH"], responses={200: ProjectSerializer, 409: CONFLICT})
class ProjectViewSet(ServiceViewSet):
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticated, CreatesProject, EditsProject]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet[Project]:
        return project_list(actor=actor_of(self.request))

    def create_object(self, data: dict[str, Any], reason: str) -> Project:
        data.pop("version", None)
        return services.project_create(actor=actor_of(self.request), data=data, reason=reason)

    def update_object(self, instance: Project, data: dict[str, Any], reason: str) -> Project:
        data.pop("units_delivered_opening", None)  # unchanged: the serializer refused a change
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["修改项目时须提交读取时的版本号（version）。"]})
        return services.project_update(
            actor=actor_of(self.request),
            project=instance,
            data=data,
            expected_version=version,
            reason=reason,
        )


class ProjectEntrySerializer(StrictModelSerializer):
    """An entry that belongs to one project: named on creation, never moved to another."""

    project = StrictPrimaryKeyRelatedField(queryset=Project.objects.all())
    version = version_field()
    reason = reason_field()

    def validate_project(self, project: Project) -> Project:
        if self.instance is not None and project.pk != self.instance.project_id:
            raise ValidationError("不能把记录移到另一个项目。")
        return project


class MilestoneSerializer(ProjectEntrySerializer):
    class Meta:
        model = Milestone
        fields = ["id", "project", *services.MILESTONE_FIELDS, "version", "reason"]


class EntryViewSet(ServiceViewSet):
    """Ledger entries of a project: everyone reads them, the project's 专班 writes them."""

    permission_classes = [permissions.IsAuthenticated, EditsProject]

    create_service: Any
    update_service: Any
    update_arg: str

    def create_object(self, data: dict[str, Any], reason: str) -> Any:
        project = data.pop("project")
        data.pop("version", None)
        return self.create_service(
            actor=actor_of(self.request), project=project, data=data, reason=reason
        )

    def update_object(self, instance: Any, data: dict[str, Any], reason: str) -> Any:
        data.pop("project", None)  # the serializer has refused any other project
        return self.update_service(
            actor=actor_of(self.request),
            **{self.update_arg: instance},
            data=data,
            expected_version=expected_version(data),
            reason=reason,
        )


class MilestoneViewSet(EntryViewSet):
    """一楼一策节点。"""

    serializer_class = MilestoneSerializer
    filterset_fields = ["project"]
    ordering_fields = ["planned_date", "done_date", "id"]
    search_fields = ["title", "note"]
    create_service = staticmethod(services.milestone_create)
    update_service = staticmethod(services.milestone_update)
    update_arg = "milestone"

    def get_queryset(self) -> QuerySet[Milestone]:
        return Milestone.objects.select_related("project__task_force").order_by(
            "project", "planned_date", "pk"
        )
