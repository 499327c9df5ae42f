"""API tokens (django-rest-knox): a new token per login, each with a lifetime, stored hashed.

Logging out revokes the token used, logging out everywhere revokes all the user's tokens, an
administrator revokes any in 系统管理, and a password change revokes them all (core/receivers.py).
"""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.views import LoginView, LogoutAllView, LogoutView
from rest_framework import permissions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.request import Request
from rest_framework.response import Response

TOKEN_RESPONSE = inline_serializer(
    "Token",
    {
        "token": serializers.CharField(help_text="令牌：请求头 Authorization: Token <令牌>"),
        "expiry": serializers.DateTimeField(help_text="失效时间（此后须重新获取）"),
    },
)
REVOKED = OpenApiResponse(description="令牌已注销。")


class TokenLoginView(LoginView):
    """Username and password in, a new token out (login lockout applies as on the login page)."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TOKEN_RESPONSE},
        description="用用户名和密码获取新令牌；每次获取都是新的令牌，到期自动失效。",
    )
    def post(self, request: Request, format: str | None = None) -> Response:
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)


class TokenLogoutView(LogoutView):
    @extend_schema(request=None, responses={204: REVOKED}, description="注销本次请求所用的令牌。")
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format=format)


class TokenLogoutAllView(LogoutAllView):
    @extend_schema(request=None, responses={204: REVOKED}, description="注销本人的全部令牌。")
    def post(self, request: Request, format: str | None = None) -> Response:
        return super().post(request, format=format)
