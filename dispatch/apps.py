from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = "调度与报告"

    def ready(self) -> None:
        """The project page lists the project's supervision tasks; and the tasks are registered
        in every process, since the report services queue them by name."""
        from dispatch import tasks  # noqa: F401
        from dispatch.selectors import project_tabs
        from projects import extensions

        extensions.project_tabs[self.label] = project_tabs
