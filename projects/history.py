"""Reads of the change history (django-simple-history) of a project and its ledger entries.

Who changed which field when, old → new, with the 变更说明 given; and the ledger as it stood on a
past day. A bounded number of queries whatever the length of the history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from ledgers.models import (
    DeliveryRecord,
    FundingRecord,
    Inspection,
    Photo,
    Problem,
    ProgressReport,
)
from projects.models import Milestone, Project

HIDDEN_FIELDS = {"id", "version", "created_at", "updated_at", "project"}
ENTRY_MODELS: list[type[models.Model]] = [
    ProgressReport,
    Problem,
    FundingRecord,
    DeliveryRecord,
    Inspection,
    Milestone,
    Photo,
]
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: str
    subject: str
    action: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    photo: Any = None  # the uid of a photo added, when it is still there to show


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and not f.name.startswith("history")
    ]


class _Labels:
    """Turns stored values into what a person reads, resolving foreign keys in batches."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[type[models.Model], dict[Any, str]] = {}

    def want(self, f: models.Field[Any, Any], value: Any) -> None:
        if f.is_relation and value is not None:
            self.wanted[f.related_model].add(value)  # type: ignore[index]

    def resolve(self) -> None:
        for model, ids in self.wanted.items():
            self.names[model] = {
                obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)
            }

    def show(self, f: models.Field[Any, Any], value: Any) -> str:
        if value is None or value == "":
            return "—"
        if f.is_relation:
            return self.names.get(f.related_model, {}).get(value, f"#{value}")  # type: ignore[arg-type]
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return str(value)


def _subject(model: type[models.Model], record: Any) -> str:
    name = str(model._meta.verbose_name)
    if model is Project:
        return "项目基本信息"
    if model is Photo:
        return f"{name}（{record.original_name}）" if record.original_name else name
    for attr in ("period_start", "date", "reported_date", "planned_date"):
        value = getattr(record, attr, None)
        if value:
            return f"{name}（{value:%Y-%m-%d}）"
    return name


def project_history(project: Project, *, limit: int = 300) -> list[HistoryEntry]:
    """Every change to the project and its ledger entries, newest first."""
    sources: list[tuple[type[models.Model], list[Any]]] = [
        (
            Project,
            list(
                Project.history.filter(id=project.pk)
                .select_related("history_user")
                .order_by("history_date", "history_id")
            ),
        )
    ]
    for model in ENTRY_MODELS:
        records = list(
            model.history.filter(project_id=project.pk)  # type: ignore[attr-defined]
            .select_related("history_user")
            .order_by("history_date", "history_id")
        )
        sources.append((model, records))

    labels = _Labels()
    for model, records in sources:
        for f in _tracked_fields(model):
            if f.is_relation:
                for r in records:
                    labels.want(f, getattr(r, f.attname))
    labels.resolve()

    photos = set(Photo.objects.filter(project=project).values_list("uid", flat=True))
    entries: list[HistoryEntry] = []
    for model, records in sources:
        fields = [] if model is Photo else _tracked_fields(model)
        previous: dict[Any, Any] = {}
        for r in records:
            before = previous.get(r.id)
            changes = []
            if r.history_type == "~" and before is not None:
                for f in fields:
                    old, new = getattr(before, f.attname), getattr(r, f.attname)
                    if old != new:
                        changes.append(
                            Change(str(f.verbose_name), labels.show(f, old), labels.show(f, new))
                        )
                if not changes:
                    previous[r.id] = r
                    continue
            elif r.history_type == "+" and model is Project:
                changes = [
                    Change(str(f.verbose_name), "", labels.show(f, getattr(r, f.attname)))
                    for f in fields
                    if getattr(r, f.attname) not in (None, "")
                ]
            previous[r.id] = r
            entries.append(
                HistoryEntry(
                    at=timezone.localtime(r.history_date),
                    user=str(r.history_user) if r.history_user else "系统",
                    subject=_subject(model, r),
                    action=ACTIONS.get(r.history_type, r.history_type),
                    reason=r.history_change_reason or "",
                    changes=changes,
                    photo=r.uid if model is Photo and r.uid in photos else None,
                )
            )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def project_as_of(project: Project, day: datetime.date) -> Project | None:
    """The project row as it stood at the end of a day, or None if it did not exist yet."""
    try:
        return project.history.as_of(end_of_day(day))
    except Project.DoesNotExist:
        return None


# How each kind of entry is listed on the project page: newest first, plan steps in order.
ENTRY_ORDER: dict[type[models.Model], tuple[str, bool]] = {
    ProgressReport: ("period_start", True),
    Problem: ("reported_date", True),
    FundingRecord: ("date", True),
    DeliveryRecord: ("date", True),
    Inspection: ("date", True),
    Milestone: ("planned_date", False),
}


def entries_as_of(model: type[models.Model], project: Project, day: datetime.date) -> list[Any]:
    """A project's ledger entries of one kind as they stood at the end of a day."""
    rows = list(
        model.history.filter(  # type: ignore[attr-defined]
            project_id=project.pk, history_date__lte=end_of_day(day)
        )
        .latest_of_each()
        .as_instances()
    )
    field_name, newest_first = ENTRY_ORDER[model]
    rows.sort(key=lambda r: getattr(r, field_name), reverse=newest_first)
    return rows


def attach_related(instances: list[Any], field_name: str) -> None:
    """Fill one foreign key of rows rebuilt from history in one query, not one per row."""
    if not instances:
        return
    f = instances[0]._meta.get_field(field_name)
    ids = {getattr(i, f.attname) for i in instances} - {None}
    related = {o.pk: o for o in f.related_model._default_manager.filter(pk__in=ids)}
    for i in instances:
        i._state.fields_cache[field_name] = related.get(getattr(i, f.attname))
