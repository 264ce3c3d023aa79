"""django-ninja's own refusals (no login, a body that is no JSON, an unknown object) answer in
Chinese like the rest of the API."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_request_without_login_is_told_to_log_in(client):
    answer = client.get("/api/v1/me")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "请先登录。"}


def test_a_body_that_is_not_json_is_refused_in_chinese(client):
    answer = client.post("/api/v1/auth/token", "{phone: 138", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请求内容不是有效的 JSON。"}


def test_an_unknown_object_is_not_found_in_chinese(client):
    answer = client.get("/api/v1/assets/987654")
    assert answer.status_code == 404
    detail = answer.json()["detail"]
    assert detail != "Not Found" and any("\u4e00" <= char <= "\u9fff" for char in detail)
