"""Residents in the admin: the front desk (居民登记) and the list, with who sees whom and the
phone and ID numbers masked in the list, the export and the inspect view."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import ModelLogEntry

from training import accounts
from training.models import EnrolmentStatus, Resident
from training.validators import id_check_char

from ..factories import editor_of, make_user, moderator_of
from .factories import make_resident
from .test_accounts import enrol, make_offering

LIST = reverse("residents:index")
DESK = reverse("residents:add")
PHONE = "13812345678"
ID_NUMBER = "43020219480115002" + id_check_char("43020219480115002")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def desk_data(venue, **overrides):
    data = {
        "venue": venue.pk,
        "phone": "138 1234 5678",
        "real_name": "赵大爷",
        "id_number": ID_NUMBER,
        "birth_date": "",
        "consent": "on",
        "with_password": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def csv_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


# --- the front desk ------------------------------------------------------------------------


def test_venue_staff_register_a_resident_with_an_initial_password_shown_once(client, network):
    pukou = network["pukou"]
    staff = editor_of(pukou)
    client.force_login(staff)

    form = client.get(DESK)
    assert form.status_code == 200
    text = form.content.decode()
    assert "居民登记" in text and pukou.name in text
    assert network["youxian"].name not in text  # only the staff's own venues to choose from

    response = client.post(DESK, desk_data(pukou))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    password = re.search(r"data-initial-password[^>]*>(\w+)<", response.content.decode())[1]

    resident = Resident.objects.get(phone=PHONE)
    assert (resident.real_name, resident.id_number) == ("赵大爷", ID_NUMBER)
    assert str(resident.birth_date) == "1948-01-15"
    assert resident.registered_by == staff and resident.registered_at_venue == pukou
    assert resident.consented_at is not None and resident.phone_verified_at is None
    assert password not in resident.user.password  # stored hashed
    assert accounts.authenticate_resident(None, PHONE, password) == resident.user
    # Shown once: nowhere else to find it.
    assert password not in client.get(LIST).content.decode()
    entry = ModelLogEntry.objects.get(action="wagtail.create", object_id=str(resident.pk))
    assert entry.user_id == staff.pk and "赵大爷" not in entry.label


def test_without_a_password_the_resident_sets_one_by_sms(client, network, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="training.sms")
    client.force_login(editor_of(network["pukou"]))
    response = client.post(DESK, desk_data(network["pukou"], with_password=None))
    assert "data-initial-password" not in response.content.decode()
    resident = Resident.objects.get(phone=PHONE)
    assert not resident.user.has_usable_password()

    accounts.send_code(PHONE, "password")
    code = re.findall(r"验证码 (\d+)", caplog.text)[-1]
    accounts.reset_password(phone=PHONE, code=code, password="Zhao-Da-Ye-1948")
    resident.refresh_from_db()
    assert resident.phone_verified_at is not None  # the code proved the number
    assert accounts.authenticate_resident(None, PHONE, "Zhao-Da-Ye-1948") == resident.user


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "请输入11位中国大陆手机号码"),
        ({"id_number": ID_NUMBER[:17] + "0"}, "身份证号校验位不正确"),
        ({"consent": None}, "须经居民本人同意个人信息处理规则后才能登记"),
        ({"real_name": ""}, "请填写姓名"),
    ],
)
def test_bad_front_desk_input_creates_nothing(client, network, overrides, message):
    client.force_login(editor_of(network["pukou"]))
    users = get_user_model().objects.count()
    response = client.post(DESK, desk_data(network["pukou"], **overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Resident.objects.exists() and get_user_model().objects.count() == users


def test_front_desk_duplicates_create_nothing(client, network):
    make_resident(phone="13900000099", id_number=ID_NUMBER)
    make_resident(phone=PHONE)
    client.force_login(editor_of(network["pukou"]))
    users = get_user_model().objects.count()
    response = client.post(DESK, desk_data(network["pukou"], phone="13700000000"))
    assert "该身份证号已被其他账号使用" in response.content.decode()
    response = client.post(DESK, desk_data(network["pukou"], id_number=""))
    assert "该手机号已注册" in response.content.decode()
    assert Resident.objects.count() == 2 and get_user_model().objects.count() == users


def test_staff_cannot_register_for_another_venue(client, network):
    client.force_login(editor_of(network["pukou"]))
    response = client.post(DESK, desk_data(network["huangfeng"]))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Resident.objects.exists()


def test_the_front_desk_is_for_venue_staff_and_hub_admins(client, network):
    outsider = make_user("outsider")
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    for response in (
        client.get(DESK),
        client.post(DESK, desk_data(network["pukou"])),
        client.get(LIST),
    ):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not Resident.objects.exists()

    client.force_login(make_user("hub", superuser=True))
    text = client.get(DESK).content.decode()
    assert network["youxian"].name in text and network["pukou"].name in text
    client.force_login(moderator_of(network["huangfeng"]))
    assert client.get(DESK).status_code == 200


def test_the_menu_shows_the_front_desk_to_staff(client, network):
    client.force_login(editor_of(network["pukou"]))
    text = client.get(reverse("wagtailadmin_home")).content.decode()
    assert DESK in text and LIST in text


# --- the list ------------------------------------------------------------------------------


@pytest.fixture
def residents(network):
    pukou, huangfeng = network["pukou"], network["huangfeng"]
    registered = make_resident(
        phone="13811110001", real_name="浦口登记", id_number=ID_NUMBER, registered_at_venue=pukou
    )
    enrolled = make_resident(phone="13811110002", real_name="浦口学员")
    enrol(enrolled, make_offering(pukou))
    cancelled = make_resident(phone="13811110003", real_name="取消了的")
    enrol(cancelled, make_offering(pukou), status=EnrolmentStatus.CANCELLED)
    elsewhere = make_resident(phone="13811110004", real_name="皇图岭学员")
    enrol(elsewhere, make_offering(huangfeng))
    return {
        "registered": registered,
        "enrolled": enrolled,
        "cancelled": cancelled,
        "elsewhere": elsewhere,
    }


def test_venue_staff_see_residents_registered_or_enrolled_at_their_venues(
    client, network, residents
):
    staff = editor_of(network["pukou"])
    assert set(accounts.residents_visible_to(staff)) == {
        residents["registered"],
        residents["enrolled"],
    }
    client.force_login(staff)
    text = client.get(LIST).content.decode()
    assert "浦口登记" in text and "浦口学员" in text
    assert "取消了的" not in text and "皇图岭学员" not in text

    other = residents["elsewhere"]
    assert client.get(reverse("residents:inspect", args=[other.pk])).status_code == 404
    assert client.get(reverse("residents:edit", args=[other.pk])).status_code in (302, 403)
    assert client.get(reverse("residents:delete", args=[other.pk])).status_code in (302, 403)


def test_hub_admins_see_every_resident(client, network, residents):
    hub = make_user("hub", superuser=True)
    assert set(accounts.residents_visible_to(hub)) == set(residents.values())
    assert not accounts.residents_visible_to(make_user("nobody")).exists()


def test_numbers_are_masked_in_the_list_the_export_and_the_inspect_view(client, network, residents):
    resident = residents["registered"]
    client.force_login(editor_of(network["pukou"]))
    raw = {resident.phone, resident.id_number}

    listing = client.get(LIST).content.decode()
    assert "138****0001" in listing and resident.masked_id_number in listing
    assert not any(number in listing for number in raw)

    inspect = client.get(reverse("residents:inspect", args=[resident.pk])).content.decode()
    assert "138****0001" in inspect and resident.masked_id_number in inspect
    assert not any(number in inspect for number in raw)

    rows = csv_rows(client.get(LIST, {"export": "csv"}))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["姓名", "手机号", "身份证号"]
    registered = next(row for row in body if row[0] == "浦口登记")
    assert registered[1:3] == ["138****0001", resident.masked_id_number]
    assert registered[header.index("登记场馆")] == str(network["pukou"])
    assert {row[0] for row in body} == {"浦口登记", "浦口学员"}
    assert not any(number in cell for row in rows for cell in row for number in raw)


@pytest.mark.parametrize(("query", "found"), [("浦口", 2), ("学员", 1), ("0002", 1), ("0004", 0)])
def test_search_by_name_or_phone(client, network, residents, query, found):
    client.force_login(editor_of(network["pukou"]))
    rows = csv_rows(client.get(LIST, {"q": query, "export": "csv"}))
    assert len(rows) - 1 == found


def test_hub_admins_delete_through_the_account_deletion(client, network, residents):
    resident = residents["enrolled"]
    client.force_login(make_user("hub", superuser=True))
    url = reverse("residents:delete", args=[resident.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302
    assert not Resident.objects.filter(pk=resident.pk).exists()
    assert not get_user_model().objects.filter(pk=resident.user_id).exists()
    entry = ModelLogEntry.objects.get(action=accounts.RESIDENT_DELETED)
    assert entry.data["by"] == "staff" and "浦口学员" not in entry.label


def test_hub_admins_correct_a_name_but_never_see_the_numbers_in_the_form(
    client, network, residents
):
    resident = residents["registered"]
    client.force_login(make_user("hub", superuser=True))
    assert "居民登记" in client.get(LIST).content.decode()
    url = reverse("residents:edit", args=[resident.pk])
    form = client.get(url).content.decode()
    assert resident.phone not in form and resident.id_number not in form
    response = client.post(url, {"real_name": "浦口登记（改）", "birth_date": "1948-01-15"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.real_name, resident.phone) == ("浦口登记（改）", "13811110001")


def test_initial_passwords_meet_the_password_policy():
    from django.contrib.auth.password_validation import validate_password

    for _ in range(200):
        password = accounts.generate_initial_password()
        validate_password(password)  # raises on a password the policy refuses
        assert len(password) == 8
