"""现场照片 over the REST API: the same checks, storage and permissions as the project pages.

Photos are added to a weekly report or an inspection (several files in one multipart POST, all
refused if one is bad), listed without their GPS position, and their files are served only
through ledgers.photos.serving, to a reader who may see the project.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from core.actors import actor_of
from core.api import REASON_PARAM, StrictSerializer
from ledgers.models import Inspection, Photo, ProgressReport
from ledgers.photos.forms import photos_field
from ledgers.photos.services import photo_delete, photos_add
from ledgers.photos.serving import photo_response
from projects.api import EditsProject

UUID_PATTERN = "[0-9a-fA-F-]{32,36}"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")


class PhotoSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField(help_text="照片（已去除拍摄位置）")
    thumbnail = serializers.SerializerMethodField(help_text="缩略图")

    class Meta:
        model = Photo
        fields = [
            "uid",
            "project",
            "report",
            "inspection",
            "original_name",
            "content_type",
            "size",
            "width",
            "height",
            "taken_at",
            "uploaded_by",
            "uploaded_at",
            "image",
            "thumbnail",
        ]

    def _url(self, photo: Photo, name: str) -> str:
        return reverse(f"api:photo-{name}", args=[photo.uid])

    def get_image(self, photo: Photo) -> str:
        return self._url(photo, "image")

    def get_thumbnail(self, photo: Photo) -> str:
        return self._url(photo, "thumbnail")


class PhotoUploadSerializer(StrictSerializer):
    report = serializers.PrimaryKeyRelatedField(
        queryset=ProgressReport.objects.select_related("project__task_force"),
        required=False,
        help_text="进度填报（与 inspection 二选一）",
    )
    inspection = serializers.PrimaryKeyRelatedField(
        queryset=Inspection.objects.select_related("project__task_force"),
        required=False,
        help_text="质量安全检查（与 report 二选一）",
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        help_text="一张或多张照片：JPG、PNG、WEBP，每张和每次的上限与页面相同",
    )

    def validate_photos(self, uploads: list[Any]) -> list[Any]:
        """The project page's own checks of the files (how many, empty or nameless files)."""
        try:
            files = photos_field().clean(uploads)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        if not files:
            raise serializers.ValidationError("请选择要上传的照片。")
        return files

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("report" in attrs) == ("inspection" in attrs):
            raise serializers.ValidationError(
                "请指定一条进度填报（report）或一次检查（inspection），二者选一。"
            )
        return attrs


@extend_schema_view(
    destroy=extend_schema(parameters=[REASON_PARAM]),
    list=extend_schema(description="现场照片，最新上传的在前；可按项目、进度填报或检查筛选。"),
)
class PhotoViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """现场照片：上传到进度填报或质量安全检查，由本项目专班成员和系统管理员上传和删除。"""

    permission_classes = [permissions.IsAuthenticated, EditsProject]
    parser_classes = [MultiPartParser]
    serializer_class = PhotoSerializer
    filterset_fields = ["project", "report", "inspection"]
    ordering_fields = ["uploaded_at", "taken_at"]
    lookup_field = "uid"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self) -> QuerySet[Photo]:
        return Photo.objects.select_related("project__task_force", "uploaded_by").order_by(
            "-uploaded_at", "-pk"
        )

    @extend_schema(request=PhotoUploadSerializer, responses={201: PhotoSerializer(many=True)})
    def create(self, request: Request) -> Response:
        """上传照片（multipart）：全部通过检查才保存；任一张不合格时全部不保存，并说明原因。"""
        upload = PhotoUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        saved = photos_add(
            actor=actor_of(request),
            entry=data.get("report") or data["inspection"],
            uploads=data["photos"],
        )
        shown = self.get_queryset().filter(pk__in=[p.pk for p in saved]).order_by("pk")
        return Response(PhotoSerializer(shown, many=True).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Photo) -> None:
        photo_delete(
            actor=actor_of(self.request),
            photo=instance,
            reason=self.request.query_params.get("reason", ""),
        )

    def _file(self, field: str) -> FileResponse:
        return photo_response(actor_of(self.request), self.get_object(), field)

    @extend_schema(
        responses={
            (200, media): OpenApiResponse(OpenApiTypes.BINARY, description="照片，不含拍摄位置")
            for media in IMAGE_TYPES
        },
    )
    @action(detail=True, methods=["get"])
    def image(self, request: Request, uid: str | None = None) -> FileResponse:
        return self._file("image")

    @extend_schema(
        responses={(200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="缩略图")},
    )
    @action(detail=True, methods=["get"])
    def thumbnail(self, request: Request, uid: str | None = None) -> FileResponse:
        return self._file("thumbnail")
