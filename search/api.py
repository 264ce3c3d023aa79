"""GET /api/v1/search and /api/v1/search/suggest: the network-wide search as JSON."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import services
from .backends.base import SORTS

router = Router(tags=["全网搜索"])


class SearchParams(Schema):
    q: str = ""
    type: str = ""
    art_form: str = ""
    district: str = ""
    venue: str = ""
    audience: str = ""
    fee: str = ""
    sort: str = "relevance"
    lat: float | None = None
    lng: float | None = None
    page: int = 1
    page_size: int = 20


class ResultOut(Schema):
    type: str
    type_label: str
    id: int
    title: str
    url: str
    venue: str
    venue_code: str
    district: str
    art_form: str
    date: datetime | None
    snippet: str
    score: float


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(Schema):
    count: int
    page: int
    page_size: int
    relaxed: bool
    message: str
    results: list[ResultOut]
    facets: dict[str, list[FacetValueOut]]


class SuggestionOut(Schema):
    text: str
    type: str
    type_label: str


class ErrorOut(Schema):
    detail: str


def _point(params):
    if params.lat is None and params.lng is None:
        return None
    if params.lat is None or params.lng is None:
        raise HttpError(400, _("按距离排序需要同时提供 lat 和 lng。"))
    if not (-90 <= params.lat <= 90 and -180 <= params.lng <= 180):
        raise HttpError(400, _("坐标超出范围：纬度 -90～90，经度 -180～180。"))
    return (params.lat, params.lng)


@router.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut},
    summary="全网搜索",
    description="课程、师资、节目、数字资源、非遗、活动、资讯和场馆，支持中文分词、拼音和首字母。",
)
def search(request, params: Query[SearchParams]):
    if params.sort not in SORTS:
        raise HttpError(400, _("排序方式只能是 relevance、date 或 distance。"))
    if not 1 <= params.page_size <= services.MAX_PAGE_SIZE:
        raise HttpError(400, _("每页条数应在 1～%(max)d 之间。") % {"max": services.MAX_PAGE_SIZE})
    if params.page < 1:
        raise HttpError(400, _("页码从 1 开始。"))
    point = _point(params)
    if params.sort == "distance" and point is None:
        raise HttpError(400, _("按距离排序需要提供 lat 和 lng。"))
    page = services.search(
        params.q,
        filters=params.dict(),
        user=request.user,
        sort=params.sort,
        point=point,
        page=params.page,
        page_size=params.page_size,
    )
    if page.invalid:
        raise HttpError(400, page.message)
    return {
        "count": page.count,
        "page": page.page,
        "page_size": page.page_size,
        "relaxed": page.relaxed,
        "message": page.message,
        "results": [vars(r) | {"snippet": str(r.snippet)} for r in page.results],
        "facets": services.facet_options(page.facets, services.clean_filters(params.dict())),
    }


@router.get(
    "/search/suggest", response=list[SuggestionOut], summary="搜索联想", url_name="search_suggest"
)
def suggest(request, q: str = ""):
    return services.suggest(q, user=request.user)
