"""One matching key for the names people type: projects, companies, 专班, leaders.

Two spellings are one name when they differ only in width (全角/半角), spaces, line breaks or
brackets and separators: 翠湖花园（二期） typed in a sheet is the ledger's 翠湖花园(二期). Both
sides of every match go through the same key, and names are stored as typed.
"""

import functools
import re
import unicodedata

_IGNORED = re.compile(r"[\s\u200b\ufeff()（）\[\]【】·・.,，、'\"“”‘’-]+")
_COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "集团")


@functools.lru_cache(maxsize=65536)  # a sheet names the same companies and 专班 on every row
def name_key(text: str) -> str:
    """NFKC (full-width → half-width), without spaces, brackets or separators, lower case."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def code_key(text: object) -> str:
    """A 项目编号 as typed: half-width, no spaces, upper case (bjf-2024-00001 is BJF-2024-00001)."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split()).upper()


def company_stem(key: str) -> str:
    """A company's key without its legal form: 某某建设有限公司 and 某某建设公司 look alike."""
    for suffix in _COMPANY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key
