"""Schemathesis against the published schema: no input makes the API fail or break its schema.

It drives the WSGI app in-process with an administrator's token (the role that can reach every
operation), on whichever database the suite runs on — PostgreSQL in CI, where out-of-range
integers and NUL bytes used to turn into 500s. Examples are bounded so the run takes minutes.
"""

from collections.abc import Callable

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.core.failures import FailureGroup

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

EXAMPLES = 15
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
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
    return Token.objects.create(user=admin).key


def _check_operation(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def run(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS, headers=headers)

    run()


def test_api_conforms_to_its_schema(api_token: str) -> None:
    """Every operation, each with its own failure, so one run reports all of them."""
    headers = {"Authorization": f"Token {api_token}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), headers=headers)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _check_operation(operation, headers)
        except (Exception, FailureGroup) as exc:  # collected and reported below
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
