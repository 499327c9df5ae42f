"""One locked counter per year serves petition numbers, 项目编号 and 发文字号 alike."""

from core.sequences import year_sequence_next
from petitions.models import PetitionSequence


def test_numbers_follow_on_skip_taken_ones_and_a_new_year_starts_at_one(db: None) -> None:
    # given numbers up to 7 used in 2026 before the counter existed, and 11 typed by hand
    def taken(numbers: list[int]) -> set[int]:
        return {n for n in numbers if n == 11}

    # when numbers are taken twice in 2026 and once in 2027
    first = year_sequence_next(PetitionSequence, year=2026, count=2, highest_used=lambda: 7)
    second = year_sequence_next(
        PetitionSequence, year=2026, count=2, highest_used=lambda: 0, taken=taken
    )
    next_year = year_sequence_next(PetitionSequence, year=2027, highest_used=lambda: 0)

    # then they run on from the highest used, skip the one typed by hand, and 2027 starts at 1
    assert first == [8, 9]
    assert second == [10, 12]
    assert next_year == [1]
    assert dict(PetitionSequence.objects.values_list("year", "last")) == {2026: 12, 2027: 1}
    assert year_sequence_next(PetitionSequence, year=2026, count=0, highest_used=lambda: 0) == []
