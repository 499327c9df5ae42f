"""What the rows of a sheet are matched against, on one normalised key on both sides.

A name typed in a sheet and the ledger's spelling of it meet through projects.names:
翠湖花园（二期） in the sheet is the ledger's 翠湖花园(二期), 城关镇专班 is 城关镇 专班.
Task forces, companies and leaders are loaded once; the ledger's projects as a slim index of
keys, and the full rows only of the projects a chunk of the sheet names.
"""

from typing import Any, cast

from django.db.models import ForeignKey
from django.utils import timezone

from core.bulk import Cleaner, in_batches, maker
from core.models import User
from core.roles import Role
from ledgers.models import OPEN_PROBLEM_STATUSES, Problem
from projects.models import Company, Project, TaskForce, Township
from projects.names import code_key, company_stem, name_key
from projects.permissions import editable_task_forces, is_admin
from projects.selectors import township_list
from projects.townships import TownshipMatch, township_match

CHUNK = 5000  # rows fetched at a time from the ledger's index
# Not compared with a sheet nor read by the project's checks: not loaded for 20,000 rows.
UNREAD = ["created_at", "updated_at", "address", "contact_person", "contact_phone", "strategy"]


class Context:
    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.today = timezone.localdate()
        self.admin = is_admin(actor)
        self.editable = {tf.pk for tf in editable_task_forces(actor)}
        task_forces = list(TaskForce.objects.all())
        self.task_forces = {name_key(tf.name): tf for tf in task_forces}
        own = [tf for tf in task_forces if tf.pk in self.editable]
        self.default_task_force = own[0] if len(own) == 1 and not self.admin else None
        self.townships = list(township_list())
        self.township_matches: dict[str, TownshipMatch] = {}
        companies = list(Company.objects.all())
        self.companies = {name_key(c.name): c for c in companies}
        self.company_stems = {company_stem(k): c for k, c in self.companies.items()}
        leaders = list(User.objects.filter(groups__name=Role.LEADER))
        self.leaders: dict[str, User] = {}
        for user in leaders:
            self.leaders.setdefault(name_key(user.full_name or user.username), user)
            self.leaders.setdefault(name_key(user.username), user)
        self._related: dict[str, dict[int, Any]] = {
            "company": {c.pk: c for c in companies},
            "task_force": {tf.pk: tf for tf in task_forces},
            "township": {t.pk: t for t in self.townships},
            "user": {u.pk: u for u in leaders},
        }
        # The sheet's own findings, across chunks and sheets.
        self.new_companies: dict[str, str] = {}  # key → the first spelling in the sheet
        self.new_task_forces: dict[str, str] = {}
        self.codes_in_sheet: dict[str, str] = {}  # code key → where it was first seen
        self.names_in_sheet: dict[tuple[str, str], str] = {}
        self.multi_sheet = False  # rows are named with their sheet when there are several
        self.cleaner = Cleaner(Project)  # the model's checks, each distinct value once
        self._index()
        self.by_pk: dict[int, Project] = {}
        self.open_problem_types: dict[int, set[str]] = {}
        self.new_project = maker(Project)  # the project a new row would make, unsaved
        self._unsaved: dict[tuple[type, str], Any] = {}

    def unsaved(self, model: type[Company] | type[TaskForce], name: str) -> Any:
        """The company or 专班 a row names and the apply registers first, one object a name."""
        key = (model, name)
        if key not in self._unsaved:
            self._unsaved[key] = model(name=name)
        return self._unsaved[key]

    def _index(self) -> None:
        """Every project by code key and by (name key, developer key), ids only."""
        self.code_index: dict[str, int] = {}
        self.name_index: dict[tuple[str, str], int] = {}
        self.names_only: dict[str, list[tuple[int, str, int]]] = {}  # name key → (id, code, dev)
        companies = self._related["company"]
        for pk, code, name, developer_id in Project.objects.values_list(
            "pk", "code", "name", "developer_id"
        ).iterator(chunk_size=CHUNK):
            key = name_key(name)
            developer = companies.get(developer_id)
            dev_key = name_key(developer.name) if developer else ""
            self.code_index[code_key(code)] = pk
            self.name_index.setdefault((key, dev_key), pk)
            self.names_only.setdefault(key, []).append((pk, code, developer_id))

    def load(self, ids: set[int]) -> None:
        """The full rows of the projects a chunk of the sheet matched, with their open problems."""
        found: dict[int, Project] = {}
        for batch in in_batches(sorted(ids)):
            rows = Project.objects.filter(pk__in=batch).defer(*UNREAD)
            found.update((p.pk, p) for p in rows)
        self._attach_related(list(found.values()))
        self.by_pk = found
        self.open_problem_types = {}
        for batch in in_batches(sorted(found)):
            for pid, ptype in Problem.objects.filter(
                project_id__in=batch, status__in=OPEN_PROBLEM_STATUSES
            ).values_list("project_id", "problem_type"):
                self.open_problem_types.setdefault(pid, set()).add(ptype)

    def _attach_related(self, projects: list[Project]) -> None:
        """Related rows from the loaded lists (select_related built six objects a project)."""
        kinds: dict[str, tuple[str, Any]] = {
            "township": ("township", Township),
            "developer": ("company", Company),
            "construction_unit": ("company", Company),
            "general_contractor": ("company", Company),
            "task_force": ("task_force", TaskForce),
            "responsible_leader": ("user", User),
        }
        for name, (kind, model) in kinds.items():
            known = self._related[kind]
            missing = {getattr(p, f"{name}_id") for p in projects} - known.keys() - {None}
            if missing:  # written since the context was loaded, or no longer a leader
                known.update(model.objects.in_bulk(missing))
        fields = [
            (f"{name}_id", cast(ForeignKey, Project._meta.get_field(name)), self._related[kind])
            for name, (kind, _) in kinds.items()
        ]
        for project in projects:
            for attname, field, known in fields:
                pk = getattr(project, attname)
                if pk is not None:
                    # Straight into the relation's cache, as prefetch_related does: the
                    # descriptor's checks cost more than the rest of loading a project.
                    field.set_cached_value(project, known[pk])

    def township(self, text: str) -> TownshipMatch:
        """The list's township a typed name is (by key), or the ones it may mean."""
        if text not in self.township_matches:
            self.township_matches[text] = township_match(text, self.townships)
        return self.township_matches[text]

    def company_name(self, pk: int | None) -> str:
        company = self._related["company"].get(pk) if pk else None
        return company.name if company else ""
