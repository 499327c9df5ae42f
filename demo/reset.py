"""Emptying the demo county before it is seeded again (seed_demo --reset)."""

from typing import Any

from django.db import connection, transaction

from core.models import Department, Notification
from dispatch.models import AnnualTarget, DispatchMeeting, MarketFigure, SupervisionTask
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from petitions.models import Petition, PetitionEvent, PetitionSequence
from projects.models import Company, Milestone, Project, SavedFilter, TaskForce, Township


@transaction.atomic
def demo_reset() -> None:
    """Empty every domain table and the accounts, so the county can be seeded again.

    Raw SQL, children first: the ORM's delete() would load a million progress reports into
    memory to send signals nobody listens to.
    """
    from django.contrib.auth import get_user_model

    from dispatch.models import AssessmentScore, Report
    from imports.models import ImportBatch

    models: list[Any] = [
        Notification,
        ImportBatch,
        AssessmentScore,
        PetitionEvent,
        SupervisionTask,
        Petition,
        PetitionSequence,
        DispatchMeeting,
        Report,
        MarketFigure,
        AnnualTarget,
        ProgressReport,
        DeliveryRecord,
        Problem,
        FundingRecord,
        Inspection,
        Milestone,
        SavedFilter,
        Project,
        Township,
        TaskForce,
        Company,
    ]
    tables: list[str] = []
    for model in models:
        for m2m in model._meta.local_many_to_many:
            tables.append(m2m.remote_field.through._meta.db_table)
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    user_model = get_user_model()
    tables += [
        user_model.groups.through._meta.db_table,
        user_model.user_permissions.through._meta.db_table,
        "django_admin_log",
        "knox_authtoken",
        user_model._meta.db_table,
        Department._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of rows written earlier in this transaction must run
            # before TRUNCATE may touch their tables.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE"
            )
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
