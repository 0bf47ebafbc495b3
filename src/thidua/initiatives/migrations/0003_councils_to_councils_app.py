"""Move the initiative councils, their members and votes into the councils app.

Councils and members keep their primary keys, so the criteria, reviews and scores that point at
them are re-pointed in the next migration without touching their rows. Each review becomes a
council subject; votes map to the one vocabulary: "for" -> "dong_y", "against" ->
"khong_dong_y"."""

from django.core.management.color import no_style
from django.db import migrations

CHOICES = {"for": "dong_y", "against": "khong_dong_y"}


def forward(apps, schema_editor):
    OldCouncil = apps.get_model("initiatives", "Council")
    OldMember = apps.get_model("initiatives", "CouncilMember")
    OldVote = apps.get_model("initiatives", "Vote")
    Review = apps.get_model("initiatives", "Review")
    Council = apps.get_model("councils", "Council")
    Member = apps.get_model("councils", "Member")
    Subject = apps.get_model("councils", "Subject")
    Vote = apps.get_model("councils", "Vote")

    Council.objects.bulk_create([Council(
        pk=c.pk, unit_id=c.unit_id, kind="initiative", year=c.year, name=c.name, level=c.level,
        ballot="open", decision_no=c.decision_no, established_on=c.established_on,
        threshold_num=c.threshold_num, threshold_den=c.threshold_den,
        threshold_source=c.threshold_source, created_by_id=c.created_by_id,
        created_at=c.created_at) for c in OldCouncil.objects.order_by("pk")], batch_size=500)
    Member.objects.bulk_create([Member(
        pk=m.pk, council_id=m.council_id, person_id=m.person_id, full_name=m.full_name,
        position=m.position, role=m.role, order=m.order, present=True)
        for m in OldMember.objects.order_by("pk")], batch_size=1000)
    reviews = list(Review.objects.select_related("initiative").order_by("pk"))
    for r in reviews:
        r.subject = Subject.objects.create(council_id=r.council_id,
                                           label=r.initiative.title[:255])
    Review.objects.bulk_update(reviews, ["subject"], batch_size=500)
    subject_of = {r.pk: r.subject_id for r in reviews}
    Vote.objects.bulk_create([Vote(
        subject_id=subject_of[v.review_id], member_id=v.member_id, choice=CHOICES[v.choice],
        in_writing=v.in_writing) for v in OldVote.objects.order_by("pk")], batch_size=1000)
    # rows were written with their own keys: move the sequences past them (PostgreSQL)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Council, Member]):
            cursor.execute(sql)


def backward(apps, schema_editor):
    Council = apps.get_model("councils", "Council")
    Vote = apps.get_model("councils", "Vote")
    Review = apps.get_model("initiatives", "Review")
    Subject = apps.get_model("councils", "Subject")
    ids = list(Review.objects.exclude(subject=None).values_list("subject_id", flat=True))
    Review.objects.update(subject=None)
    Vote.objects.filter(subject_id__in=ids).delete()
    Subject.objects.filter(pk__in=ids).delete()
    Council.objects.filter(kind="initiative").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("initiatives", "0002_review_subject"),
    ]

    operations = [migrations.RunPython(forward, backward)]
