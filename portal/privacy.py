"""Masking of personal data: phone and ID numbers are never shown in full by default."""

import re

# A star counts as a (masked) digit, so masking an already masked number changes nothing.
_PHONE_DIGITS = re.compile(r"[\d*]")


def mask_phone(phone):
    """138****1234 for a mobile number; other numbers keep only their last four digits."""
    if not phone:
        return ""
    digits = "".join(_PHONE_DIGITS.findall(phone))
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_id_number(number):
    """430202********1234: region and the last four characters only. A number shorter than a
    resident ID (15 or 18) keeps only its last four: region and last four would show it all."""
    if not number:
        return ""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    if len(number) < 15:
        return "*" * (len(number) - 4) + number[-4:]
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
