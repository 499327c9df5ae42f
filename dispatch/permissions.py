"""Who may see which supervision tasks; used by views and API alike."""

from core.models import User
from core.roles import Role


def sees_all_tasks(user: User) -> bool:
    return user.is_superuser or user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )


def can_read_reports(user: User) -> bool:
    """周调度简报, 月通报 and 季度考核 are for the leaders, the admins and the 专班."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER, Role.TASKFORCE)


def can_generate_reports(user: User) -> bool:
    return can_read_reports(user)


def can_comment_report(user: User) -> bool:
    """批示 and publication are the leaders' word (and the admins', who stand in)."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


def can_enter_market_figures(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN, Role.TASKFORCE)
