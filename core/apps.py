from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "系统与用户"

    def ready(self) -> None:
        from core import receivers  # noqa: F401  (connects the auth signal receivers)
