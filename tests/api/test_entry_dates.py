"""The API refuses a wrong ledger date with a 400 naming it, as the forms do (the rule and its
boundaries: tests/ledgers/test_entry_dates.py). Clock: Monday 2026-11-30 in the county."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from core.models import User
from ledgers.models import DeliveryRecord
from projects.models import Project

pytestmark = pytest.mark.django_db


def test_the_api_answers_400_naming_the_date(
    api_for: Callable[[User], APIClient], taskforce_member: User, own_project: Project
) -> None:
    api = api_for(taskforce_member)
    body = {
        "project": own_project.pk,
        "period_start": "2026-11-30",
        "report_date": "2026-12-01",
        "construction_status": "normal",
        "progress_percent": "40",
    }

    single = api.post("/api/progress-reports/", body, format="json")
    assert single.status_code == 400
    assert "填报日期2026-12-01晚于今天" in single.json()["report_date"][0]

    batch = api.post("/api/progress-reports/batch/", {"reports": [body]}, format="json")
    assert batch.status_code == 400
    assert "填报日期2026-12-01晚于今天" in batch.json()["reports[0].report_date"][0]

    delivery = api.post(
        "/api/deliveries/",
        {"project": own_project.pk, "date": "1900-01-01", "units": 1},
        format="json",
    )
    assert delivery.status_code == 400
    assert delivery.json()["date"] == ["交房日期1900-01-01早于2000-01-01，请核对年份。"]

    body["report_date"] = "2026-11-30"
    assert api.post("/api/progress-reports/", body, format="json").status_code == 201
    assert not DeliveryRecord.objects.exists()
