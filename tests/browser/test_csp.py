"""Under the Content-Security-Policy the pages still work: buttons that lost their inline
handlers act through static/js/app.js, and no page logs a refused script or style."""

import datetime
from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from core.models import User
from core.roles import Role
from petitions.models import DocumentTemplate
from tests.browser.conftest import log_in
from tests.factories import PetitionFactory, ProjectFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_print_button_prints_and_pages_log_no_policy_violation(
    live_server: Any, page: Any, make_user: Callable[..., User]
) -> None:
    make_user(Role.PETITION, username="xf1")
    project = ProjectFactory.create(name="锦绣华府")
    petition = PetitionFactory.create(
        project=project,
        status="assigned",
        accepted_date=datetime.date(2026, 11, 3),
        due_date=datetime.date(2027, 1, 2),
    )
    if not DocumentTemplate.objects.exists():  # a transactional test flushed the migration's rows
        import_module("petitions.migrations.0003_default_documents").forwards(apps, None)
    log_in(page, live_server.url, "xf1")
    for path in ["/", "/projects/", f"/projects/{project.pk}/", "/petitions/", "/dispatch/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/petitions/{petition.pk}/documents/acceptance/")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("button[data-print]")
    assert page.evaluate("window.printed === true")
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []
    assert page.console_errors == []
