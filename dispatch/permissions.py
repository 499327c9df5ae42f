"""Who may see which supervision tasks; used by views and API alike."""

from core.models import User
from core.roles import Role


def sees_all_tasks(user: User) -> bool:
    return user.is_superuser or user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )
