"""Numbers issued per year from a locked counter row: petition numbers, 项目编号 and 发文字号.

Each kind keeps one row per year (`year`, `last`) in a model of its own. The row is created on
first use from the highest number already in use that year (rows entered before the counter
existed, or numbers typed by hand), then locked with SELECT ... FOR UPDATE while numbers are
taken, so two clerks, two imports or two workers never get the same number. The lock is held
until the caller's transaction commits: call this inside the transaction that uses the numbers,
and a rollback gives them back.
"""

from collections.abc import Callable, Collection

from django.db import IntegrityError, models, transaction


def _none_taken(numbers: list[int]) -> Collection[int]:
    return ()


def year_sequence_next(
    model: type[models.Model],
    *,
    year: int,
    count: int = 1,
    highest_used: Callable[[], int],
    taken: Callable[[list[int]], Collection[int]] = _none_taken,
) -> list[int]:
    """The next `count` numbers of the year from `model`'s counter row, in order.

    `highest_used()` is asked only when the year's row is first created: the counter starts
    after it. `taken(numbers)` returns those of the candidate numbers already used elsewhere
    (typed by hand, ahead of the counter): they are skipped, never reissued.
    """
    if count <= 0:
        return []
    rows = model._default_manager.filter(year=year)
    with transaction.atomic(savepoint=False):
        for _ in range(3):
            if rows.exists():
                break
            try:
                with transaction.atomic():
                    model._default_manager.create(year=year, last=highest_used())
                break
            except IntegrityError:  # another writer created this year's row at the same moment
                continue
        last: int = rows.select_for_update().values_list("last", flat=True).get()
        numbers: list[int] = []
        while len(numbers) < count:
            batch = list(range(last + 1, last + 1 + count - len(numbers)))
            last = batch[-1]
            used = set(taken(batch))
            numbers += [n for n in batch if n not in used]
        rows.update(last=last)
    return numbers
