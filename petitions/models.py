"""Petitions (信访件) and their step log, following the 信访工作条例 (2022)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.placeholders import placeholder_errors
from core.validators import validate_id_number, validate_phone


class Petition(models.Model):
    class Channel(models.TextChoices):
        VISIT = "visit", "来访"
        LETTER = "letter", "来信"
        PHONE = "phone", "来电"
        ONLINE = "online", "网上信访"
        HOTLINE = "hotline", "12345热线"

    class Category(models.TextChoices):
        DELAYED_DELIVERY = "delayed_delivery", "延期交房"
        QUALITY = "quality", "质量问题"
        REFUND = "refund", "退房退款"
        CERTIFICATE = "certificate", "办证"
        WAGES = "wages", "欠薪"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        REGISTERED = "registered", "待受理"
        NOT_ACCEPTED = "not_accepted", "不予受理"
        ACCEPTED = "accepted", "已受理"
        ASSIGNED = "assigned", "办理中"
        REPLIED = "replied", "已答复"
        REVIEW = "review", "复查中"
        RE_REVIEW = "re_review", "复核中"
        CLOSED = "closed", "已办结"

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        UNSATISFIED = "unsatisfied", "不满意"

    number = models.CharField("信访编号", max_length=20, unique=True)
    received_date = models.DateField("登记日期", db_index=True)
    channel = models.CharField("信访渠道", max_length=20, choices=Channel.choices)
    petitioner_name = models.CharField("信访人", max_length=50)
    petitioner_phone = models.CharField(
        "联系电话", max_length=30, blank=True, validators=[validate_phone]
    )
    petitioner_id_number = models.CharField(
        "身份证号", max_length=18, blank=True, validators=[validate_id_number]
    )
    headcount = models.PositiveIntegerField(
        "人数", default=1, validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="涉及项目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )
    category = models.CharField("诉求类别", max_length=20, choices=Category.choices)
    summary = models.TextField("诉求摘要")
    status = models.CharField(
        "办理状态", max_length=20, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name="承办部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
    )
    case_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="包案领导",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_cases",
    )
    decision_due_date = models.DateField(
        "受理期限", null=True, blank=True, help_text="登记之日起15日内决定受理或不予受理"
    )
    decided_date = models.DateField(
        "受理决定日期", null=True, blank=True, help_text="受理或不予受理的日期"
    )
    accepted_date = models.DateField("受理日期", null=True, blank=True)
    due_date = models.DateField("办理期限", null=True, blank=True)
    extended_days = models.PositiveIntegerField("延期天数", default=0)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    handling_due_date = models.DateField(
        "办结期限", null=True, blank=True, help_text="受理之日起60日，含延期；复查复核不改变"
    )
    first_replied_date = models.DateField("首次答复日期", null=True, blank=True)
    first_reply_recorded_at = models.DateTimeField(
        "首次答复录入时间",
        null=True,
        blank=True,
        editable=False,
        help_text="服务器记录的时间：补录的答复日期不能让超期答复算作按期",
    )
    replied_date = models.DateField("答复日期", null=True, blank=True)
    closed_date = models.DateField("办结日期", null=True, blank=True, db_index=True)
    review_level = models.PositiveSmallIntegerField(
        "复查复核",
        default=0,
        choices=[(0, "未申请"), (1, "复查"), (2, "复核")],
        help_text="信访人不服答复时先申请复查，再不服申请复核",
    )
    review_requested_date = models.DateField("复查/复核申请日期", null=True, blank=True)
    satisfaction = models.CharField(
        "满意度", max_length=20, choices=Satisfaction.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="重复件(关联)",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords(
        verbose_name="信访件变更记录", excluded_fields=["petitioner_phone", "petitioner_id_number"]
    )

    class Meta:
        verbose_name = "信访件"
        verbose_name_plural = "信访件"
        ordering = ["-received_date", "-number"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_overdue(self) -> bool:
        """Still open and past its current deadline: shown red everywhere."""
        return self.deadline_state() == "overdue"

    def deadline_state(self, today: datetime.date | None = None) -> str:
        """overdue / due_soon / ok for an open petition with a deadline, else ''."""
        if self.status not in DEADLINE_STATUSES or self.due_date is None:
            return ""
        today = today or timezone.localdate()
        if self.due_date < today:
            return "overdue"
        if (self.due_date - today).days <= settings.PETITION_DUE_SOON_DAYS:
            return "due_soon"
        return "ok"

    @property
    def decision_late_days(self) -> int:
        """Days the 受理/不予受理 decision came after its 15-day limit: 0 on time or undecided."""
        if self.decided_date is None or self.decision_due_date is None:
            return 0
        return max(0, (self.decided_date - self.decision_due_date).days)

    @property
    def is_collective(self) -> bool:
        """集体访: the headcount threshold is a setting, not a constant."""
        return self.headcount >= settings.COLLECTIVE_PETITION_HEADCOUNT


OPEN_STATUSES = [
    Petition.Status.REGISTERED,
    Petition.Status.ACCEPTED,
    Petition.Status.ASSIGNED,
    Petition.Status.REPLIED,
    Petition.Status.REVIEW,
    Petition.Status.RE_REVIEW,
]

# Statuses in which someone owes the petitioner a decision or an answer by due_date. A replied
# petition waits only for the petitioner's word (satisfaction or a review request).
DEADLINE_STATUSES = [
    Petition.Status.REGISTERED,
    Petition.Status.ACCEPTED,
    Petition.Status.ASSIGNED,
    Petition.Status.REVIEW,
    Petition.Status.RE_REVIEW,
]


class PetitionEvent(models.Model):
    """One step of a petition (登记, 受理, 交办, 答复, 延期 …): the petition's own log."""

    petition = models.ForeignKey(
        Petition, verbose_name="信访件", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("办理环节", max_length=30)
    from_status = models.CharField(
        "原状态", max_length=20, choices=Petition.Status.choices, blank=True
    )
    to_status = models.CharField("新状态", max_length=20, choices=Petition.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="办理人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    note = models.TextField("办理意见", blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["petition", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.petition.number} {self.action}"


class PetitionSequence(models.Model):
    """The last number issued per year: a locked row, so numbers never repeat under concurrency."""

    year = models.PositiveIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已发号", default=0)

    class Meta:
        verbose_name = "信访编号序列"
        verbose_name_plural = "信访编号序列"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class DocumentTemplate(models.Model):
    """The text of a formal notice; administrators edit it, placeholders are filled per petition."""

    PLACEHOLDERS = (
        "编号",
        "信访人",
        "身份证号",
        "登记日期",
        "诉求摘要",
        "涉及项目",
        "受理日期",
        "办理期限",
        "承办部门",
        "延期天数",
        "延期理由",
        "办理意见",
        "今天",
        "单位",
    )

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", "受理告知书"
        NON_ACCEPTANCE = "non_acceptance", "不予受理告知书"
        EXTENSION = "extension", "延期告知书"
        REPLY = "reply", "答复意见书"

    kind = models.CharField("文书类型", max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField(
        "正文",
        help_text=(
            "可用占位符：{{编号}} {{信访人}} {{登记日期}} {{诉求摘要}} {{涉及项目}} {{受理日期}} "
            "{{办理期限}} {{承办部门}} {{延期天数}} {{延期理由}} {{办理意见}} {{今天}} {{单位}}"
        ),
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = placeholder_errors(self.body, self.PLACEHOLDERS)
        if errors:
            raise ValidationError({"body": errors})
