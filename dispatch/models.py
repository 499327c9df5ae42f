"""The work cycle: weekly dispatch meetings, supervision tasks, reports and annual targets."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.dates import counted_day
from core.versioning import Versioned
from dispatch.targets import AnnualTarget

__all__ = [
    "AnnualTarget",
    "AssessmentIndicator",
    "AssessmentScore",
    "DispatchMeeting",
    "MarketFigure",
    "Report",
    "ReportSequence",
    "ReportTemplate",
    "SupervisionTask",
]


class DispatchMeeting(Versioned):
    """周调度会."""

    date = models.DateField("会议日期", db_index=True)
    title = models.CharField("会议名称", max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="主持人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="参会人员", blank=True, related_name="meetings"
    )
    minutes = models.TextField("会议纪要", blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="调度项目", blank=True, related_name="meetings"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="调度会变更记录")

    class Meta:
        verbose_name = "周调度会"
        verbose_name_plural = "周调度会"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class SupervisionTask(Versioned):
    """督办事项 from a meeting, a ledger problem or a petition; overdue ones feed 督查问责."""

    class Source(models.TextChoices):
        MEETING = "meeting", "调度会"
        PROBLEM = "problem", "台账问题"
        PETITION = "petition", "信访件"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        OPEN = "open", "待办理"
        IN_PROGRESS = "in_progress", "办理中"
        DONE = "done", "已完成"

    source = models.CharField("来源", max_length=20, choices=Source.choices)
    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name="来源会议",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    problem = models.ForeignKey(
        "ledgers.Problem",
        verbose_name="来源问题",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name="来源信访件",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="项目",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
    )
    title = models.CharField("督办事项", max_length=200)
    description = models.TextField("具体要求", blank=True)
    assignee_department = models.ForeignKey(
        "core.Department",
        verbose_name="责任部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    deadline = models.DateField("完成时限", db_index=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    done_date = models.DateField("完成日期", null=True, blank=True)
    done_recorded_at = models.DateTimeField("办结登记时间", null=True, blank=True)
    backdate_reason = models.CharField("补录理由", max_length=200, blank=True)
    result = models.TextField("办理结果", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="交办人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("交办时间", auto_now_add=True)
    history = HistoricalRecords(verbose_name="督办变更记录")

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_department__isnull=False) | Q(assignee_user__isnull=False),
                name="task_has_assignee",
                violation_error_message="督办事项须指定责任部门或责任人。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.DONE and self.deadline < timezone.localdate()

    @property
    def counted_done_date(self) -> datetime.date | None:
        """The day that decides 按期完成: never earlier than the day the completion was recorded,
        so a back-dated one (补录) does not turn late work into on time."""
        return counted_day(self.done_date, self.done_recorded_at)

    @property
    def is_backdated(self) -> bool:
        return self.counted_done_date != self.done_date


class Report(models.Model):
    """A generated report: version 1, 2, … of its kind and period.

    Regenerating rewrites the latest version while nobody has written a 批示 on it or published
    it; once a leader has, that version stays as the leader saw it and the next generation
    becomes a new version (issue 15).
    """

    class Kind(models.TextChoices):
        WEEKLY = "weekly", "周调度简报"
        MONTHLY = "monthly", "月通报"
        QUARTERLY = "quarterly", "季度考核"

    kind = models.CharField("报告类型", max_length=20, choices=Kind.choices)
    period_start = models.DateField("期间开始")
    period_end = models.DateField("期间结束")
    version = models.PositiveIntegerField("版本", default=1)
    generated_at = models.DateTimeField("生成时间")
    file = models.FileField("Excel文件", upload_to="reports/%Y/", blank=True)
    data = models.JSONField("数据快照", default=dict)
    remark = models.TextField("领导批示", blank=True)
    published = models.BooleanField("已发布", default=False)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    doc_year = models.PositiveIntegerField("发文年度", null=True, blank=True)
    doc_serial = models.PositiveIntegerField("发文序号", null=True, blank=True)

    class Meta:
        verbose_name = "报告"
        verbose_name_plural = "报告"
        ordering = ["-period_start", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "version"],
                name="report_one_per_kind_period_version",
            ),
            models.UniqueConstraint(
                fields=["doc_year", "doc_serial"],
                name="report_doc_number_once",
                violation_error_message="该发文字号已被使用。",
            ),
        ]

    def __str__(self) -> str:
        version = f" 第{self.version}版" if self.version > 1 else ""
        return f"{self.get_kind_display()} {self.period_start:%Y-%m-%d}{version}"

    @property
    def is_settled(self) -> bool:
        """A leader has written a 批示 on it or published it: never regenerated in place."""
        return self.published or bool(self.remark)

    @property
    def doc_number(self) -> str:
        """发文字号 as GB/T 9704 writes it: 县保交房办〔2026〕12号 (no leading zeros, no 第)."""
        if self.doc_serial is None:
            return ""
        return f"{settings.REPORT_NUMBER_PREFIX}〔{self.doc_year}〕{self.doc_serial}号"

    @property
    def as_of(self) -> datetime.date:
        """The day the figures stand at: the period's end, or the day it was built if earlier."""
        return min(self.period_end, timezone.localtime(self.generated_at).date())


class ReportSequence(models.Model):
    """The last 发文序号 issued per year: a locked row, so numbers never repeat."""

    year = models.PositiveIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已发号", default=0)

    class Meta:
        verbose_name = "发文字号序列"
        verbose_name_plural = "发文字号序列"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReportTemplate(models.Model):
    """The wording of a report as a document (公文): title, 主送, body and 抄送 with {{名称}}
    placeholders for the snapshot's figures, so the office edits prose and never types a number.
    """

    kind = models.CharField("报告类型", max_length=20, choices=Report.Kind.choices, unique=True)
    title = models.CharField("公文标题", max_length=200)
    recipients = models.CharField("主送机关", max_length=300, blank=True)
    body = models.TextField(
        "正文",
        help_text="每行一段（可空行分隔）；以“一、”开头的段落为一级标题（黑体），以“（一）”开头的为二级标题"
        "（楷体）。可用占位符见下方列表。",
    )
    copy_to = models.CharField("抄送机关", max_length=300, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "报告公文模板"
        verbose_name_plural = "报告公文模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


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


class AssessmentIndicator(models.Model):
    """A weighted indicator of the 季度考核; an admin sets weights and switches indicators off.

    `code` names the computation (dispatch.reports.quarterly), so only known codes exist.
    """

    class Code(models.TextChoices):
        DELIVERY_TARGET = "delivery_target", "年度交房任务完成率"
        PROBLEM_RESOLUTION = "problem_resolution", "问题化解率"
        TASKS_ON_TIME = "tasks_on_time", "督办事项按期完成率"
        PETITIONS = "petitions", "信访办结率与满意率"
        LEDGER_ON_TIME = "ledger_on_time", "台账按时更新率"

    code = models.CharField("指标", max_length=30, choices=Code.choices, unique=True)
    name = models.CharField("指标名称", max_length=50)
    weight = models.PositiveSmallIntegerField(
        "权重", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    active = models.BooleanField("参与考核", default=True)
    description = models.CharField("计算方法", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "季度考核指标"
        verbose_name_plural = "季度考核指标"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class AssessmentScore(models.Model):
    """One 专班's value and score on one indicator in one quarterly report (the breakdown)."""

    report = models.ForeignKey(
        Report, verbose_name="报告", on_delete=models.CASCADE, related_name="scores"
    )
    task_force = models.ForeignKey(
        "projects.TaskForce",
        verbose_name="工作专班",
        on_delete=models.CASCADE,
        related_name="assessment_scores",
    )
    indicator = models.ForeignKey(
        AssessmentIndicator,
        verbose_name="指标",
        on_delete=models.PROTECT,
        related_name="scores",
    )
    raw_value = models.DecimalField(
        "指标值", max_digits=7, decimal_places=4, null=True, blank=True, help_text="无数据时为空"
    )
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "季度考核得分"
        verbose_name_plural = "季度考核得分"
        ordering = ["report", "task_force", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "task_force", "indicator"], name="assessment_score_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_force} {self.indicator.name} {self.score}"
