"""Every import, with its file, its checks and what it changed (so it can be undone)."""

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", "检查中"
        PREVIEWED = "previewed", "待确认"
        REJECTED = "rejected", "文件无法导入"
        APPLYING = "applying", "导入中"
        APPLIED = "applied", "已导入"
        FAILED = "failed", "导入失败"
        UNDONE = "undone", "已撤销"

    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    applied_at = models.DateTimeField("导入时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.CHECKING, db_index=True
    )
    message = models.TextField("说明", blank=True)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    counts = models.JSONField("统计", default=dict)
    preview = models.JSONField("预览", default=dict)
    changes = models.JSONField("写入记录", default=dict, help_text="撤销导入时据此恢复")
    as_of = models.DateField(
        "交房记录日期",
        null=True,
        blank=True,
        help_text="导入人在预览中指定；为空时取表中的截至/填报日期，表中没有则为导入当天",
    )

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} {self.created_at:%Y-%m-%d %H:%M}"
