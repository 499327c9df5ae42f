"""Bulk work that builds hundreds of thousands of objects at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk job (a survey import of 20,000 rows).

    Each object the job keeps makes every later full collection longer, and the job keeps
    tens of thousands of rows: collections took a quarter of an import's time. Memory is still
    freed as usual by reference counting; only cycles wait until the job ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
