"""Matching a typed 乡镇/街道 name against the list the admin keeps.

Two spellings are the same township when they differ only in width (全角/半角), spaces or
brackets: they share a matching key, and a match by key is silent. Spellings that differ in the
suffix (城关 / 城关镇 / 城关街道) may or may not be the same place — a county can have both a
城关镇 and a 城关街道 — so they are offered as a suggestion for a person to confirm, never
matched silently.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model imports this module
    from projects.models import Township

from projects.names import name_key

# Longest first: 城关街道办事处 loses 街道办事处, not 处.
SUFFIXES = ("街道办事处", "办事处", "街道", "镇", "乡", "街")


def township_key(text: str) -> str:
    """The matching key of a name: the one every name of the ledger is matched by."""
    return name_key(text)


def township_stem(key: str) -> str:
    """The key without its administrative suffix (城关镇 → 城关), for suggestions."""
    for suffix in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def township_display(text: str) -> str:
    """How a typed name is stored: half-width, single spaces, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class TownshipMatch:
    """The township a text names (by key), or those it may mean (by stem)."""

    text: str
    township: "Township | None" = None
    suggestions: "list[Township]" = field(default_factory=list)

    def message(self) -> str:
        """Why the text was not accepted, in the words of the person who typed it."""
        if not self.suggestions:
            return f"乡镇(街道)“{self.text}”不在乡镇(街道)列表中，请核对或请管理员先添加。"
        names = "”或“".join(t.name for t in self.suggestions)
        return f"乡镇(街道)“{self.text}”不在乡镇(街道)列表中，是否应为“{names}”？"


def township_match(text: str, townships: "Iterable[Township]") -> TownshipMatch:
    key = township_key(text)
    stem = township_stem(key)
    found = TownshipMatch(text=township_display(text))
    if not key:
        return found
    for township in townships:
        other = township_key(township.name)
        if other == key:
            found.township = township
            found.suggestions = []
            return found
        if stem and township_stem(other) == stem:
            found.suggestions.append(township)
    return found
