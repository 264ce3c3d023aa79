"""The password policy (rules.PASSWORD_*), as a Django password validator: it applies wherever
Django's validators do (resident sign-up and reset, Wagtail's user forms, password change,
createsuperuser)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import rules


def character_class(char):
    if char.islower():
        return "lower"
    if char.isupper():
        return "upper"
    if char.isdigit():
        return "digit"
    return "other"  # punctuation, spaces, Chinese characters


def character_classes(password):
    """How many of: lower-case, upper-case, digits, other characters `password` uses."""
    return len({character_class(char) for char in password})


class PasswordPolicyValidator:
    def __init__(
        self,
        min_length=rules.PASSWORD_MIN_LENGTH,
        min_classes=rules.PASSWORD_MIN_CHARACTER_CLASSES,
    ):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("密码太短：至少需要 %(min_length)d 个字符。"),
                    code="password_too_short",
                    params={"min_length": self.min_length},
                )
            )
        if character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _(
                        "密码需包含以下四类字符中的至少 %(min_classes)d 类：小写字母、大写字母、数字、其他符号。"
                    ),
                    code="password_too_simple",
                    params={"min_classes": self.min_classes},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "密码至少 %(min_length)d 个字符，并包含小写字母、大写字母、数字、其他符号中的至少 %(min_classes)d 类。"
        ) % {"min_length": self.min_length, "min_classes": self.min_classes}
