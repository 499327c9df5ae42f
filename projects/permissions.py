"""Who may change which project; used by the pages, the API and the importer alike.

Everyone with an account reads every project. Writing a project or its ledger entries is for
admins and for members of the project's own 专班.
"""

from django.db.models import QuerySet

from core.models import User
from core.roles import Role
from projects.models import Project, TaskForce


def is_admin(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN)


def editable_task_forces(user: User) -> QuerySet[TaskForce]:
    """The 专班 whose projects the user may create and edit."""
    if is_admin(user):
        return TaskForce.objects.all()
    if user.has_role(Role.TASKFORCE):
        return TaskForce.objects.filter(members=user)
    return TaskForce.objects.none()


def can_read_project(user: User, project: Project) -> bool:
    """Everyone with an active account reads every project (and sees its photos); one function,
    so that a narrower rule is written once for pages, files and the API."""
    return user.is_active


def can_edit_project(user: User, project: Project) -> bool:
    if is_admin(user):
        return True
    return user.has_role(Role.TASKFORCE) and project.task_force.members.filter(pk=user.pk).exists()


def can_create_project(user: User) -> bool:
    return editable_task_forces(user).exists()


def can_edit_companies(user: User) -> bool:
    return is_admin(user) or user.has_role(Role.TASKFORCE)


REFUSED_EDIT = "只有本项目所属专班的成员和系统管理员可以修改该项目台账。"
