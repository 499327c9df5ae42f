"""Petition numbers (XF-2026-00001): issued per year, never twice, also under concurrent clerks."""

from django.db import IntegrityError, transaction

from petitions.models import Petition, PetitionSequence


def next_number(year: int) -> str:
    """XF-2026-00001: one locked counter row per year, so two clerks never get the same number.

    The row starts from the highest number already used that year (petitions entered before the
    counter existed), and a number taken by hand is skipped, never reissued.
    """
    prefix = f"XF-{year}-"
    for _ in range(3):
        if PetitionSequence.objects.filter(year=year).exists():
            break
        try:
            with transaction.atomic():
                PetitionSequence.objects.create(year=year, last=_highest_number(prefix))
            break
        except IntegrityError:  # another clerk created this year's row at the same moment
            continue
    seq = PetitionSequence.objects.select_for_update().get(year=year)
    while True:
        seq.last += 1
        number = f"{prefix}{seq.last:05d}"
        if not Petition.objects.filter(number=number).exists():
            break
    seq.save(update_fields=["last"])
    return number


def _highest_number(prefix: str) -> int:
    numbers = Petition.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    return max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
