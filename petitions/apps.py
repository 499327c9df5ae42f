from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"
    verbose_name = "信访管理"

    def ready(self) -> None:
        """集体访 raises a project's risk, and the project page lists its petitions."""
        from petitions.selectors import COLLECTIVE_WINDOW_DAYS, collective_recently, project_tabs
        from projects import extensions

        extensions.high_risk_rules["flag_collective"] = extensions.HighRiskRule(
            reason=f"近{COLLECTIVE_WINDOW_DAYS}天内发生集体访", applies=collective_recently
        )
        extensions.project_tabs[self.label] = project_tabs
