from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client

from core import health


@pytest.mark.django_db
def test_healthz_reports_ok_without_redis_configured(client: Client, settings: Any) -> None:
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client: Client, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["redis"].startswith("error")


@pytest.mark.django_db
def test_healthz_is_503_when_database_is_down(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.REDIS_URL = ""

    class DownConnection:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_never_cached(client: Client) -> None:
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_redis_ok_when_configured_and_up(client: Client, settings: Any) -> None:
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set: the suite runs embedded")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"
