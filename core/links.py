"""Links from a figure to the filtered list behind it."""

from urllib.parse import urlencode

from django.urls import reverse


def list_url(name: str, **params: object) -> str:
    """The list page `name` with its filter query; empty values are left out."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse(name)
    return f"{url}?{query}" if query else url
