from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .catalogue import KINDS


def _kind(slug):
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404 from None


def catalogue_index(request):
    kinds = [(kind, kind.queryset(request.user).count()) for kind in KINDS.values()]
    return render(request, "resources/catalogue_index.html", {"kinds": kinds})


def catalogue_list(request, kind):
    kind = _kind(kind)
    filterset = kind.filterset(request.GET or None, queryset=kind.queryset(request.user))
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "resources/catalogue_list.html",
        {
            "kind": kind,
            "kinds": KINDS.values(),
            "filter": filterset,
            "entries": page,
            "query": query.urlencode(),
        },
    )


def catalogue_detail(request, kind, pk):
    kind = _kind(kind)
    # Entries the visitor may not see are 404, never 403: their existence is not revealed.
    entry = get_object_or_404(kind.queryset(request.user), pk=pk)
    return render(
        request,
        f"resources/detail/{kind.model._meta.model_name}.html",
        {"kind": kind, "entry": entry},
    )
