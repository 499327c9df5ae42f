"""Celery app: eager when no broker is configured, Redis otherwise (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baozhaofang.settings")

app = Celery("baozhaofang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
