"""ID numbers encrypted at rest with a keyed hash for uniqueness (portal/encryption.py), and the
audit trail of every view of full numbers (training/unmasked.py)."""

import hashlib
import hmac
import importlib
import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from tests.factories import editor_of, make_user, moderator_of
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from tests.volunteers.factories import make_grid, make_volunteer
from training import enrolment as services
from training.account_forms import ProfileForm
from training.models import Resident
from training.unmasked import UNMASKED_VIEWED
from training.validators import id_check_char

pytestmark = pytest.mark.django_db

ID_NUMBER = "43020219800101001" + id_check_char("43020219800101001")
MASKED_ID = "430202********" + ID_NUMBER[-4:]
OTHER_ID = "43028119560801123" + id_check_char("43028119560801123")
migration = importlib.import_module("training.migrations.0006_resident_id_number_encrypted")


def raw_row(resident):
    """The resident's row as the database holds it, every column, read past the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM training_resident WHERE id = %s", [resident.pk])
        columns = [column[0] for column in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


# --- encrypted at rest -------------------------------------------------------------------------


def test_the_database_never_holds_the_plain_id_number(db):
    resident = make_resident(id_number=ID_NUMBER)
    row = raw_row(resident)
    assert not any(ID_NUMBER in str(value) for value in row.values())
    assert not any(ID_NUMBER[6:14] in str(value) for value in row.values())  # nor the birth part
    assert row["id_number"].startswith("gAAAAA")  # a Fernet token
    expected = hmac.new(
        settings.PERSONAL_DATA_HASH_KEY.encode(), ID_NUMBER.encode(), hashlib.sha256
    ).hexdigest()
    assert row["id_number_hash"] == expected

    # The code reads and masks the plain number as before.
    fresh = Resident.objects.get(pk=resident.pk)
    assert fresh.id_number == ID_NUMBER
    assert fresh.masked_id_number == MASKED_ID

    # Changed through the resident's own form: still only ciphertext, and a new hash.
    form = ProfileForm({"real_name": "王秀英", "id_number": OTHER_ID}, instance=fresh)
    assert form.is_valid(), form.errors
    form.save()
    row = raw_row(resident)
    assert OTHER_ID not in str(row) and ID_NUMBER not in str(row)
    assert Resident.objects.get(pk=resident.pk).id_number == OTHER_ID
    assert row["id_number_hash"] != expected


def test_no_id_number_is_stored_empty_and_never_collides(db):
    first, second = make_resident(), make_resident()
    assert raw_row(first)["id_number"] == "" and raw_row(first)["id_number_hash"] == ""
    assert raw_row(second)["id_number_hash"] == ""


def test_a_duplicate_id_number_is_refused_through_the_keyed_hash(db):
    make_resident(id_number=ID_NUMBER)
    twin = make_resident()
    form = ProfileForm({"real_name": "王秀英", "id_number": ID_NUMBER}, instance=twin)
    assert not form.is_valid()
    assert "该身份证号已被其他账号使用。" in str(form.errors)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_resident(id_number=ID_NUMBER)  # the database constraint, past every check
    assert Resident.objects.get(pk=twin.pk).id_number == ""


def test_equality_lookups_on_the_ciphertext_are_refused_not_silently_empty(db):
    make_resident(id_number=ID_NUMBER)
    with pytest.raises(FieldError):
        Resident.objects.filter(id_number=ID_NUMBER).exists()
    assert Resident.objects.filter(id_number__isnull=False).count() == 1


def test_the_data_migration_encrypts_existing_rows_and_reverses(db):
    resident = make_resident(id_number=ID_NUMBER)
    editor = SimpleNamespace(connection=connection)
    with connection.cursor() as cursor:  # the row as it was before the migration
        cursor.execute(
            "UPDATE training_resident SET id_number = %s, id_number_hash = '' WHERE id = %s",
            [ID_NUMBER, resident.pk],
        )
    migration.encrypt_id_numbers(None, editor)
    row = raw_row(resident)
    assert ID_NUMBER not in str(row) and len(row["id_number_hash"]) == 64
    assert Resident.objects.get(pk=resident.pk).id_number == ID_NUMBER

    migration.decrypt_id_numbers(None, editor)
    row = raw_row(resident)
    assert (row["id_number"], row["id_number_hash"]) == (ID_NUMBER, "")


def test_rotated_keys_still_decrypt_and_a_lost_key_is_a_clear_error(db):
    resident = make_resident(id_number=ID_NUMBER)
    old = settings.PERSONAL_DATA_ENCRYPTION_KEYS
    with override_settings(PERSONAL_DATA_ENCRYPTION_KEYS=[Fernet.generate_key().decode(), *old]):
        assert Resident.objects.get(pk=resident.pk).id_number == ID_NUMBER
    lost = [Fernet.generate_key().decode()]
    with (
        override_settings(PERSONAL_DATA_ENCRYPTION_KEYS=lost),
        pytest.raises(ImproperlyConfigured, match="没有加密它时所用的密钥"),
    ):
        Resident.objects.get(pk=resident.pk)
    with (
        override_settings(PERSONAL_DATA_ENCRYPTION_KEYS=["not-a-key"]),
        pytest.raises(ImproperlyConfigured, match="密钥格式不正确"),
    ):
        Resident.objects.get(pk=resident.pk)


def test_production_refuses_to_start_without_its_own_keys():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSONAL_DATA_")}
    env.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="portal.settings.production")
    check = [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"]
    result = subprocess.run(check, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "生产环境必须设置环境变量 PERSONAL_DATA_ENCRYPTION_KEYS" in result.stderr
    env.update(PERSONAL_DATA_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    env.update(PERSONAL_DATA_HASH_KEY="h" * 40)
    result = subprocess.run(check, env=env, capture_output=True, text=True, timeout=60)
    assert "PERSONAL_DATA" not in result.stderr  # (other settings may still want their own)


# --- every view of full numbers is logged ------------------------------------------------------


def views_of(resident):
    return ModelLogEntry.objects.for_instance(resident).filter(action=UNMASKED_VIEWED)


@pytest.fixture
def course(network):
    offering = offering_of(open_course(network["liling"], title="醴陵剪纸", capacity=1))
    holder = make_resident(real_name="钱七", phone="13811112222", id_number=ID_NUMBER)
    waiting = make_resident(real_name="孙八", phone="13833334444")
    services.enrol(holder, offering)
    services.enrol(waiting, offering)
    return offering, holder, waiting


def test_the_enrolment_list_in_full_logs_who_saw_whose_numbers(client, network, course):
    offering, holder, waiting = course
    clerk = moderator_of(network["liling"])
    client.force_login(clerk)
    page = client.get(reverse("training_enrolments:detail", args=[offering.pk])).content.decode()
    assert ID_NUMBER in page and "13833334444" in page  # the venue's own staff see them
    assert "每次查看都会记入审计日志" in page  # and are told so

    [seen] = views_of(holder)
    assert seen.user == clerk and seen.timestamp is not None
    assert seen.data == {
        "where": "enrolment_list",
        "fields": ["phone", "id_number"],
        "offering": offering.pk,
    }
    assert views_of(waiting).get().data["fields"] == ["phone"]  # no ID number to see
    assert views_of(waiting).get().uuid == seen.uuid  # one page view
    logged = json.dumps([(e.label, e.data) for e in ModelLogEntry.objects.all()])
    for personal in ("钱七", "孙八", "13811112222", "2222", ID_NUMBER, ID_NUMBER[-4:]):
        assert personal not in logged
    assert seen.label == f"居民 #{holder.pk}"
    assert log_registry.action_exists(UNMASKED_VIEWED)
    assert seen.message == "查看完整号码（报名名单：手机号、身份证号）"

    client.get(reverse("training_enrolments:detail", args=[offering.pk]))
    assert views_of(holder).count() == 2  # each view, not each resident once

    # Someone shown masked numbers is not logged as having seen them.
    client.force_login(make_user("hub-admin", superuser=True))
    page = client.get(reverse("training_enrolments:detail", args=[offering.pk])).content.decode()
    assert ID_NUMBER not in page
    assert views_of(holder).count() == 2
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "查看完整号码" in history


def test_the_roll_logs_the_phones_it_shows(client, network, course):
    offering, holder, _waiting = course
    session = offering.course.sessions.order_by("date").first()
    clerk = editor_of(network["liling"])
    client.force_login(clerk)
    url = reverse("training_enrolments:roll", args=[offering.pk, session.pk])
    assert "13811112222" in client.get(url).content.decode()
    [seen] = views_of(holder)
    assert (seen.user, seen.data["where"], seen.data["fields"]) == (clerk, "roll", ["phone"])


def test_cancelled_people_are_masked_even_for_the_venue(client, network, course):
    offering, holder, _waiting = course
    services.cancel(services.active_enrolment(holder, offering))
    client.force_login(moderator_of(network["liling"]))
    page = client.get(reverse("training_enrolments:detail", args=[offering.pk])).content.decode()
    assert ID_NUMBER not in page and "13811112222" not in page
    assert MASKED_ID in page
    assert not views_of(holder).exists()


def test_a_volunteer_s_full_numbers_are_logged_on_screen_and_in_the_export(client, network):
    from tests.volunteers.factories import at, make_activity, make_shift
    from volunteers import exports, hours, signups

    pukou = network["pukou"]
    grid = make_grid(pukou)
    volunteer = make_volunteer(
        grid, resident=make_resident(phone="13855556666", id_number=ID_NUMBER)
    )
    staff = editor_of(pukou)
    client.force_login(staff)
    detail = client.get(reverse("volunteer_people:detail", args=[volunteer.pk])).content.decode()
    assert ID_NUMBER in detail
    [seen] = views_of(volunteer.resident)
    assert seen.data == {
        "where": "volunteer",
        "fields": ["phone", "id_number"],
        "volunteer": volunteer.pk,
    }
    client.get(reverse("volunteer_people:index"))
    listed = views_of(volunteer.resident).get(data__where="volunteer_list")
    assert listed.data["fields"] == ["phone"]

    shift = make_shift(make_activity(pukou, grid, "浦口读书月"), at(2026, 4, 23, 19), hours=4)
    signup = signups.sign_up(volunteer, shift, now=at(2026, 4, 1, 9))
    hours.record_by_staff(signup, at(2026, 4, 23, 19, 30), at(2026, 4, 23, 23), staff)
    april = (at(2026, 4, 1).date(), at(2026, 4, 30).date())
    exports.service_records_workbook(staff, *april)
    exported = views_of(volunteer.resident).get(data__where="service_records")
    assert (exported.user, exported.data["fields"]) == (staff, ["id_number"])
    # The hub administrator's file has the number masked: nothing to log.
    exports.service_records_workbook(make_user("root", superuser=True), *april)
    assert views_of(volunteer.resident).filter(data__where="service_records").count() == 1
