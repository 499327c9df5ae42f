"""Petition numbers (XF-2026-00001): issued per year, never twice, also under concurrent clerks."""

from core.sequences import year_sequence_next
from petitions.models import Petition, PetitionSequence


def next_number(year: int) -> str:
    """XF-2026-00001: one locked counter row per year, so two clerks never get the same number.

    The row starts from the highest number already used that year (petitions entered before the
    counter existed), and a number taken by hand is skipped, never reissued.
    """
    prefix = f"XF-{year}-"

    def taken(numbers: list[int]) -> set[int]:
        wanted = {f"{prefix}{n:05d}": n for n in numbers}
        used = Petition.objects.filter(number__in=wanted).values_list("number", flat=True)
        return {wanted[number] for number in used}

    (serial,) = year_sequence_next(
        PetitionSequence, year=year, highest_used=lambda: _highest_number(prefix), taken=taken
    )
    return f"{prefix}{serial:05d}"


def _highest_number(prefix: str) -> int:
    numbers = Petition.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    return max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
