from wagtail import hooks

from .pages import venue_for_page


@hooks.register("before_serve_page")
def mark_page_view(page, request, serve_args, serve_kwargs):
    request.metrics_page = (page.pk, venue_for_page(page))
