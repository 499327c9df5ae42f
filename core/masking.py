"""Masking of petitioners' personal data for roles that may not see it whole."""


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
