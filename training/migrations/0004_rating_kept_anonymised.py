import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def offering_from_enrolment(apps, schema_editor):
    Rating = apps.get_model("training", "Rating")
    Enrolment = apps.get_model("training", "Enrolment")
    Rating.objects.update(
        offering_id=Subquery(
            Enrolment.objects.filter(pk=OuterRef("enrolment_id")).values("offering_id")[:1]
        )
    )


class Migration(migrations.Migration):
    """A rating names its offering itself, so it can outlive its enrolment (anonymised when the
    resident deletes their account). The column is filled last and made required in 0005:
    PostgreSQL cannot alter a table in the transaction that has just updated its rows."""

    dependencies = [
        ("training", "0003_offering_waiting"),
    ]

    operations = [
        migrations.AddField(
            model_name="rating",
            name="offering",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ratings",
                to="training.offering",
                verbose_name="报名项目",
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="enrolment",
            field=models.OneToOneField(
                blank=True,
                help_text="评价人注销账号后为空（评价匿名保留）。",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="rating",
                to="training.enrolment",
                verbose_name="报名",
            ),
        ),
        migrations.RunPython(offering_from_enrolment, migrations.RunPython.noop),
    ]
