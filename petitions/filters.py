"""Filters of the petition list, shared by the page, the export and the API."""

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import Department, User
from petitions.models import Petition
from petitions.selectors import collective_q, due_soon_q, overdue_q, quiet_q, warning_petitions
from projects.models import Project, TaskForce
from projects.selectors import township_list

FLAG_CHOICES = [
    ("overdue", "已逾期"),
    ("due_soon", "即将到期"),
    ("collective", "集体访"),
    ("warning", "集体上访预警"),
    ("quiet", "7天无办理动态"),
]

DATE_FIELDS = ("received_from", "received_to", "accepted_from", "accepted_to")


class PetitionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(choices=Petition.Status.choices, label="办理状态")
    channel = django_filters.ChoiceFilter(choices=Petition.Channel.choices, label="信访渠道")
    category = django_filters.ChoiceFilter(choices=Petition.Category.choices, label="诉求类别")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("name"), label="承办部门", empty_label="全部"
    )
    project = django_filters.ModelChoiceFilter(queryset=Project.objects.all(), label="项目")
    flag = django_filters.ChoiceFilter(choices=FLAG_CHOICES, method="filter_flag", label="预警")
    received_from = django_filters.DateFilter(
        field_name="received_date", lookup_expr="gte", label="登记日期起"
    )
    received_to = django_filters.DateFilter(
        field_name="received_date", lookup_expr="lte", label="登记日期止"
    )
    accepted_from = django_filters.DateFilter(
        field_name="accepted_date", lookup_expr="gte", label="受理日期起"
    )
    accepted_to = django_filters.DateFilter(
        field_name="accepted_date", lookup_expr="lte", label="受理日期止"
    )
    township = django_filters.ModelChoiceFilter(
        field_name="project__township",
        queryset=township_list(),
        to_field_name="name",
        label="项目所在乡镇",
    )
    task_force = django_filters.ModelChoiceFilter(
        field_name="project__task_force", queryset=TaskForce.objects.all(), label="项目专班"
    )
    case_leader = django_filters.ModelChoiceFilter(queryset=User.objects.all(), label="包案领导")

    class Meta:
        model = Petition
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name, field in self.form.fields.items():
            if name in ("q", "project", *DATE_FIELDS):
                field.widget.attrs["class"] = "form-control"
            else:
                field.widget.attrs["class"] = "form-select"
        for name in DATE_FIELDS:
            self.form.fields[name].widget.input_type = "date"

    def search(self, qs: QuerySet[Petition], name: str, value: str) -> QuerySet[Petition]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(number__icontains=value)
            | Q(petitioner_name__icontains=value)
            | Q(project__name__icontains=value)
            | Q(summary__icontains=value)
        )

    def filter_flag(self, qs: QuerySet[Petition], name: str, value: str) -> QuerySet[Petition]:
        if value == "overdue":
            return qs.filter(overdue_q(self.today))
        if value == "due_soon":
            return qs.filter(due_soon_q(self.today))
        if value == "quiet":
            return qs.filter(quiet_q(self.today))
        if value == "warning":
            return warning_petitions(qs, self.today)
        return qs.filter(collective_q())
