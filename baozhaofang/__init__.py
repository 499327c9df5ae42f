"""保交房工作专班管理平台 — Django project package (settings, URLs, Celery app)."""

from baozhaofang.celery import app as celery_app

__all__ = ("celery_app",)
