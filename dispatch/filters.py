"""Filters of the supervision-task list, shared by the page and the API."""

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import Department
from dispatch.models import SupervisionTask
from dispatch.selectors import open_tasks_q, overdue_task_q
from projects.models import TaskForce
from projects.selectors import township_list

STATUS_CHOICES = [("active", "未完成"), *SupervisionTask.Status.choices]


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label="状态", empty_label="全部状态"
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("1", "已逾期"), ("0", "未逾期")],
        method="filter_overdue",
        label="是否逾期",
        empty_label="逾期与否",
    )
    source = django_filters.ChoiceFilter(
        choices=SupervisionTask.Source.choices, label="来源", empty_label="全部来源"
    )
    department = django_filters.ModelChoiceFilter(
        field_name="assignee_department",
        queryset=Department.objects.order_by("name"),
        label="责任部门",
        empty_label="全部部门",
    )
    task_force = django_filters.ModelChoiceFilter(
        field_name="project__task_force",
        queryset=TaskForce.objects.order_by("name"),
        label="工作专班",
        empty_label="全部专班",
    )
    township = django_filters.ModelChoiceFilter(
        field_name="project__township",
        queryset=township_list(),
        to_field_name="name",
        label="乡镇（街道）",
    )
    mine = django_filters.ChoiceFilter(
        choices=[("1", "交给我本人的")], method="filter_mine", label="责任人", empty_label="所有人"
    )

    class Meta:
        model = SupervisionTask
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "q" else "form-select"
        self.form.fields["q"].widget.attrs["placeholder"] = "督办事项、项目名称"

    def search(
        self, qs: QuerySet[SupervisionTask], name: str, value: str
    ) -> QuerySet[SupervisionTask]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(project__name__icontains=value)
            | Q(project__code__icontains=value)
        )

    def filter_status(
        self, qs: QuerySet[SupervisionTask], name: str, value: str
    ) -> QuerySet[SupervisionTask]:
        if value == "active":
            return qs.filter(open_tasks_q())
        return qs.filter(status=value)

    def filter_overdue(
        self, qs: QuerySet[SupervisionTask], name: str, value: str
    ) -> QuerySet[SupervisionTask]:
        overdue = overdue_task_q(self.today)
        return qs.filter(overdue) if value == "1" else qs.exclude(overdue)

    def filter_mine(
        self, qs: QuerySet[SupervisionTask], name: str, value: str
    ) -> QuerySet[SupervisionTask]:
        user = self.request.user if self.request is not None else None
        return qs.filter(assignee_user=user) if user is not None else qs.none()
