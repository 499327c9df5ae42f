"""Who may see and do what with petitions; used by pages, exports and the API alike."""

from core.models import User
from core.roles import Role
from petitions.models import Petition


def can_see_personal_data(user: User) -> bool:
    """Only the petition office and admins see petitioners' phone and ID numbers whole."""
    return user.is_superuser or user.has_role(Role.PETITION, Role.ADMIN)


def sees_all_petitions(user: User) -> bool:
    return user.is_superuser or user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )


def sees_only_own_department(user: User) -> bool:
    """Department staff see the petitions assigned to their department, nothing else."""
    return not sees_all_petitions(user) and user.has_role(Role.DEPARTMENT)


def can_register(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.PETITION, Role.ADMIN)


def can_triage(user: User) -> bool:
    """Accept, refuse, assign, and log review requests: the petition office's decisions."""
    return can_register(user)


def can_handle(user: User, petition: Petition) -> bool:
    """Extend, reply and close: the petition office, or the department it was assigned to."""
    if can_triage(user):
        return True
    return (
        user.has_role(Role.DEPARTMENT)
        and petition.department_id is not None
        and petition.department_id == user.department_id
    )
