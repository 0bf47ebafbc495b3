"""Reads of the honours app, scoped in one place: `restrict_*` for lists, `access_*` for one
record (NotFoundError — the same 404 — for a missing and a forbidden one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from thidua.accounts.models import Role
from thidua.honours.models import (
    Award,
    AwardChange,
    Candidate,
    Certificate,
    Deadline,
    Decision,
    DossierItem,
    Proposal,
    ProposalStatus,
)
from thidua.org.models import Unit
from thidua.org.permissions import path_q, scope_paths
from thidua.people.models import Person
from thidua.platform.actor import Visitor
from thidua.platform.errors import NotFoundError
from thidua.platform.reads import remembered


def _own_person_id(user: Visitor) -> int | None:
    """The person record linked to the user's account (a member's own), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    found: int | None = Person.objects.filter(user_id=int(user.pk or 0)).values_list("pk", flat=True).first()
    return found


@remembered
def holds_every_root(paths: list[str]) -> bool:
    """Whether the subtrees at `paths` are the whole tree (every root among them): a condition
    on their paths then holds for every unit, and is better left out (one look at the roots,
    through their own index; once a page, `platform.reads`)."""
    roots = [p for p in paths if len(p) <= Unit.steplen]
    return bool(roots) and not Unit.objects.filter(depth=1).exclude(path__in=roots).exists()


def _scoped(qs: QuerySet[Any], paths: list[str], fields: list[str],
            others: list[QuerySet[Any]]) -> QuerySet[Any]:
    """`qs` whose `fields` (unit paths) start with one of `paths`, or whose pk is among the
    `others` (querysets of ids). Below the roots as `pk IN (a UNION b …)`, each part found
    through its own index: an OR of conditions on joined units made the database join every
    row to the whole tree and test each (51 ms for a CĐCS's 10 decisions at a tenth of the
    nation, 4 ms this way; bench/README.md, session 41). A root's scope holds nearly every row:
    gathering their ids first was slower there (442 → 1.130 ms for the TLĐ's decisions), so
    the rows are scanned against the conditions; and when the scope holds every root, it is
    every row, read without a condition (one look at the roots decides it)."""
    roots = [p for p in paths if len(p) <= Unit.steplen]
    if roots:
        if holds_every_root(paths):
            return qs  # every root's tree: every row (the tree's units issue and send them all)
        q = Q()
        for field in fields:
            q |= path_q(paths, field)
        for other in others:
            q |= Q(pk__in=other)
        return qs.filter(q)
    parts = [qs.model.objects.filter(path_q(paths, field)).values("pk")
             for field in fields] if paths else []
    parts += others
    if not parts:
        return qs.none()
    first, *rest = [part.order_by() for part in parts]
    return qs.filter(pk__in=first.union(*rest) if rest else first)


def restrict_proposals(user: Visitor, role: str = Role.VIEWER) -> QuerySet[Proposal]:
    """Proposals sent from, or received by, a unit in the user's subtrees; with the viewer role
    also those that name the user (a member follows their own)."""
    qs = Proposal.objects.select_related("unit", "recipient")
    paths = scope_paths(user, role)
    if paths == [""]:
        return qs
    person_id = _own_person_id(user) if role == Role.VIEWER else None
    own = ([Candidate.objects.filter(person_id=person_id).values("proposal_id")]
           if person_id else [])
    return _scoped(qs, paths, ["unit__path", "recipient__path"], own)


def access_proposal(user: Visitor, proposal_id: int) -> Proposal:
    found = restrict_proposals(user).select_related("council", "forwarded_from").filter(
        pk=proposal_id).first()
    if found is None:
        raise NotFoundError("Không tìm thấy hồ sơ đề nghị khen thưởng.")
    return found


def proposal_is_staff_visible(user: Visitor, proposal: Proposal) -> bool:
    """Whether the user sees the proposal as an officer or viewer of one of its units (and so
    sees every candidate), not only as a person named on it."""
    paths = scope_paths(user, Role.VIEWER)
    if paths == [""]:
        return True
    return any(proposal.unit.path.startswith(p) or proposal.recipient.path.startswith(p)
               for p in paths)


def candidates_of(proposal: Proposal) -> list[Candidate]:
    return list(proposal.candidates.select_related("person", "subject_unit", "initiative",
                                                   "subject", "award__decision")
                .order_by("order", "pk"))


def access_candidate(proposal: Proposal, candidate_id: int) -> Candidate:
    found = proposal.candidates.filter(pk=candidate_id).first()
    if found is None:
        raise NotFoundError("Không tìm thấy người, tập thể trong hồ sơ.")
    return found


def access_dossier_item(user: Visitor, item_id: int) -> DossierItem:
    item = DossierItem.objects.select_related("proposal").filter(pk=item_id).first()
    if item is None:
        raise NotFoundError("Không tìm thấy tài liệu.")
    proposal = access_proposal(user, item.proposal_id)
    if not proposal_is_staff_visible(user, proposal):
        raise NotFoundError("Không tìm thấy tài liệu.")
    return item


def inbox(user: Visitor) -> QuerySet[Proposal]:
    """What waits for the user as an officer of a receiving unit."""
    paths = scope_paths(user, Role.OFFICER)
    qs = Proposal.objects.filter(status__in=(ProposalStatus.SUBMITTED, ProposalStatus.RECEIVED,
                                             ProposalStatus.REVIEWING, ProposalStatus.VOTED,
                                             ProposalStatus.SENT_OUT))
    if paths != [""]:
        qs = qs.filter(path_q(paths, "recipient__path")) if paths else qs.none()
    return qs.select_related("unit", "recipient").order_by("submitted_on", "pk")


def drafts_of(user: Visitor) -> QuerySet[Proposal]:
    """Drafts and returned proposals the user's units must finish and send."""
    paths = scope_paths(user, Role.OFFICER)
    qs = Proposal.objects.filter(status__in=(ProposalStatus.DRAFT, ProposalStatus.RETURNED))
    if paths != [""]:
        qs = qs.filter(path_q(paths, "unit__path")) if paths else qs.none()
    return qs.select_related("unit", "recipient").order_by("-pk")


# --- decisions and the awards register ------------------------------------------------------

def restrict_decisions(user: Visitor) -> QuerySet[Decision]:
    """Decisions issued by a unit in the user's subtrees, or naming a recipient there (and
    those that revoked or corrected such an award); a member also sees their own awards'."""
    qs = Decision.objects.select_related("issuer")
    paths = scope_paths(user, Role.VIEWER)
    if paths == [""]:
        return qs
    person_id = _own_person_id(user)
    # the awards in scope: those of the subtrees' units, and the member's own
    awards = [Award.objects.filter(path_q(paths, "home_unit__path"))] if paths else []
    if person_id:
        awards.append(Award.objects.filter(person_id=person_id))
    others: list[QuerySet[Any]] = []
    for in_scope in awards:  # the awards' own decisions, and those that revoked or corrected them
        others += [in_scope.values("decision_id"),
                   in_scope.filter(revoked_by__isnull=False).values("revoked_by_id")]
        if paths:
            others.append(AwardChange.objects.filter(award__in=in_scope.values("pk"))
                          .values("decision_id"))
    return _scoped(qs, paths, ["issuer__path"], others)


def access_decision(user: Visitor, decision_id: int) -> Decision:
    found = restrict_decisions(user).filter(pk=decision_id).first()
    if found is None:
        raise NotFoundError("Không tìm thấy quyết định.")
    return found


def decision_by_number(user: Visitor, *, issuer_code: str, number: str) -> Decision:
    found = restrict_decisions(user).filter(issuer__code=issuer_code, number=number).first()
    if found is None:
        raise NotFoundError(f"Không tìm thấy Quyết định số {number} của {issuer_code}.")
    return found


def restrict_awards(user: Visitor) -> QuerySet[Award]:
    """Awards whose recipient belongs to, or whose issuer is, a unit in the user's subtrees;
    a member also sees their own."""
    qs = Award.objects.select_related("decision", "issuer", "home_unit", "person",
                                      "subject_unit")
    paths = scope_paths(user, Role.VIEWER)
    if paths == [""]:
        return qs
    q = (path_q(paths, "home_unit__path") | path_q(paths, "issuer__path")) if paths else Q(
        pk__in=[])
    person_id = _own_person_id(user)
    if person_id:
        q |= Q(person_id=person_id)
    return qs.filter(q)


@dataclass(frozen=True)
class RegisterFilter:
    """The awards register's questions: by issuer, form, issuer level, year, unit subtree,
    collective or individual, revoked or not."""

    issuer: str = ""  # unit code
    form: str = ""
    level: str = ""  # issuer unit type
    year: int | None = None
    under: str = ""  # unit code: recipients in its subtree
    recipient_kind: str = ""  # person | unit
    revoked: bool | None = None


def awards_register(user: Visitor, f: RegisterFilter) -> QuerySet[Award]:
    qs = restrict_awards(user)
    if f.issuer:
        qs = qs.filter(issuer__code=f.issuer)
    if f.form:
        qs = qs.filter(form=f.form)
    if f.level:
        qs = qs.filter(issuer__type=f.level)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.under:
        unit = Unit.objects.filter(code=f.under).first()
        qs = qs.filter(home_unit__path__startswith=unit.path) if unit else qs.none()
    if f.recipient_kind == "person":
        qs = qs.filter(person__isnull=False)
    elif f.recipient_kind == "unit":
        qs = qs.filter(subject_unit__isnull=False)
    if f.revoked is not None:
        qs = qs.filter(revoked=f.revoked)
    return qs.order_by("-year", "issuer__path", "decision__date", "decision_id", "pk")


def access_award(user: Visitor, award_id: int) -> Award:
    found = restrict_awards(user).filter(pk=award_id).first()
    if found is None:
        raise NotFoundError("Không tìm thấy khen thưởng.")
    return found


def awards_of_person(person_id: int) -> QuerySet[Award]:
    return (Award.objects.filter(person_id=person_id).select_related("decision", "issuer")
            .order_by("-year", "-decision__date"))


def awards_of_unit(unit: Unit) -> QuerySet[Award]:
    """Awards to the unit itself (collective)."""
    return (Award.objects.filter(subject_unit=unit).select_related("decision", "issuer")
            .order_by("-year", "-decision__date"))


def awards_in_unit(unit: Unit, year: int | None = None) -> QuerySet[Award]:
    """Awards to people and collectives of the unit's subtree."""
    qs = Award.objects.filter(home_unit__path__startswith=unit.path)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("decision", "issuer").order_by("-year", "-decision__date", "pk")


def certificate_by_code(code: str) -> Certificate | None:
    """The public verification: any code, no scope; a malformed code is a missing one."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(code) != 20:
        return None
    return (Certificate.objects.select_related("award__decision", "award__issuer",
                                               "award__revoked_by").filter(code=code).first())


def revoked_certificates(issuer: Unit) -> QuerySet[Certificate]:
    return (Certificate.objects.filter(award__issuer=issuer, award__revoked=True)
            .select_related("award__revoked_by").order_by("award__revoked_by__date", "code"))


def proposals_naming(person_id: int) -> QuerySet[Candidate]:
    """A member's own candidacies, newest first, with their proposals' steps."""
    return (Candidate.objects.filter(person_id=person_id)
            .select_related("proposal__unit", "proposal__recipient", "award__decision")
            .order_by("-proposal__year", "-proposal_id"))


@dataclass(frozen=True)
class DueProposal:
    proposal: Proposal
    last_day: dt.date
    days_left: int  # negative: overdue


def due_soon(user: Visitor, *, within_days: int = 14, today: dt.date | None = None
             ) -> list[DueProposal]:
    """The reminders of «Việc chờ tôi»: drafts and returned proposals of the user's units whose
    receiving level's deadline falls within `within_days` (or has passed), soonest first."""
    today = today or dt.date.today()
    drafts = list(drafts_of(user).exclude(kind="dot_xuat")[:500])
    if not drafts:
        return []
    keys = {(p.recipient_id, p.year, p.kind) for p in drafts}
    deadlines = {(d.recipient_id, d.year, d.kind): d.last_day for d in Deadline.objects.filter(
        recipient_id__in={k[0] for k in keys}, year__in={k[1] for k in keys})}
    out = []
    for p in drafts:
        last = deadlines.get((p.recipient_id, p.year, p.kind))
        if last is not None and (last - today).days <= within_days:
            out.append(DueProposal(p, last, (last - today).days))
    return sorted(out, key=lambda d: (d.last_day, d.proposal.pk))
