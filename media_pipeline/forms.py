"""The editor's choice of video renditions on the media asset form (保留的清晰度, stored as
AssetProcessing.renditions_wanted and read by video.py through profiles.ladder_for)."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from resources.vocab import AssetKind

from . import profiles
from .models import AssetProcessing, Status
from .tasks import queue_processing

FIELD = "renditions_wanted"


def choose_renditions(asset, wanted):
    """Store the rungs to keep. An asset already waiting (a new or replaced file was just
    queued) only gets the choice, which its run reads when it starts: queueing it again would
    run it twice. Any other is queued again with the choice (a run in progress is superseded)."""
    with transaction.atomic():
        row = AssetProcessing.objects.select_for_update().filter(asset=asset).first()
        if row is not None and row.status == Status.PENDING:
            row.renditions_wanted = list(wanted)
            row.save(update_fields=["renditions_wanted"])
        else:
            queue_processing(asset, renditions_wanted=wanted)


class RenditionChoiceFormMixin(forms.Form):
    """For the MediaAsset admin form (a Form, so the field is declared for FieldPanel). The
    field is left out for an existing asset that is not a video; a new asset chooses its kind
    in the same form, so it is offered there and refused for other kinds."""

    renditions_wanted = forms.MultipleChoiceField(
        label=_("保留的清晰度"),
        choices=[(name, name) for name in profiles.RUNG_NAMES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("仅对视频有效。留空表示不超过原片清晰度的全部档位；更改后视频将重新处理。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        asset = self.instance
        if asset.pk and asset.kind != AssetKind.VIDEO:
            del self.fields[FIELD]
        elif asset.pk:
            stored = AssetProcessing.objects.filter(asset=asset).values_list(FIELD, flat=True)
            self.initial[FIELD] = stored.first() or []

    def clean_renditions_wanted(self):
        chosen = set(self.cleaned_data[FIELD])
        return [name for name in profiles.RUNG_NAMES if name in chosen]  # ladder order

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind") or self.instance.kind
        if cleaned_data.get(FIELD) and self._choice_changed() and kind != AssetKind.VIDEO:
            self.add_error(FIELD, _("只有视频可以选择保留的清晰度。"))
        return cleaned_data

    def save(self, commit=True):
        asset = super().save(commit=commit)
        if commit and self._choice_changed() and asset.kind == AssetKind.VIDEO:
            choose_renditions(asset, self.cleaned_data[FIELD])
        return asset

    def _choice_changed(self):
        return FIELD in self.fields and FIELD in self.changed_data
