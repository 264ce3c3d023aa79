"""Mainland mobile numbers and resident ID numbers (GB 11643-1999), checked by their form and,
for ID numbers, the check digit; errors in Chinese."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ASCII digits only: \d alone also matches other scripts' digits (Arabic-Indic, full-width …).
MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
ID_NUMBER = re.compile(r"^\d{17}[\dX]$", re.ASCII)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"


def normalise_mobile(value):
    """Digits only, without a +86/86 prefix: what the user most likely meant (full-width
    digits, as a Chinese input method types them, become ASCII)."""
    digits = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_mobile(value):
    if not MOBILE.match(value or ""):
        raise ValidationError(_("请输入11位中国大陆手机号码，如 13812345678。"), code="mobile")


def normalise_id_number(value):
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def id_check_char(first17):
    return ID_CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def birth_date_of(id_number):
    """The birth date an 18-digit ID number carries, or None when it is no real date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def validate_id_number(value):
    value = normalise_id_number(value)
    if not ID_NUMBER.match(value):
        raise ValidationError(
            _("身份证号应为18位：前17位是数字，最后一位是数字或X。"), code="id_format"
        )
    born = birth_date_of(value)
    if born is None or born > date.today() or born.year < 1900:
        raise ValidationError(_("身份证号中的出生日期无效。"), code="id_birth")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号校验位不正确，请检查是否输错。"), code="id_check")
