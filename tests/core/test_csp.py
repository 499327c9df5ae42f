"""Content-Security-Policy: pages run scripts from our own files only, so no template may carry
an inline script or event handler."""

import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.test import Client

from core.models import User

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_pages_send_a_policy_that_runs_no_inline_script(
    client_for: Callable[[User], Client], leader: User
) -> None:
    response = client_for(leader).get("/")
    policy = {
        name: values
        for name, *values in (d.split() for d in response["Content-Security-Policy"].split(";"))
    }
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_template_has_an_inline_script_or_handler() -> None:
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []


def test_api_docs_start_swagger_ui_from_a_script_file(
    client_for: Callable[[User], Client], leader: User
) -> None:
    client = client_for(leader)
    page = client.get("/api/docs/").content.decode()
    assert not INLINE_SCRIPT.search(page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in script.content
