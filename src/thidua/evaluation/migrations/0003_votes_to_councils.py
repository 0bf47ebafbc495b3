"""Move each review's council, its members and their votes into the councils app.

Every review gets a council (kind "review") carrying the meeting date and place; members keep
their name, position, role and presence; every candidate that was voted on (and every included
candidate of a review past the draft) becomes a council subject; votes keep their choice (the
review already used the one vocabulary dong_y / khong_dong_y / vang), writing flag and
opinion."""

from django.db import migrations

STEPS_WITH_VOTE = ("voting", "closed")


def council_name(year):
    return f"Hội đồng Thi đua – Khen thưởng, bình xét năm {year}"


def forward(apps, schema_editor):
    Review = apps.get_model("evaluation", "Review")
    Candidate = apps.get_model("evaluation", "Candidate")
    OldMember = apps.get_model("evaluation", "CouncilMember")
    OldVote = apps.get_model("evaluation", "Vote")
    Council = apps.get_model("councils", "Council")
    Member = apps.get_model("councils", "Member")
    Subject = apps.get_model("councils", "Subject")
    Vote = apps.get_model("councils", "Vote")

    for review in Review.objects.order_by("pk"):
        council = Council.objects.create(
            unit_id=review.unit_id, kind="review", year=review.year,
            name=council_name(review.year), ballot="open", meeting_date=review.meeting_date,
            meeting_place=review.meeting_place, created_by_id=review.created_by_id)
        Review.objects.filter(pk=review.pk).update(council=council)
        member_of = {}
        for n, old in enumerate(OldMember.objects.filter(review_id=review.pk).order_by("pk"), 1):
            member_of[old.pk] = Member.objects.create(
                council=council, person_id=old.person_id, full_name=old.name,
                position=old.position, role=old.role, order=n, present=old.present).pk
        voted = set(OldVote.objects.filter(candidate__review_id=review.pk)
                    .values_list("candidate_id", flat=True))
        candidates = Candidate.objects.filter(review_id=review.pk).order_by("pk")
        if review.status not in STEPS_WITH_VOTE:
            candidates = candidates.filter(pk__in=voted)
        else:
            candidates = [c for c in candidates if c.included or c.pk in voted]
        subject_of = {}
        changed = []
        for c in candidates:
            c.subject = Subject.objects.create(council=council, label=c.title)
            subject_of[c.pk] = c.subject.pk
            changed.append(c)
        Candidate.objects.bulk_update(changed, ["subject"], batch_size=500)
        Vote.objects.bulk_create([Vote(
            subject_id=subject_of[v.candidate_id], member_id=member_of[v.member_id],
            choice=v.choice, in_writing=v.in_writing, opinion=v.opinion)
            for v in OldVote.objects.filter(candidate__review_id=review.pk).order_by("pk")],
            batch_size=1000)


def backward(apps, schema_editor):
    Review = apps.get_model("evaluation", "Review")
    Candidate = apps.get_model("evaluation", "Candidate")
    Council = apps.get_model("councils", "Council")
    Subject = apps.get_model("councils", "Subject")
    ids = list(Review.objects.exclude(council=None).values_list("council_id", flat=True))
    Candidate.objects.update(subject=None)
    Review.objects.update(council=None)
    Subject.objects.filter(council_id__in=ids).delete()
    Council.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("evaluation", "0002_review_council"),
        # initiative councils keep their keys: they go first
        ("initiatives", "0003_councils_to_councils_app"),
    ]

    operations = [migrations.RunPython(forward, backward)]
