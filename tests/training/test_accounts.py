"""Resident accounts on the web: sign-up with an SMS code, login, password reset, my account
(see, change, download, delete), and the services behind them."""

import json
import logging
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry

from portal.security import rules as security_rules
from training import accounts, rules
from training.models import CodePurpose, Enrolment, EnrolmentStatus, Offering, PhoneCode, Resident
from training.sms import CodeSender, SmsError
from training.validators import id_check_char

from .factories import RESIDENT_PASSWORD, make_resident

PHONE = "13812345678"
PASSWORD = "Hua-Gu-Xi-1956"
SIGNUP = reverse("account:signup")
DETAILS = reverse("account:signup_details")
HOME = reverse("account:home")
LOGIN = reverse("account:login")


def id_number(first17="43020219560801123"):
    """A valid resident ID number: the first 17 characters and their check digit."""
    return first17 + id_check_char(first17)


def bad_check_digit(number):
    return number[:17] + ("0" if number[17] != "0" else "1")


def sent_codes(caplog):
    return re.findall(rf"验证码 (\d{{{rules.CODE_DIGITS}}})", caplog.text)


def last_code(caplog):
    codes = sent_codes(caplog)
    assert codes, "no code was logged"
    return codes[-1]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # login failures are counted in the cache
    yield
    cache.clear()


@pytest.fixture
def sms_log(caplog):
    caplog.set_level(logging.INFO, logger="training.sms")
    return caplog


def details(code, **overrides):
    data = {
        "code": code,
        "real_name": "李桂兰",
        "password": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        "id_number": "",
        "birth_date": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def start_signup(client, sms_log, phone=PHONE):
    response = client.post(SIGNUP, {"phone": phone})
    assert response.status_code == 302 and response.url == DETAILS
    return last_code(sms_log)


# --- sign-up -------------------------------------------------------------------------------


def test_signup_journey_with_the_code_from_the_log(client, db, sms_log):
    page = client.get(SIGNUP)
    assert "手机号" in page.content.decode()

    # Typed as people do: spaces and a +86 prefix.
    response = client.post(SIGNUP, {"phone": "+86 138 1234 5678"})
    assert response.status_code == 302
    code = last_code(sms_log)
    assert "138****5678" in sms_log.text and PHONE not in sms_log.text  # masked in the log
    stored = PhoneCode.objects.get(phone=PHONE, purpose=CodePurpose.SIGNUP)
    assert code not in stored.code_hash  # hashed, not kept

    page = client.get(DETAILS).content.decode()
    assert "138****5678" in page and PHONE not in page

    number = id_number()
    response = client.post(DETAILS, details(code, id_number=number.lower()[:17] + number[17]))
    assert response.status_code == 302 and response.url == HOME

    resident = Resident.objects.get(phone=PHONE)
    assert resident.user.username == PHONE
    assert resident.user.check_password(PASSWORD)
    assert resident.real_name == "李桂兰"
    assert resident.id_number == number
    assert resident.birth_date == date(1956, 8, 1)  # taken from the ID number
    assert resident.phone_verified_at and resident.consented_at
    assert resident.registered_by is None
    stored.refresh_from_db()
    assert stored.used_at is not None

    home = client.get(HOME)  # logged in by the sign-up
    text = home.content.decode()
    assert home.status_code == 200
    assert "138****5678" in text and PHONE not in text
    assert "430202********" + number[-4:] in text and number not in text


def test_signup_with_a_birth_date_and_no_id_number(client, db, sms_log):
    code = start_signup(client, sms_log)
    client.post(DETAILS, details(code, birth_date="1950-03-05"))
    resident = Resident.objects.get(phone=PHONE)
    assert (resident.id_number, resident.birth_date) == ("", date(1950, 3, 5))


def test_a_birth_date_that_contradicts_the_id_number_is_refused(client, db, sms_log):
    code = start_signup(client, sms_log)
    response = client.post(DETAILS, details(code, id_number=id_number(), birth_date="1960-01-01"))
    assert "出生日期与身份证号不一致" in response.content.decode()
    assert not Resident.objects.exists()


@pytest.mark.parametrize("phone", ["1381234567", "23812345678", "12812345678", "手机号"])
def test_a_bad_phone_number_is_refused_and_no_code_is_sent(client, db, sms_log, phone):
    response = client.post(SIGNUP, {"phone": phone})
    assert response.status_code == 200
    assert "请输入11位中国大陆手机号码" in response.content.decode()
    assert not sent_codes(sms_log) and not PhoneCode.objects.exists()


def test_a_bad_id_check_digit_is_refused(client, db, sms_log):
    code = start_signup(client, sms_log)
    response = client.post(DETAILS, details(code, id_number=bad_check_digit(id_number())))
    assert "身份证号校验位不正确" in response.content.decode()
    assert not Resident.objects.exists() and not get_user_model().objects.exists()
    # The code was not used up by a form error: the corrected form goes through.
    client.post(DETAILS, details(code, id_number=id_number()))
    assert Resident.objects.filter(phone=PHONE).exists()


def test_consent_is_required(client, db, sms_log):
    code = start_signup(client, sms_log)
    response = client.post(DETAILS, details(code, consent=None))
    assert "请阅读并同意《个人信息处理规则》后再注册" in response.content.decode()
    assert not Resident.objects.exists()


def test_passwords_follow_djangos_validators_in_chinese(client, db, sms_log):
    code = start_signup(client, sms_log)
    response = client.post(DETAILS, details(code, password="12345678", password2="12345678"))
    text = response.content.decode()
    assert "这个密码太常见了" in text and "密码只包含数字" in text
    response = client.post(DETAILS, details(code, password2="Something-else-1"))
    assert "两次输入的密码不一致" in response.content.decode()
    assert not Resident.objects.exists()


def test_a_wrong_code_counts_an_attempt_and_creates_nothing(client, db, sms_log):
    code = start_signup(client, sms_log)
    wrong = f"{(int(code) + 1) % 10**rules.CODE_DIGITS:0{rules.CODE_DIGITS}d}"
    response = client.post(DETAILS, details(wrong))
    assert f"验证码不正确，还可以再试 {rules.CODE_MAX_ATTEMPTS - 1} 次" in response.content.decode()
    assert PhoneCode.objects.get(phone=PHONE).attempts == 1
    assert not Resident.objects.exists() and not get_user_model().objects.exists()


def test_too_many_wrong_codes_lock_the_code_even_for_the_right_one(db, sms_log):
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    code = last_code(sms_log)
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(rules.CODE_MAX_ATTEMPTS - 1):
        with pytest.raises(accounts.CodeRejected):
            accounts.check_code(PHONE, CodePurpose.SIGNUP, wrong)
    with pytest.raises(accounts.CodeAttemptsExhausted, match="错误次数过多"):
        accounts.check_code(PHONE, CodePurpose.SIGNUP, wrong)
    with pytest.raises(accounts.CodeAttemptsExhausted, match="请重新获取验证码"):
        accounts.sign_up(phone=PHONE, code=code, password=PASSWORD, real_name="李桂兰")
    assert not Resident.objects.exists()


def test_an_expired_code_is_refused(db, sms_log):
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    code = last_code(sms_log)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(accounts.CodeRejected, match="验证码已过期"):
        accounts.sign_up(phone=PHONE, code=code, password=PASSWORD, real_name="李桂兰")
    assert not Resident.objects.exists()


def test_a_used_code_cannot_be_used_again(db, sms_log):
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    code = last_code(sms_log)
    accounts.sign_up(phone=PHONE, code=code, password=PASSWORD, real_name="李桂兰")
    with pytest.raises(accounts.CodeRejected, match="已使用"):
        accounts.check_code(PHONE, CodePurpose.SIGNUP, code)


def test_codes_are_resent_only_after_the_pause(client, db, sms_log):
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    with pytest.raises(accounts.Throttled, match="秒后再重新获取") as refused:
        accounts.send_code(PHONE, CodePurpose.SIGNUP)
    assert 0 < refused.value.retry_after <= rules.CODE_RESEND_AFTER.total_seconds()
    assert len(sent_codes(sms_log)) == 1
    accounts.send_code(PHONE, CodePurpose.PASSWORD)  # another purpose has its own pause

    PhoneCode.objects.update(sent_at=timezone.now() - rules.CODE_RESEND_AFTER)
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    # Only the newest code of a number and purpose is kept, and only it is accepted.
    assert PhoneCode.objects.filter(phone=PHONE, purpose=CodePurpose.SIGNUP).count() == 1


def test_the_web_resend_button_tells_about_the_pause(client, db, sms_log):
    start_signup(client, sms_log)
    response = client.post(reverse("account:resend_code", args=["signup"]), follow=True)
    assert "秒后再重新获取" in response.content.decode()
    assert len(sent_codes(sms_log)) == 1


def test_a_duplicate_phone_is_refused_and_nothing_is_created(client, db, sms_log):
    existing = make_resident(phone=PHONE)
    code = start_signup(client, sms_log)  # the same answer as for a new number
    response = client.post(DETAILS, details(code))
    assert "该手机号已注册" in response.content.decode()
    assert Resident.objects.get() == existing
    assert get_user_model().objects.count() == 1
    assert PhoneCode.objects.get(phone=PHONE).used_at is None  # rolled back with the rest


def test_a_duplicate_id_number_is_refused_and_nothing_is_created(client, db, sms_log):
    number = id_number()
    make_resident(phone="13900000099", id_number=number)
    code = start_signup(client, sms_log)
    response = client.post(DETAILS, details(code, id_number=number))
    assert "该身份证号已被其他账号使用" in response.content.decode()
    assert not Resident.objects.filter(phone=PHONE).exists()
    assert not get_user_model().objects.filter(username=PHONE).exists()


def test_the_details_step_needs_the_first_step(client, db):
    assert client.get(DETAILS).url == SIGNUP


class CollectingSender(CodeSender):
    sent = []

    def send_code(self, phone, code, purpose):
        self.sent.append((phone, code, purpose))


class BrokenSender(CodeSender):
    def send_code(self, phone, code, purpose):
        raise SmsError("gateway down")


@override_settings(TRAINING_SMS_SENDER="tests.training.test_accounts.CollectingSender")
def test_a_gateway_plugs_in_by_settings(db, sms_log):
    CollectingSender.sent.clear()
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    [(phone, code, purpose)] = CollectingSender.sent
    assert (phone, purpose) == (PHONE, CodePurpose.SIGNUP)
    assert accounts.check_code(PHONE, CodePurpose.SIGNUP, code)
    assert not sent_codes(sms_log)  # not the log sender


@override_settings(TRAINING_SMS_SENDER="tests.training.test_accounts.BrokenSender")
def test_a_failing_gateway_stores_no_code(client, db):
    response = client.post(SIGNUP, {"phone": PHONE})
    assert "短信发送失败，请稍后再试" in response.content.decode()
    assert not PhoneCode.objects.exists()


# --- login ---------------------------------------------------------------------------------


def test_login_with_phone_and_password(client, db):
    make_resident(phone=PHONE)
    page = client.get(LOGIN).content.decode()
    assert "手机号" in page and "忘记密码" in page
    response = client.post(LOGIN, {"username": "138-1234-5678", "password": RESIDENT_PASSWORD})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("phone", [PHONE, "13999999999"])
def test_a_failed_login_does_not_tell_whether_the_number_exists(client, db, phone):
    make_resident(phone=PHONE)
    response = client.post(LOGIN, {"username": phone, "password": "wrong-password"})
    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_repeated_failures(client, db, login_lockout):
    make_resident(phone=PHONE)
    other = make_resident(phone="13700000000")
    for _attempt in range(security_rules.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": PHONE, "password": "wrong-password"})
    response = client.post(LOGIN, {"username": PHONE, "password": RESIDENT_PASSWORD})
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Other numbers are not affected.
    response = client.post(LOGIN, {"username": other.phone, "password": RESIDENT_PASSWORD})
    assert response.status_code == 302


def test_staff_accounts_cannot_log_in_as_residents(client, db):
    get_user_model().objects.create_user(PHONE, password=RESIDENT_PASSWORD)  # no Resident
    response = client.post(LOGIN, {"username": PHONE, "password": RESIDENT_PASSWORD})
    assert "手机号或密码不正确" in response.content.decode()


def test_account_pages_need_a_resident_login(client, db):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    staff = get_user_model().objects.create_user("staff", password="x")
    client.force_login(staff)
    response = client.get(HOME)
    assert response.status_code == 403 and "这不是居民账号" in response.content.decode()


# --- password reset ------------------------------------------------------------------------


def test_password_reset_by_sms_code(client, db, sms_log, login_lockout):
    resident = make_resident(phone=PHONE)
    _plain_token = accounts.issue_token(resident.user)
    for _attempt in range(security_rules.LOGIN_FAILURE_LIMIT):
        client.post(LOGIN, {"username": PHONE, "password": "wrong-password"})

    response = client.post(reverse("account:password_forgot"), {"phone": PHONE})
    assert response.url == reverse("account:password_reset")
    code = last_code(sms_log)
    response = client.post(
        reverse("account:password_reset"),
        {"code": code, "password": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response.url == LOGIN
    resident.user.refresh_from_db()
    assert resident.user.check_password(PASSWORD)
    assert not APIToken.objects.filter(user=resident.user, revoked_at__isnull=True).exists()
    # The reset lifts the lockout.
    response = client.post(LOGIN, {"username": PHONE, "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_for_an_unknown_number_answers_alike_and_sends_nothing(client, db, sms_log):
    response = client.post(reverse("account:password_forgot"), {"phone": PHONE})
    assert response.url == reverse("account:password_reset")
    assert not sent_codes(sms_log)
    with pytest.raises(accounts.CodeRejected):
        accounts.reset_password(phone=PHONE, code="123456", password=PASSWORD)


def test_a_signup_code_does_not_reset_a_password(db, sms_log):
    make_resident(phone=PHONE)
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    with pytest.raises(accounts.CodeRejected):
        accounts.reset_password(phone=PHONE, code=last_code(sms_log), password=PASSWORD)


# --- my account ----------------------------------------------------------------------------


@pytest.fixture
def resident_client(client, db):
    resident = make_resident(phone=PHONE, id_number=id_number())
    client.force_login(resident.user)
    client.resident = resident
    return client


def test_edit_my_data_without_ever_showing_the_id_number(resident_client):
    resident = resident_client.resident
    page = resident_client.get(reverse("account:edit")).content.decode()
    assert resident.id_number not in page and resident.masked_id_number in page

    # Left empty, the ID number stays; the name changes.
    response = resident_client.post(
        reverse("account:edit"), {"real_name": "李秀兰", "birth_date": "1956-08-01"}
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.real_name, resident.id_number) == ("李秀兰", id_number())

    new_number = id_number("43020219480115002")
    resident_client.post(
        reverse("account:edit"),
        {"real_name": "李秀兰", "birth_date": "1956-08-01", "id_number": new_number},
    )
    resident.refresh_from_db()
    assert (resident.id_number, resident.birth_date) == (new_number, date(1948, 1, 15))

    resident_client.post(
        reverse("account:edit"),
        {"real_name": "李秀兰", "birth_date": "1948-01-15", "remove_id_number": "on"},
    )
    resident.refresh_from_db()
    assert resident.id_number == ""


def test_editing_refuses_another_residents_id_number_and_a_bad_one(resident_client):
    taken = id_number("43020219700101001")
    make_resident(phone="13700000000", id_number=taken)
    for number, message in [
        (taken, "该身份证号已被其他账号使用"),
        (bad_check_digit(taken), "校验位"),
    ]:
        response = resident_client.post(
            reverse("account:edit"), {"real_name": "改名", "id_number": number}
        )
        assert message in response.content.decode()
    resident = Resident.objects.get(pk=resident_client.resident.pk)
    assert (resident.real_name, resident.id_number) == ("王秀英", id_number())


def test_change_password_keeps_this_session_and_ends_app_logins(resident_client):
    user = resident_client.resident.user
    accounts.issue_token(user)
    response = resident_client.post(
        reverse("account:password_change"),
        {"old_password": RESIDENT_PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert resident_client.get(HOME).status_code == 200
    assert not APIToken.objects.filter(user=user, revoked_at__isnull=True).exists()

    response = resident_client.post(
        reverse("account:password_change"),
        {"old_password": "nope", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "你的旧密码不正确" in response.content.decode()


def make_offering(venue, capacity=20):
    from ..resources.factories import make_course

    course = make_course(venue, capacity=capacity, status="open")
    offering, _created = Offering.objects.get_or_create(
        course=course, defaults={"capacity": capacity}
    )
    Offering.objects.filter(pk=offering.pk).update(venue=venue)
    offering.refresh_from_db()
    return offering


def enrol(resident, offering, status=EnrolmentStatus.ENROLLED):
    """An enrolment row with its place counted, as the enrolment services leave them."""
    number = None
    if status == EnrolmentStatus.ENROLLED:
        Offering.objects.filter(pk=offering.pk).update(enrolled=offering.enrolled + 1)
    else:
        number = offering.waitlist_seq + 1
        Offering.objects.filter(pk=offering.pk).update(
            waitlist_seq=number, waiting=offering.waiting + 1
        )
    offering.refresh_from_db()
    return Enrolment.objects.create(
        offering=offering, resident=resident, status=status, waitlist_number=number
    )


def test_download_my_data(resident_client, network):
    resident = resident_client.resident
    offering = make_offering(network["pukou"])
    enrol(resident, offering)
    response = resident_client.get(reverse("account:download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    body = response.content.decode()
    assert PHONE not in body and resident.id_number not in body
    data = json.loads(body)
    assert data["account"]["phone"] == "138****5678"
    assert data["account"]["id_number"] == resident.masked_id_number
    assert data["account"]["real_name"] == "王秀英"
    assert data["account"]["birth_date"] == "1956-08-01"
    [enrolment] = data["enrolments"]
    assert enrolment["offering"] == str(offering)
    assert enrolment["status"] == "已报名"
    assert enrolment["attendance"] == [] and enrolment["rating"] is None


def test_deleting_my_account_needs_my_password(resident_client):
    response = resident_client.post(reverse("account:delete"), {"password": "wrong"})
    assert "密码不正确，账号未注销" in response.content.decode()
    assert Resident.objects.filter(pk=resident_client.resident.pk).exists()


def test_deleting_my_account_removes_everything_and_keeps_an_anonymous_audit_entry(
    resident_client, network
):
    resident = resident_client.resident
    user_id, resident_id = resident.user_id, resident.pk
    offering = make_offering(network["pukou"])
    enrol(resident, offering)
    waiting_offering = make_offering(network["pukou"], capacity=1)
    enrol(make_resident(), waiting_offering)
    enrol(resident, waiting_offering, status=EnrolmentStatus.WAITLISTED)
    accounts.issue_token(resident.user)
    PhoneCode.objects.create(
        phone=PHONE, purpose=CodePurpose.PASSWORD, code_hash="x", expires_at=timezone.now()
    )

    assert "永久删除" in resident_client.get(reverse("account:delete")).content.decode()
    response = resident_client.post(reverse("account:delete"), {"password": RESIDENT_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account:deleted")

    assert not Resident.objects.filter(pk=resident_id).exists()
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not Enrolment.objects.filter(resident_id=resident_id).exists()
    assert not APIToken.objects.filter(user_id=user_id).exists()
    assert not PhoneCode.objects.filter(phone=PHONE).exists()
    offering.refresh_from_db()
    assert offering.enrolled == 0  # the place is free again
    assert "_auth_user_id" not in resident_client.session

    entry = ModelLogEntry.objects.get(action=accounts.RESIDENT_DELETED)
    assert entry.object_id == str(resident_id) and entry.user_id is None
    logged = json.dumps([entry.label, entry.data], ensure_ascii=False)
    assert "王秀英" not in logged and "5678" not in logged and resident.id_number[-4:] not in logged
    assert entry.data == {"enrolments": 2, "by": "self"}


def test_delete_removes_the_names_from_earlier_audit_entries(db, network):
    staff = get_user_model().objects.create_superuser("hub", "hub@example.com", "x")
    resident, _password = accounts.register_at_desk(
        staff=staff, venue=network["pukou"], phone=PHONE, real_name="赵大爷"
    )
    ModelLogEntry.objects.log_action(resident, "wagtail.edit", user=staff)  # labelled by name
    accounts.delete_account(resident, by=staff)
    labels = list(ModelLogEntry.objects.values_list("label", flat=True))
    assert labels and all("赵大爷" not in label and "5678" not in label for label in labels)
    assert ModelLogEntry.objects.get(action=accounts.RESIDENT_DELETED).user_id == staff.pk


def test_privacy_rules_page(client, db):
    text = client.get(reverse("account:privacy")).content.decode()
    assert "个人信息处理规则" in text and "注销账号" in text


def test_a_sign_up_racing_past_the_checks_is_stopped_by_the_database(db, sms_log, monkeypatch):
    """Two sign-ups with one ID number at once: both pass the duplicate check, the database's
    unique constraint stops the second, which is reported like a duplicate, leaving nothing."""
    number = id_number()
    make_resident(phone="13900000099", id_number=number)
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    code = last_code(sms_log)
    checks = []
    real_check = accounts._refuse_duplicates

    def racing_check(*args, **kwargs):
        checks.append(args)
        if len(checks) > 1:  # the check after the failed insert sees the winner
            real_check(*args, **kwargs)

    monkeypatch.setattr(accounts, "_refuse_duplicates", racing_check)
    with pytest.raises(accounts.AlreadyRegistered, match="该身份证号已被其他账号使用"):
        accounts.sign_up(
            phone=PHONE, code=code, password=PASSWORD, real_name="李桂兰", id_number=number
        )
    assert not Resident.objects.filter(phone=PHONE).exists()
    assert not get_user_model().objects.filter(username=PHONE).exists()
    assert PhoneCode.objects.get(phone=PHONE).used_at is None
