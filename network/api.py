"""GET /api/v1/venues and /api/v1/venues/{code}: the venue network as JSON."""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from .models import OpeningHours, Venue
from .plan import Level

router = Router(tags=["场馆网络"])


class OpeningHoursOut(Schema):
    weekday: int
    weekday_name: str
    opens: str
    closes: str
    is_free: bool


class ErrorOut(Schema):
    detail: str


class VenueOut(Schema):
    code: str
    name: str
    plaque_names: list[str]
    level: str
    level_name: str
    parent_code: str | None
    district: str
    township: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    floor_area: Decimal | None
    status: str
    status_name: str
    url: str | None
    opening_hours: list[OpeningHoursOut]
    weekly_open_hours: Decimal
    weekly_free_hours: Decimal


def page_url(request, page):
    """Absolute address of a venue's live page, or None while it has no public page."""
    if page is None or not page.live:
        return None
    url = page.get_url(request=request)
    return request.build_absolute_uri(url) if url else None


def venue_out(request, venue):
    total, free = venue.weekly_hours()
    return VenueOut(
        code=venue.code,
        name=venue.name,
        plaque_names=venue.plaque_names,
        level=venue.level,
        level_name=str(venue.get_level_display()),
        parent_code=venue.parent.code if venue.parent_id else None,
        district=venue.district,
        township=venue.township,
        address=venue.address,
        latitude=venue.latitude,
        longitude=venue.longitude,
        floor_area=venue.floor_area,
        status=venue.status,
        status_name=str(venue.get_status_display()),
        url=page_url(request, getattr(venue, "page", None)),
        opening_hours=[
            OpeningHoursOut(
                weekday=slot.weekday,
                weekday_name=str(slot.get_weekday_display()),
                opens=f"{slot.opens:%H:%M}",
                closes=f"{slot.closes:%H:%M}",
                is_free=slot.is_free,
            )
            for slot in venue.opening_hours.all()
        ],
        weekly_open_hours=total.quantize(Decimal("0.01")),
        weekly_free_hours=free.quantize(Decimal("0.01")),
    )


def public_venues():
    return (
        Venue.objects.public()
        .select_related("parent", "page")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.all()))
    )


@router.get("/venues", response=list[VenueOut], summary="场馆列表")
def list_venues(
    request, level: Level | None = None, district: str | None = None, parent: str | None = None
):
    """Venues of the public network (运行中 or 通报), filtered by level, district or parent code."""
    venues = public_venues().order_by("district", "code")
    if level:
        venues = venues.filter(level=level)
    if district:
        venues = venues.filter(district=district)
    if parent:
        venues = venues.filter(parent__code=parent)
    return [venue_out(request, v) for v in venues]


@router.get("/venues/{code}", response={200: VenueOut, 404: ErrorOut}, summary="场馆详情")
def get_venue(request, code: str):
    venue = public_venues().filter(code=code).first()
    if venue is None:
        raise HttpError(404, _("未找到代码为“%(code)s”的场馆。") % {"code": code})
    return venue_out(request, venue)
