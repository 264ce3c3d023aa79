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
                (
                    f.cleaned_data["weekday"],
                    f.cleaned_data["opens"],
                    f.cleaned_data["closes"],
                    f.cleaned_data.get("closes_next_day", False),
                )
                for f in formset.forms
                if f.cleaned_data
                and not f.cleaned_data.get("DELETE")
                and f.cleaned_data.get("opens") is not None
            ]
            errors = rules.opening_hours_errors(slots)
            if errors:
                raise ValidationError(errors)
        exceptions = self.formsets.get("hours_exceptions")
        if exceptions is not None and all(f.is_valid() for f in exceptions.forms):
            rows = [
                (d["date"], d.get("opens"), d.get("closes"), d.get("closes_next_day", False))
                for d in (f.cleaned_data for f in exceptions.forms)
                if d and not d.get("DELETE") and d.get("date")
            ]
            errors = rules.exception_errors(rows)
            if errors:
                raise ValidationError(errors)
        return cleaned
