"""Login hardening: django-axes lockout on the admin login, the password policy for residents
and staff, and the idle session timeout (values in portal/security/rules.py)."""

import logging
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.security import rules
from portal.security.passwords import PasswordPolicyValidator
from portal.security.sessions import LAST_ACTIVITY_KEY
from tests.factories import make_user

ADMIN_LOGIN = "/admin/login/"
STAFF_PASSWORD = "pass-1234"


def admin_login(client, username, password):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password})


def logged_in(client):
    return "_auth_user_id" in client.session


# --- lockout -------------------------------------------------------------------------------


def test_admin_login_locks_after_repeated_failures(client, db, login_lockout):
    editor = make_user("editor-a")
    other = make_user("editor-b")
    for _attempt in range(rules.LOGIN_FAILURE_LIMIT - 1):
        response = admin_login(client, editor.username, "wrong-password")
        assert response.status_code == 200  # the form again, with Wagtail's error
    response = admin_login(client, editor.username, "wrong-password")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert int(response["Retry-After"]) == rules.LOGIN_COOL_OFF.total_seconds()

    # Locked: even the right password is refused, and nothing is logged in.
    response = admin_login(client, editor.username, STAFF_PASSWORD)
    assert response.status_code == 429 and not logged_in(client)
    # Other accounts from the same address are not affected.
    response = admin_login(client, other.username, STAFF_PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    client.logout()

    # After the cool-off the right password works again and clears the count.
    AccessAttempt.objects.update(attempt_time=timezone.now() - rules.LOGIN_COOL_OFF)
    response = admin_login(client, editor.username, STAFF_PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username=editor.username).exists()


def test_a_staff_password_at_the_resident_login_counts_as_a_failure(client, db, login_lockout):
    staff = get_user_model().objects.create_user("13812345678", password=STAFF_PASSWORD)
    for _attempt in range(rules.LOGIN_FAILURE_LIMIT):
        response = client.post(
            "/api/v1/auth/token",
            {"phone": staff.username, "password": STAFF_PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 429
    assert response.json()["detail"].startswith("登录失败次数过多")


# --- password policy -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("Ab1-xyz", False),  # 7 characters
        ("abcdefgh12", False),  # two classes: lower case, digits
        ("ABCDEFGH!!", False),  # two classes: upper case, other
        ("abcdefgH1", True),
        ("abcd-efg1", True),
        ("文化馆abc123", True),  # Chinese characters count as "other"
    ],
)
def test_password_policy(password, accepted):
    validator = PasswordPolicyValidator()
    if accepted:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as refused:
            validator.validate(password)
        assert re.search("密码太短|至少 3 类", " ".join(refused.value.messages))


def test_resident_sign_up_refuses_a_weak_password(client, db, caplog):
    caplog.set_level(logging.INFO, logger="training.sms")
    phone = "13812345678"
    client.post(
        "/api/v1/auth/codes",
        {"phone": phone, "purpose": "signup"},
        content_type="application/json",
    )
    code = re.findall(r"验证码 (\d+)", caplog.text)[-1]
    body = {"phone": phone, "code": code, "real_name": "李桂兰", "consent": True}
    response = client.post(
        "/api/v1/auth/signup",
        {**body, "password": "wenhuaguan2026"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert any("至少 3 类" in message for message in response.json()["errors"]["password"])
    assert not get_user_model().objects.filter(username=phone).exists()

    response = client.post(
        "/api/v1/auth/signup",
        {**body, "password": "Wenhuaguan-2026"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_staff_passwords_follow_the_policy_in_the_admin(client, db):
    client.force_login(make_user("hub-admin", superuser=True))
    form = {
        "username": "new-editor",
        "email": "new-editor@example.com",
        "first_name": "新",
        "last_name": "编辑",
        "password1": "editor2026",
        "password2": "editor2026",
        "is_active": "on",
    }
    response = client.post("/admin/users/new/", form)
    assert response.status_code == 200
    assert "至少 3 类" in response.content.decode()
    assert not get_user_model().objects.filter(username="new-editor").exists()

    form["password1"] = form["password2"] = "Wen-Hua-Guan-2026"
    response = client.post("/admin/users/new/", form)
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="new-editor").exists()


# --- idle sessions -------------------------------------------------------------------------


def session_of(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_activity_extends_the_session_at_most_once_per_resolution(client, db, settings):
    assert rules.SESSION_IDLE_TIMEOUT.total_seconds() == settings.SESSION_COOKIE_AGE
    client.force_login(make_user("hub-admin", superuser=True))
    assert client.get("/admin/").status_code == 200
    first = session_of(client).expire_date
    client.get("/admin/")
    assert session_of(client).expire_date == first  # within the resolution: no write

    session = client.session
    session[LAST_ACTIVITY_KEY] -= int(rules.SESSION_ACTIVITY_RESOLUTION.total_seconds())
    session.save()
    Session.objects.filter(pk=session.session_key).update(expire_date=first - timedelta(minutes=5))
    client.get("/admin/")
    assert session_of(client).expire_date > first - timedelta(minutes=5)
    assert session_of(
        client
    ).expire_date >= timezone.now() + rules.SESSION_IDLE_TIMEOUT - timedelta(seconds=5)


def test_an_idle_session_ends(client, db):
    client.force_login(make_user("hub-admin", superuser=True))
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # idle too long
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(ADMIN_LOGIN)
