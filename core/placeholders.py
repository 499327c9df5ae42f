"""Texts an administrator edits with {{名称}} placeholders (formal notices, report openings).

Placeholders, not template code: whoever edits the text can neither break the page nor reach
anything but the values handed over. Unknown names are refused when the text is saved; a text
saved before that rule keeps an unknown placeholder as it is, so rendering never fails.
"""

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def placeholder_errors(text: str, allowed: Iterable[str]) -> list[str]:
    """What is wrong with the placeholders of a text, in words for the person editing it."""
    known = set(allowed)
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in known})
    errors = []
    if unknown:
        errors.append(
            "未知的占位符：" + "、".join(f"{{{{{name}}}}}" for name in unknown) + "。"
            "请从下方“可用占位符”中选择，名称须完全一致。"
        )
    rest = PLACEHOLDER.sub("", text)
    if "{{" in rest or "}}" in rest:
        errors.append("占位符须写成成对的双花括号，如 {{编号}}，中间不能换行或再套花括号。")
    return errors


def validate_placeholders(text: str, allowed: Iterable[str], field: str = "body") -> None:
    errors = placeholder_errors(text, allowed)
    if errors:
        raise ValidationError({field: errors})
