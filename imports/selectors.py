"""Reads of the import log: who sees which imports."""

from django.db.models import QuerySet

from core.models import User
from imports.models import ImportBatch
from projects.permissions import is_admin


def import_batch_list(*, actor: User) -> QuerySet[ImportBatch]:
    """Admins see every import, everyone else the imports they uploaded."""
    qs = ImportBatch.objects.select_related("uploaded_by")
    return qs if is_admin(actor) else qs.filter(uploaded_by=actor)
