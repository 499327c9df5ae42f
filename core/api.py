"""What every resource of the REST API shares: strict input, service errors as 400, error shapes.

Services raise Django's ValidationError and PermissionDenied with Chinese messages; the handler
here turns them into the same 400/403 bodies DRF gives for its own checks, so a client sees one
error shape whichever layer refused the request.
"""

from collections.abc import Mapping
from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from core.actors import actor_of
from core.models import Department, User
from core.roles import Role
from core.selectors import user_directory

ERROR_SCHEMA = {
    "type": "object",
    "description": "请求被拒绝的原因。",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
        "字段错误：键为字段名（与请求中的参数或字段同名），值为该字段的错误信息；"
        "不属于某个字段的错误在 non_field_errors 中。"
    ),
    "properties": {
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


def add_error_components(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Schema hook: the two error shapes every operation refers to (see `Schema`), and empty
    query values marked as allowed — an empty filter means "all", as in the pages' filter forms."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    schemas["FieldErrors"] = FIELD_ERRORS_SCHEMA
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
    return result


# Object ids in paths: digits only. Anything else, or a number past the column's range, is a
# JSON 404 (the catch-all route, or an empty lookup) — never a database error.
ID_PATTERN = "[0-9]+"
UNKNOWN_FIELD = "未知或只读字段，不能提交。"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "数据已被他人修改，请重新读取后再提交。"
    default_code = "conflict"


def service_error_detail(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as DRF field errors; others go to non_field_errors."""
    if hasattr(error, "error_dict"):
        detail: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name
            detail.setdefault(key, []).extend(messages)
        return detail
    return {api_settings.NON_FIELD_ERRORS_KEY: list(error.messages)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, also for the ValidationError a service raises (an edit conflict is 409)."""
    if isinstance(exc, DjangoValidationError):
        if getattr(exc, "code", None) == "edit_conflict":
            exc = Conflict(exc.messages[0])
        else:
            exc = exceptions.ValidationError(service_error_detail(exc))
    return exception_handler(exc, context)


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/ answer in JSON like every other API error (whatever the method:
    it writes nothing, so the CSRF check's HTML refusal would only hide the real answer)."""
    return JsonResponse({"detail": "未找到。"}, status=404)


WRONG_TYPE = "类型不正确：应为{expected}。"


def _require_type(data: Any, expected: tuple[type, ...], label: str) -> None:
    """JSON types as the schema states them: DRF would otherwise take 4 for a text, "4" or 4.0
    for an integer, 1 for a boolean — input a client did not mean."""
    if not isinstance(data, expected) or (isinstance(data, bool) and bool not in expected):
        raise serializers.ValidationError(WRONG_TYPE.format(expected=label))


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        _require_type(data, (str,), "字符串")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        _require_type(data, (int,), "整数")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    def to_internal_value(self, data: Any) -> Any:
        _require_type(data, (str,), '字符串形式的数字（如 "1200.50"），以免浮点误差')
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        _require_type(data, (bool,), "true 或 false")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    def to_internal_value(self, data: Any) -> Any:
        _require_type(data, (int,), "对象编号（整数）")
        return super().to_internal_value(data)


_STRICT: dict[type, type] = {
    serializers.CharField: StrictCharField,
    serializers.IntegerField: StrictIntegerField,
    serializers.DecimalField: StrictDecimalField,
    serializers.BooleanField: StrictBooleanField,
}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not accept, so a misspelt field is an error and not silently lost."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(name) for name in data if name not in writable)
            if unknown:
                raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    """Model fields become the strict fields above. Integers are also bounded by the portable
    column ranges (PostgreSQL's), not the current database's: SQLite would store 2**40 套, and
    the schema must not depend on the database."""

    serializer_field_mapping = {
        model_field: _STRICT.get(api_field, api_field)
        for model_field, api_field in serializers.ModelSerializer.serializer_field_mapping.items()
    }
    serializer_related_field = StrictPrimaryKeyRelatedField

    def build_standard_field(
        self, field_name: str, model_field: Any
    ) -> tuple[type, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        bounds = BaseDatabaseOperations.integer_field_ranges.get(model_field.get_internal_type())
        if bounds is not None and not model_field.choices:
            low, high = bounds
            kwargs["min_value"] = max(kwargs.get("min_value", low), low)
            kwargs["max_value"] = min(kwargs.get("max_value", high), high)
        return field_class, kwargs


class Schema(AutoSchema):
    """Every operation documents the errors it can give, in the shapes the handler produces."""

    def _get_response_bodies(
        self, direction: Literal["request", "response"] = "response"
    ) -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        error = {"$ref": "#/components/schemas/Error"}
        codes: dict[str, tuple[str, dict[str, Any]]] = {
            "401": ("未登录或令牌无效。", error),
            "403": ("无权执行该操作。", error),
        }
        if (
            self.method != "GET"
            or self._is_list_view()
            or self._get_filter_parameters()
            or self.get_override_parameters()
        ):
            codes["400"] = (
                "请求参数或字段有误。",
                {
                    "oneOf": [
                        {"$ref": "#/components/schemas/FieldErrors"},
                        {"$ref": "#/components/schemas/Error"},
                    ]
                },
            )
        if "{" in self.path or self._is_list_view():
            codes["404"] = ("对象不存在，或不在您可以查看的范围内；或页码超出范围。", error)
        if self.method in ("POST", "PUT", "PATCH"):
            codes["415"] = ("不支持的请求格式。", error)
        for code, (description, schema) in codes.items():
            content = {"application/json": {"schema": schema}}
            responses.setdefault(code, {"description": description, "content": content})
        return responses


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "phone"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(help_text="角色代码")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "title", "department", "roles"]

    def get_roles(self, user: User) -> list[str]:
        names = {group.name for group in user.groups.all()}  # prefetched: no query per user
        if user.is_superuser:
            names.add(Role.ADMIN)
        return sorted(names)


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID_PATTERN


class DepartmentViewSet(ReadOnlyViewSet):
    """部门：信访件承办部门、问题责任部门、督办责任部门的编号在此查询。"""

    serializer_class = DepartmentSerializer
    queryset = Department.objects.order_by("name")
    search_fields = ["name"]
    ordering_fields = ["name", "id"]


@extend_schema(
    description=(
        "用户：包案领导、责任人等的编号在此查询（不含联系电话）。只列出本角色需要的账号："
        "系统管理员可见全部账号；县领导和专班成员可见在用的工作人员（不含系统管理员）；"
        "信访专员可见县领导和本人；部门人员可见本部门人员。"
    )
)
class UserViewSet(ReadOnlyViewSet):
    serializer_class = UserSerializer
    search_fields = ["username", "full_name"]
    ordering_fields = ["username", "id"]
    filterset_fields = ["department"]

    queryset = User.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[User]:
        return (
            user_directory(actor=actor_of(self.request))
            .prefetch_related("groups")
            .order_by("username")
        )


LEADERS = User.objects.filter(groups__name=Role.LEADER)


class ServiceViewSet(viewsets.ModelViewSet):
    """A resource whose writes go through its app's services, never through serializer.save().

    Subclasses implement `create_object` / `update_object` (and `destroy_object` where the app has
    a delete service); the response shows the object as `get_queryset` reads it back.
    """

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    lookup_value_regex = ID_PATTERN

    def create_object(self, data: dict[str, Any], reason: str) -> Any:
        raise NotImplementedError

    def update_object(self, instance: Any, data: dict[str, Any], reason: str) -> Any:
        raise NotImplementedError

    def destroy_object(self, instance: Any, reason: str) -> None:
        raise NotImplementedError

    def reread(self, obj: Any) -> Any:
        """The saved object as the list shows it (annotations, related names)."""
        return self.get_queryset().get(pk=obj.pk)

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = self.reread(self.create_object(data, reason))

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        serializer.instance = self.reread(self.update_object(serializer.instance, data, reason))

    def perform_destroy(self, instance: Any) -> None:
        self.destroy_object(instance, self.request.query_params.get("reason", ""))


# The `reason` a DELETE takes (ServiceViewSet.perform_destroy), for the schema.
REASON_PARAM = OpenApiParameter(
    "reason", str, description="删除说明（记入变更记录）", required=False
)


VERSION_HELP = "修改时必填：读取时的版本号；他人已保存了新版本时返回409，本次修改不生效。"


def version_field() -> serializers.IntegerField:
    """The row's version (core.versioning): read with the row, sent back with an edit."""
    return StrictIntegerField(
        help_text=VERSION_HELP, required=False, min_value=0, max_value=2_147_483_647
    )


def expected_version(data: dict[str, Any]) -> int:
    """Take the version an edit was based on out of the validated data; an edit without it
    could silently undo someone else's change, so it is refused."""
    version = data.pop("version", None)
    if version is None:
        raise exceptions.ValidationError({"version": ["修改时须提交读取时的版本号（version）。"]})
    return int(version)


def reason_field() -> serializers.CharField:
    """变更说明, written on the history row of the change."""
    return StrictCharField(
        help_text="变更说明（记入变更记录）",
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
    )
