"""The Content-Security-Policy header (django-csp, portal/security/csp.py) on public and admin
pages."""

import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from portal.security.csp import AdminAwareCSPMiddleware
from tests.factories import make_user


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values.split()
        for name, _space, values in (part.strip().partition(" ") for part in policy.split(";"))
    }


def test_public_pages_allow_only_own_scripts(client, network):
    for url in ("/", "/account/login/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]  # no inline script, no other origin
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]


def test_admin_pages_get_the_admin_allowances(client, network):
    client.force_login(make_user("hub-admin", superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response)
    # Wagtail's own inline scripts; no nonce, which would make browsers ignore 'unsafe-inline'.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "https:" in policy["img-src"]  # map tiles from the hub's tile server
    assert policy["object-src"] == ["'none'"]


def test_a_template_that_uses_the_nonce_gets_it_in_the_header():
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">go()</script>')

    response = AdminAwareCSPMiddleware(view)(RequestFactory().get("/courses/"))
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


@pytest.mark.parametrize(
    ("options", "origin"),
    [
        (
            {"endpoint_url": "https://oss.example.cn:9000", "bucket_name": "b"},
            "https://oss.example.cn:9000",
        ),
        (
            {
                "endpoint_url": "https://cos.example.cn",
                "bucket_name": "b",
                "addressing_style": "virtual",
            },
            "https://b.cos.example.cn",
        ),
        ({"custom_domain": "media.example.cn", "bucket_name": "b"}, "https://media.example.cn"),
    ],
)
def test_media_from_the_s3_store_is_allowed(settings, options, origin):
    storages = {**settings.STORAGES, "default": {"BACKEND": "x", "OPTIONS": options}}
    with override_settings(STORAGES=storages):
        response = AdminAwareCSPMiddleware(lambda request: HttpResponse())(
            RequestFactory().get("/")
        )
    policy = directives(response)
    for name in ("img-src", "media-src", "connect-src"):
        assert origin in policy[name]
    assert origin not in policy["script-src"]
