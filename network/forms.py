from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from . import rules


class VenueForm(WagtailAdminModelForm):
    """Admin form for a venue: also checks its opening hours against each other."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("opening_hours")
        if formset is not None and all(f.is_valid() for f in formset.forms):
            slots = [
                (f.cleaned_data["weekday"], f.cleaned_data["opens"], f.cleaned_data["closes"])
                for f in formset.forms
                if f.cleaned_data
                and not f.cleaned_data.get("DELETE")
                and f.cleaned_data.get("opens") is not None
            ]
            errors = rules.opening_hours_errors(slots)
            if errors:
                raise ValidationError(errors)
        return cleaned
