"""The admin speaks Chinese."""

from tests.factories import make_user


def test_admin_is_in_chinese(client, network):
    client.force_login(make_user("admin", superuser=True))
    dashboard = client.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in dashboard
    assert "控制面板" in dashboard
    assert "跳到主要内容" in dashboard
    listing = client.get("/admin/venues/").content.decode()
    assert "<title>场馆" in listing
    assert "醴陵市文化馆浦口分馆" in listing
    assert "总馆" in listing  # the level column, translated
