"""Who may see and do what in the work cycle; used by pages, the API and scheduled jobs alike.

Supervision tasks follow one matrix (README, "督办事项权限"): who supervises (admins, county
leaders) may do everything except to a task they are themselves the assignee of; a 专班 runs the
tasks of its own projects but, being measured by them (督办按期完成率), never moves their
deadlines or back-dates their completion; the assignee reports progress and completes, at the
server's date; the petition office raises tasks from petitions and edits or reopens the ones it
raised. Nobody acts on a task by a role alone: every check takes the task.
"""

from core.models import User
from core.roles import Role
from dispatch.models import SupervisionTask
from projects.models import Project

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


def supervises(user: User) -> bool:
    """Admins and county leaders: they set and move deadlines, and judge results."""
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


def in_task_force_of(user: User, project: Project | None) -> bool:
    """A member (or the leader) of the project's 专班, holding the 专班 role."""
    if project is None or not user.has_role(Role.TASKFORCE):
        return False
    task_force = project.task_force
    return task_force.leader_id == user.pk or task_force.members.filter(pk=user.pk).exists()


def can_raise_tasks(user: User) -> bool:
    """Raise a task from anything: a meeting, a ledger problem or nothing in particular."""
    return runs_cycle(user)


def can_raise_task_from(user: User, source: str) -> bool:
    """The role may raise a task of this source at all (the page's button and form)."""
    if source == SupervisionTask.Source.PETITION:
        return runs_cycle(user) or user.has_role(Role.PETITION)
    return runs_cycle(user)


def can_raise_task(user: User, source: str, project: Project | None) -> bool:
    """Raise this task: a 专班 member only for its own 专班's projects (or none in particular)."""
    if not can_raise_task_from(user, source):
        return False
    if supervises(user) or not user.has_role(Role.TASKFORCE):
        return True
    return project is None or in_task_force_of(user, project)


def is_assignee(user: User, task: SupervisionTask) -> bool:
    if task.assignee_user_id is not None and task.assignee_user_id == user.pk:
        return True
    return (
        task.assignee_department_id is not None
        and task.assignee_department_id == user.department_id
    )


def is_measured(user: User, task: SupervisionTask) -> bool:
    """Whose timeliness the task measures: its assignee and its project's 专班."""
    return is_assignee(user, task) or in_task_force_of(user, task.project)


def _runs_task(user: User, task: SupervisionTask) -> bool:
    return supervises(user) or in_task_force_of(user, task.project)


def _raised(user: User, task: SupervisionTask) -> bool:
    return task.created_by_id is not None and task.created_by_id == user.pk


def can_report_progress(user: User, task: SupervisionTask) -> bool:
    """Report progress and complete: the assignee, the task's 专班, the supervisors."""
    return is_assignee(user, task) or _runs_task(user, task)


def can_edit_task(user: User, task: SupervisionTask) -> bool:
    """Change what is asked and of whom: never the assignee; the supervisors, the task's 专班
    and whoever raised it."""
    if is_assignee(user, task):
        return False
    return _runs_task(user, task) or _raised(user, task)


def can_reopen_task(user: User, task: SupervisionTask) -> bool:
    """Refuse a result and reopen: whoever may edit the task (so never its assignee)."""
    return can_edit_task(user, task)


def can_move_deadline(user: User, task: SupervisionTask) -> bool:
    """Only a supervisor the task does not measure."""
    return supervises(user) and not is_measured(user, task)


def can_backdate(user: User, task: SupervisionTask) -> bool:
    """Record a completion dated before today (补录, with a reason): a supervisor the task does
    not measure. It is shown as 补录 and still counts on the day it was recorded."""
    return can_report_progress(user, task) and can_move_deadline(user, task)


def can_view_unreported(user: User) -> bool:
    return runs_cycle(user)


def can_send_reminders(user: User) -> bool:
    return user.is_superuser or user.has_role(Role.ADMIN, Role.LEADER)


REFUSED_MEETING = "只有系统管理员、县领导和专班成员可以录入和修改调度会。"
REFUSED_RAISE = "只有系统管理员、县领导和专班成员可以交办督办事项；信访专员可从信访件交办。"
REFUSED_PROGRESS = (
    "只有责任部门、责任人、项目所属专班和县领导、系统管理员可以填报该督办事项的办理情况。"
)
REFUSED_EDIT = (
    "只有县领导、系统管理员、项目所属专班和交办人可以修改或重新打开该督办事项；"
    "责任单位不能修改交给自己的事项。"
)
REFUSED_RAISE_PROJECT = "专班成员只能为本专班的项目交办督办事项。"
REFUSED_DEADLINE = "完成时限只能由县领导或系统管理员调整，且不能是该事项的责任单位或所属专班。"
REFUSED_BACKDATE = "完成日期只能填今天；补录以前的日期须由县领导或系统管理员办理并说明理由。"


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
