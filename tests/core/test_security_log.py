"""The security log: refused access is recorded; admins read it; nobody edits it."""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from core.models import SecurityEvent, User


def refusing_view(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("只有本专班成员可以修改该项目。")


urlpatterns = [path("refuse/", refusing_view), path("", include("baozhaofang.urls"))]
handler403 = "core.views.permission_denied"


@pytest.mark.urls("tests.core.test_security_log")
def test_refused_access_is_logged_and_explained(
    client_for: Callable[[User], Client], leader: User
) -> None:
    response = client_for(leader).get("/refuse/", REMOTE_ADDR="10.3.3.3")
    assert response.status_code == 403
    assert "只有本专班成员可以修改该项目。" in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert event.user == leader
    assert event.path == "/refuse/"
    assert event.ip_address == "10.3.3.3"


def test_admin_reads_the_security_log(
    client_for: Callable[[User], Client], admin_user: User
) -> None:
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="someone")
    response = client_for(admin_user).get("/admin/core/securityevent/")
    assert response.status_code == 200
    assert "someone" in response.content.decode()


def test_nobody_can_edit_or_delete_the_log_in_the_admin(
    client_for: Callable[[User], Client], admin_user: User
) -> None:
    event = SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="someone")
    client = client_for(admin_user)
    assert client.get("/admin/core/securityevent/add/").status_code == 403
    assert client.get(f"/admin/core/securityevent/{event.pk}/delete/").status_code == 403
    client.post(f"/admin/core/securityevent/{event.pk}/change/", {"username": "forged"})
    event.refresh_from_db()
    assert event.username == "someone"


def test_other_roles_cannot_read_the_log(
    client_for: Callable[[User], Client], leader: User
) -> None:
    response = client_for(leader).get("/admin/core/securityevent/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_database_refuses_to_rewrite_the_log_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, username="a")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.update(username="b")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.all().delete()
