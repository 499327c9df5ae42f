"""One rounding for every figure a person reads: 四舍五入 (half up) as official tables round.

A rate is kept as a fraction rounded to one decimal of a percent (13/16 → 0.813), the figure
a table prints (81.3%), so a page, the API, an Excel cell and a 公文 all show the same number
and nothing is rounded twice. Python's round() and format() round to even (81.25 → 81.2).
"""

from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"
# Excel's format of a rate cell: the cell holds the fraction, Excel shows 81.3%.
PERCENT_FORMAT = "0.0%"
RATE_PLACES = 3  # of the fraction: one decimal of the percent


def half_up(value: Decimal | float | int, places: int = 2) -> Decimal:
    """The value rounded half up to `places` decimals (28.365 → 28.37)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate(num: Decimal | float | int, den: Decimal | float | int) -> Decimal | None:
    """num / den as a rate (0.813); None (shown as —) when there is nothing to divide by."""
    if not den:
        return None
    exact = Decimal(str(num)) / Decimal(str(den))
    return exact.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_UP)


def decimal_text(value: Decimal | float | int | None, places: int) -> str:
    """The value as a table prints it with `places` decimals; — when there is none."""
    return MISSING if value is None else str(half_up(value, places))


def percent_text(value: Decimal | float | None) -> str:
    """A rate (fraction) as a table prints it: 0.8125 → 81.3%; None → —."""
    return MISSING if value is None else f"{half_up(Decimal(str(value)) * 100, 1)}%"
