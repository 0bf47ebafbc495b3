import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("councils", "0001_initial"),
        ("evaluation", "0001_initial"),
    ]

    operations = [
        # frees the name `council` on Review for the council itself
        migrations.AlterField(
            model_name="councilmember",
            name="review",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="old_council", to="evaluation.review"),
        ),
        migrations.AddField(
            model_name="review",
            name="council",
            field=models.OneToOneField(blank=True, null=True,
                                       on_delete=django.db.models.deletion.PROTECT,
                                       related_name="review", to="councils.council"),
        ),
        migrations.AddField(
            model_name="candidate",
            name="subject",
            field=models.OneToOneField(blank=True, null=True,
                                       on_delete=django.db.models.deletion.SET_NULL,
                                       related_name="candidate", to="councils.subject"),
        ),
    ]
