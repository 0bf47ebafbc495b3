from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0003_votes_to_councils"),
    ]

    operations = [
        migrations.RemoveField(model_name="review", name="meeting_date"),
        migrations.RemoveField(model_name="review", name="meeting_place"),
        migrations.DeleteModel(name="Vote"),
        migrations.DeleteModel(name="CouncilMember"),
    ]
