"""The resident's own data, for download (PIPL art. 45): everything kept about them.

Rows are found generically: every model pointing at the Resident (enrolments, a volunteer
application, what a later app adds), and two levels of rows pointing at those (attendance,
ratings, shift sign-ups and their service records), so nothing new is left out by forgetting
to list it here. Phone and ID numbers are masked here too: the file may be left on a shared
device, and the resident knows their own numbers.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

from .unmasked import PLACES, UNMASKED_VIEWED

# Internal keys and links, and the staff who acted, are not the resident's data.
_NOT_EXPORTED = {
    "id",
    "resident",
    "enrolment",
    "volunteer",
    "signup",
    "registered_by",
    "recorded_by",
    "reviewed_by",
    "decided_by",
}
DEPTH = 2  # levels of rows below the ones pointing at the resident


def _fields_of(instance):
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in _NOT_EXPORTED:
            continue
        if field.is_relation:
            related = getattr(instance, field.name)
            value = str(related) if related is not None else None
        elif field.choices:
            value = getattr(instance, f"get_{field.name}_display")()
        else:
            value = getattr(instance, field.attname)
        data[field.name] = value
    return data


def _related(instance, depth):
    """The rows pointing at `instance`, `depth` levels down: {accessor: rows or row or None}."""
    data = {}
    if depth == 0:
        return data
    for relation in instance._meta.related_objects:
        accessor = relation.get_accessor_name()
        if relation.one_to_one:
            try:
                row = getattr(instance, accessor)
            except ObjectDoesNotExist:
                data[accessor] = None
            else:
                data[accessor] = _fields_of(row) | _related(row, depth - 1)
        elif relation.one_to_many:
            data[accessor] = [
                _fields_of(row) | _related(row, depth - 1)
                for row in getattr(instance, accessor).all()
            ]
    return data


def _number_views(resident):
    """When staff saw the full numbers, and where (not who: that is the staff's data)."""
    entries = ModelLogEntry.objects.for_instance(resident).filter(action=UNMASKED_VIEWED)
    return [
        {
            "viewed_at": entry.timestamp,
            "where": str(PLACES.get(entry.data.get("where"), "")),
            "fields": entry.data.get("fields", []),
        }
        for entry in entries.order_by("timestamp")
    ]


def export_data(resident):
    """Everything kept about the resident (JSON-ready with DjangoJSONEncoder)."""
    user = resident.user
    tokens = APIToken.objects.filter(user=user).order_by("created")
    return {
        "exported_at": timezone.now(),
        "account": {
            "phone": resident.masked_phone,
            "real_name": resident.real_name,
            "id_number": resident.masked_id_number,
            "birth_date": resident.birth_date,
            "phone_verified_at": resident.phone_verified_at,
            "consented_at": resident.consented_at,
            "created_at": resident.created_at,
            "registered_at_venue": str(resident.registered_at_venue or "") or None,
            "registered_at_front_desk": resident.registered_by_id is not None,
            "last_login": user.last_login,
        },
        "app_logins": [
            {"created": t.created, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
            for t in tokens
        ],
        **_related(resident, DEPTH + 1),
        "number_views": _number_views(resident),
    }
