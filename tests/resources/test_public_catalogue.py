"""The public catalogue: listings with filters, detail pages, and nothing private leaks."""

import pytest
from django.urls import reverse

from resources.models import ArtForm, Course, Teacher
from resources.vocab import CourseStatus, Visibility

from ..factories import editor_of


@pytest.fixture
def catalogue(network):
    calligraphy, _ = ArtForm.objects.get_or_create(name="书法")
    dance, _ = ArtForm.objects.get_or_create(name="舞蹈")
    liling, youxian = network["liling"], network["youxian"]
    teacher = Teacher.objects.create(owner=liling, name="李墨", phone="13812341234")
    hidden_teacher = Teacher.objects.create(owner=youxian, name="王秘", visibility=Visibility.OWNER)

    def course(owner, title, art_form, **fields):
        fields.setdefault("status", CourseStatus.OPEN)
        return Course.objects.create(
            owner=owner, title=title, art_form=art_form, capacity=30, **fields
        )

    return {
        "network": network,
        "teacher": teacher,
        "hidden_teacher": hidden_teacher,
        "calligraphy": course(liling, "少儿书法培训班", calligraphy, audience="children"),
        "dance": course(
            youxian, "中老年广场舞", dance, audience="seniors", fee_type="low", fee_amount=20
        ),
        "draft": course(liling, "未发布的书法课", calligraphy, status=CourseStatus.DRAFT),
        "staff_only": course(youxian, "内部培训：舞蹈编导", dance, visibility=Visibility.STAFF),
        "owner_only": course(youxian, "攸县馆内部书法课", calligraphy, visibility=Visibility.OWNER),
    }


def titles(response):
    return [str(entry) for entry in response.context["entries"]]


def test_course_listing_shows_public_open_courses_only(client, catalogue):
    response = client.get(reverse("catalogue:list", args=["courses"]))
    assert response.status_code == 200
    assert sorted(titles(response)) == ["中老年广场舞", "少儿书法培训班"]
    body = response.content.decode()
    for private in ("未发布的书法课", "内部培训：舞蹈编导", "攸县馆内部书法课"):
        assert private not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"art_form": "书法"}, ["少儿书法培训班"]),
        ({"audience": "seniors"}, ["中老年广场舞"]),
        ({"fee": "low"}, ["中老年广场舞"]),
        ({"venue": "liling-main"}, ["少儿书法培训班"]),
        ({"district": "攸县"}, ["中老年广场舞"]),
        ({"district": "攸县", "art_form": "书法"}, []),
    ],
)
def test_course_filters_combine(client, catalogue, query, expected):
    response = client.get(reverse("catalogue:list", args=["courses"]), query)
    assert sorted(titles(response)) == expected


def test_unknown_filter_value_is_reported_not_a_500(client, catalogue):
    response = client.get(reverse("catalogue:list", args=["courses"]), {"art_form": "不存在"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_detail_pages_render_and_private_entries_are_404(client, catalogue):
    detail = reverse("catalogue:detail", args=["courses", catalogue["calligraphy"].pk])
    response = client.get(detail)
    assert response.status_code == 200
    assert "少儿书法培训班" in response.content.decode()
    for key in ("draft", "staff_only", "owner_only"):
        url = reverse("catalogue:detail", args=["courses", catalogue[key].pk])
        assert client.get(url).status_code == 404
    hidden = reverse("catalogue:detail", args=["teachers", catalogue["hidden_teacher"].pk])
    assert client.get(hidden).status_code == 404


def test_teacher_phone_is_masked_on_the_public_page(client, catalogue):
    url = reverse("catalogue:detail", args=["teachers", catalogue["teacher"].pk])
    body = client.get(url).content.decode()
    assert "138****1234" in body
    assert "13812341234" not in body


def test_staff_see_staff_only_entries_but_not_other_venues_owner_only(client, catalogue):
    client.force_login(editor_of(catalogue["network"]["liling"]))
    response = client.get(reverse("catalogue:list", args=["courses"]))
    assert "内部培训：舞蹈编导" in titles(response)
    assert "攸县馆内部书法课" not in titles(response)


def test_unknown_kind_is_404(client, db):
    assert client.get("/catalogue/nothing/").status_code == 404


def test_index_counts_every_kind(client, catalogue):
    response = client.get(reverse("catalogue:index"))
    counts = {kind.slug: count for kind, count in response.context["kinds"]}
    assert counts["courses"] == 2
    assert counts["teachers"] == 1


def test_venue_page_lists_what_the_venue_contributes(client, catalogue):
    liling_page = catalogue["network"]["liling"].page
    body = client.get(liling_page.url).content.decode()
    assert 'id="venue-contributions"' in body
    assert "少儿书法培训班" in body
    assert "未发布的书法课" not in body
    youxian_body = client.get(catalogue["network"]["youxian"].page.url).content.decode()
    assert "攸县馆内部书法课" not in youxian_body
    assert "内部培训：舞蹈编导" not in youxian_body


def test_site_navigation_links_to_the_catalogue(client, catalogue):
    body = client.get("/").content.decode()
    assert f'href="{reverse("catalogue:index")}"' in body
