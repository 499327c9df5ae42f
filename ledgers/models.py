"""What changes week by week (动态更新管理): progress, problems, money, deliveries, checks."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.dates import check_entry_dates, entry_date_errors
from core.versioning import Versioned
from projects.models import Project

_NON_NEGATIVE = [MinValueValidator(0)]


class ProgressReport(Versioned):
    """进度填报: one per project and week; the latest sets the project's current figures."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress_reports"
    )
    period_start = models.DateField("填报周(周一)", help_text="该周的周一")
    report_date = models.DateField("填报日期")
    construction_status = models.CharField(
        "施工状态", max_length=20, choices=Project.Status.choices
    )
    progress_percent = models.DecimalField(
        "形象进度(%)",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    units_delivered_cumulative = models.PositiveIntegerField("累计交房套数")
    workers_on_site = models.PositiveIntegerField("在岗工人数", default=0)
    funds_received = models.DecimalField(
        "本周到位资金(万元)",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=_NON_NEGATIVE,
    )
    note = models.TextField("进展说明", blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="进度填报变更记录")

    class Meta:
        verbose_name = "进度填报"
        verbose_name_plural = "进度填报"
        ordering = ["project", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start"],
                name="progress_report_one_per_week",
                violation_error_message="该项目本周已有进度填报，请修改原记录。",
            )
        ]
        indexes = [models.Index(fields=["period_start"])]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_start:%Y-%m-%d}周"

    def clean(self) -> None:
        """Dated within or after its own week, neither in the future nor before the floor."""
        errors = entry_date_errors(self, ["period_start", "report_date"])
        week, day = self.period_start, self.report_date
        if isinstance(week, datetime.date) and week.weekday() != 0:
            errors["period_start"] = "填报周应以周一的日期表示。"
        elif (
            isinstance(week, datetime.date)
            and isinstance(day, datetime.date)
            and day < week
            and "report_date" not in errors
        ):
            sunday = week + datetime.timedelta(days=6)
            errors["report_date"] = (
                f"填报日期{day:%Y-%m-%d}早于所报的周（{week:%Y-%m-%d}至{sunday:%Y-%m-%d}），"
                "填报日期应在该周之内或之后。"
            )
        if errors:
            raise ValidationError(errors)


class Problem(Versioned):
    """问题清单: each open problem blocks delivery until resolved."""

    class Type(models.TextChoices):
        FUNDING_GAP = "funding_gap", "资金短缺"
        PERMITS = "permits", "手续不全"
        WAGE_ARREARS = "wage_arrears", "劳资纠纷/欠薪"
        QUALITY = "quality", "工程质量"
        SAFETY = "safety", "安全隐患"
        SEIZURE = "seizure", "司法查封"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "未解决"
        IN_PROGRESS = "in_progress", "化解中"
        RESOLVED = "resolved", "已化解"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="problems"
    )
    problem_type = models.CharField("问题类型", max_length=20, choices=Type.choices, db_index=True)
    description = models.TextField("问题描述")
    amount = models.DecimalField(
        "涉及金额(万元)",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=_NON_NEGATIVE,
        help_text="资金缺口或拖欠工资金额",
    )
    responsible_department = models.ForeignKey(
        "core.Department",
        verbose_name="责任部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    deadline = models.DateField("化解时限", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    reported_date = models.DateField("发现日期")
    resolved_date = models.DateField("化解日期", null=True, blank=True)
    resolution = models.TextField("化解措施", blank=True)
    history = HistoricalRecords(verbose_name="问题变更记录")

    class Meta:
        verbose_name = "问题"
        verbose_name_plural = "问题清单"
        ordering = ["project", "-reported_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="resolved", resolved_date__isnull=False)
                | (~Q(status="resolved") & Q(resolved_date__isnull=True)),
                name="problem_resolved_has_date",
                violation_error_message="已化解的问题须填写化解日期，未化解的不能有化解日期。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_problem_type_display()}"

    def clean(self) -> None:
        errors = entry_date_errors(self, ["reported_date", "resolved_date"])
        if self.status == self.Status.RESOLVED and not self.resolved_date:
            errors["resolved_date"] = "已化解的问题须填写化解日期。"
        if self.status != self.Status.RESOLVED and self.resolved_date:
            errors["resolved_date"] = "问题未化解时不应填写化解日期。"
        found, resolved = self.reported_date, self.resolved_date
        if (
            isinstance(found, datetime.date)
            and isinstance(resolved, datetime.date)
            and resolved < found
            and "resolved_date" not in errors
        ):
            errors["resolved_date"] = (
                f"化解日期{resolved:%Y-%m-%d}早于该问题的发现日期{found:%Y-%m-%d}，"
                "问题只能在发现之后化解。"
            )
        if errors:
            raise ValidationError(errors)


OPEN_PROBLEM_STATUSES = [Problem.Status.OPEN, Problem.Status.IN_PROGRESS]


class FundingRecord(Versioned):
    """资金台账: money sought or raised for a project, by source."""

    class Source(models.TextChoices):
        SPECIAL_LOAN = "special_loan", "专项借款"
        WHITELIST_LOAN = "whitelist_loan", "白名单贷款"
        ASSET_DISPOSAL = "asset_disposal", "盘活存量资产"
        DEVELOPER_OWN = "developer_own", "企业自筹"
        FISCAL = "fiscal", "财政资金"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        APPLIED = "applied", "已申请"
        APPROVED = "approved", "已审批"
        DISBURSED = "disbursed", "已到位"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="funding_records"
    )
    source = models.CharField("资金来源", max_length=20, choices=Source.choices)
    amount = models.DecimalField(
        "金额(万元)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.APPLIED)
    date = models.DateField("日期")
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="资金变更记录")

    class Meta:
        verbose_name = "资金记录"
        verbose_name_plural = "资金台账"
        ordering = ["project", "-date"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.get_source_display()} {self.amount}万元"

    def clean(self) -> None:
        check_entry_dates(self, ["date"])


class DeliveryRecord(Versioned):
    """交房记录: a batch of homes handed to buyers."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="deliveries"
    )
    date = models.DateField("交房日期", db_index=True)
    units = models.PositiveIntegerField("交房套数", validators=[MinValueValidator(1)])
    area = models.DecimalField(
        "交房面积(m²)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=_NON_NEGATIVE,
    )
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="交房变更记录")

    class Meta:
        verbose_name = "交房记录"
        verbose_name_plural = "交房记录"
        ordering = ["project", "-date"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date:%Y-%m-%d} {self.units}套"

    def clean(self) -> None:
        check_entry_dates(self, ["date"])


class Inspection(Versioned):
    """质量安全检查 and the rectification it demands."""

    class Kind(models.TextChoices):
        QUALITY = "quality", "质量检查"
        SAFETY = "safety", "安全检查"

    class Severity(models.TextChoices):
        NONE = "none", "无问题"
        MINOR = "minor", "一般"
        MAJOR = "major", "较大"
        CRITICAL = "critical", "重大"

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="inspections"
    )
    date = models.DateField("检查日期")
    kind = models.CharField("检查类型", max_length=20, choices=Kind.choices)
    findings = models.TextField("发现问题", blank=True)
    severity = models.CharField(
        "严重程度", max_length=20, choices=Severity.choices, default=Severity.NONE
    )
    injuries = models.PositiveIntegerField("伤亡人数", default=0)
    direct_loss = models.DecimalField(
        "直接经济损失(万元)",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        validators=_NON_NEGATIVE,
    )
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    rectified_date = models.DateField("整改完成日期", null=True, blank=True)
    history = HistoricalRecords(verbose_name="检查变更记录")

    class Meta:
        verbose_name = "质量安全检查"
        verbose_name_plural = "质量安全检查"
        ordering = ["project", "-date"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        errors = entry_date_errors(self, ["date", "rectified_date"])
        if self.rectification_deadline and self.date and self.rectification_deadline < self.date:
            errors["rectification_deadline"] = "整改期限不能早于检查日期。"
        if self.rectified_date and self.date and self.rectified_date < self.date:
            errors.setdefault("rectified_date", "整改完成日期不能早于检查日期。")
        if errors:
            raise ValidationError(errors)


class PhotoStorage(Storage):
    """Private storage of the site photos, STORAGES["photos"] (a local folder outside MEDIA_ROOT
    or an S3-compatible bucket; never a public URL), looked up on every use rather than once
    when the models load, so a changed setting takes effect."""

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__"):
            return super().__getattribute__(name)
        return getattr(storages["photos"], name)


def photo_storage() -> Storage:
    return PhotoStorage()


class Photo(models.Model):
    """现场照片 of a weekly report or an inspection, stored beside its entry
    (photos/<project>/<report-or-inspection>/<uid>…) and shown only through a view that checks
    the reader may see the project.

    Three files: the original as uploaded (kept for the record, never served: its EXIF carries
    the GPS position), the display copy (upright, EXIF without GPS) and the thumbnail.
    """

    uid = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="photos"
    )
    report = models.ForeignKey(
        ProgressReport,
        verbose_name="进度填报",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name="质量安全检查",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    original = models.FileField("原图", storage=photo_storage, max_length=200)
    image = models.FileField("照片", storage=photo_storage, max_length=200)
    thumbnail = models.FileField("缩略图", storage=photo_storage, max_length=200)
    content_type = models.CharField("格式", max_length=30)
    original_name = models.CharField("原文件名", max_length=100, blank=True)
    size = models.PositiveIntegerField("原图大小(字节)")
    width = models.PositiveIntegerField("宽(像素)")
    height = models.PositiveIntegerField("高(像素)")
    taken_at = models.DateTimeField("拍摄时间", null=True, blank=True, help_text="取自照片EXIF")
    latitude = models.DecimalField(
        "拍摄位置纬度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "拍摄位置经度", max_digits=9, decimal_places=6, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="现场照片变更记录")

    class Meta:
        verbose_name = "现场照片"
        verbose_name_plural = "现场照片"
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, inspection__isnull=True)
                | Q(report__isnull=True, inspection__isnull=False),
                name="photo_belongs_to_one_entry",
                violation_error_message="照片应属于一条进度填报或一次检查。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.original_name or self.uid}"

    @property
    def entry(self) -> "ProgressReport | Inspection":
        return self.report or self.inspection  # type: ignore[return-value]
