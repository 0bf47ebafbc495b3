"""The receiving level's Hội đồng xét khen thưởng: set it up, seat its members, take proposals
onto its agenda and record the votes (open ballot: each member's vote; secret ballot: the counts
the vote-counting committee announces). Built on the councils app's blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.councils import services as councils
from thidua.councils.models import BASIC_ROLES, Ballot, Council, Kind, Member
from thidua.councils.services import BallotIn
from thidua.honours.models import Candidate, Proposal, ProposalStatus
from thidua.honours.permissions import require_issuer
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


def _require_council(actor: Actor, council: Council) -> None:
    if council.kind != Kind.HONOURS:
        raise ApplicationError("Hội đồng này không phải Hội đồng xét khen thưởng.",
                               field="council")
    require_issuer(actor, council.unit)


@transaction.atomic
def honours_council_create(*, actor: Actor, unit: Unit, year: int, name: str,
                           ballot: str = Ballot.OPEN, decision_no: str = "",
                           established_on: dt.date | None = None,
                           meeting_date: dt.date | None = None, meeting_place: str = ""
                           ) -> Council:
    require_issuer(actor, unit)
    council = councils.council_create(actor=actor, unit=unit, kind=Kind.HONOURS, year=year,
                                      name=name, ballot=ballot, decision_no=decision_no,
                                      established_on=established_on,
                                      meeting_place=meeting_place)
    if meeting_date is not None:
        councils.meeting_set(council=council, meeting_date=meeting_date,
                             meeting_place=meeting_place)
    audit_record(actor=actor, action="honours.council_create", object_type="council",
                 object_id=council.pk, unit_id=unit.pk,
                 after={"name": council.name, "year": year, "ballot": ballot})
    return council


@transaction.atomic
def honours_council_member_add(*, actor: Actor, council: Council, role: str,
                               person: Person | None = None, full_name: str = "",
                               position: str = "") -> Member:
    _require_council(actor, council)
    member = councils.member_add(council=council, role=role, person=person,
                                 full_name=full_name, position=position, roles=BASIC_ROLES)
    audit_record(actor=actor, action="honours.council_member_add", object_type="council",
                 object_id=council.pk, unit_id=council.unit_id,
                 after={"member": member.pk, "name": member.full_name, "role": role})
    return member


@transaction.atomic
def proposal_council_set(*, actor: Actor, proposal: Proposal, council: Council) -> Proposal:
    """Put a received proposal on the agenda of the receiving unit's council of the year."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("recipient").get(
        pk=proposal.pk)
    require_issuer(actor, proposal.recipient)
    _require_council(actor, council)
    if council.unit_id != proposal.recipient_id:
        raise ApplicationError("Hãy chọn Hội đồng của đơn vị nhận hồ sơ.", field="council")
    if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.RECEIVED):
        raise ApplicationError("Chỉ hồ sơ đã tiếp nhận, chưa đưa ra họp mới chọn được Hội đồng.",
                               field="council")
    proposal.council = council
    proposal.save(update_fields=["council"])
    audit_record(actor=actor, action="proposal.council_set", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id,
                 after={"council": council.pk})
    return proposal


def _voting(actor: Actor, proposal: Proposal) -> Council:
    require_issuer(actor, proposal.recipient)
    if proposal.status != ProposalStatus.REVIEWING or proposal.council is None:
        raise ApplicationError("Hồ sơ không ở bước Hội đồng đang xét: không ghi phiếu được.",
                               field="status")
    return proposal.council


@transaction.atomic
def proposal_votes_record(*, actor: Actor, proposal: Proposal,
                          ballots: Sequence[BallotIn]) -> int:
    """Open ballot: members' votes on the proposal's candidates."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related(
        "recipient", "council").get(pk=proposal.pk)
    council = _voting(actor, proposal)
    mine = set(proposal.candidates.values_list("subject_id", flat=True))
    if any(b.subject_id not in mine for b in ballots):
        raise ApplicationError("Đề nghị không có trong hồ sơ này.", field="candidate")
    changes = councils.votes_record(council=council, ballots=ballots)
    audit_record(actor=actor, action="proposal.votes", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id, after={"changes": changes})
    return len(changes)


@transaction.atomic
def proposal_counts_record(*, actor: Actor, candidate: Candidate, votes_for: int,
                           votes_against: int, absent: int) -> None:
    """Secret ballot: the counts announced for one candidate."""
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related(
        "recipient", "council").get(pk=candidate.proposal_id)
    _voting(actor, proposal)
    if candidate.subject is None:
        raise ApplicationError("Đề nghị chưa được đưa ra biểu quyết.", field="candidate")
    tally = councils.counts_record(subject=candidate.subject, votes_for=votes_for,
                                   votes_against=votes_against, absent=absent)
    audit_record(actor=actor, action="proposal.counts", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id,
                 after={"candidate": candidate.pk, **tally.as_counts()})
