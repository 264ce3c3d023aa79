"""The audit trail of full phone and ID numbers: every time a screen or file shows a resident's
numbers unmasked, Wagtail's audit log (ModelLogEntry, 站点历史) records who, when and whose.
Whose is the resident's id only: the entry holds neither the name nor the numbers."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from . import accounts  # the module: accounts imports my_data, which imports this
from .models import Resident

UNMASKED_VIEWED = "training.resident.view_unmasked"

# What `where` names in the entries (and the log's message).
PLACES = {
    "enrolment_list": _("报名名单"),
    "roll": _("点名"),
    "volunteer": _("志愿者资料"),
    "volunteer_list": _("志愿者名单"),
    "roster": _("班次名单"),
    "service_records": _("服务记录导出"),
}
FIELD_LABELS = {"phone": _("手机号"), "id_number": _("身份证号")}


def log_unmasked_view(user, residents, *, where, fields=("phone", "id_number"), **context):
    """Record that `user` is being shown the full `fields` of each of `residents`: one entry
    per resident, so each resident's history lists who saw their numbers, sharing one uuid
    per page view. `context`: ids that say where (offering=…, volunteer=…). Fields a resident
    has not filled in are not logged as seen.

    The rows are Wagtail's own ModelLogEntry, written in one INSERT (bulk_create) rather
    than one `wagtail.log_actions.log()` call each: a list of a few hundred volunteers is
    one page view."""
    if where not in PLACES:  # a programming error; an assert would vanish under python -O
        raise ValueError(f"unknown place {where!r}")
    view, now = uuid.uuid4(), timezone.now()
    content_type = ContentType.objects.get_for_model(Resident, for_concrete_model=False)
    entries = []
    for resident in residents:
        shown = [field for field in fields if getattr(resident, field)]
        if shown:
            entries.append(
                ModelLogEntry(
                    content_type=content_type,
                    object_id=str(resident.pk),
                    label=accounts.anonymous_label(resident),
                    action=UNMASKED_VIEWED,
                    user=user,
                    uuid=view,
                    timestamp=now,
                    data={"where": where, "fields": shown, **context},
                )
            )
    ModelLogEntry.objects.bulk_create(entries)


def describe(data):
    """The log's message: 查看完整号码（报名名单：手机号、身份证号）."""
    fields = "、".join(str(FIELD_LABELS.get(f, f)) for f in data.get("fields", []))
    where = PLACES.get(data.get("where"), data.get("where", ""))
    return _("查看完整号码（%(where)s：%(fields)s）") % {"where": where, "fields": fields}
