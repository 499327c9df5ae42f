"""Figures the county's reports are measured against: annual delivery targets and market data."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class AnnualTarget(models.Model):
    """年度交房任务: county-wide (no 专班) or per 专班."""

    year = models.PositiveIntegerField("年度", validators=[MinValueValidator(2000)])
    task_force = models.ForeignKey(
        "projects.TaskForce",
        verbose_name="工作专班",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annual_targets",
        help_text="留空表示全县目标",
    )
    units = models.PositiveIntegerField("交房任务(套)")

    class Meta:
        verbose_name = "年度交房任务"
        verbose_name_plural = "年度交房任务"
        ordering = ["-year", "task_force"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "task_force"], name="annual_target_per_task_force"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(task_force__isnull=True),
                name="annual_target_county_once",
                violation_error_message="该年度已有全县交房任务。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.task_force or '全县'} {self.units}套"


class MarketFigure(models.Model):
    """商品住宅市场 figures of one month, entered by staff; the 月通报 derives 去化周期."""

    month = models.DateField("月份", unique=True, help_text="该月1日")
    sales_area = models.DecimalField(
        "商品住宅销售面积(m²)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    sales_units = models.PositiveIntegerField("商品住宅销售套数", null=True, blank=True)
    inventory_area = models.DecimalField(
        "商品住宅库存面积(m²)",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="月末已取得预售许可未售出的商品住宅面积",
    )
    inventory_units = models.PositiveIntegerField("商品住宅库存套数", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(verbose_name="市场数据变更记录")

    class Meta:
        verbose_name = "房地产市场月度数据"
        verbose_name_plural = "房地产市场月度数据"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}市场数据"

    def clean(self) -> None:
        if self.month and self.month.day != 1:
            raise ValidationError({"month": "月份应以该月1日表示。"})
