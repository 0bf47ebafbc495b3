import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("councils", "0001_initial"),
        ("initiatives", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="subject",
            field=models.OneToOneField(blank=True, null=True,
                                       on_delete=django.db.models.deletion.PROTECT,
                                       related_name="initiative_review", to="councils.subject"),
        ),
    ]
