"""Builders for residents (and the Django users behind them)."""

import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from training.models import Resident
from training.validators import birth_date_of

RESIDENT_PASSWORD = "Lao-Wang-2026"
_phones = itertools.count(13900000001)


def make_resident(
    phone=None,
    real_name="王秀英",
    id_number="",
    birth_date=None,
    password=RESIDENT_PASSWORD,
    **fields,
):
    """A resident who signed up and consented; the user's login name is the phone number.
    With an ID number and no birth date, the birth date is taken from the ID number."""
    phone = phone or str(next(_phones))
    if id_number and birth_date is None:
        birth_date = birth_date_of(id_number)
    now = timezone.now()
    user = get_user_model().objects.create_user(username=phone, password=password)
    fields.setdefault("phone_verified_at", now)
    fields.setdefault("consented_at", now)
    return Resident.objects.create(
        user=user,
        phone=phone,
        real_name=real_name,
        id_number=id_number,
        birth_date=birth_date,
        **fields,
    )
