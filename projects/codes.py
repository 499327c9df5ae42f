"""项目编号 as the ledger writes them: BJF-2026-00001, the year the project entered the ledger
and a running number. Pages, API and import all take codes from here.

One counter row per year (core/sequences.py), locked while numbers are taken, so two people (or
two imports) never get the same code; it starts from the highest number already used that year,
and numbers typed by hand are skipped, never reissued.
"""

import re

from core.bulk import in_batches
from core.sequences import year_sequence_next
from projects.models import Project, ProjectCodeSequence

PREFIX = "BJF"


def _highest(prefix: str) -> int:
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbers = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    return max((int(m.group(1)) for c in numbers if (m := pattern.match(c))), default=0)


def project_codes_next(*, year: int, count: int) -> list[str]:
    """`count` unused codes of the year, in order; call inside the transaction that uses them."""
    prefix = f"{PREFIX}-{year}-"

    def taken(numbers: list[int]) -> set[int]:
        wanted = {f"{prefix}{n:05d}": n for n in numbers}
        used: set[int] = set()
        for codes_in in in_batches(list(wanted), "text"):
            used.update(
                wanted[code]
                for code in Project.objects.filter(code__in=codes_in).values_list("code", flat=True)
            )
        return used

    numbers = year_sequence_next(
        ProjectCodeSequence,
        year=year,
        count=count,
        highest_used=lambda: _highest(prefix),
        taken=taken,
    )
    return [f"{prefix}{n:05d}" for n in numbers]
