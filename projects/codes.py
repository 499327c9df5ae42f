"""项目编号 as the ledger writes them: BJF-2026-00001, the year the project entered the ledger
and a running number. Pages, API and import all take codes from here.

One counter row per year, locked while numbers are taken, so two people (or two imports) never
get the same code; it starts from the highest number already used that year, and numbers typed
by hand are skipped, never reissued.
"""

import re

from django.db import IntegrityError, transaction

from core.bulk import in_batches
from projects.models import Project, ProjectCodeSequence

PREFIX = "BJF"


def _highest(prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    return max((int(m.group(1)) for c in numbers if (m := pattern.match(c))), default=0)


def project_codes_next(*, year: int, count: int) -> list[str]:
    """`count` unused codes of the year, in order; call inside the transaction that uses them."""
    if count <= 0:
        return []
    prefix = f"{PREFIX}-{year}-"
    for _ in range(3):
        if ProjectCodeSequence.objects.filter(year=year).exists():
            break
        try:
            with transaction.atomic():
                ProjectCodeSequence.objects.create(year=year, last=_highest(prefix))
            break
        except IntegrityError:  # another writer created this year's row at the same moment
            continue
    sequence = ProjectCodeSequence.objects.select_for_update().get(year=year)
    codes: list[str] = []
    while len(codes) < count:
        wanted = count - len(codes)
        batch = [f"{prefix}{n:05d}" for n in range(sequence.last + 1, sequence.last + 1 + wanted)]
        sequence.last += wanted
        taken: set[str] = set()
        for codes_in in in_batches(batch, "text"):
            taken.update(Project.objects.filter(code__in=codes_in).values_list("code", flat=True))
        codes += [c for c in batch if c not in taken]
    sequence.save(update_fields=["last"])
    return codes
