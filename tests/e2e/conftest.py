"""End-to-end journeys: real Chromium windows against the live server, with a Celery worker.

A journey opens one window per person (`journey.login("zhang")`) and checks every page it
reaches (`window.goto(path, name)`, `window.follow(selector, name)`, or `window.check(name)` after
a page loaded some other way): that saves SCREENSHOT_DIR/<journey>/NN-<name>.png and fails on a
console error, an uncaught exception, an unexpected HTTP status or sideways scrolling at
1366×768. A page reached but never checked fails the journey too.
"""

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import WorkerProcess
from tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))
VIEWPORT = {"width": 1366, "height": 768}
# Clicks and assertions wait this long for an element; the worker gets longer (see WORKER_MS).
TIMEOUT_MS = 15_000
WORKER_MS = 90_000
SIDEWAYS = "document.documentElement.scrollWidth > document.documentElement.clientWidth"
expect.set_options(timeout=TIMEOUT_MS)


def status_note(status: int) -> str:
    """Chromium's console error for a page answered with 4xx; an expected refusal allows it."""
    phrase = HTTPStatus(status).phrase
    return f"Failed to load resource: the server responded with a status of {status} ({phrase})"


@dataclass
class Window:
    """One person's browser window; remembers what happened since its page was last checked."""

    journey: "Journey"
    page: Any
    errors: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    def _on_navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.unchecked.append(frame.url)

    def _on_response(self, response: Any) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.statuses.append(response.status)

    def goto(self, path: str, name: str, *, status: int = 200) -> None:
        self.page.goto(f"{self.journey.base_url}{path}")
        self.check(name, status=status)

    def follow(self, selector: str, name: str, *, status: int = 200) -> None:
        """Click a link or a submit button and check the page it loads."""
        with self.page.expect_navigation():
            self.page.click(selector)
        self.check(name, status=status)

    def check(self, name: str, *, status: int = 200, again: bool = False) -> Path:
        """Screenshot first (so a failing page is on file), then the page's own health.

        A check with no new page since the last one is a mistake (a click whose page had not
        loaded yet) unless `again` says the same page changed in place, e.g. another tab.
        """
        assert again or self.unchecked, f"{name}: no new page since the last check"
        self.page.wait_for_load_state("load")
        path = self.journey.screenshot(self.page, name)
        final = self.statuses[-1] if self.statuses else None
        assert final == status, f"{name}: HTTP {final}, expected {status} ({self.page.url})"
        errors = [e for e in self.errors if status == 200 or e != status_note(status)]
        assert errors == [], f"{name}: console errors {errors}"
        assert not self.page.evaluate(SIDEWAYS), f"{name}: the page scrolls sideways at 1366×768"
        self.errors.clear()
        self.unchecked.clear()
        return path


class Journey:
    """One user story: numbered screenshots in its own folder, one window per person."""

    def __init__(self, name: str, base_url: str, browser: Any) -> None:
        self.base_url = base_url
        self.browser = browser
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.shots = 0
        self.windows: list[Window] = []
        self._contexts: list[Any] = []

    def screenshot(self, page: Any, name: str) -> Path:
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def open(self) -> Window:
        # Reduced motion: charts and tabs draw at once, so screenshots show the settled page.
        context = self.browser.new_context(
            viewport=VIEWPORT, locale="zh-CN", reduced_motion="reduce"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self._contexts.append(context)
        window = Window(journey=self, page=context.new_page())
        page = window.page
        page.on("console", lambda m: window.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: window.errors.append(str(exc)))
        page.on("framenavigated", window._on_navigated)
        page.on("response", window._on_response)
        self.windows.append(window)
        return window

    def login(self, username: str) -> Window:
        """A new window, logged in through the login page, checked on the 工作台 it lands on."""
        window = self.open()
        window.goto("/accounts/login/", f"{username}-login")
        window.page.fill("input[name=username]", username)
        window.page.fill("input[name=password]", TEST_PASSWORD)
        window.follow("button[type=submit]", f"{username}-home")
        assert window.page.url == f"{self.base_url}/", window.page.url
        return window

    def close(self) -> list[str]:
        """Close every window; return what went unchecked: pages reached, console errors."""
        problems = []
        for w in self.windows:
            problems += [f"{url} reached but not checked" for url in w.unchecked]
            problems += [f"console error after the last check: {e}" for e in w.errors]
        for context in self._contexts:
            context.close()
        self.windows.clear()
        self._contexts.clear()
        return problems


@pytest.fixture
def journey(
    request: pytest.FixtureRequest, live_server: Any, browser: Any, worker: WorkerProcess
) -> Iterator[Callable[[str], Journey]]:
    """Start journeys by name; the live server and the Celery worker share the test database."""
    journeys: list[Journey] = []
    failed_before = request.session.testsfailed

    def start(name: str) -> Journey:
        journeys.append(Journey(name, live_server.url, browser))
        return journeys[-1]

    yield start
    problems = [problem for j in journeys for problem in j.close()]
    if request.session.testsfailed == failed_before:
        assert problems == []
