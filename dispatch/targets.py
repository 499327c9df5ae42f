"""Annual delivery targets (年度交房任务): what 交房任务完成率 is measured against."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


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
