"""The petition register over the REST API: registration, the workflow steps, the step log.

The list is the scoped selector (department staff see their own department's petitions only),
filtered by the page's FilterSet; personal data is masked as on the pages; every step goes
through `petition_take_action`, the same entry the detail page uses.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.cache import add_never_cache_headers
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actors import actor_of
from core.api import (
    LEADERS,
    ServiceViewSet,
    StrictCharField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
    StrictSerializer,
)
from core.masking import mask_id_number, mask_phone
from core.models import Department
from core.ordering import StrictOrderingFilter
from petitions import services
from petitions.filters import PetitionFilter
from petitions.models import Petition, PetitionEvent
from petitions.permissions import can_register, can_see_personal_data
from petitions.selectors import petition_list


class RegistersPetitions(permissions.BasePermission):
    message = "只有信访专员和系统管理员可以登记信访件。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(view, "action", None) != "create" or can_register(actor_of(request))


class PetitionEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(help_text="办理人姓名")

    class Meta:
        model = PetitionEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "actor_name", "at", "note"]

    def get_actor_name(self, event: PetitionEvent) -> str | None:
        return str(event.actor) if event.actor else None


class PetitionSerializer(StrictModelSerializer):
    deadline_state = serializers.SerializerMethodField(
        help_text="overdue 已逾期 · due_soon 即将到期 · ok 未到期；无期限时为空"
    )
    is_collective = serializers.BooleanField(read_only=True, help_text="集体访（人数达到阈值）")
    satisfaction = serializers.ChoiceField(
        choices=Petition.Satisfaction.choices,
        allow_blank=True,
        read_only=True,
        help_text="信访人评价；办结前为空",
    )

    class Meta:
        model = Petition
        fields = [
            "id",
            "number",
            *services.REGISTER_FIELDS,
            "status",
            "department",
            "case_leader",
            "decision_due_date",
            "decided_date",
            "accepted_date",
            "due_date",
            "extended_days",
            "extension_reason",
            "handling_due_date",
            "first_replied_date",
            "replied_date",
            "closed_date",
            "review_level",
            "review_requested_date",
            "satisfaction",
            "registered_by",
            "created_at",
            "deadline_state",
            "is_collective",
        ]
        read_only_fields = [name for name in fields if name not in services.REGISTER_FIELDS]
        extra_kwargs = {
            "received_date": {"required": False, "help_text": "登记日期，缺省为今天"},
        }

    def get_deadline_state(self, petition: Petition) -> str:
        return petition.deadline_state()

    def to_internal_value(self, data: Any) -> Any:
        """Phone and ID number as the registration form normalises them."""
        if isinstance(data, Mapping):
            data = dict(data.items())
            if isinstance(data.get("petitioner_phone"), str):
                data["petitioner_phone"] = data["petitioner_phone"].strip().replace(" ", "")
            if isinstance(data.get("petitioner_id_number"), str):
                data["petitioner_id_number"] = data["petitioner_id_number"].strip().upper()
        return super().to_internal_value(data)

    def to_representation(self, instance: Petition) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not can_see_personal_data(actor_of(request)):
            data["petitioner_phone"] = mask_phone(instance.petitioner_phone)
            data["petitioner_id_number"] = mask_id_number(instance.petitioner_id_number)
        return data


class PetitionDetailSerializer(PetitionSerializer):
    events = PetitionEventSerializer(many=True, read_only=True, help_text="办理记录")
    available_actions = serializers.SerializerMethodField(
        help_text="当前用户现在可以执行的办理环节（transition 的 action）"
    )

    class Meta(PetitionSerializer.Meta):
        fields = [*PetitionSerializer.Meta.fields, "events", "available_actions"]

    def get_available_actions(self, petition: Petition) -> list[str]:
        return services.available_actions(actor_of(self.context["request"]), petition)


ACTION_CHOICES = [(name, spec[0]) for name, spec in services.TRANSITIONS.items()]


class TransitionSerializer(StrictSerializer):
    """One step of the workflow; which fields a step needs is checked by the step itself."""

    action = serializers.ChoiceField(choices=ACTION_CHOICES, help_text="办理环节")
    note = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="办理意见；不予受理理由、延期理由、答复意见必填",
    )
    on = serializers.DateField(
        required=False, allow_null=True, help_text="受理/不予受理/答复/办结/申请日期，缺省为今天"
    )
    backdate_reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text="补录原因：答复日期早于今天时必填，按期办结率按录入日计算",
    )
    department = StrictPrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True, help_text="交办必填"
    )
    case_leader = StrictPrimaryKeyRelatedField(
        queryset=LEADERS, required=False, allow_null=True, help_text="包案领导（交办时可选）"
    )
    days = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=services.MAX_EXTENSION_DAYS,
        help_text="延长天数（延期必填）",
    )
    satisfaction = serializers.ChoiceField(
        choices=Petition.Satisfaction.choices, required=False, help_text="信访人评价（办结必填）"
    )


def _with_events(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    return qs.prefetch_related(
        Prefetch("events", queryset=PetitionEvent.objects.select_related("actor"))
    )


@extend_schema(
    description=(
        "信访件。部门人员只能看到交本部门办理的信访件；除信访专员和系统管理员外，"
        "联系电话和身份证号均为脱敏显示。筛选参数与信访件列表页相同。"
    )
)
class PetitionViewSet(ServiceViewSet):
    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [permissions.IsAuthenticated, RegistersPetitions]
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = PetitionFilter
    ordering_fields = ["received_date", "number", "due_date", "status", "headcount"]

    queryset = Petition.objects.none()  # for the schema; requests use get_queryset

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Petitioners' phone and ID numbers, whole for the petition office: kept in no cache."""
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def get_queryset(self) -> QuerySet[Petition]:
        qs = petition_list(actor=actor_of(self.request))
        return qs if self.action == "list" else _with_events(qs)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return PetitionSerializer
        if self.action == "transition":
            return TransitionSerializer
        return PetitionDetailSerializer

    def create_object(self, data: dict[str, Any], reason: str) -> Petition:
        return services.petition_register(actor=actor_of(self.request), data=data)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: PetitionDetailSerializer},
        description=(
            "办理一个环节：accept 受理 · reject 不予受理 · assign 交办 · extend 延期 · "
            "reply 答复 · close 办结 · review 申请复查/复核。状态不允许或无权办理时返回400/403。"
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        petition = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.petition_take_action(
            actor=actor_of(request), petition=petition, action=data.pop("action"), data=data
        )
        shown = self.reread(petition)
        return Response(PetitionDetailSerializer(shown, context=self.get_serializer_context()).data)
