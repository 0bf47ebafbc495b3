"""The year-end meeting of a cluster: the head unit opens it (a council of the head unit whose
seats are the member units' delegates), the leading units by the ranking are put to its vote
(suy tôn) for the issuer's flag and certificate of merit, the votes are recorded and closed
against the issuer's threshold; the issuer's officers then turn the units the meeting passed
into proposals of the honours workflow, each with its scoring sheet attached as evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from thidua.audit.services import audit_record
from thidua.clusters.documents import render_sheet
from thidua.clusters.models import Cluster, Membership, Nomination
from thidua.clusters.permissions import head_of, require_manage, require_run
from thidua.clusters.selectors import Standing, all_checked, ranking, rules_for
from thidua.councils import services as councils
from thidua.councils.models import Ballot, Council, Kind, Role
from thidua.councils.services import BallotIn
from thidua.councils.tally import Threshold, decide
from thidua.honours import catalogue
from thidua.honours import services as honours
from thidua.honours.models import DossierKind, Proposal, ProposalKind
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_number


@dataclass(frozen=True)
class Delegate:
    full_name: str
    position: str
    role: str = Role.UY_VIEN


def _cluster(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update(of=("self",)).select_related("issuer", "council").get(
        pk=cluster.pk)


@transaction.atomic
def ranking_reorder(*, actor: Actor, cluster: Cluster, order: Sequence[int],
                    reason: str) -> list[Standing]:
    """Put units the issuer's tie-break rules left level in order by hand (`order`: their
    membership ids, first ranked first), with the reason (e.g. the cluster meeting's
    agreement). Refused: a unit not in one group still level after the rules, no reason, the
    list of units put to the vote already made (the ranking it used stays as it was)."""
    cluster = _cluster(cluster)
    require_run(actor, cluster)
    if cluster.nominations.exists():
        raise ApplicationError("Danh sách suy tôn đã được lập: không xếp lại thứ hạng được nữa.",
                               field="order")
    reason = clean_spaces(reason)[:500]
    if not reason:
        raise ApplicationError("Hãy ghi lý do xếp thứ tự các đơn vị đồng hạng.", field="reason")
    ids = list(order)
    standings = {s.membership.pk: s for s in ranking(cluster, by_hand=False)}
    group = [s for s in standings.values()
             if ids and ids[0] in standings and s.tied
             and s.rank == standings[ids[0]].rank]
    if len(ids) < 2 or len(set(ids)) != len(ids) or {s.membership.pk for s in group} != set(ids):
        raise ApplicationError("Chỉ xếp lại được trọn một nhóm đơn vị còn đồng hạng sau khi áp "
                               "dụng quy tắc phụ của đơn vị lập cụm.", field="order")
    members = {m.pk: m for m in cluster.memberships.select_related("unit").filter(pk__in=ids)}
    before = [{"unit": members[i].unit_id, "position": members[i].tie_position} for i in ids]
    for position, pk in enumerate(ids, 1):
        members[pk].tie_position, members[pk].tie_reason = position, reason
    Membership.objects.bulk_update(members.values(), ["tie_position", "tie_reason"])
    audit_record(actor=actor, action="cluster.tie_order", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id, before={"order": before},
                 after={"order": [members[i].unit_id for i in ids], "reason": reason,
                        "rank": standings[ids[0]].rank})
    return ranking(cluster)


@transaction.atomic
def meeting_open(*, actor: Actor, cluster: Cluster, meeting_date: dt.date, place: str,
                 delegates: Sequence[Delegate]) -> Council:
    """The cluster's year-end meeting: a council of the head unit with the delegates' seats
    (one chair). Refused: no head unit, a meeting already open, no delegates, no chair."""
    cluster = _cluster(cluster)
    require_run(actor, cluster)
    head = head_of(cluster)
    if head is None:
        raise ApplicationError("Cụm chưa có cụm trưởng để chủ trì hội nghị.", field="head")
    if cluster.council_id is not None:
        raise ApplicationError("Hội nghị của cụm đã được lập.", field="council")
    if not delegates or sum(1 for d in delegates if d.role == Role.CHU_TICH) != 1:
        raise ApplicationError("Hãy ghi các đại biểu dự hội nghị, trong đó một người chủ trì.",
                               field="delegates")
    council = councils.council_create(
        actor=actor, unit=head.unit, kind=Kind.CLUSTER, year=cluster.year,
        name=f"Hội nghị tổng kết {cluster.title} năm {cluster.year}", ballot=Ballot.OPEN,
        meeting_place=place)
    councils.meeting_set(council=council, meeting_date=meeting_date, meeting_place=place)
    for d in delegates:
        councils.member_add(council=council, role=d.role, full_name=d.full_name,
                            position=d.position)
    cluster.council = council
    cluster.save(update_fields=["council"])
    audit_record(actor=actor, action="cluster.meeting_open", object_type="cluster",
                 object_id=cluster.pk, unit_id=head.unit_id,
                 after={"council": council.pk, "date": meeting_date.isoformat(),
                        "delegates": [d.full_name for d in delegates]})
    return council


@transaction.atomic
def nominate(*, actor: Actor, cluster: Cluster) -> list[Nomination]:
    """Put the leading units to the vote, by the ranking once every sheet is checked: the first
    `flag_count` for the flag, the next `merit_count` for the certificate of merit (issuer's
    rules). Units level at the cut are all put to the vote: the meeting decides between them."""
    cluster = _cluster(cluster)
    require_run(actor, cluster)
    if cluster.council is None:
        raise ApplicationError("Hãy lập hội nghị của cụm trước.", field="council")
    if cluster.nominations.exists():
        raise ApplicationError("Danh sách suy tôn đã được lập.", field="nominations")
    if not all_checked(cluster):
        raise ApplicationError("Cụm trưởng chưa kiểm tra xong bảng điểm của mọi đơn vị.",
                               field="status")
    rules = rules_for(cluster.issuer, cluster.year)
    standings = ranking(cluster)
    plan: list[tuple[int, str]] = []
    taken: set[int] = set()
    for form, count in ((rules.flag_form, rules.flag_count),
                        (rules.merit_form, rules.merit_count)):
        remaining = [s for s in standings if s.membership.pk not in taken]
        if not form or not count or not remaining:
            continue
        cut = remaining[min(count, len(remaining)) - 1].rank
        for s in remaining:
            if s.rank <= cut:  # units level at the cut go to the vote together
                plan.append((s.membership.pk, form))
                taken.add(s.membership.pk)
    if not plan:
        raise ApplicationError("Quy định của đơn vị lập cụm chưa có hình thức suy tôn.",
                               field="rules")
    by_pk = {s.membership.pk: s for s in standings}
    names = {code: catalogue.form(code).name for code in {f for _, f in plan}}
    subjects = councils.subjects_create(
        council=cluster.council,
        labels=[f"{by_pk[pk].membership.unit.name} — {names[form]}" for pk, form in plan])
    out = [Nomination.objects.create(cluster=cluster, membership=by_pk[pk].membership, form=form,
                                     rank=by_pk[pk].rank, total=by_pk[pk].totals.total,
                                     subject=subject)
           for (pk, form), subject in zip(plan, subjects, strict=True)]
    audit_record(actor=actor, action="cluster.nominate", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"nominations": [{"unit": n.membership.unit_id, "form": n.form,
                                         "rank": n.rank, "total": str(n.total)} for n in out]})
    return out


@transaction.atomic
def votes_record(*, actor: Actor, cluster: Cluster, ballots: Sequence[BallotIn]) -> int:
    """Record the delegates' votes on the nominations (open ballot)."""
    cluster = _cluster(cluster)
    require_run(actor, cluster)
    if cluster.council is None:
        raise ApplicationError("Hãy lập hội nghị của cụm trước.", field="council")
    if cluster.nominations.exclude(passed__isnull=True).exists():
        raise ApplicationError("Biểu quyết đã kết thúc.", field="votes")
    changes = councils.votes_record(council=cluster.council, ballots=ballots)
    if changes:
        audit_record(actor=actor, action="cluster.votes_record", object_type="cluster",
                     object_id=cluster.pk, unit_id=cluster.issuer_id, after={"votes": changes})
    return len(changes)


def threshold_of(cluster: Cluster) -> Threshold:
    rules = rules_for(cluster.issuer, cluster.year)
    return Threshold(Fraction(rules.vote_num, rules.vote_den), strict=True,
                     source=rules.source or "Cài đặt của đơn vị lập cụm")


@transaction.atomic
def vote_close(*, actor: Actor, cluster: Cluster) -> list[Nomination]:
    """Close the vote: a nomination passes with more than the issuer's share of all delegates
    (absent ones count against). For one form, the units passed beyond the number the rules
    allow are those ranked lower, then with fewer votes; units level on both are put to the
    vote again (refused until the votes differ)."""
    cluster = _cluster(cluster)
    require_run(actor, cluster)
    council = cluster.council
    if council is None:
        raise ApplicationError("Hãy lập hội nghị của cụm trước.", field="council")
    noms = list(cluster.nominations.select_related("membership__unit", "subject")
                .prefetch_related("subject__votes"))
    if not noms:
        raise ApplicationError("Chưa có danh sách suy tôn.", field="nominations")
    if any(n.passed is not None for n in noms):
        raise ApplicationError("Biểu quyết đã kết thúc.", field="votes")
    members = council.members.count()
    threshold = threshold_of(cluster)
    rules = rules_for(cluster.issuer, cluster.year)
    allowed = {rules.flag_form: rules.flag_count, rules.merit_form: rules.merit_count}
    tallies = {}
    for n in noms:
        assert n.subject is not None
        tallies[n.pk] = councils.subject_tally(n.subject, members=members)
        if tallies[n.pk].missing:
            raise ApplicationError(f"Còn {tallies[n.pk].missing} đại biểu chưa biểu quyết về "
                                   f"{n.membership.unit.name}.", field="votes")
    for form in {n.form for n in noms}:
        ok = sorted((n for n in noms if n.form == form
                     and decide(tallies[n.pk], threshold).passed),
                    key=lambda n: (n.rank, -tallies[n.pk].votes_for, n.pk))
        limit = allowed.get(form, 0)
        if 0 < limit < len(ok) and _level(ok[limit - 1], ok[limit], tallies):
            raise ApplicationError(
                f"{ok[limit - 1].membership.unit.name} và {ok[limit].membership.unit.name} "
                f"bằng điểm và bằng phiếu: hội nghị cần biểu quyết lại giữa hai đơn vị.",
                field="votes")
        chosen = {n.pk for n in ok[:limit]}
        for n in noms:
            if n.form == form:
                n.passed = n.pk in chosen
    Nomination.objects.bulk_update(noms, ["passed"])
    audit_record(actor=actor, action="cluster.vote_close", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"threshold": threshold.fraction, "results": [
                     {"unit": n.membership.unit_id, "form": n.form, "passed": n.passed,
                      **tallies[n.pk].as_counts()} for n in noms]})
    return noms


def _level(a: Nomination, b: Nomination, tallies: dict[int, Any]) -> bool:
    return (a.rank, tallies[a.pk].votes_for) == (b.rank, tallies[b.pk].votes_for)


@transaction.atomic
def put_forward(*, actor: Actor, cluster: Cluster) -> list[Proposal]:
    """The issuer's officers turn the passed nominations into draft proposals of the honours
    workflow (one per form, from the issuer to itself: its council and its Ban Thường vụ
    decide), each unit with its scoring sheet (.docx) attached as evidence."""
    cluster = _cluster(cluster)
    require_manage(actor, cluster)
    noms = list(cluster.nominations.filter(passed=True, proposal__isnull=True)
                .select_related("membership__unit", "subject").order_by("rank", "pk"))
    if not noms:
        raise ApplicationError("Không có đơn vị được suy tôn chưa lập hồ sơ đề nghị.",
                               field="nominations")
    members = cluster.council.members.count() if cluster.council else 0
    standings = {s.membership.pk: s for s in ranking(cluster)}
    out: list[Proposal] = []
    for form in sorted({n.form for n in noms}):
        f = catalogue.form(form)
        proposal = honours.proposal_create(
            actor=actor, unit=cluster.issuer, recipient=cluster.issuer, year=cluster.year,
            kind=ProposalKind.NAM, form=form,
            title=f"Đề nghị tặng {f.name} năm {cluster.year} — suy tôn {cluster.title}")
        for n in (x for x in noms if x.form == form):
            assert n.subject is not None
            tally = councils.subject_tally(n.subject, members=members)
            s = standings[n.membership.pk]
            achievement = clean_spaces(
                f"Xếp thứ {n.rank}/{len(standings)} {cluster.title} năm {cluster.year} với "
                f"{vn_number(float(n.total), 2)} điểm; được Hội nghị tổng kết cụm suy tôn với "
                f"{tally.votes_for}/{members} phiếu đồng ý.")
            candidate = honours.candidate_add(actor=actor, proposal=proposal,
                                              subject_unit=n.membership.unit,
                                              achievement=achievement)
            name = f"bang-diem-{n.membership.unit.code}-{cluster.year}.docx"
            honours.dossier_attach(actor=actor, proposal=proposal, kind=DossierKind.MINH_CHUNG,
                                   upload=SimpleUploadedFile(name, render_sheet(s.membership)),
                                   candidate=candidate)
            n.proposal = proposal
            n.save(update_fields=["proposal"])
        out.append(proposal)
    audit_record(actor=actor, action="cluster.put_forward", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"proposals": [p.pk for p in out]})
    return out
