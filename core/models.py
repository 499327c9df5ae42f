"""Users, departments and the append-only security log."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from core.roles import Role


class Department(models.Model):
    """A county department (自然资源局, 财政局 …) that receives petitions and supervision tasks."""

    name = models.CharField("部门名称", max_length=100, unique=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account; its role is its Group (see core.roles)."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    title = models.CharField("职务", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_names(self) -> set[str]:
        """Role codes of this user, cached per instance because every page asks."""
        cached: set[str] | None = getattr(self, "_role_names", None)
        if cached is None:
            cached = set(self.groups.values_list("name", flat=True))
            if self.is_superuser:
                cached.add(Role.ADMIN)
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in Role if r in self.role_names]


class SecurityEvent(models.Model):
    """Append-only record of logins, failures, lockouts and refused access.

    The admin shows it read-only and on PostgreSQL a trigger refuses UPDATE and DELETE, so not even
    a database user with table rights through the app can rewrite it.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "账号锁定"
        LOGOUT = "logout", "退出登录"
        SESSION_EXPIRED = "session_expired", "会话超时"
        ACCESS_DENIED = "access_denied", "拒绝访问"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=20, choices=Kind.choices, db_index=True)
    username = models.CharField("用户名", max_length=150, blank=True)
    # No database constraint and no cascade: deleting an account must not touch the log.
    user = models.ForeignKey(
        User,
        verbose_name="用户",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    path = models.CharField("访问路径", max_length=500, blank=True)
    method = models.CharField("请求方法", max_length=10, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class Notification(models.Model):
    """An in-app message (新报告, 催报, 督办提醒) with an unread mark: the intranet has no mail.

    `key` makes a scheduled sender safe to run twice: one notification per recipient and key.
    """

    class Kind(models.TextChoices):
        REPORT = "report", "新报告"
        REMINDER = "reminder", "催报提醒"
        TASK = "task", "督办提醒"

    recipient = models.ForeignKey(
        User, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=100, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notification_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A choice a person makes once and the pages remember (the ledger's columns …), kept on
    the server so that it follows them to another computer or browser."""

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="preferences"
    )
    key = models.CharField("设置项", max_length=50)
    value = models.JSONField("取值", default=dict)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "个人设置"
        verbose_name_plural = "个人设置"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="preference_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.key}"
