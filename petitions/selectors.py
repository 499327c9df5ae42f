"""Reads of the petition register: the scoped list, duplicates, warnings and the four rates.

`petition_rates` is the one definition of 办结率, 按期办结率, 按期受理率 and 满意率; the
dashboard and the reports call it too.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from core.dates import window_start
from core.models import User
from core.rounding import rate
from petitions.models import DEADLINE_STATUSES, OPEN_STATUSES, Petition, PetitionEvent
from petitions.permissions import sees_all_petitions, sees_only_own_department
from projects.models import Project

DUPLICATE_WINDOW_DAYS = 30
QUIET_WINDOW_DAYS = 7
COLLECTIVE_WINDOW_DAYS = 30  # a 集体访 this recent makes its project high-risk


def petition_list(*, actor: User) -> QuerySet[Petition]:
    """Petitions the actor may see: all of them, or those of the actor's department."""
    qs = Petition.objects.select_related("project", "department", "case_leader")
    if sees_all_petitions(actor):
        pass
    elif sees_only_own_department(actor) and actor.department_id:
        qs = qs.filter(department_id=actor.department_id)
    else:  # no role that reads petitions: nothing, whatever else the account may hold
        qs = qs.none()
    return qs.order_by("-received_date", "-number")


def overdue_q(today: datetime.date | None = None) -> Q:
    """Petitions whose decision or answer is past its deadline."""
    today = today or timezone.localdate()
    return Q(status__in=DEADLINE_STATUSES, due_date__lt=today)


def due_soon_q(today: datetime.date | None = None) -> Q:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.PETITION_DUE_SOON_DAYS)
    return Q(status__in=DEADLINE_STATUSES, due_date__gte=today, due_date__lte=horizon)


def quiet_q(today: datetime.date | None = None) -> Q:
    """Open petitions with no step logged in the last 7 days (本周无进展): what a case leader
    is asked about at the weekly meeting."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(window_start(today, QUIET_WINDOW_DAYS), datetime.time.min)
    )
    # An uncorrelated IN: the planner hashes the week's few events once instead of probing
    # them for every petition.
    moved = PetitionEvent.objects.filter(at__gte=since).values("petition_id")
    return Q(status__in=OPEN_STATUSES) & ~Q(pk__in=moved)


def collective_q() -> Q:
    return Q(headcount__gte=settings.COLLECTIVE_PETITION_HEADCOUNT)


def collective_recently(today: datetime.date) -> Exists:
    """Projects with a 集体访 within the window: the high-risk rule petitions add to the ledger."""
    return Exists(
        Petition.objects.filter(
            collective_q(),
            project=OuterRef("pk"),
            received_date__gte=window_start(today, COLLECTIVE_WINDOW_DAYS),
        )
    )


def open_counts(
    *, actor: User, today: datetime.date | None = None, area: Q | None = None
) -> dict[str, int]:
    """Open and overdue petitions the actor may see; `area` narrows them (a 专班's projects)."""
    qs = petition_list(actor=actor).filter(area or Q())
    return {
        "open": qs.filter(status__in=OPEN_STATUSES).count(),
        "overdue": qs.filter(overdue_q(today)).count(),
    }


def possible_duplicates(
    *,
    actor: User,
    phone: str = "",
    id_number: str = "",
    project_id: int | None = None,
    category: str = "",
    today: datetime.date | None = None,
    exclude_pk: int | None = None,
) -> QuerySet[Petition]:
    """Same phone or ID number, or same project and category, in the last 30 days."""
    today = today or timezone.localdate()
    match = Q(pk__in=[])
    phone = phone.replace(" ", "").strip()
    if phone:
        match |= Q(petitioner_phone=phone)
    if id_number.strip():
        match |= Q(petitioner_id_number=id_number.strip().upper())
    if project_id and category:
        match |= Q(project_id=project_id, category=category)
    qs = petition_list(actor=actor).filter(
        match, received_date__gte=window_start(today, DUPLICATE_WINDOW_DAYS)
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs[:10]


@dataclass
class CollectiveWarning:
    project: Project
    petitions: int
    people: int
    latest: datetime.date


def warning_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days a 集体上访预警 counts petitions in (COLLECTIVE_WARNING_DAYS up to today)."""
    return window_start(today, settings.COLLECTIVE_WARNING_DAYS), today


def warning_petitions(base: QuerySet[Petition], today: datetime.date) -> QuerySet[Petition]:
    """The petitions behind the 集体上访预警: those in the window on a project that has at least
    COLLECTIVE_WARNING_COUNT of them there. The warnings count these, and the list a warning
    links to (flag=warning, or a project and the window) shows exactly these."""
    in_window = base.filter(project__isnull=False, received_date__range=warning_window(today))
    hot = (
        in_window.order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.COLLECTIVE_WARNING_COUNT)
        .values("project")
    )
    return in_window.filter(project__in=hot)


def collective_warnings(
    *,
    today: datetime.date | None = None,
    project: Project | None = None,
    base: QuerySet[Petition] | None = None,
) -> list[CollectiveWarning]:
    """集体上访预警: projects with several petitions within the warning window (settings).

    `base` is the petitions the reader may see, so the counts match the list behind the link.
    """
    today = today or timezone.localdate()
    scope = base if base is not None else Petition.objects.all()
    if project is not None:
        scope = scope.filter(project=project)
    rows = list(
        warning_petitions(scope, today)
        .order_by()
        .values("project")
        .annotate(n=Count("pk"), people=Sum("headcount"), latest=Max("received_date"))
    )
    projects = Project.objects.in_bulk([r["project"] for r in rows])
    warnings = [
        CollectiveWarning(projects[r["project"]], r["n"], r["people"], r["latest"]) for r in rows
    ]
    return sorted(warnings, key=lambda w: (-w.petitions, w.project.code))


@dataclass
class PetitionRates:
    received: int
    accepted: int
    closed: int
    closed_on_time: int
    rated: int
    satisfied: int
    decided: int
    decided_on_time: int

    @property
    def closure_rate(self) -> Decimal | None:
        """办结率 = closed / accepted."""
        return rate(self.closed, self.accepted)

    @property
    def on_time_rate(self) -> Decimal | None:
        """按期办结率 = closed by the deadline / closed."""
        return rate(self.closed_on_time, self.closed)

    @property
    def acceptance_on_time_rate(self) -> Decimal | None:
        """按期受理率 = decisions (受理 or 不予受理) made within 15 days of receipt / decisions."""
        return rate(self.decided_on_time, self.decided)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意率 = (满意 + 基本满意) / closed petitions that were rated."""
        return rate(self.satisfied, self.rated)


def petition_rates(
    *, start: datetime.date, end: datetime.date, base: QuerySet[Petition] | None = None
) -> PetitionRates:
    """The rates of the petitions accepted between start and end (inclusive).

    A petition counts as closed when it was closed by the end of the period. It was concluded
    on time (按期) when its first answer came by the handling deadline of the 条例 (60 days from
    acceptance, plus any extension) — the petition office's own delay, not the petitioner's time
    to decide on satisfaction, nor a later review. 按期受理率 counts the acceptance decisions
    (受理 or 不予受理) made between start and end, on time when made by the 15th day after
    receipt (受理期限). `base` narrows the petitions.
    """
    qs = base if base is not None else Petition.objects.all()
    cohort = Q(accepted_date__range=(start, end))
    closed = cohort & Q(status=Petition.Status.CLOSED, closed_date__lte=end)
    decided = Q(decided_date__range=(start, end))
    figures = qs.aggregate(
        received=Count("pk", filter=Q(received_date__range=(start, end))),
        accepted=Count("pk", filter=cohort),
        closed=Count("pk", filter=closed),
        closed_on_time=Count(
            "pk",
            filter=closed
            & Q(first_replied_date__lte=F("handling_due_date"))
            & (
                Q(first_reply_recorded_at__isnull=True)
                | Q(first_reply_recorded_at__date__lte=F("handling_due_date"))
            ),
        ),
        rated=Count("pk", filter=closed & ~Q(satisfaction="")),
        satisfied=Count(
            "pk",
            filter=closed
            & Q(satisfaction__in=[Petition.Satisfaction.SATISFIED, Petition.Satisfaction.BASIC]),
        ),
        decided=Count("pk", filter=decided),
        decided_on_time=Count("pk", filter=decided & Q(decided_date__lte=F("decision_due_date"))),
    )
    return PetitionRates(**figures)


def petitions_per_week(
    *, base: QuerySet[Petition], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """Petitions received per week (keyed by its Monday) and category, between start and end."""
    rows = (
        base.filter(received_date__range=(start, end))
        .order_by()
        .annotate(week=TruncWeek("received_date"))
        .values("week", "category")
        .annotate(n=Count("pk"))
    )
    return cast(list[dict[str, Any]], list(rows))


def case_leader_figures(
    *, base: QuerySet[Petition], today: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Per 包案领导: petitions held, closed, and open ones without a step this week."""
    rows = (
        base.filter(case_leader__isnull=False)
        .order_by()
        .values("case_leader")
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=Petition.Status.CLOSED)),
            quiet=Count("pk", filter=quiet_q(today)),
        )
    )
    return cast(list[dict[str, Any]], list(rows))


def project_tabs(project: Project, actor: User, today: datetime.date) -> dict[str, Any]:
    """The project page's 信访件 tab and its 集体上访预警, both counted over the petitions the
    reader may see (a department, its own), as the petition list is."""
    readable = petition_list(actor=actor)
    warnings = collective_warnings(today=today, project=project, base=readable)
    return {
        "petitions": list(readable.filter(project=project)),
        "collective_warning": next(iter(warnings), None),
    }
