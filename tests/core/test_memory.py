"""The collector pause around bulk jobs always hands the collector back as it found it."""

import gc

import pytest

from core.memory import collector_paused


class Stop(Exception):
    pass


@collector_paused()
def failing_job(seen: list[bool]) -> None:
    seen.append(gc.isenabled())
    raise Stop


def test_the_collector_is_paused_inside_and_restored_after_an_error() -> None:
    seen: list[bool] = []
    with pytest.raises(Stop):
        failing_job(seen)
    assert seen == [False]
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_in_force() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
