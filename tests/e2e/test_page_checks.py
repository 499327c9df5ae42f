"""The page checks of the journeys catch what they promise to catch."""

from collections.abc import Callable

import pytest

from tests.e2e.conftest import Journey, Window, status_note

pytestmark = [
    pytest.mark.browser,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def login_page(j: Journey) -> Window:
    window = j.open()
    window.goto("/accounts/login/", "login")
    return window


def test_what_fails_a_page_check(journey: Callable[[str], Journey]) -> None:
    j = journey("0-page-checks")
    window = login_page(j)
    assert (j.folder / "01-login.png").exists()
    with pytest.raises(AssertionError, match="no new page"):
        window.check("same-page-again")
    window.page.evaluate("document.body.style.minWidth = '2000px'")
    with pytest.raises(AssertionError, match="sideways"):
        window.check("too-wide", again=True)

    broken = login_page(j)
    broken.page.evaluate(
        "console.error('损坏的脚本');"
        "new Promise(done => setTimeout(() => { done(); throw new Error('未捕获的异常'); }))"
    )
    with pytest.raises(AssertionError, match=r"损坏的脚本.*未捕获的异常"):
        broken.check("script-errors", again=True)

    with pytest.raises(AssertionError, match="HTTP 404"):
        j.open().goto("/no-such-page/", "missing")
    j.open().goto("/no-such-page/", "expected-missing", status=404)
    assert j.close() == [
        "console error after the last check: 损坏的脚本",
        "console error after the last check: 未捕获的异常",
        f"{j.base_url}/no-such-page/ reached but not checked",
        f"console error after the last check: {status_note(404)}",
    ]


def test_a_page_reached_but_not_checked_is_reported(journey: Callable[[str], Journey]) -> None:
    j = journey("0-page-checks-unchecked")
    window = login_page(j)
    window.page.goto(f"{j.base_url}/accounts/login/?next=/projects/")
    assert j.close() == [f"{j.base_url}/accounts/login/?next=/projects/ reached but not checked"]
