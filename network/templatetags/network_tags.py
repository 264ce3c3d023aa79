from django import template

from portal.privacy import mask_phone

register = template.Library()


@register.filter
def masked_phone(value):
    return mask_phone(value)


@register.filter
def bar_percent(value, maximum):
    """A CSS bar's width: `value` as a percentage of `maximum`, kept within 0–100."""
    try:
        share = float(value) / float(maximum) * 100
    except (TypeError, ValueError, ZeroDivisionError):
        return 0
    return round(min(max(share, 0), 100), 1)


@register.simple_tag
def venue_compliance(venue):
    """This week's opening compliance of `venue` (None for the hub and main centres)."""
    from network.compliance import assess_venue

    return assess_venue(venue)
