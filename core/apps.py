import sqlite3

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统与用户"

    def ready(self) -> None:
        from core import receivers  # noqa: F401  (connects the auth signal receivers)

        _lift_sqlite_parameter_limit()


def _lift_sqlite_parameter_limit() -> None:
    """Django 5.2 assumes SQLite's historical limit of 999 parameters per statement, so
    bulk_create writes ~30 rows per INSERT; SQLite ≥ 3.32 allows 32,766 (the Debian build here
    250,000). Using the library's real limit, capped, makes the survey import's bulk writes
    several times faster on the embedded database."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    from django.db.backends.sqlite3 import base  # imports features in the order Django expects

    limit = sqlite3.connect(":memory:").getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    base.DatabaseFeatures.max_query_params = max(999, min(limit, 30_000))  # type: ignore[attr-defined,assignment,method-assign]
