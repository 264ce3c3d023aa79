"""全网搜索 in the admin: the same search, with what a staff member may see that is not public
(staff-only entries, their venue's own entries, drafts), linking to where they edit it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services, sources

PAGE_KINDS = ("venue", "event", "article")


def edit_url(result):
    """Where staff edit a result: the page editor, or the snippet's edit view."""
    if result.type in PAGE_KINDS:
        return reverse("wagtailadmin_pages:edit", args=[result.id])
    source = sources.REGISTRY.get(result.type)
    viewset = getattr(source.model, "snippet_viewset", None) if source else None
    return reverse(viewset.get_url_name("edit"), args=[result.id]) if viewset else ""


class AdminSearchView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin_search.html"
    page_title = _("全网搜索")
    header_icon = "search"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        filters = services.clean_filters(self.request.GET)
        page = None
        if q.strip() or filters:
            number = self.request.GET.get("page", "1")
            page = services.search(
                q,
                filters=filters,
                user=self.request.user,
                page=int(number) if number.isdigit() else 1,
            )
            for result in page.results:
                result.edit_url = edit_url(result)
        context.update(
            q=q,
            result_page=page,
            facets=[
                (name, services.FACET_TITLES[name], options)
                for name, options in services.facet_options(
                    page.facets if page else {}, filters
                ).items()
                if options
            ],
        )
        return context
