"""The ledger list's filters and sort orders, shared by the page, the export and the API."""

import datetime
from decimal import Decimal
from typing import Any

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import User
from ledgers.models import DeliveryRecord, FundingRecord, Problem
from projects.models import Project, TaskForce
from projects.selectors import (
    HIGH_DELAY_DAYS,
    OPEN_PROBLEM,
    RANK_BY_RISK,
    Risk,
    delayed_q,
    overdue_ledger_q,
    township_list,
)

FLAG_CHOICES = [
    ("delayed", "已延期"),
    ("delay180", f"延期超过{HIGH_DELAY_DAYS}天"),
    ("stale", "台账超期未更新"),
    ("whitelisted", "融资白名单"),
    ("funded", "有资金到位"),
]

# Sort key in the query string → what it sorts by. Delay sorts by contract date among delayed
# projects (an earlier date is a longer delay), so it needs no date arithmetic in SQL.
ORDERINGS: dict[str, list[Any]] = {
    "code": ["code"],
    "name": ["name", "code"],
    "township": ["township", "code"],
    "developer": ["developer__name", "code"],
    "contractor": ["general_contractor__name", "code"],
    "area": ["total_floor_area", "code"],
    "sold": ["units_sold", "code"],
    "delivered": ["units_delivered", "code"],
    "undelivered": ["units_undelivered_db", "code"],
    "contract_date": ["contract_delivery_date", "code"],
    "delay": [F("delay_sort").desc(nulls_first=True), "code"],
    "status": ["construction_status", "code"],
    "progress": ["progress_percent", "code"],
    "funding_gap": ["funding_gap", "code"],
    "task_force": ["task_force__name", "code"],
    "leader": ["responsible_leader__full_name", "code"],
    "risk": ["risk_rank", "code"],
    "last_report": [F("last_report_date").asc(nulls_first=True), "code"],
}


def _reverse(terms: list[Any]) -> list[Any]:
    out: list[Any] = []
    for term in terms:
        if isinstance(term, str):
            out.append(term[1:] if term.startswith("-") else f"-{term}")
        else:
            out.append(term.copy().reverse_ordering())
    return out


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    status = django_filters.ChoiceFilter(
        field_name="construction_status", choices=Project.Status.choices, label="施工状态"
    )
    risk = django_filters.ChoiceFilter(choices=Risk.CHOICES, method="filter_risk", label="风险等级")
    problem = django_filters.ChoiceFilter(
        choices=Problem.Type.choices, method="filter_problem", label="问题类型"
    )
    township = django_filters.ModelChoiceFilter(
        queryset=township_list(), to_field_name="name", label="乡镇(街道)", empty_label="全部"
    )
    task_force = django_filters.ModelChoiceFilter(
        queryset=TaskForce.objects.order_by("name"), label="工作专班", empty_label="全部"
    )
    flag = django_filters.ChoiceFilter(choices=FLAG_CHOICES, method="filter_flag", label="预警")
    leader = django_filters.ModelChoiceFilter(
        field_name="responsible_leader",
        queryset=User.objects.all(),
        label="包案领导",
    )
    delivered_in = django_filters.NumberFilter(
        method="filter_delivered_in", label="交房年度", min_value=2000, max_value=2100
    )
    o = django_filters.ChoiceFilter(
        choices=[(k, k) for k in ORDERINGS] + [(f"-{k}", f"-{k}") for k in ORDERINGS],
        method="order",
        label="排序",
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for name, field in self.form.fields.items():
            if name not in ("q", "o"):
                field.widget.attrs["class"] = "form-select"

    def search(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(developer__name__icontains=value)
            | Q(general_contractor__name__icontains=value)
            | Q(construction_unit__name__icontains=value)
        )

    def filter_risk(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return qs.filter(risk_rank=RANK_BY_RISK[value])  # type: ignore[misc]

    def filter_problem(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return qs.filter(
            Exists(
                Problem.objects.filter(
                    project=OuterRef("pk"), problem_type=value, status__in=OPEN_PROBLEM
                )
            )
        )

    def filter_flag(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        if value == "delayed":
            return qs.filter(delayed_q(self.today))
        if value == "delay180":
            return qs.filter(delayed_q(self.today, HIGH_DELAY_DAYS))
        if value == "stale":
            return qs.filter(overdue_ledger_q(self.today))
        if value == "funded":
            return qs.filter(
                Exists(
                    FundingRecord.objects.filter(
                        project=OuterRef("pk"), status=FundingRecord.Status.DISBURSED
                    )
                )
            )
        return qs.filter(whitelisted=True)

    def filter_delivered_in(
        self, qs: QuerySet[Project], name: str, value: Decimal
    ) -> QuerySet[Project]:
        """Projects that handed over homes in the year: the rows behind 今年已交房."""
        year = int(value)
        return qs.filter(
            Exists(DeliveryRecord.objects.filter(project=OuterRef("pk"), date__year=year))
        )

    def order(self, qs: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        key = value.lstrip("-")
        terms = ORDERINGS[key]
        return qs.order_by(*(_reverse(terms[:1]) + terms[1:] if value.startswith("-") else terms))
