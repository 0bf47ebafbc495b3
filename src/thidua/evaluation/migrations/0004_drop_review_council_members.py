import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0003_votes_to_councils"),
    ]

    operations = [
        # every review has had its council since 0003
        migrations.AlterField(
            model_name="review",
            name="council",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                       related_name="review", to="councils.council"),
        ),
        migrations.RemoveField(model_name="review", name="meeting_date"),
        migrations.RemoveField(model_name="review", name="meeting_place"),
        migrations.DeleteModel(name="Vote"),
        migrations.DeleteModel(name="CouncilMember"),
    ]
