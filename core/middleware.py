"""Absolute session lifetime: idle expiry is Django's own (SESSION_COOKIE_AGE, renewed per request),
but a session must also end a fixed time after login, however busy it is."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, resolve_url

from core.sessions import expired_session_user, form_rescue, is_form_post

_STARTED_KEY = "bzf_auth_started"


def mark_session_start(request: HttpRequest) -> None:
    request.session[_STARTED_KEY] = int(time.time())


def started_at(request: HttpRequest) -> int | None:
    started = request.session.get(_STARTED_KEY)
    return int(started) if started is not None else None


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(_STARTED_KEY)
            if started is None:
                mark_session_start(request)
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                from core.models import SecurityEvent
                from core.services import security_event_record

                security_event_record(
                    kind=SecurityEvent.Kind.SESSION_EXPIRED, request=request, user=request.user
                )
                user_id = request.user.pk
                logout(request)
                hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
                if is_form_post(request):
                    form_rescue(request, user_id=user_id, reason=f"登录已超过{hours}小时")
                    return redirect_to_login(request.get_full_path())
                messages.info(request, f"登录已超过{hours}小时，为安全起见请重新登录。")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class FormRescueMiddleware:
    """A form sent after the session idled out is not lost: `login_required` sends the browser
    to the login page, and the fields wait in the session for the same person (core.sessions).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 302
            and not request.user.is_authenticated
            and is_form_post(request)
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL))
        ):
            user_id = expired_session_user(request)
            if user_id is not None:
                minutes = settings.SESSION_COOKIE_AGE // 60
                form_rescue(request, user_id=user_id, reason=f"{minutes}分钟未操作")
        return response


NUL_MESSAGE = "请求参数中包含非法字符。"


class RejectNulBytesMiddleware:
    """A NUL byte in a parameter is never valid input and PostgreSQL refuses it in text: answer
    400 here instead of a database error later."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(
                NUL_MESSAGE.encode(), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
