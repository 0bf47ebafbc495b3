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
        # every review has had its subject since 0003
        migrations.AlterField(
            model_name="review",
            name="subject",
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                       related_name="initiative_review", to="councils.subject"),
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
