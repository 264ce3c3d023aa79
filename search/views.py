"""The public search page: one box over the whole network, with facets and suggestions."""

from django.shortcuts import render

from metrics.services import record

from . import services
from .backends.base import SORTS


def _point(request):
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return None
    return (lat, lng) if -90 <= lat <= 90 and -180 <= lng <= 180 else None


def search_page(request):
    q = request.GET.get("q", "")
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    filters = services.clean_filters(request.GET)
    page = None
    if q.strip() or filters:
        page = services.search(
            q,
            filters=filters,
            # The public page shows what residents see; staff use 全网搜索 in the admin.
            user=None,
            sort=sort,
            point=_point(request),
            page=request.GET.get("page", "1") if request.GET.get("page", "1").isdigit() else 1,
        )
        record("search", request=request, detail=page.query, value=page.count)
    query = request.GET.copy()
    query.pop("page", None)
    facets = services.facet_options(page.facets, filters) if page else {}
    return render(
        request,
        "search/search.html",
        {
            "q": q,
            "sort": sort,
            "result_page": page,
            "facets": [
                (name, services.FACET_TITLES[name], options)
                for name, options in facets.items()
                if options
            ],
            "filters": filters,
            "query": query.urlencode(),
        },
        status=200,
    )
