"""Who may see and do what in the work cycle; used by pages, the API and scheduled jobs alike.

Meetings and the raising of supervision tasks belong to the people who run the cycle (admins,
county leaders, 专班 members); the petition office may raise a task from one of its petitions.
A task's progress is reported by whoever it was assigned to, and by the people who run the cycle.
"""

from core.models import User
from core.roles import Role
from dispatch.models import SupervisionTask

_RUNS_CYCLE = (Role.ADMIN, Role.LEADER, Role.TASKFORCE)


def sees_all_tasks(user: User) -> bool:
    return user.is_superuser or user.has_role(
        Role.ADMIN, Role.LEADER, Role.PETITION, Role.TASKFORCE
    )


def runs_cycle(user: User) -> bool:
    return user.is_superuser or user.has_role(*_RUNS_CYCLE)


def can_manage_meetings(user: User) -> bool:
    return runs_cycle(user)


def reads_all_meetings(user: User) -> bool:
    """Everyone else (departments, the petition office) reads only the meetings they are party
    to: chaired, attended, or given a task from (themselves or their department)."""
    return runs_cycle(user)


def can_raise_tasks(user: User) -> bool:
    """Raise a task from anything: a meeting, a ledger problem or nothing in particular."""
    return runs_cycle(user)


def can_raise_task_from(user: User, source: str) -> bool:
    if source == SupervisionTask.Source.PETITION:
        return runs_cycle(user) or user.has_role(Role.PETITION)
    return runs_cycle(user)


def is_assignee(user: User, task: SupervisionTask) -> bool:
    if task.assignee_user_id is not None and task.assignee_user_id == user.pk:
        return True
    return (
        task.assignee_department_id is not None
        and task.assignee_department_id == user.department_id
    )


def can_report_progress(user: User, task: SupervisionTask) -> bool:
    """Report progress and mark done: the assignee, or the people who run the cycle."""
    return runs_cycle(user) or is_assignee(user, task)


def can_edit_task(user: User, task: SupervisionTask) -> bool:
    """Change what is asked, of whom and by when; reopen a done task."""
    if runs_cycle(user):
        return True
    return task.created_by_id is not None and task.created_by_id == user.pk


def can_view_unreported(user: User) -> bool:
    return runs_cycle(user)


def can_send_reminders(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


REFUSED_MEETING = "只有系统管理员、县领导和专班成员可以录入和修改调度会。"
REFUSED_RAISE = "只有系统管理员、县领导和专班成员可以交办督办事项；信访专员可从信访件交办。"
REFUSED_PROGRESS = "只有责任部门、责任人和调度工作人员可以填报该督办事项的办理情况。"
REFUSED_EDIT = "只有交办人和调度工作人员可以修改该督办事项。"


def can_read_reports(user: User) -> bool:
    """周调度简报, 月通报 and 季度考核 are for the leaders, the admins and the 专班."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER, Role.TASKFORCE)


def can_generate_reports(user: User) -> bool:
    """Generating is the leaders' and admins' (and the schedule's): the 专班 are measured by
    the reports, so they do not decide when the figures are taken (issue 15)."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


def can_comment_report(user: User) -> bool:
    """批示 and publication are the leaders' word (and the admins', who stand in)."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


def can_enter_market_figures(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN, Role.TASKFORCE)
