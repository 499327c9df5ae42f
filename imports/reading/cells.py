"""A cell of a survey row as the reader hands it on: its value as Excel shows it, its column
letter, and a flag when the value is not simply what the cell holds (an error value, a formula
without a result, a merged range, a date shown without its year)."""

import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from imports.parsing import LAST_SERIAL
from imports.reading.formats import NumberFormat

EPOCHS = {False: datetime.datetime(1899, 12, 30), True: datetime.datetime(1904, 1, 1)}

# Cell flags: why a value is not simply what the cell holds.
ERROR = "error:"  # + the cached error value (#N/A, #REF! …)
NO_RESULT = "no_result"  # a formula saved without its result
MERGED = "merged:"  # + the merged range spanning several projects (additive fields)
NO_YEAR = "no_year"  # a date whose format shows no year (month and day, or the month alone)
TIME = "time"  # a number shown as a time of day
FORMULA = "formula"  # the value is a formula's result (a 0 there is not typed data)
CARRIED = "carried"  # the value of a merged cell reaching down from the project row above


class Cell(NamedTuple):
    """A tuple, not a dataclass: the rows of a large sheet are many small objects."""

    value: Any
    letter: str
    flag: str = ""


class RawRow(NamedTuple):
    sheet: str
    number: int
    cells: dict[str, Cell]
    hidden: bool = False


def excel_number(value: float) -> float | int:
    """Excel keeps 15 significant digits: 0.1+0.2 is 0.3 there, as the person sees it."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    rounded = float(f"{value:.15g}")
    return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded


def as_shown(value: Any, fmt: NumberFormat, date1904: bool) -> tuple[Any, str]:
    """The value as its number format shows it, in words the parsers read like typed text."""
    if isinstance(value, bool):
        return value, ""
    if isinstance(value, int | float) and fmt.date and 0 <= value < LAST_SERIAL:
        moment = EPOCHS[date1904] + datetime.timedelta(days=float(value))
        value = moment if fmt.date == "time" else moment.date()
    if isinstance(value, datetime.datetime | datetime.date):
        if fmt.date == "time":
            return None, TIME
        day = value.date() if isinstance(value, datetime.datetime) else value
        if fmt.date in ("month", "monthonly"):
            return f"{day.year}年{day.month}月", NO_YEAR if fmt.date == "monthonly" else ""
        if fmt.date == "year":
            return f"{day.year}年", ""
        return day, NO_YEAR if fmt.date == "monthday" else ""
    if isinstance(value, int | float):
        number = Decimal(repr(excel_number(value)))
        if fmt.scale:
            number /= Decimal(1000) ** fmt.scale
        if fmt.percent:
            return f"{(number * 100).normalize():f}%", ""
        if fmt.unit:
            return f"{number.normalize():f}{fmt.unit}", ""
        return excel_number(float(number)), ""
    return value, ""
