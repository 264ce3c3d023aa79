"""Admin forms of the shared catalogue: ownership is enforced in the form, not only in the view."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from network.models import Venue

from .models import CatalogueEntry
from .permissions import is_hub_admin, user_venue_ids
from .uploads import MediaAssetUploadFormMixin

OWNER_REFUSED = _("只能为您所在的场馆添加或保存资源，不能选择其他场馆。")


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


class MediaAssetForm(MediaAssetUploadFormMixin, CatalogueEntryForm):
    """Uploads go through resources.uploads: sniffed by content, size-limited, hashed, and the
    replaced original removed after commit."""
