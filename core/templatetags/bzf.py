"""Template helpers shared by every page."""

from decimal import Decimal

from django import template

from core import masking

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")


@register.filter
def mask_id(value: str) -> str:
    return masking.mask_id_number(value or "")


@register.filter
def percent(value: Decimal | float | None, digits: int = 1) -> str:
    """0.8534 -> '85.3%'; None -> '—'."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"
