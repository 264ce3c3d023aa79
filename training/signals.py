"""Offerings follow their course or event; a deleted resident's places go to those waiting."""

from django.core.cache import cache
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published

from portal.models import EventPage
from resources.models import Course

from . import enrolment
from .models import Resident, TrainingSettings


@receiver(post_save, sender=Course)
def course_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load rows as they are
        enrolment.sync_course_offering(instance)


@receiver(page_published, sender=EventPage)
def event_published(sender, instance, **kwargs):
    enrolment.sync_event_offering(instance)


@receiver(pre_delete, sender=Resident)
def resident_deleted(sender, instance, **kwargs):
    # Whatever deletes the account (the resident, an administrator, the user's cascade), the
    # places it held are freed and promoted before its enrolment rows go.
    enrolment.cancel_all_for(instance)


@receiver(post_save, sender=TrainingSettings)
def cap_changed(sender, **kwargs):
    cache.delete(enrolment.CAP_CACHE_KEY)
