"""`manage.py load_demo_data`: the Zhuzhou demo network (network/demo/zhuzhou.py), built through
the same services as the admin, so pages, collections, groups and workflows are provisioned
exactly as in production. Idempotent: venues are looked up by code, users by username, news and
events by title under their venue's page. See docs/demo-data.md.
"""

import hashlib
import logging
import time
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from network.demo import population, population_grid, zhuzhou
from network.models import PopulationCell, Township, Venue
from network.population_grid_import import replace_grid
from network.population_import import save_townships
from network.services import save_venue
from portal.models import ArticlePage, EventPage, VenuePage
from portal.provisioning import ensure_home_page
from resources.demo import load_catalogue_demo
from search import rebuild as search_index

ROLES = (("editor", "editors_group"), ("moderator", "moderators_group"))


class Command(BaseCommand):
    # argparse needs plain strings; commands are imported after Django is set up.
    help = _(
        "载入株洲市文化馆总分馆演示数据：场馆及开放时间、演示账号、新闻和活动。重复运行不会产生重复数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("仅在数据库中还没有任何场馆时载入。"),
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Venue.objects.exists():
            self.stdout.write(_("数据库中已有场馆，未载入演示数据。"))
            return
        started = time.perf_counter()
        loader = DemoLoader()
        # Wagtail logs every page it creates and publishes (hundreds of lines); the summary
        # below says what was loaded. -v 2 shows Wagtail's log as well.
        quiet = nullcontext() if options["verbosity"] >= 2 else _quiet_logger("wagtail")
        try:
            with quiet, transaction.atomic():
                loader.load()
        except ValidationError as error:
            raise CommandError(
                _("演示数据未能载入，已全部撤销：%(errors)s")
                % {"errors": "；".join(error.messages)}
            ) from error
        # The search index, built now so the demo's search works before the worker runs.
        indexed = search_index.rebuild(progress=False)
        self.report(loader, time.perf_counter() - started)
        self.stdout.write(_("全网搜索索引已建立：%(count)d 条。") % {"count": indexed})

    def report(self, loader, seconds):
        created = loader.created
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示数据载入完成，用时 %(seconds).1f 秒：新建场馆 %(venues)d 个、账号 %(users)d 个、"
                    "新闻 %(news)d 篇、活动 %(events)d 个、封面图 %(images)d 张、共享资源 %(catalogue)d 项。"
                )
                % {
                    "seconds": seconds,
                    "venues": created["venues"],
                    "users": created["users"],
                    "news": created["news"],
                    "events": created["events"],
                    "images": created["images"],
                    "catalogue": created["catalogue"],
                }
            )
        )
        self.stdout.write(
            _("演示账号（仅供演示，切勿用于正式环境），密码均为：%(password)s")
            % {"password": zhuzhou.DEMO_PASSWORD}
        )
        self.stdout.write(_("  超级管理员：%(username)s") % {"username": zhuzhou.SUPERUSER})
        for venue in loader.venues.values():
            self.stdout.write(
                _("  %(name)s：%(editor)s（编辑）、%(moderator)s（审核）")
                % {
                    "name": venue.name,
                    "editor": account_name(venue, "editor"),
                    "moderator": account_name(venue, "moderator"),
                }
            )


def account_name(venue, role):
    return f"{venue.code}-{role}"


class DemoLoader:
    def __init__(self):
        self.today = timezone.localdate()
        self.venues = {}  # code → Venue, parents first
        self.created = dict.fromkeys(
            ("venues", "townships", "users", "news", "events", "images", "catalogue"), 0
        )
        self._covers = {}

    def load(self):
        ensure_home_page()
        self.load_venues()
        self.load_townships()
        self.load_accounts()
        self.load_content()
        self.created["catalogue"] = load_catalogue_demo(self.venues)

    # --- venues -------------------------------------------------------------------------

    def load_venues(self):
        existing = Venue.objects.in_bulk([v["code"] for v in zhuzhou.VENUES], field_name="code")
        for data in zhuzhou.VENUES:
            fields = dict(data)
            hours = fields.pop("opening_hours")
            parent_code = fields.pop("parent")
            venue = existing.get(fields["code"])
            if venue is None:
                parent = self.venues[parent_code] if parent_code else None
                venue = save_venue(Venue(parent=parent, **fields), hours)
                self.created["venues"] += 1
            self.venues[venue.code] = venue

    def load_townships(self):
        """Illustrative population per township/street, for coverage planning."""
        rows = population.township_rows()
        self.created["townships"], _updated = save_townships([Township(**row) for row in rows])
        if not PopulationCell.objects.exists():  # never replace a grid someone imported
            ids = {(t.district, t.name): t.pk for t in Township.objects.all()}
            cells = []
            for row in population_grid.grid_rows(rows):
                township = row.pop("township")
                cells.append(PopulationCell(**row, township_id=ids[(row["district"], township)]))
            replace_grid(cells)

    # --- accounts -----------------------------------------------------------------------

    def load_accounts(self):
        user_model = get_user_model()
        wanted = {zhuzhou.SUPERUSER: (None, None)}
        for venue in self.venues.values():
            for role, group_field in ROLES:
                wanted[account_name(venue, role)] = (venue, group_field)
        existing = set(
            user_model.objects.filter(username__in=wanted).values_list("username", flat=True)
        )
        # One hash for every demo account: hashing the password per user (PBKDF2) would
        # take most of the load's time.
        password = make_password(zhuzhou.DEMO_PASSWORD)
        new_users = []
        for username, (venue, group_field) in wanted.items():
            if username in existing:
                continue
            user = user_model(
                username=username, email=f"{username}@{zhuzhou.EMAIL_DOMAIN}", password=password
            )
            if venue is None:
                user.is_staff = user.is_superuser = True
            else:
                user.first_name = getattr(venue, group_field).name
            new_users.append(user)
        user_model.objects.bulk_create(new_users)
        self.created["users"] = len(new_users)

        users = user_model.objects.filter(username__in=wanted).in_bulk(field_name="username")
        memberships = [
            user_model.groups.through(
                user_id=users[username].pk, group_id=getattr(venue, group_field + "_id")
            )
            for username, (venue, group_field) in wanted.items()
            if venue is not None
        ]
        # Existing memberships are left as they are, so a second load changes nothing.
        user_model.groups.through.objects.bulk_create(memberships, ignore_conflicts=True)

    # --- news and events ----------------------------------------------------------------

    def load_content(self):
        codes = {entry["venue"] for entry in (*zhuzhou.NEWS, *zhuzhou.EVENTS)}
        pages = {
            page.venue_id: page
            for page in VenuePage.objects.filter(venue__code__in=codes).select_related("venue")
        }
        for entry in zhuzhou.NEWS:
            venue = self.venues[entry["venue"]]
            page = pages[venue.pk]
            if ArticlePage.objects.child_of(page).filter(title=entry["title"]).exists():
                continue
            article = ArticlePage(
                title=entry["title"],
                date=self.today - timedelta(days=entry["days_ago"]),
                summary=entry["summary"],
                body=_body(entry["paragraphs"]),
                cover=self.cover_for(venue),
            )
            _publish(page, article)
            self.created["news"] += 1
        for entry in zhuzhou.EVENTS:
            venue = self.venues[entry["venue"]]
            page = pages[venue.pk]
            if EventPage.objects.child_of(page).filter(title=entry["title"]).exists():
                continue
            hours, minutes = (int(part) for part in entry["at"].split(":"))
            day = self.today + timedelta(days=entry["in_days"])
            start = timezone.make_aware(
                datetime(day.year, day.month, day.day, hours, minutes),
                timezone.get_default_timezone(),
            )
            event = EventPage(
                title=entry["title"],
                start=start,
                end=start + timedelta(hours=entry["hours"]),
                place=entry["place"],
                audience=entry["audience"],
                fee_type=entry["fee_type"],
                fee_amount=entry.get("fee_amount"),
                capacity=entry["capacity"],
                summary=entry["summary"],
                body=_body(entry["paragraphs"]),
                cover=self.cover_for(venue),
            )
            _publish(page, event)
            self.created["events"] += 1

    def cover_for(self, venue):
        """One generated cover card per venue, in the venue's own collection."""
        if venue.pk in self._covers:
            return self._covers[venue.pk]
        image_model = get_image_model()
        title = _("%(name)s演示封面") % {"name": venue.name}
        image = image_model.objects.filter(collection_id=venue.collection_id, title=title).first()
        if image is None:
            digest = hashlib.sha256(venue.code.encode()).digest()
            colour = zhuzhou.COVER_COLOURS[digest[0] % len(zhuzhou.COVER_COLOURS)]
            # Saved through the image field's storage (default_storage): local files or S3.
            image = image_model(
                title=title,
                collection_id=venue.collection_id,
                file=ImageFile(_cover_card(colour), name=f"demo-{venue.code}.png"),
            )
            image._set_image_file_metadata()
            image.save()
            self.created["images"] += 1
        self._covers[venue.pk] = image
        return image


@contextmanager
def _quiet_logger(name):
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _body(paragraphs):
    return [{"type": "paragraph", "value": "".join(f"<p>{escape(p)}</p>" for p in paragraphs)}]


def _publish(parent, page):
    # Demo content is published directly, as a moderator would after approval.
    parent.add_child(instance=page)
    page.save_revision().publish()


def _cover_card(colour, size=(1200, 675)):
    """A plain coloured card (no text) as PNG bytes."""
    width, height = size
    card = PILImage.new("RGB", size, colour)
    draw = ImageDraw.Draw(card)
    light = tuple(min(255, c + 60) for c in colour)
    dark = tuple(max(0, c - 50) for c in colour)
    draw.ellipse((width * 0.62, -height * 0.2, width * 1.12, height * 0.65), fill=light)
    draw.rectangle((0, height * 0.84, width, height), fill=dark)
    buffer = BytesIO()
    card.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer
