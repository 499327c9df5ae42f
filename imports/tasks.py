"""Background checking and applying of large survey sheets: thin wrappers over the services."""

from celery import shared_task

from core.models import User
from imports import services
from imports.models import ImportBatch


@shared_task(acks_late=True)
def import_check_task(batch_id: int) -> str:
    batch = services.import_check(batch=ImportBatch.objects.get(pk=batch_id))
    return batch.status


@shared_task(acks_late=True)
def import_apply_task(batch_id: int, user_id: int) -> str:
    batch = ImportBatch.objects.get(pk=batch_id)
    return services.import_apply_in_background(
        actor=User.objects.get(pk=user_id), batch=batch
    ).status
