"""Who is asking: the signed-in account of a page or API request, typed as our User."""

from typing import Any

from core.models import User


def actor_of(request: Any) -> User:
    """`login_required` and the API's authentication have already refused anonymous requests."""
    user: User = request.user
    return user
