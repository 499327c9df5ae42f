"""A save in Django's admin stores the next version, as a save in the app does, so an edit begun
in the app before it is refused as stale (core.versioning, core.admin_mixins)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from rest_framework.test import APIClient

from core.admin_mixins import VersionedAdminMixin
from core.models import User
from core.versioning import Versioned
from dispatch.models import Report
from projects.models import Project
from tests.factories import CompanyFactory, DispatchMeetingFactory

pytestmark = pytest.mark.django_db


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def admin_form_data(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    """What the admin's change page would post back, with `changes` typed in."""
    form = client.get(url).context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return {**data, **changes, "_save": "保存"}


@pytest.mark.parametrize(
    ("resource", "admin_path", "make", "field"),
    [
        ("companies", "projects/company", CompanyFactory.create, "notes"),
        ("meetings", "dispatch/dispatchmeeting", DispatchMeetingFactory.create, "minutes"),
    ],
)
def test_an_app_edit_begun_before_an_admin_save_is_refused_as_stale(
    client_for: Callable[[User], Client],
    admin_user: User,
    taskforce_member: User,
    resource: str,
    admin_path: str,
    make: Callable[[], Any],
    field: str,
) -> None:
    # given a row someone opened for editing in the app at version 1
    row = make()
    api = api_for(admin_user if resource == "meetings" else taskforce_member)
    opened = api.get(f"/api/{resource}/{row.pk}/").json()["version"]
    assert opened == 1

    # when an administrator changes the row in the admin
    admin_client = client_for(admin_user)
    url = f"/admin/{admin_path}/{row.pk}/change/"
    saved = admin_client.post(url, admin_form_data(admin_client, url, **{field: "管理员修改"}))
    assert saved.status_code == 302, saved.context["adminform"].form.errors

    # then the row is at version 2 and the app's edit of version 1 changes nothing
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == ("管理员修改", 2)
    stale = api.patch(
        f"/api/{resource}/{row.pk}/", {field: "旧页面上的修改", "version": opened}, format="json"
    )
    assert stale.status_code == 409
    row.refresh_from_db()
    assert (getattr(row, field), row.version) == ("管理员修改", 2)


def test_an_admin_revert_to_an_old_history_row_does_not_bring_back_its_version(
    client_for: Callable[[User], Client], admin_user: User
) -> None:
    # given a company saved twice in the admin (versions 2 and 3)
    company = CompanyFactory.create(notes="原备注")
    client = client_for(admin_user)
    url = f"/admin/projects/company/{company.pk}/change/"
    for notes in ["第一次修改", "第二次修改"]:
        assert client.post(url, admin_form_data(client, url, notes=notes)).status_code == 302
    company.refresh_from_db()
    assert company.version == 3

    # when the administrator reverts it to the row as first created (version 1)
    first = company.history.earliest("history_date")
    revert_url = f"/admin/projects/company/{company.pk}/history/{first.history_id}/"
    reverted = client.post(revert_url, admin_form_data(client, revert_url))
    assert reverted.status_code == 302

    # then the old wording is back under the next version, not under version 1
    company.refresh_from_db()
    assert (company.notes, company.version) == ("原备注", 4)


def test_every_admin_of_a_versioned_model_stores_the_next_version() -> None:
    """A new admin of a row with an optimistic-lock version gets the mixin too; a report's
    version (第2版, a new document) is not a lock and is never counted on by a save."""
    locked = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if issubclass(model, Versioned) or model is Project
    }
    assert len(locked) >= 9
    assert [m for m, a in locked.items() if not isinstance(a, VersionedAdminMixin)] == []
    assert not isinstance(admin.site._registry[Report], VersionedAdminMixin)
