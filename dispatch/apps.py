from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = "调度与报告"

    def ready(self) -> None:
        """The project page lists the project's supervision tasks."""
        from dispatch.selectors import project_tabs
        from projects import extensions

        extensions.project_tabs[self.label] = project_tabs
