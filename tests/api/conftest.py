"""API clients per user: token-authenticated, as a program would call the API."""

from collections.abc import Callable

import pytest
from knox.models import AuthToken
from rest_framework.test import APIClient

from core.models import User


@pytest.fixture
def api_for() -> Callable[[User], APIClient]:
    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user)[1]}")
        return client

    return make
