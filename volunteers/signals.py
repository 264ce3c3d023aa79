"""A deleted volunteer (their resident account deleted, or the row itself) gives back the
places they held, before their sign-up rows go."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from . import signups
from .models import Volunteer


@receiver(pre_delete, sender=Volunteer)
def volunteer_deleted(sender, instance, **kwargs):
    signups.release_all_for(instance)
