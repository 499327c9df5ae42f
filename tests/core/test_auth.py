"""Login, lockout, session lifetime and the security log."""

import time
from collections.abc import Callable
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.models import SecurityEvent, User
from core.roles import Role
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def attempt(
    client: Client, username: str, password: str, ip: str = "10.1.2.3", **extra: Any
) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def test_login_page_is_in_chinese(client: Client, db: None) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "保交房工作专班管理平台" in html
    assert "用户名" in html
    assert "密码" in html
    assert 'lang="zh-hans"' in html


def test_pages_require_login(client: Client, db: None) -> None:
    for url in ["/", "/projects/", "/petitions/", "/dispatch/", "/dashboard/", "/import/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_successful_login_is_logged_with_user_and_address(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.LEADER, username="wang")
    response = attempt(client, "wang", TEST_PASSWORD, ip="10.9.8.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert event.user == user
    assert event.username == "wang"
    assert event.ip_address == "10.9.8.7"


def test_failed_login_shows_chinese_error_and_is_logged(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, username="wang")
    response = attempt(client, "wang", "wrong-password", ip="10.9.8.7")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.username == "wang"
    assert event.ip_address == "10.9.8.7"


def test_five_failures_lock_that_username_from_that_address(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, username="wang")
    for _ in range(5):
        attempt(client, "wang", "wrong-password")
    locked = attempt(client, "wang", TEST_PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).exists()
    # The same user from another address, and another user from this address, still get in.
    assert attempt(Client(), "wang", TEST_PASSWORD, ip="10.7.7.7").status_code == 302
    make_user(Role.LEADER, username="li")
    assert attempt(Client(), "li", TEST_PASSWORD).status_code == 302


def test_four_failures_do_not_lock(client: Client, make_user: Callable[..., User]) -> None:
    make_user(Role.LEADER, username="wang")
    for _ in range(4):
        attempt(client, "wang", "wrong-password")
    assert attempt(client, "wang", TEST_PASSWORD).status_code == 302


def test_lockout_lasts_fifteen_minutes(settings: Any) -> None:
    from datetime import timedelta

    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_FAILURE_LIMIT == 5


def test_behind_the_proxy_the_client_address_from_nginx_is_used(
    client: Client, make_user: Callable[..., User], settings: Any
) -> None:
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    make_user(Role.LEADER, username="wang")
    attempt(
        client,
        "wang",
        "bad",
        ip="172.18.0.5",
        HTTP_X_REAL_IP="10.20.30.40",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40",
    )
    assert SecurityEvent.objects.get().ip_address == "10.20.30.40"
    assert AccessAttempt.objects.get().ip_address == "10.20.30.40"


def test_without_a_trusted_proxy_a_forged_header_is_ignored(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, username="wang")
    attempt(client, "wang", "bad", ip="10.1.1.1", HTTP_X_REAL_IP="1.2.3.4")
    assert SecurityEvent.objects.get().ip_address == "10.1.1.1"


def test_sessions_expire_after_thirty_idle_minutes(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sessions_end_twelve_hours_after_login_even_when_active(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user(Role.LEADER, username="wang")
    attempt(client, "wang", TEST_PASSWORD)
    assert client.get("/").status_code == 200
    session = client.session
    session["bzf_auth_started"] = int(time.time()) - 12 * 3600 - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_EXPIRED).exists()
    assert client.get("/").status_code == 302


def test_password_validators_reject_weak_passwords(db: None) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678901", "password123", "abcdefghijk", "Ab1"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Bzf#demo2026")


def test_logout_is_logged(client: Client, make_user: Callable[..., User]) -> None:
    make_user(Role.LEADER, username="wang")
    attempt(client, "wang", TEST_PASSWORD)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGOUT, username="wang").exists()


def test_users_change_their_own_password_and_their_api_tokens_stop_working(
    client_for: Callable[[User], Client], leader: User
) -> None:
    token = AuthToken.objects.create(leader)[1]
    client = client_for(leader)
    page = client.get("/accounts/password_change/")
    assert page.status_code == 200
    assert "当前密码" in page.content.decode()
    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": "Xin#mima2027", "new_password2": "Xin#mima2027"},
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    changed = client.post(
        "/accounts/password_change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Xin#mima2027",
            "new_password2": "Xin#mima2027",
        },
    )
    assert changed.status_code == 302
    assert "密码已修改" in client.get(changed["Location"]).content.decode()  # still signed in
    leader.refresh_from_db()
    assert leader.check_password("Xin#mima2027")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/projects/").status_code == 401
