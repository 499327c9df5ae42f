"""Shared fixtures: a user per role, logged-in clients, fast hashing."""

from collections.abc import Callable

import pytest
from django.test import Client

from core.models import User
from core.roles import Role, sync_role_groups
from projects.models import Project
from tests.factories import DepartmentFactory, ProjectFactory, TaskForceFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def roles(db: None) -> None:
    """The role groups come from a data migration; transactional tests flush them, so restore."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.count() < len(Role):
        sync_role_groups(apps)


@pytest.fixture
def make_user(roles: None) -> Callable[..., User]:
    def make(role: str, **kwargs: object) -> User:
        if role == Role.DEPARTMENT and "department" not in kwargs:
            kwargs["department"] = DepartmentFactory.create(name="县自然资源局")
        return UserFactory.create(roles=[role], is_staff=role == Role.ADMIN, **kwargs)

    return make


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMIN, username="admin1")


@pytest.fixture
def leader(make_user: Callable[..., User]) -> User:
    return make_user(Role.LEADER, username="leader1")


@pytest.fixture
def taskforce_member(make_user: Callable[..., User]) -> User:
    user = make_user(Role.TASKFORCE, username="tf1")
    TaskForceFactory.create(name="城关镇专班", members=[user])
    return user


@pytest.fixture
def petition_clerk(make_user: Callable[..., User]) -> User:
    return make_user(Role.PETITION, username="xf1")


@pytest.fixture
def department_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.DEPARTMENT, username="dept1")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def own_project(taskforce_member: User) -> Project:
    """A project of the task-force member's own 专班."""
    return ProjectFactory.create(task_force=taskforce_member.task_forces.get())


@pytest.fixture
def other_project(roles: None) -> Project:
    """A project of a 专班 the task-force member does not belong to."""
    return ProjectFactory.create(task_force=TaskForceFactory.create(name="南湖镇专班"))
