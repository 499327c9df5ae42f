"""The survey import over the REST API: upload for a dry-run preview, then apply (or undo).

The same services as the import page and the `import_survey` command, so the same rules: the
upload is checked and previewed without writing the ledger; apply writes all rows or none.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.actors import actor_of
from core.api import ID_PATTERN, StrictSerializer
from imports import services
from imports.forms import UploadForm
from imports.models import ImportBatch
from imports.permissions import can_import
from imports.selectors import import_batch_list


class Imports(permissions.BasePermission):
    message = "只有专班成员和系统管理员可以导入摸排表。"

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in permissions.SAFE_METHODS or can_import(actor_of(request))


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_name",
            "status",
            "message",
            "progress",
            "counts",
            "uploaded_by",
            "created_at",
            "applied_at",
        ]
        read_only_fields = fields


class ImportBatchDetailSerializer(ImportBatchSerializer):
    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "preview"]
        read_only_fields = fields
        extra_kwargs = {
            "preview": {
                "help_text": (
                    "预览：识别的表头、新建的企业和专班，以及每行的状态"
                    "（new 新增 · changed 更新 · unchanged 无变化 · error 错误）、错误和变更"
                )
            }
        }


class UploadSerializer(StrictSerializer):
    file = serializers.FileField(help_text="摸排表（.xlsx），不超过30MB")

    def validate_file(self, upload: Any) -> Any:
        """The import page's own checks of the file (type, size)."""
        form = UploadForm(files={"file": upload})
        if not form.is_valid():
            raise serializers.ValidationError([str(e) for e in form.errors["file"]])
        return form.cleaned_data["file"]


@extend_schema(
    description=(
        "摸排表导入。POST 上传文件：检查并返回预览（不写入台账）；"
        "确认无误后 POST apply/ 导入（全部成功或全部不导入），undo/ 撤销。"
        "大文件（行数超过设置）由后台检查和导入，请轮询 status/progress。"
    )
)
class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated, Imports]
    parser_classes = [MultiPartParser]
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "id"]
    lookup_value_regex = ID_PATTERN

    queryset = ImportBatch.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return import_batch_list(actor=actor_of(self.request))

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "list":
            return ImportBatchSerializer
        if self.action == "create":
            return UploadSerializer
        return ImportBatchDetailSerializer

    def _shown(self, batch: ImportBatch, code: int = status.HTTP_200_OK) -> Response:
        batch.refresh_from_db()
        return Response(ImportBatchDetailSerializer(batch).data, status=code)

    @extend_schema(request=UploadSerializer, responses={201: ImportBatchDetailSerializer})
    def create(self, request: Request) -> Response:
        upload = UploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        batch = services.import_submit(
            actor=actor_of(request), upload=upload.validated_data["file"]
        )
        return self._shown(batch, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ImportBatchDetailSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None) -> Response:
        """Write the checked sheet to the ledger; refused (400) if any row has an error."""
        batch = services.import_confirm(actor=actor_of(request), batch=self.get_object())
        return self._shown(batch)

    @extend_schema(request=None, responses={200: ImportBatchDetailSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        """Restore the ledger as it was before the import, if nobody has changed it since."""
        batch = services.import_undo(actor=actor_of(request), batch=self.get_object())
        return self._shown(batch)
