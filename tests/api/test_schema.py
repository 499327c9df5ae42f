"""The published schema: valid, free of generator warnings, every error and enum described."""

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import User
from tests.factories import PetitionFactory, ProjectFactory

ApiFor = Callable[[User], APIClient]
pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(tmp_path: Path) -> dict:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    loaded: dict = yaml.safe_load(out.read_text(encoding="utf-8"))
    return loaded


def test_every_operation_documents_its_errors(schema: dict) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
    assert schema["paths"]["/api/projects/{id}/"]["patch"]["responses"]["409"]


def test_enums_have_domain_names(schema: dict) -> None:
    """No generated names (StatusA3fEnum) that change when a choice is added elsewhere."""
    enums = {n for n in schema["components"]["schemas"] if n.endswith("Enum")}
    assert enums == {
        "BlankEnum",
        "FundingSourceEnum",
        "FundingStatusEnum",
        "ImportStatusEnum",
        "InspectionKindEnum",
        "InspectionSeverityEnum",
        "PetitionActionEnum",
        "PetitionCategoryEnum",
        "PetitionChannelEnum",
        "PetitionStatusEnum",
        "ProblemStatusEnum",
        "ProblemTypeEnum",
        "ProjectStatusEnum",
        "ReportKindEnum",
        "ReviewLevelEnum",
        "RiskLevelEnum",
        "SatisfactionEnum",
        "TaskSourceEnum",
        "TaskStatusEnum",
    }
    assert {"FieldErrors", "Error"} <= set(schema["components"]["schemas"])


def test_schema_and_docs_are_served_to_logged_in_users(api_for: ApiFor, leader: User) -> None:
    client = api_for(leader)
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert APIClient().get("/api/schema/").status_code == 401


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/projects/", lambda: ProjectFactory.create()),
        ("/api/petitions/", lambda: PetitionFactory.create(project=ProjectFactory.create())),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    api_for: ApiFor, leader: User, url: str, make: Callable[[], object]
) -> None:
    client = api_for(leader)
    make()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        make()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 6
    assert len(many) == len(few)
