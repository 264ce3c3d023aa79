"""Seed the hub's shared vocabulary of art forms (艺术门类). Data only; the hub edits it later."""

import contextlib

from django.db import migrations
from django.db.models import ProtectedError

ART_FORMS = [
    "声乐",
    "器乐",
    "舞蹈",
    "戏曲",
    "书法",
    "美术",
    "摄影",
    "文学",
    "非遗技艺",
    "曲艺",
    "朗诵",
    "广场舞",
]


def seed_art_forms(apps, schema_editor):
    ArtForm = apps.get_model("resources", "ArtForm")
    for order, name in enumerate(ART_FORMS, start=1):
        # get_or_create: a form the hub already added by hand keeps its own order.
        ArtForm.objects.get_or_create(name=name, defaults={"sort_order": order * 10})


def remove_art_forms(apps, schema_editor):
    ArtForm = apps.get_model("resources", "ArtForm")
    # Forms still used by a course, programme or asset are protected (PROTECT); those stay.
    for art_form in ArtForm.objects.filter(name__in=ART_FORMS):
        with contextlib.suppress(ProtectedError):
            art_form.delete()


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(seed_art_forms, remove_art_forms)]
