import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0004_rating_kept_anonymised"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rating",
            name="offering",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ratings",
                to="training.offering",
                verbose_name="报名项目",
            ),
        ),
    ]
