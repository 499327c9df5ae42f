"""Companies, task forces (专班) and the project ledger row (台账)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.rounding import rate
from core.validators import validate_credit_code
from core.versioning import Versioned
from projects.townships import township_display, township_key

_NON_NEGATIVE = [MinValueValidator(0)]


class Company(Versioned):
    """A developer, construction unit or contractor; the same company may play several parts."""

    name = models.CharField("企业名称", max_length=200, unique=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    notes = models.TextField("备注", blank=True, help_text="如：法定代表人失联、被列为失信被执行人")
    history = HistoricalRecords(verbose_name="企业变更记录")

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="company_credit_code_unique",
                violation_error_message="该统一社会信用代码已登记为另一家企业。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TaskForce(models.Model):
    """工作专班: one per project (一项目一专班), several projects per 专班 in a small county."""

    name = models.CharField("专班名称", max_length=100, unique=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="专班组长",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_task_forces",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="专班成员", blank=True, related_name="task_forces"
    )
    description = models.TextField("工作职责", blank=True)

    class Meta:
        verbose_name = "工作专班"
        verbose_name_plural = "工作专班"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Township(models.Model):
    """乡镇/街道: a list the administrator keeps; projects, filters and imports name one of these.

    `key` is the name without width, space or bracket differences, so "城关镇" and "城关镇 " can
    never both be on the list and split a filter.
    """

    name = models.CharField("名称", max_length=50, unique=True)
    key = models.CharField(
        "匹配键", max_length=50, unique=True, editable=False, help_text="全角半角、空格不计"
    )
    order = models.PositiveSmallIntegerField("排序", default=0, help_text="小的在前")

    class Meta:
        verbose_name = "乡镇(街道)"
        verbose_name_plural = "乡镇(街道)"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = township_display(self.name)
        self.key = township_key(self.name)
        if not self.key:
            raise ValidationError({"name": "请填写乡镇(街道)名称。"})
        same = Township.objects.filter(key=self.key).exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError(
                {"name": f"与已有的“{same.name}”是同一名称（仅全角半角或空格不同）。"}
            )


class Project(models.Model):
    """The ledger row. Figures marked derived are kept by the ledger services, never typed in."""

    class Status(models.TextChoices):
        NORMAL = "normal", "正常施工"
        LAGGING = "lagging", "进度滞后"
        SEMI_STOPPED = "semi_stopped", "半停工"
        STOPPED = "stopped", "停工"
        COMPLETED = "completed", "已竣工"
        DELIVERED = "delivered", "已全部交付"

    code = models.CharField("项目编号", max_length=30, unique=True)
    name = models.CharField("项目名称", max_length=200, db_index=True)
    township = models.ForeignKey(
        Township, verbose_name="所在乡镇(街道)", on_delete=models.PROTECT, related_name="projects"
    )
    address = models.CharField("项目地址", max_length=200, blank=True)
    developer = models.ForeignKey(
        Company,
        verbose_name="开发企业",
        on_delete=models.PROTECT,
        related_name="developed_projects",
    )
    construction_unit = models.ForeignKey(
        Company,
        verbose_name="建设单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="built_projects",
    )
    general_contractor = models.ForeignKey(
        Company,
        verbose_name="总包单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracted_projects",
    )
    total_floor_area = models.DecimalField(
        "总建筑面积(m²)", max_digits=12, decimal_places=2, validators=_NON_NEGATIVE
    )
    sold_area = models.DecimalField(
        "已售面积(m²)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=_NON_NEGATIVE,
    )
    total_units = models.PositiveIntegerField("总套数")
    units_sold = models.PositiveIntegerField("已售套数", default=0)
    units_delivered = models.PositiveIntegerField(
        "已交房套数", default=0, help_text="期初已交房加交房记录，自动更新"
    )
    units_delivered_opening = models.PositiveIntegerField(
        "期初已交房套数",
        default=0,
        help_text="纳入台账前已交付的套数：计入累计已交房和交房率，不计入任何时段的交房",
    )
    contract_delivery_date = models.DateField("合同约定交房日期", null=True, blank=True)
    expected_delivery_date = models.DateField("预计交房日期", null=True, blank=True)
    construction_status = models.CharField(
        "施工状态", max_length=20, choices=Status.choices, default=Status.NORMAL, db_index=True
    )
    progress_percent = models.DecimalField(
        "形象进度(%)",
        max_digits=5,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    task_force = models.ForeignKey(
        TaskForce, verbose_name="工作专班", on_delete=models.PROTECT, related_name="projects"
    )
    responsible_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包案领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_projects",
    )
    contact_person = models.CharField("部门联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系人电话", max_length=30, blank=True)
    strategy = models.TextField("一楼一策", blank=True, help_text="本项目的化解方案")
    whitelisted = models.BooleanField("纳入融资白名单", default=False)
    funding_gap = models.DecimalField(
        "资金缺口(万元)",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text="未化解的资金短缺问题金额合计，由问题清单自动更新",
    )
    wages_owed = models.DecimalField(
        "拖欠工资(万元)",
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text="未化解的欠薪问题金额合计，由问题清单自动更新",
    )
    last_report_date = models.DateField(
        "最近填报日期", null=True, blank=True, db_index=True, help_text="由进度填报自动更新"
    )
    notes = models.TextField("备注", blank=True)
    version = models.PositiveIntegerField(
        "版本", default=1, help_text="每次保存加一，用于发现两人同时修改"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # History is looked up by project (id), date and user only: the ledger's other indexes,
    # copied onto the history table, would cost every saved change a dozen index writes.
    history = HistoricalRecords(
        verbose_name="项目变更记录",
        no_db_index=[
            "code",
            "name",
            "township",
            "developer",
            "construction_unit",
            "general_contractor",
            "construction_status",
            "task_force",
            "responsible_leader",
            "last_report_date",
        ],
    )

    class Meta:
        verbose_name = "房地产项目"
        verbose_name_plural = "房地产项目"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(units_delivered__lte=models.F("units_sold")),
                name="project_delivered_le_sold",
                violation_error_message="已交房套数不能大于已售套数。",
            ),
            models.CheckConstraint(
                condition=Q(units_sold__lte=models.F("total_units")),
                name="project_sold_le_total",
                violation_error_message="已售套数不能大于总套数。",
            ),
            models.CheckConstraint(
                condition=Q(sold_area__lte=models.F("total_floor_area")),
                name="project_sold_area_le_total",
                violation_error_message="已售面积不能大于总建筑面积。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """Per-field messages for the invariants, so forms show them next to the field."""
        errors: dict[str, list[str]] = {}
        sold, total, delivered = self.units_sold, self.total_units, self.units_delivered
        if sold is not None and total is not None and sold > total:
            errors.setdefault("units_sold", []).append("已售套数不能大于总套数。")
        if delivered is not None and sold is not None and delivered > sold:
            # Reported on units_sold: units_delivered is derived and never on a form.
            errors.setdefault("units_sold", []).append(
                f"已交房套数不能大于已售套数：本项目已交房{delivered}套。"
            )
        area, sold_area = self.total_floor_area, self.sold_area
        if area is not None and sold_area is not None and sold_area > area:
            errors["sold_area"] = ["已售面积不能大于总建筑面积。"]
        if errors:
            raise ValidationError(errors)

    @property
    def units_undelivered(self) -> int:
        return self.units_sold - self.units_delivered

    @property
    def delivery_rate(self) -> Decimal | None:
        """交房率 = units_delivered / units_sold (rounded as every rate is), None when nothing
        is sold."""
        return rate(self.units_delivered, self.units_sold)

    def delay_days_on(self, day: datetime.date) -> int:
        """延期天数 on a given day: days past the contract date while units remain undelivered."""
        if self.contract_delivery_date is None or self.units_undelivered <= 0:
            return 0
        return max(0, (day - self.contract_delivery_date).days)

    @property
    def delay_days(self) -> int:
        return self.delay_days_on(timezone.localdate())


class ProjectCodeSequence(models.Model):
    """The last 项目编号 number given out in a year (projects/codes.py)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    last = models.PositiveIntegerField("已用到的编号", default=0)

    class Meta:
        verbose_name = "项目编号计数"
        verbose_name_plural = "项目编号计数"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Milestone(Versioned):
    """A step of the project's 一楼一策 plan (复工, 主体封顶, 竣工验收, 交房 …)."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("节点", max_length=100)
    planned_date = models.DateField("计划完成日期")
    done_date = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    history = HistoricalRecords(verbose_name="节点变更记录")

    class Meta:
        verbose_name = "一楼一策节点"
        verbose_name_plural = "一楼一策节点"
        ordering = ["project", "planned_date"]

    def __str__(self) -> str:
        return f"{self.project.code} {self.title}"


class SavedFilter(models.Model):
    """A named ledger filter (the list's query string), private or shared with one's 专班."""

    name = models.CharField("名称", max_length=50)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    query = models.CharField("筛选条件", max_length=1000)
    shared_with = models.ForeignKey(
        TaskForce,
        verbose_name="共享给专班",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_filters",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "常用筛选"
        verbose_name_plural = "常用筛选"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "name"],
                name="saved_filter_name_per_owner",
                violation_error_message="您已有同名的常用筛选。",
            )
        ]

    def __str__(self) -> str:
        return self.name
