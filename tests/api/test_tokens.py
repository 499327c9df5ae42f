"""API tokens: a new one per login, a lifetime, revoked by logout, by the admin and by a
password change."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from core.models import User
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(username: str = "leader1", password: str = TEST_PASSWORD) -> str:
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    token: str = response.json()["token"]
    return token


def status_with(token: str, path: str = "/api/projects/", method: str = "get") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return int(getattr(client, method)(path).status_code)


def test_every_login_gives_a_new_token(leader: User) -> None:
    first, second = login(), login()
    assert first != second
    assert status_with(first) == 200
    assert status_with(second) == 200


def test_token_expires_after_its_lifetime(
    leader: User, settings: object, time_machine: TimeMachineFixture
) -> None:
    settings.REST_KNOX = {"TOKEN_TTL": timedelta(hours=2), "AUTH_HEADER_PREFIX": "Token"}  # type: ignore[attr-defined]
    response = APIClient().post(
        "/api/auth/token/", {"username": "leader1", "password": TEST_PASSWORD}, format="json"
    )
    expiry = response.json()["expiry"]
    assert expiry.startswith((timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H"))
    token = response.json()["token"]
    time_machine.shift(timedelta(hours=1, minutes=50))
    assert status_with(token) == 200  # using a token does not extend it
    time_machine.shift(timedelta(minutes=15))
    assert status_with(token) == 401


def test_logout_revokes_only_the_token_used(leader: User) -> None:
    used, other = login(), login()
    assert status_with(used, "/api/auth/logout/", "post") == 204
    assert status_with(used) == 401
    assert status_with(other) == 200


def test_logout_all_revokes_every_token_of_the_user(leader: User, admin_user: User) -> None:
    mine = [login(), login()]
    someone_elses = login("admin1")
    assert status_with(mine[0], "/api/auth/logout-all/", "post") == 204
    assert [status_with(token) for token in mine] == [401, 401]
    assert status_with(someone_elses) == 200


def test_password_change_revokes_all_tokens(leader: User, admin_user: User) -> None:
    token, others = login(), login("admin1")
    leader.last_login = timezone.now()
    leader.save(update_fields=["last_login"])
    assert status_with(token) == 200  # saving other fields keeps the tokens
    leader.set_password("Changed#pass2026")
    leader.save()
    assert status_with(token) == 401
    assert status_with(others) == 200
    assert not AuthToken.objects.filter(user=leader).exists()


def test_admin_revokes_a_token(
    leader: User, admin_user: User, client_for: Callable[[User], Client]
) -> None:
    token = login()
    digest = AuthToken.objects.get(user=leader).digest
    response = client_for(admin_user).post(
        f"/admin/knox/authtoken/{digest}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert status_with(token) == 401
