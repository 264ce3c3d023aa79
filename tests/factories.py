"""Builders for a small venue network, through the same services the admin uses."""

from datetime import time

from django.contrib.auth import get_user_model

from network.models import Venue
from network.services import save_venue

FULL_WEEK = [(day, time(9), time(17), True) for day in range(7)]  # 56 h, all free


def make_venue(code, level, parent=None, place=None, name=None, opening_hours=None, **fields):
    fields.setdefault("district", parent.district if parent else "天元区")
    fields.setdefault("floor_area", 500)
    venue = Venue(
        code=code, level=level, parent=parent, place_name=place or "", name=name or "", **fields
    )
    return save_venue(venue, FULL_WEEK if opening_hours is None else opening_hours)


def make_network():
    """hub → two main centres → a branch each → a point under one branch, plus a hub point."""
    hub = make_venue("zhuzhou-hub", "hub", name="株洲市群众艺术馆", alias="株洲市文化馆")
    liling = make_venue(
        "liling-main", "main", hub, place="醴陵", name="醴陵市文化馆", district="醴陵市"
    )
    youxian = make_venue(
        "youxian-main", "main", hub, place="攸县", name="攸县文化馆", district="攸县"
    )
    pukou = make_venue("liling-pukou", "branch", liling, place="浦口")
    huangfeng = make_venue("youxian-huangfeng", "branch", youxian, place="皇图岭")
    shimen = make_venue("liling-shimen", "point", pukou, place="石门村", operator_type="community")
    school = make_venue(
        "hub-yuewu", "point", hub, place="悦舞培训学校", operator_type="training_school"
    )
    return {
        "hub": hub,
        "liling": liling,
        "youxian": youxian,
        "pukou": pukou,
        "huangfeng": huangfeng,
        "shimen": shimen,
        "school": school,
    }


def make_user(username, *groups, superuser=False, password="pass-1234"):
    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, f"{username}@example.com", password)
    else:
        user = user_model.objects.create_user(username, f"{username}@example.com", password)
    user.groups.add(*groups)
    return user


def editor_of(venue, username=None):
    return make_user(username or f"{venue.code}-editor", venue.editors_group)


def moderator_of(venue, username=None):
    return make_user(username or f"{venue.code}-moderator", venue.moderators_group)


# --- pages and media inside a venue (portal tests) -------------------------------------


def make_article(parent, title, publish=False, **fields):
    """An ArticlePage under `parent` with a first revision; a draft unless `publish`."""
    from portal.models import ArticlePage

    page = parent.add_child(instance=ArticlePage(title=title, live=False, **fields))
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def make_image(collection, title):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, collection=collection, file=ImageFile(buffer, name="test.png")
    )


def make_document(collection, title):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    return get_document_model().objects.create(
        title=title, collection=collection, file=ContentFile(b"culturehall", name="test.txt")
    )


def admin_page_form_data(response):
    """The fields of a page create/edit form in an admin response, as a browser would post them.

    StreamFields are drawn by JavaScript, so an empty one's management field is added here.
    """
    from wagtail.test.utils.form_data import querydict_from_html

    data = querydict_from_html(response.content.decode(), form_id="page-edit-form").copy()
    if "body-count" not in data:
        data["body-count"] = "0"
    return data
