"""Messages to residents. E-mail when the account has an address; always a log line (with the
phone masked), which is where an SMS gateway would plug in."""

import logging

from django.core.mail import send_mail
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def notify_resident(resident, subject, body):
    logger.info("通知 %s：%s", resident.masked_phone, body)
    email = resident.user.email
    if email:
        # A mail server being down must not undo an enrolment that has been committed.
        send_mail(subject, body, None, [email], fail_silently=True)


def notify_promoted(enrolment):
    offering = enrolment.offering
    notify_resident(
        enrolment.resident,
        _("候补转正通知"),
        _("%(name)s，您候补的“%(title)s”有了空位，已为您转为正式报名。如不能参加，请及时取消。")
        % {"name": enrolment.resident.real_name, "title": offering.target},
    )
