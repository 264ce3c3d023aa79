"""{% event_registration page %}: the 报名 box of an event page that takes registrations here."""

from django import template
from django.urls import reverse

from ..models import Offering
from ..views import enrol_box

register = template.Library()


@register.inclusion_tag("training/includes/enrol_box.html", takes_context=True)
def event_registration(context, page):
    request = context["request"]
    offering = Offering.objects.filter(event=page).select_related("event").first()
    if offering is None:
        return {"box": {"offering": None}, "hidden": True}
    box = enrol_box(
        request,
        offering,
        page.url,
        reverse("training:event_enrol", args=[page.pk]),
        reverse("training:event_cancel", args=[page.pk]),
    )
    return {
        "box": box,
        "messages": context.get("messages"),
        "csrf_token": context.get("csrf_token"),
    }
