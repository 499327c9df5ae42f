"""What typed work survives a session that ended: the fields of a form sent after the session
expired are kept (in the new, anonymous session) and given back, on the same page, to the same
person once they have logged in again. Nothing is saved on their behalf: they check and save.

Only the person who was logged in gets the fields back: the expired session still names them
(its row outlives its expiry date until `clearsessions`), and the fields are kept with that id.
"""

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest

RESCUE_KEY = "bzf_rescued_form"
MAX_FIELD_CHARS = 20_000
MAX_TOTAL_CHARS = 200_000
NEVER_KEPT = ("csrfmiddlewaretoken", "password")


def expired_session_user(request: HttpRequest) -> int | None:
    """The account of the session the browser still names, though it has expired."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore
    model = getattr(store, "get_model_class", None)
    if model is None:
        return None  # a cache-only session engine forgets expired sessions
    row = model().objects.filter(session_key=key).first()
    if row is None:
        return None
    user = row.get_decoded().get(SESSION_KEY)
    return int(user) if user is not None and str(user).isdigit() else None


def form_rescue(request: HttpRequest, *, user_id: int, reason: str) -> None:
    """Keep a posted form's fields for `user_id` (no passwords, no CSRF token, no files)."""
    data: dict[str, list[str]] = {}
    total = 0
    for name, values in request.POST.lists():
        if any(word in name for word in NEVER_KEPT):
            continue
        kept = [v for v in values if len(v) <= MAX_FIELD_CHARS]
        total += sum(len(v) for v in kept)
        if total > MAX_TOTAL_CHARS:
            break
        data[name] = kept
    request.session[RESCUE_KEY] = {
        "path": request.get_full_path(),
        "user": user_id,
        "data": data,
        "files": sum(len(files) for _, files in request.FILES.lists()),
        "reason": reason,
        "at": int(time.time()),
    }


def rescue_pending(request: HttpRequest) -> dict[str, Any] | None:
    """Fields waiting for their person to log in again (the login page says so)."""
    rescued = request.session.get(RESCUE_KEY)
    return rescued if isinstance(rescued, dict) else None


def rescue_take(request: HttpRequest) -> dict[str, Any] | None:
    """The kept fields of this page for the person now logged in, handed over once."""
    rescued = rescue_pending(request)
    user = getattr(request, "user", None)
    if rescued is None or user is None or not user.is_authenticated:
        return None
    if rescued.get("user") != user.pk:
        del request.session[RESCUE_KEY]  # another person logged in: theirs is not to be shown
        return None
    if rescued.get("path") != request.get_full_path():
        return None
    del request.session[RESCUE_KEY]
    return rescued


def is_form_post(request: HttpRequest) -> bool:
    """A page's form sent by the browser, not a script's request or an API call."""
    if request.method != "POST" or request.path.startswith("/api/"):
        return False
    if request.headers.get("X-Requested-With") or request.headers.get("HX-Request"):
        return False
    content_type = request.content_type or ""
    return content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
