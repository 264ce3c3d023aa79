"""Sending verification codes. The sender is chosen by settings.TRAINING_SMS_SENDER (a dotted
path to a class); the default writes the code to the log "training.sms", so development and
tests need no gateway. A real gateway is a class with the same `send_code` method:

    TRAINING_SMS_SENDER = "myproject.sms.AliyunSender"

It raises SmsError when the gateway refuses; the code is then not stored (see accounts.send_code).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from portal.privacy import mask_phone

DEFAULT_SENDER = "training.sms.LogSender"

logger = logging.getLogger("training.sms")


class SmsError(Exception):
    """The gateway did not accept the message."""


class CodeSender:
    """The interface: send `code` for `purpose` (a CodePurpose) to the mobile number `phone`."""

    def send_code(self, phone, code, purpose):
        raise NotImplementedError


class LogSender(CodeSender):
    """Writes the code to the log instead of sending it (development, tests, demo)."""

    def send_code(self, phone, code, purpose):
        # The masked number is enough to tell codes apart; the log is no place for phone numbers.
        logger.info("验证码 %s（%s，发往 %s）", code, purpose, mask_phone(phone))


def get_sender():
    return import_string(getattr(settings, "TRAINING_SMS_SENDER", DEFAULT_SENDER))()
