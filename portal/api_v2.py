"""Wagtail's read API (/api/v2/) limited to what the public may see.

Pages: Wagtail already serves only live, public pages. Images and documents: Wagtail lists every
item of every collection, so items in collections with a view restriction are left out."""

from django.utils.translation import gettext as _
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Collection, CollectionViewRestriction


def public_collections():
    restricted = Collection.objects.none()
    for restriction in CollectionViewRestriction.objects.select_related("collection"):
        restricted |= Collection.objects.descendant_of(restriction.collection, inclusive=True)
    return Collection.objects.exclude(pk__in=restricted.values("pk"))


class CheckedFindMixin:
    """Wagtail's find view (…/find/?id=) hands `id` to the database as it is: anything but a
    number was an error 500; it is a 400 with a message here."""

    def find_object(self, queryset, request):
        if "id" in request.GET:
            try:
                int(request.GET["id"])
            except ValueError as error:
                raise BadRequestError(_("id 必须是整数。")) from error
        return super().find_object(queryset, request)


class PublicPagesAPIViewSet(CheckedFindMixin, PagesAPIViewSet):
    pass


class PublicImagesAPIViewSet(CheckedFindMixin, ImagesAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(collection__in=public_collections())


class PublicDocumentsAPIViewSet(CheckedFindMixin, DocumentsAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(collection__in=public_collections())


api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PublicPagesAPIViewSet)
api_v2.register_endpoint("images", PublicImagesAPIViewSet)
api_v2.register_endpoint("documents", PublicDocumentsAPIViewSet)
