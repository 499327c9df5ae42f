"""Who may see and do what with petitions; used by views, API and exports alike."""

from core.models import User
from core.roles import Role


def can_see_personal_data(user: User) -> bool:
    """Only the petition office and admins see petitioners' phone and ID numbers whole."""
    return user.has_role(Role.PETITION, Role.ADMIN)


def sees_only_own_department(user: User) -> bool:
    """Department staff see the petitions assigned to their department, nothing else."""
    return user.has_role(Role.DEPARTMENT) and not user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )
