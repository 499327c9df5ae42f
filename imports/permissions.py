"""Who may import survey sheets; used by the pages, the command and the services alike."""

from core.models import User
from core.roles import Role
from projects.permissions import is_admin


def can_import(user: User) -> bool:
    """Admins and 专班 staff; which rows a member may write is checked row by row."""
    return is_admin(user) or user.has_role(Role.TASKFORCE)
