"""How the portal's pages become search documents: venue pages, articles and events."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction

from search.sources import Document, Source, register

from .models import ArticlePage, EventPage, VenuePage

PUBLIC, OWNER = "public", "owner"


def _text(*parts):
    return "\n".join(strip_tags(str(p)) for p in parts if p)


def _stream_text(value):
    return " ".join(value.stream_block.get_searchable_content(value)) if value else ""


def _visibility(page):
    """Live pages without a view restriction are public; drafts and restricted pages are only
    for the owning venue's staff (who see them in the admin search)."""
    if not page.live:
        return OWNER
    restricted = PageViewRestriction.objects.filter(
        page__in=Page.objects.ancestor_of(page, inclusive=True)
    ).exists()
    return OWNER if restricted else PUBLIC


def _venue_page(page):
    venue = page.venue
    return Document(
        title=page.title,
        url=page.url or "",
        visibility=_visibility(page),
        body=_text(venue.address, venue.township, page.intro, _stream_text(page.body)),
        venue=venue,
        date=page.last_published_at,
    )


def _article(page):
    return Document(
        title=page.title,
        url=page.url or "",
        visibility=_visibility(page),
        body=_text(page.summary, _stream_text(page.body)),
        venue=page.owning_venue,
        date=page.first_published_at,
    )


def _event(page):
    return Document(
        title=page.title,
        url=page.url or "",
        visibility=_visibility(page),
        body=_text(page.place, page.summary, _stream_text(page.body)),
        venue=page.owning_venue,
        audience=page.audience,
        fee_type=page.fee_type,
        date=page.start,
    )


def _in_subtree(model):
    def owned_by(venue):
        root = VenuePage.objects.filter(venue=venue).first()
        return model.objects.descendant_of(root, inclusive=True) if root else model.objects.none()

    return owned_by


def register_sources():
    register(
        Source(
            "venue",
            _("场馆"),
            VenuePage,
            queryset=lambda: VenuePage.objects.select_related("venue"),
            to_document=_venue_page,
            owned_by=_in_subtree(VenuePage),
        )
    )
    register(
        Source(
            "event",
            _("活动"),
            EventPage,
            queryset=lambda: EventPage.objects.all(),
            to_document=_event,
            owned_by=_in_subtree(EventPage),
        )
    )
    register(
        Source(
            "article",
            _("资讯"),
            ArticlePage,
            queryset=lambda: ArticlePage.objects.all(),
            to_document=_article,
            owned_by=_in_subtree(ArticlePage),
        )
    )


def _queue_subtree(page):
    from search.indexing import queue

    for model in (VenuePage, EventPage, ArticlePage):
        queue(
            model,
            list(model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)),
        )


def _on_restriction_change(sender, instance, **kwargs):
    _queue_subtree(instance.page)


def _on_page_moved(sender, instance, **kwargs):
    _queue_subtree(instance)  # URLs and the owning venue follow the page


def connect_search_signals():
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_slug_changed, post_page_move

    post_save.connect(_on_restriction_change, sender=PageViewRestriction, dispatch_uid="s-pvr")
    post_delete.connect(_on_restriction_change, sender=PageViewRestriction, dispatch_uid="s-pvrd")
    post_page_move.connect(_on_page_moved, dispatch_uid="search-page-moved")
    page_slug_changed.connect(_on_page_moved, dispatch_uid="search-page-slug")
