import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("councils", "0001_initial"),
        ("initiatives", "0003_councils_to_councils_app"),
    ]

    operations = [
        migrations.AlterField(
            model_name="criterion",
            name="council",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="criteria", to="councils.council"),
        ),
        migrations.AlterField(
            model_name="review",
            name="council",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="reviews", to="councils.council"),
        ),
        migrations.AlterField(
            model_name="score",
            name="member",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="scores", to="councils.member"),
        ),
        migrations.DeleteModel(name="Vote"),
        migrations.DeleteModel(name="CouncilMember"),
        migrations.DeleteModel(name="Council"),
    ]
