"""Admin forms of the shared catalogue: ownership is enforced in the form, not only in the view."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.collections import CollectionChoiceField
from wagtail.models import Collection

from media_pipeline.forms import RenditionChoiceFormMixin
from network.models import Venue

from .models import CatalogueEntry
from .permissions import is_hub_admin, user_venue_ids
from .uploads import MediaAssetUploadFormMixin

OWNER_REFUSED = _("只能为您所在的场馆添加或保存资源，不能选择其他场馆。")
COLLECTION_REFUSED = _("只能选择您所在场馆的集合。")


class CatalogueEntryForm(WagtailAdminModelForm):
    """Owner choices are the user's own venues; links to other catalogue entries offer only
    entries the user may see (an owner-only entry of another venue is never listed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # keeps kwargs["for_user"] as self.for_user
        user = self.for_user
        if user is None or is_hub_admin(user):
            return
        venues = user_venue_ids(user)
        owner = self.fields.get("owner")
        if owner is not None:
            owner.queryset = Venue.objects.filter(pk__in=venues)
            owner.error_messages["invalid_choice"] = OWNER_REFUSED
            if len(venues) == 1 and not self.instance.pk:
                owner.initial = next(iter(venues))
        for name, field in self.fields.items():
            model = getattr(getattr(field, "queryset", None), "model", None)
            if model is not None and issubclass(model, CatalogueEntry):
                field.queryset = self._visible_or_linked(model, name, user)

    def _visible_or_linked(self, model, name, user):
        # Entries already linked stay choosable, or saving an old entry would fail when the
        # other venue has since made a linked entry owner-only.
        linked = []
        if self.instance.pk and name in self.initial:
            linked = [getattr(item, "pk", item) for item in self.initial[name] or []]
        return model.objects.filter(
            Q(pk__in=model.objects.visible_to(user).values("pk")) | Q(pk__in=linked)
        )

    def clean_owner(self):
        owner = self.cleaned_data.get("owner")
        user = self.for_user
        # The field's queryset already refuses other venues; this guards subclasses that
        # replace the field.
        if (
            owner
            and user is not None
            and not is_hub_admin(user)
            and owner.pk not in user_venue_ids(user)
        ):
            raise forms.ValidationError(OWNER_REFUSED, code="owner")
        return owner


class MediaAssetForm(MediaAssetUploadFormMixin, RenditionChoiceFormMixin, CatalogueEntryForm):
    """Uploads go through resources.uploads: sniffed by content, size-limited, hashed, and the
    replaced original removed after commit (that mixin comes first, so a failure of the
    rendition choice saved after the row also removes a new file). Collections offered to a
    venue's staff are their venues' collections and those below them."""

    collection = CollectionChoiceField(
        label=_("集合"), queryset=Collection.objects.order_by("path"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, user = self.fields.get("collection"), self.for_user
        if field is None or user is None or is_hub_admin(user):
            return
        venues = user_venue_ids(user)
        own = Q(pk=self.instance.collection_id)  # an entry's current collection stays choosable
        for root in Collection.objects.filter(venue__in=venues):
            own |= Q(path__startswith=root.path)  # the venue's collection and those below it
        field.queryset = Collection.objects.filter(own).order_by("path")
        field.error_messages["invalid_choice"] = COLLECTION_REFUSED
        if len(venues) == 1 and not self.instance.pk:
            field.initial = (
                Venue.objects.filter(pk__in=venues).values_list("collection", flat=True).first()
            )
