"""Two-factor login for the admin (django-otp TOTP, portal/security/two_factor.py): any admin
user may turn it on; hub administrators must when ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS is on (test
settings leave it off, these tests switch it on)."""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import editor_of, make_user

SETUP = "/admin/2fa/"
VERIFY = "/admin/2fa/verify/"
DISABLE = "/admin/2fa/disable/"


def code_for(device, steps_ahead=0):
    """The code the user's authenticator app shows (`steps_ahead` steps of 30 s later: a code
    once used is not taken again)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def required(settings):
    settings.ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS = True


@pytest.fixture
def hub_admin(db):
    return make_user("hub-admin", superuser=True)


def set_up(client):
    """Through the setup page, as a user would: the secret shown, the app's first code."""
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device), "next": "/admin/pages/"})
    assert response.status_code == 302 and response.url == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_hub_admins_set_it_up_before_any_admin_page(client, hub_admin, required):
    client.force_login(hub_admin)
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response.url == f"{SETUP}?next=%2Fadmin%2Fpages%2F"
    # The admin's API and our JSON API refuse too, in Chinese.
    response = client.get("/api/v1/me")
    assert response.status_code == 403 and response.json()["detail"] == "请先完成两步验证。"

    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "中心馆管理员必须开启两步验证" in page
    device = TOTPDevice.objects.get(user=hub_admin)
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1)  # for typing in
    assert b32decode(secret.replace(" ", "")) == device.bin_key

    wrong = f"{(int(code_for(device)) + 1) % 10**6:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert "验证码不正确或已过期" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    device.throttle_reset()  # the next try would otherwise wait a second

    set_up(client)
    assert client.get("/admin/pages/").status_code == 200


def test_after_each_login_the_code_is_asked(hub_admin, required):
    first = Client()
    first.force_login(hub_admin)
    device = set_up(first)

    second = Client()
    second.force_login(hub_admin)  # the password step, on another browser
    response = second.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    response = second.post(VERIFY, {"code": code_for(device), "next": "/admin/"})
    assert "验证码不正确或已过期" in response.content.decode()  # already used once
    device.refresh_from_db()
    device.throttle_reset()
    response = second.post(VERIFY, {"code": code_for(device, steps_ahead=1), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert second.get("/admin/").status_code == 200


def test_an_offsite_next_is_ignored(hub_admin, required):
    client = Client()
    client.force_login(hub_admin)
    device = TOTPDevice.objects.create(user=hub_admin, confirmed=False)
    response = client.post(SETUP, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/admin/"


def test_repeated_wrong_codes_are_throttled(client, hub_admin):
    device = TOTPDevice.objects.create(user=hub_admin, confirmed=True)
    client.force_login(hub_admin)
    client.post(VERIFY, {"code": "12345x"})
    response = client.post(VERIFY, {"code": code_for(device)})  # right, but too soon
    assert "错误次数过多" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_without_the_requirement_hub_admins_are_not_forced(client, hub_admin):
    client.force_login(hub_admin)
    assert client.get("/admin/").status_code == 200


def test_other_admin_users_may_turn_it_on_and_off(client, network, required):
    editor = editor_of(network["liling"])
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200  # not required of venue editors
    account = client.get("/admin/account/").content.decode()
    assert SETUP in account and "两步验证" in account

    device = set_up(client)
    assert "两步验证已开启" in client.get(SETUP).content.decode()

    response = client.post(DISABLE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_hub_admins_cannot_turn_it_off_when_required(client, hub_admin, required):
    client.force_login(hub_admin)
    device = set_up(client)
    response = client.post(DISABLE, {"code": code_for(device, steps_ahead=1)})
    assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's "no permission"
    assert TOTPDevice.objects.filter(user=hub_admin, confirmed=True).exists()
