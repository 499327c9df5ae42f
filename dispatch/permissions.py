"""Who may see which supervision tasks; used by views and API alike."""

from core.models import User
from core.roles import Role


def sees_only_own_tasks(user: User) -> bool:
    """Department staff see the tasks assigned to their department or to themselves."""
    return user.has_role(Role.DEPARTMENT) and not user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )
