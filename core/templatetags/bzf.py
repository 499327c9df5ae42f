"""Template helpers shared by every page."""

from decimal import Decimal
from typing import Any

from django import template

from core import masking
from core.links import list_url
from core.rounding import decimal_text, percent_text

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")


@register.filter
def mask_id(value: str) -> str:
    return masking.mask_id_number(value or "")


@register.filter
def percent(value: Decimal | float | None) -> str:
    """A rate: 0.8125 -> '81.3%' (四舍五入, as the Excel file and the 公文 show it); None -> '—'."""
    return percent_text(value)


@register.filter
def points(value: Decimal | float | None) -> str:
    """A figure already in percent (形象进度 48.5) with its one decimal: '48.5%'."""
    text = decimal_text(value, 1)
    return text if value is None else f"{text}%"


@register.simple_tag(takes_context=True)
def sort_url(context: dict[str, Any], key: str, desc: bool = False) -> str:
    """Link for a sortable column header; a second click reverses the order."""
    current = context.get("ordering", "")
    if current == key:
        new = f"-{key}"
    elif current == f"-{key}":
        new = key
    else:
        new = f"-{key}" if desc else key
    query = context.get("query", "")
    return f"?{query}&o={new}" if query else f"?o={new}"


@register.simple_tag(takes_context=True)
def sort_mark(context: dict[str, Any], key: str) -> str:
    current = context.get("ordering", "")
    if current == key:
        return "▲"
    if current == f"-{key}":
        return "▼"
    return ""


@register.filter
def delay_on(project: Any, day: Any) -> int:
    return int(project.delay_days_on(day))


@register.filter
def add_error_class(field: Any) -> Any:
    """Render a bound field with Bootstrap's is-invalid marker."""
    css = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{css} is-invalid", "aria-invalid": "true"})


@register.filter
def field_label(form: Any, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None else name


@register.simple_tag(takes_context=True)
def scoped_url(context: dict[str, Any], name: str, **params: object) -> str:
    """A list's URL narrowed to the page's township and 专班 (context `scope`) and `params`."""
    return list_url(name, **{**context.get("scope", {}), **params})


@register.simple_tag
def hidden_filters(filterset: Any, *names: str) -> dict[str, Any]:
    """Filters a list page applies but does not show in its form (set by a link from the
    dashboard): each with its label and value in words, so the page says what it lists, and
    the query without them."""
    items: list[dict[str, str]] = []
    if not filterset.is_bound:
        return {"filters": items, "clear": ""}
    cleaned = filterset.form.cleaned_data if filterset.is_valid() else {}
    for name in names:
        raw = filterset.data.get(name)
        value = cleaned.get(name)
        if not raw or value in (None, ""):
            continue
        field = filterset.form.fields[name]
        choices = getattr(field, "choices", None)
        if hasattr(value, "pk") or choices is None:
            shown = value
        else:
            shown = dict(iter(choices)).get(raw, raw)
        items.append({"name": name, "label": str(field.label), "raw": raw, "shown": str(shown)})
    rest = filterset.data.copy()
    for name in names:
        rest.pop(name, None)
    return {"filters": items, "clear": rest.urlencode()}
