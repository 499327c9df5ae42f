"""Schemathesis against the published schema: no input makes the API fail or break its schema.

It drives the WSGI app in-process with an administrator's token (the role that can reach every
operation), on whichever database the suite runs on — PostgreSQL in CI, where out-of-range
integers and NUL bytes used to turn into 500s. Examples are bounded so the run takes minutes.
"""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from core.models import User
from core.roles import Role
from tests.factories import (
    DeliveryRecordFactory,
    PetitionFactory,
    ProblemFactory,
    ProgressReportFactory,
    ProjectFactory,
    SupervisionTaskFactory,
    TaskForceFactory,
)

# Per operation and mode; raise it for a deeper run: SCHEMATHESIS_EXAMPLES=200 pytest tests/api
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
REFERENCES = {
    "project",
    "developer",
    "construction_unit",
    "general_contractor",
    "task_force",
    "responsible_leader",
    "responsible_department",
    "department",
    "case_leader",
    "duplicate_of",
}
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
# Invalid input (wrong types, out-of-range numbers, unknown enum values …) must be refused
# with a documented 4xx, never accepted and never a 500.
NEGATIVE_CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.negative_data_rejection,
]


@pytest.fixture
def api_token(make_user: Callable[..., User]) -> str:
    admin = make_user(Role.ADMIN, username="api-admin")
    project = ProjectFactory.create(task_force=TaskForceFactory.create(members=[admin]))
    ProgressReportFactory.create(project=project)
    ProblemFactory.create(project=project)
    DeliveryRecordFactory.create(project=project)
    SupervisionTaskFactory.create(project=project)
    PetitionFactory.create(project=project)
    return AuthToken.objects.create(admin)[1]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The real WSGI app, minus what Django's own test client also leaves out: closing the
    database connection after each request, which would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aim(value: Any) -> Any:
    """Most generated ids name nothing; fold ordinary ones onto the seeded rows (ids 1-3) so
    writes reach the services, and keep the extremes (negative, past the column's range)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
        return value % 3 + 1
    return value


def _check_operation(
    operation: schemathesis.APIOperation, headers: dict[str, str], mode: GenerationMode
) -> None:
    checks = CHECKS if mode == GenerationMode.POSITIVE else NEGATIVE_CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def run(case: schemathesis.Case) -> None:
        if "id" in case.path_parameters:
            case.path_parameters["id"] = _aim(case.path_parameters["id"])
        if isinstance(case.body, dict):
            for name in REFERENCES.intersection(case.body):
                case.body[name] = _aim(case.body[name])
        case.call_and_validate(checks=checks, headers=headers)

    run()


def test_api_conforms_to_its_schema(api_token: str, wsgi_app: WSGIHandler) -> None:
    """Every operation, each with its own failure, so one run reports all of them."""
    headers = {"Authorization": f"Token {api_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, headers=headers)
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if operation.path.startswith("/api/auth/"):
            continue  # logging out would revoke the run's token (tests/api/test_tokens.py)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _check_operation(operation, headers, mode)
            except (Exception, FailureGroup) as exc:  # collected and reported below
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
