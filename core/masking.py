"""Masking of petitioners' personal data for roles that may not see it whole."""

import re


def mask_phone(value: str) -> str:
    """138****1234; short or odd numbers keep only their last four characters."""
    if not value:
        return ""
    if len(value) >= 11:
        return f"{value[:3]}****{value[-4:]}"
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_id_number(value: str) -> str:
    """110105********1234: region kept, birth date hidden."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


# Whole numbers only: a digit right before or after means the run is part of something else.
_ID_NUMBER = re.compile(r"(?<!\d)(?:\d{17}[\dXx]|\d{15})(?![\dXx])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_personal_text(text: str) -> str:
    """Free text bound for a log (a path, a typed username): every mobile number and ID number
    (18 characters, or the old 15 digits) in it is masked as the pages mask them."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
