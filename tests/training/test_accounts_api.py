"""The accounts API: /api/v1/auth/… and /api/v1/me, with bearer tokens (Wagtail's APIToken) or
the web session."""

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import APIToken

from portal.security import rules as security_rules
from training import accounts, rules
from training.models import CodePurpose, PhoneCode, Resident
from training.validators import id_check_char

from .factories import RESIDENT_PASSWORD, make_resident

PHONE = "13812345678"
PASSWORD = "Hua-Gu-Xi-1956"
ID_NUMBER = "43020219560801123" + id_check_char("43020219560801123")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_log(caplog):
    caplog.set_level(logging.INFO, logger="training.sms")
    return caplog


def last_code(caplog):
    return re.findall(r"验证码 (\d+)", caplog.text)[-1]


def post(client, path, body, **headers):
    return client.post(path, body, content_type="application/json", headers=headers)


def token_for(client, phone=PHONE, password=RESIDENT_PASSWORD):
    response = post(client, "/api/v1/auth/token", {"phone": phone, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def signup_body(sms_code, **overrides):
    body = {
        "phone": PHONE,
        "code": sms_code,
        "password": PASSWORD,
        "real_name": "李桂兰",
        "consent": True,
    }
    body.update(overrides)
    return body


def test_the_endpoints_are_in_the_openapi_document(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert {"post", "delete"} <= set(paths["/api/v1/auth/token"])
    assert "post" in paths["/api/v1/auth/codes"] and "post" in paths["/api/v1/auth/signup"]
    assert {"get", "delete"} <= set(paths["/api/v1/me"])
    security = schema["components"]["securitySchemes"]
    assert security["BearerTokenAuthWithExpiry"] == {"type": "http", "scheme": "bearer"}
    assert security["SessionAuthWithCsrf"]["in"] == "cookie"


# --- codes and sign-up ---------------------------------------------------------------------


def test_signup_by_api_then_token_then_me(client, db, sms_log):
    response = post(client, "/api/v1/auth/codes", {"phone": PHONE, "purpose": "signup"})
    assert response.status_code == 200
    assert response.json()["resend_after"] == rules.CODE_RESEND_AFTER.total_seconds()
    code = last_code(sms_log)

    response = post(client, "/api/v1/auth/signup", signup_body(code, id_number=ID_NUMBER))
    assert response.status_code == 201, response.content
    me = response.json()
    assert me["phone"] == "138****5678" and me["id_number"] == "430202********" + ID_NUMBER[-4:]
    assert me["birth_date"] == "1956-08-01" and me["phone_verified"] is True

    token = token_for(client, password=PASSWORD)
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["real_name"] == "李桂兰"
    assert PHONE not in response.content.decode() and ID_NUMBER not in response.content.decode()


def test_a_second_code_within_the_pause_is_a_429(client, db, sms_log):
    post(client, "/api/v1/auth/codes", {"phone": PHONE, "purpose": "signup"})
    response = post(client, "/api/v1/auth/codes", {"phone": PHONE, "purpose": "signup"})
    assert response.status_code == 429
    assert "秒后再重新获取" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= rules.CODE_RESEND_AFTER.total_seconds()
    assert len(re.findall(r"验证码 \d+", sms_log.text)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"phone": "1234", "purpose": "signup"}, "请输入11位中国大陆手机号码"),
        ({"phone": PHONE, "purpose": "lottery"}, "purpose"),
    ],
)
def test_a_bad_code_request_is_a_422_in_chinese(client, db, sms_log, body, message):
    response = post(client, "/api/v1/auth/codes", body)
    assert response.status_code == 422
    assert message in str(response.json()["errors"]) or message in response.json()["detail"]
    assert not PhoneCode.objects.exists()


@pytest.fixture
def code(db, sms_log):
    accounts.send_code(PHONE, CodePurpose.SIGNUP)
    return last_code(sms_log)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "23812345678"}, "phone", "请输入11位中国大陆手机号码"),
        ({"id_number": ID_NUMBER[:17] + "0"}, "id_number", "身份证号校验位不正确"),
        ({"id_number": "1234"}, "id_number", "身份证号应为18位"),
        ({"consent": False}, "consent", "请阅读并同意《个人信息处理规则》"),
        ({"password": "12345678"}, "password", "这个密码太常见了"),
        ({"real_name": "  "}, "real_name", "请填写姓名"),
        ({"code": "12"}, "code", "位数字验证码"),
    ],
)
def test_bad_signup_input_is_a_422_in_chinese_and_creates_nothing(
    client, code, overrides, field, message
):
    response = post(client, "/api/v1/auth/signup", signup_body(code, **overrides))
    assert response.status_code == 422
    body = response.json()
    assert message in " ".join(body["errors"][field]) and message in body["detail"]
    assert not Resident.objects.exists() and not get_user_model().objects.exists()
    assert PhoneCode.objects.get().attempts == 0  # shape errors do not cost an attempt


def test_a_malformed_body_is_a_422_in_chinese(client, code):
    response = post(client, "/api/v1/auth/signup", {"phone": PHONE, "consent": "maybe"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("参数格式不正确")
    assert not Resident.objects.exists()


def test_a_wrong_code_is_a_400_and_too_many_a_429(client, code):
    wrong = "000000" if code != "000000" else "111111"
    response = post(client, "/api/v1/auth/signup", signup_body(wrong))
    assert response.status_code == 400
    assert response.json()["detail"] == "验证码不正确，还可以再试 4 次。"
    for _attempt in range(rules.CODE_MAX_ATTEMPTS - 1):
        response = post(client, "/api/v1/auth/signup", signup_body(wrong))
    assert response.status_code == 429 and "错误次数过多" in response.json()["detail"]
    response = post(client, "/api/v1/auth/signup", signup_body(code))
    assert response.status_code == 429
    assert not Resident.objects.exists()


def test_an_expired_code_is_a_400(client, code):
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post(client, "/api/v1/auth/signup", signup_body(code))
    assert response.status_code == 400 and "验证码已过期" in response.json()["detail"]
    assert not Resident.objects.exists()


def test_duplicates_are_a_409_and_create_nothing(client, code):
    make_resident(phone="13900000099", id_number=ID_NUMBER)
    response = post(client, "/api/v1/auth/signup", signup_body(code, id_number=ID_NUMBER))
    assert response.status_code == 409
    assert response.json()["detail"] == "该身份证号已被其他账号使用。"
    assert Resident.objects.count() == 1 and get_user_model().objects.count() == 1

    make_resident(phone=PHONE)
    response = post(client, "/api/v1/auth/signup", signup_body(code))
    assert response.status_code == 409 and "该手机号已注册" in response.json()["detail"]
    assert Resident.objects.count() == 2


def test_password_reset_by_api(client, db, sms_log):
    resident = make_resident(phone=PHONE)
    post(client, "/api/v1/auth/codes", {"phone": PHONE, "purpose": "password"})
    body = {"phone": PHONE, "code": last_code(sms_log), "password": PASSWORD}
    assert post(client, "/api/v1/auth/password", body).status_code == 204
    resident.user.refresh_from_db()
    assert resident.user.check_password(PASSWORD)


# --- tokens --------------------------------------------------------------------------------


def test_a_token_is_a_wagtail_api_token_that_expires(client, db):
    resident = make_resident(phone=PHONE)
    before = timezone.now()
    response = post(client, "/api/v1/auth/token", {"phone": PHONE, "password": RESIDENT_PASSWORD})
    body = response.json()
    token = APIToken.objects.get(user=resident.user)
    assert token.key_hash != body["token"] and body["token"].startswith(token.prefix)
    expires = timezone.datetime.fromisoformat(body["expires"])
    assert before + rules.TOKEN_LIFETIME <= expires <= timezone.now() + rules.TOKEN_LIFETIME

    assert client.get("/api/v1/me", headers=bearer(body["token"])).status_code == 200
    APIToken.objects.update(created=timezone.now() - rules.TOKEN_LIFETIME - timedelta(seconds=1))
    response = client.get("/api/v1/me", headers=bearer(body["token"]))
    assert response.status_code == 401 and response.json()["detail"] == "请先登录。"


def test_revoking_the_presented_token(client, db):
    make_resident(phone=PHONE)
    token, other = token_for(client), token_for(client)
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200  # another device
    assert client.delete("/api/v1/auth/token").status_code == 401


@pytest.mark.parametrize("phone", [PHONE, "13999999999", "not-a-phone"])
def test_a_wrong_login_is_a_401_that_does_not_tell_whether_the_number_exists(client, db, phone):
    make_resident(phone=PHONE)
    response = post(client, "/api/v1/auth/token", {"phone": phone, "password": "wrong-one"})
    assert response.status_code == 401
    assert response.json() == {"detail": "手机号或密码不正确。"}
    assert not APIToken.objects.exists()


def test_staff_accounts_get_no_resident_token(client, db):
    get_user_model().objects.create_user(PHONE, password=RESIDENT_PASSWORD)
    response = post(client, "/api/v1/auth/token", {"phone": PHONE, "password": RESIDENT_PASSWORD})
    assert response.status_code == 401


def test_logins_are_throttled_per_number(client, db, login_lockout):
    make_resident(phone=PHONE)
    other = make_resident(phone="13700000000")
    for _attempt in range(security_rules.LOGIN_FAILURE_LIMIT - 1):
        response = post(client, "/api/v1/auth/token", {"phone": PHONE, "password": "wrong"})
        assert response.status_code == 401
    # The failure that reaches the limit already answers with the lockout.
    response = post(client, "/api/v1/auth/token", {"phone": PHONE, "password": "wrong"})
    assert response.status_code == 429
    response = post(client, "/api/v1/auth/token", {"phone": PHONE, "password": RESIDENT_PASSWORD})
    assert response.status_code == 429 and "登录失败次数过多" in response.json()["detail"]
    assert int(response["Retry-After"]) == security_rules.LOGIN_COOL_OFF.total_seconds()
    assert not APIToken.objects.exists()
    assert token_for(client, phone=other.phone)  # other numbers log in as usual

    AccessAttempt.objects.update(attempt_time=timezone.now() - security_rules.LOGIN_COOL_OFF)
    assert token_for(client)  # the cool-off has passed


def test_a_success_resets_the_failure_count(client, db, login_lockout):
    make_resident(phone=PHONE)
    for _round in range(2):
        for _attempt in range(security_rules.LOGIN_FAILURE_LIMIT - 1):
            post(client, "/api/v1/auth/token", {"phone": PHONE, "password": "wrong"})
        assert token_for(client)


# --- /me with a token or a session ---------------------------------------------------------


def test_me_needs_a_login(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json() == {"detail": "请先登录。"}
    response = client.get("/api/v1/me", headers=bearer("wagtail_nonsense"))
    assert response.status_code == 401


def test_me_with_the_web_session(client, db):
    resident = make_resident(phone=PHONE)
    client.force_login(resident.user)
    assert client.get("/api/v1/me").json()["phone"] == "138****5678"


def test_a_bad_token_is_refused_even_with_a_valid_session(client, db):
    resident = make_resident(phone=PHONE)
    client.force_login(resident.user)
    assert client.get("/api/v1/me", headers=bearer("wagtail_nonsense")).status_code == 401


def test_a_staff_session_is_not_a_resident(client, db):
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    response = client.get("/api/v1/me")
    assert response.status_code == 403 and response.json()["detail"] == "该账号不是居民账号。"


def test_session_requests_that_change_data_need_csrf(db):
    resident = make_resident(phone=PHONE)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident.user)
    browser.get("/account/edit/")  # sets the CSRF cookie, as any page with a form does
    body = {"password": RESIDENT_PASSWORD}
    response = browser.delete("/api/v1/me", body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Resident.objects.filter(pk=resident.pk).exists()

    csrf = browser.cookies["csrftoken"].value
    response = browser.delete(
        "/api/v1/me", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 204
    assert not Resident.objects.filter(pk=resident.pk).exists()


def test_apps_without_cookies_need_no_csrf(db):
    make_resident(phone=PHONE)
    app = Client(enforce_csrf_checks=True)
    token = token_for(app)  # a POST without a session: no CSRF needed
    body = {"password": RESIDENT_PASSWORD}
    response = app.delete(
        "/api/v1/me", body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 204
    # Without a token or a session: a 401, not a CSRF 403.
    response = app.delete("/api/v1/me", body, content_type="application/json")
    assert response.status_code == 401


def test_deleting_me_needs_the_password(client, db):
    resident = make_resident(phone=PHONE)
    token = token_for(client)
    response = client.delete(
        "/api/v1/me", {"password": "wrong"}, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 403 and response.json()["detail"] == "密码不正确，账号未注销。"
    assert Resident.objects.filter(pk=resident.pk).exists()

    response = client.delete(
        "/api/v1/me",
        {"password": RESIDENT_PASSWORD},
        content_type="application/json",
        headers=bearer(token),
    )
    assert response.status_code == 204
    assert not Resident.objects.exists() and not get_user_model().objects.exists()
    assert not APIToken.objects.exists()
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
