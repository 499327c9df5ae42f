"""A fresh 1366×768 page per test (Chromium comes from tests/conftest.py) and screenshots."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import TEST_PASSWORD

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "artifacts/screenshots"))


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


# With DOCS_IMG=docs/img the shots named for the README are also saved there, as the screen
# shows them (not the whole page): `DOCS_IMG=docs/img pytest tests/browser` refreshes them.
DOCS_IMG = os.environ.get("DOCS_IMG", "")


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    def take(page: Any, name: str, *, readme: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if readme and DOCS_IMG:
            page.screenshot(path=str(Path(DOCS_IMG) / f"{readme}.png"))
        return path

    return take


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A 390×844 touch screen, as a 专班 member's phone on site."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, reduced_motion="reduce"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


def log_in(page: Any, base_url: str, username: str) -> None:
    """Through the login page, as a person does; returns once the 工作台 has loaded."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
