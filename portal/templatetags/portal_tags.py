"""Helpers for the public site's templates: site name, navigation, breadcrumbs, hours."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from network.plan import Weekday

register = template.Library()


@register.simple_tag
def site_name():
    return getattr(settings, "WAGTAIL_SITE_NAME", "")


def _home_page(request):
    """The portal home: the root page of the request's site, else the only HomePage."""
    from portal.models import HomePage

    site = Site.find_for_request(request) if request is not None else None
    if site is not None and site.root_page.specific_class is HomePage:
        return site.root_page.specific
    return HomePage.objects.live().first()


@register.simple_tag(takes_context=True)
def portal_nav(context):
    """The header's sections that exist: [{"key", "label", "url", "current"}].

    Safe without a site or a HomePage (a 404 on a fresh install): it then returns [].
    """
    from portal.models import ArticleIndexPage, EventIndexPage

    request = context.get("request")
    home = _home_page(request)
    if home is None:
        return []
    home_url = home.get_url(request) or "/"
    links = [
        ("home", _("首页"), home_url),
        ("venues", _("场馆导航"), home_url + home.reverse_subpage("venue_directory")),
        ("catalogue", _("共享资源"), reverse("catalogue:index")),
        ("search", _("搜索"), reverse("search")),
    ]
    for key, label, model in (
        ("news", _("新闻"), ArticleIndexPage),
        ("events", _("活动"), EventIndexPage),
    ):
        index = model.objects.live().public().child_of(home).first()
        if index is not None:
            links.append((key, label, index.get_url(request)))
    path = request.path if request is not None else ""
    # Home is current only on itself; a section also on the pages below it.
    return [
        {
            "key": key,
            "label": label,
            "url": url,
            "current": path == url if key == "home" else bool(url) and path.startswith(url),
        }
        for key, label, url in links
    ]


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page):
    """The page's ancestors from the site's home down: the venue tree above the page."""
    request = context.get("request")
    home = _home_page(request)
    if home is None:
        return []
    return list(page.get_ancestors().filter(depth__gte=home.depth).specific())


@register.filter
def hours(value):
    """Hours as residents read them: 56 → "56", 7.5 → "7.5", 8.333… → "8.3"."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value
    return f"{number.normalize():f}"


@register.filter
def opening_rows(venue):
    """One row per weekday, 周一…周日: its slots in order (none means closed), and whether it is today."""
    today = timezone.localdate().weekday()
    by_day = {day: [] for day in Weekday.values}
    for slot in venue.opening_hours.all():
        by_day.setdefault(slot.weekday, []).append(slot)
    return [
        {
            "weekday": day,
            "label": Weekday(day).label,
            "slots": sorted(slots, key=lambda s: s.opens),
            "is_today": day == today,
        }
        for day, slots in by_day.items()
    ]
