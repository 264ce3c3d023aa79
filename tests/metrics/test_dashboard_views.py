"""The dashboard pages: they render with every chart's container and table, show only the
user's scope, and each chart's .xlsx holds exactly its table's rows."""

from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from openpyxl import load_workbook

from metrics.aggregate import month_of
from metrics.dashboard import CHARTS
from metrics.dashboard.scope import scope_for
from metrics.models import ALL, MonthlyAreaMetric, MonthlyVenueMetric
from tests.factories import editor_of, make_user

pytestmark = pytest.mark.django_db

LILING_VIEWS, PUKOU_VIEWS, NETWORK_VIEWS = 98765, 4321, 123456


@pytest.fixture
def figures(network):
    month = month_of(timezone.localdate())
    for venue, count in ((network["liling"], LILING_VIEWS), (network["pukou"], PUKOU_VIEWS)):
        MonthlyVenueMetric.objects.create(
            venue=venue, month=month, event_type="page_view", count=count
        )
    MonthlyAreaMetric.objects.create(
        month=month, event_type="page_view", district=ALL, level=ALL, count=NETWORK_VIEWS
    )
    return network


def test_the_dashboard_page_has_every_chart_with_its_table(client, figures):
    client.force_login(make_user("admin", superuser=True))
    response = client.get("/admin/metrics/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    for key in CHARTS:
        assert f'id="chart-{key}"' in page
        assert f'data-table="{key}"' in page
        assert f"/admin/metrics/dashboard/{key}.xlsx" in page
    assert "暂无已发布的考核结果" in page
    assert str(NETWORK_VIEWS) in page
    assert "metrics/vendor/echarts.min.js" in page


def test_the_large_screen_renders_and_its_data_refreshes(client, figures):
    client.force_login(editor_of(figures["hub"]))
    response = client.get("/admin/metrics/dashboard/screen/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "数据大屏" in page and 'data-theme="dark"' in page
    assert all(f'id="chart-{key}"' in page for key in CHARTS)
    assert 'data-refresh-url="/admin/metrics/dashboard/data.json"' in page

    data = client.get("/admin/metrics/dashboard/data.json").json()
    trend = next(c for c in data["charts"] if c["key"] == "usage_trend")
    assert trend["rows"][-1][1] == NETWORK_VIEWS
    assert data["figures"][0] == ["页面浏览", NETWORK_VIEWS]


def test_venue_staff_see_only_their_venue(client, figures):
    client.force_login(editor_of(figures["pukou"]))
    page = client.get("/admin/metrics/dashboard/").content.decode()
    assert str(PUKOU_VIEWS) in page
    assert str(LILING_VIEWS) not in page and str(NETWORK_VIEWS) not in page
    data = client.get("/admin/metrics/dashboard/data.json").json()
    assert data["figures"][0] == ["页面浏览", PUKOU_VIEWS]
    sheet = load_workbook(
        BytesIO(client.get("/admin/metrics/dashboard/usage_trend.xlsx").content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)][-1] == PUKOU_VIEWS


def test_the_xlsx_holds_exactly_the_table(client, figures):
    user = editor_of(figures["liling"])
    client.force_login(user)
    response = client.get("/admin/metrics/dashboard/usage_trend.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    chart = CHARTS["usage_trend"]
    table = chart.rows(scope_for(user), timezone.localdate())
    assert list(sheet.iter_rows(values_only=True)) == [
        tuple(str(label) for _key, label in chart.columns),
        *(tuple(row) for row in table),
    ]
    assert table[-1][1] == LILING_VIEWS + PUKOU_VIEWS  # the main centre and its branch
    assert client.get("/admin/metrics/dashboard/nothing.xlsx").status_code == 404


def test_the_home_page_panel_shows_the_scope_figures(client, figures):
    client.force_login(editor_of(figures["pukou"]))
    page = client.get("/admin/").content.decode()
    assert 'id="metrics-dashboard-heading"' in page and 'id="chart-usage_trend"' in page
    assert str(PUKOU_VIEWS) in page and str(LILING_VIEWS) not in page
    assert "metrics/vendor/echarts.min.js" in page  # the panel's media


def test_staff_of_no_venue_are_refused(client, figures):
    admin_access = Group.objects.create(name="仅后台")
    admin_access.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(make_user("outsider", admin_access))
    assert client.get("/admin/metrics/dashboard/").status_code == 403
    assert client.get("/admin/metrics/dashboard/usage_trend.xlsx").status_code == 403
    assert 'id="metrics-dashboard-heading"' not in client.get("/admin/").content.decode()
