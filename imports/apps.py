from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "摸排表导入"

    def ready(self) -> None:
        """Register the Celery tasks the services queue by name (services never import tasks)."""
        from imports import tasks  # noqa: F401
