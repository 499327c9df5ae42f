"""The security log: refused access is recorded; admins read it; nobody edits it; neither it nor
the application log keeps a query string or a whole phone or ID number (issue 15)."""

import io
import logging
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from core.log_filters import PersonalDataFilter
from core.models import SecurityEvent, User
from tests.factories import valid_id_number

PHONE = "13812345678"
ID_NUMBER = valid_id_number(42)


def refusing_view(request: HttpRequest, number: str = "") -> HttpResponse:
    raise PermissionDenied("只有本专班成员可以修改该项目。")


urlpatterns = [
    path("refuse/", refusing_view),
    path("refuse/<str:number>/", refusing_view),
    path("", include("baozhaofang.urls")),
]
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


@pytest.fixture
def app_log() -> Iterator[io.StringIO]:
    """What the application log's console handler writes, filters and all."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, PersonalDataFilter) for f in h.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _leaks(text: str) -> list[str]:
    return [number for number in (PHONE, ID_NUMBER) if number in text]


@pytest.mark.urls("tests.core.test_security_log")
@pytest.mark.parametrize(
    ("method", "url", "status", "logged"),
    [
        ("get", f"/petitions/new/?phone={PHONE}&id_number={ID_NUMBER}", 403, True),
        ("post", f"/petitions/duplicates/?phone={PHONE}&id_number={ID_NUMBER}", 403, True),
        ("get", f"/refuse/{PHONE}/", 403, True),
        ("get", f"/refuse/{ID_NUMBER}/?again={ID_NUMBER.lower()}", 403, True),
        ("get", f"/petitions/999999/?phone={PHONE}&id_number={ID_NUMBER}", 404, False),
        ("get", f"/petitions/?q={PHONE}%00{ID_NUMBER}", 400, False),
    ],
)
def test_refused_requests_leave_no_whole_phone_or_id_number_in_the_logs(
    client_for: Callable[[User], Client],
    leader: User,
    app_log: io.StringIO,
    method: str,
    url: str,
    status: int,
    logged: bool,
) -> None:
    response = getattr(client_for(leader), method)(url)
    assert response.status_code == status
    rows = list(SecurityEvent.objects.values_list("path", "username", "user_agent"))
    assert all(not _leaks(" ".join(row)) for row in rows), rows
    refusals = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ACCESS_DENIED)
    assert refusals.exists() is logged
    if logged:
        path = refusals.get().path
        assert path.startswith(url[:10])
        assert "?" not in path
    assert not _leaks(app_log.getvalue().upper()), app_log.getvalue()


@pytest.mark.django_db
def test_a_phone_typed_as_username_is_masked_in_the_security_log(
    client: Client, app_log: io.StringIO
) -> None:
    client.post("/accounts/login/", {"username": PHONE, "password": "wrong"})
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.username == "138****5678"
    assert PHONE not in app_log.getvalue()


def test_application_log_lines_lose_query_strings_and_personal_numbers(
    app_log: io.StringIO,
) -> None:
    logging.getLogger("django.server").warning(
        '"%s" %s %s', f"GET /petitions/lookup/{PHONE}/?id_number={ID_NUMBER} HTTP/1.1", 404, 0
    )
    line = app_log.getvalue()
    assert '"GET /petitions/lookup/138****5678/ HTTP/1.1" 404 0' in line
    assert "id_number" not in line
