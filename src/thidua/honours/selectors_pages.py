"""Reads behind the commendation pages that the scoped selectors (`honours.selectors`) leave to
the page: the lists with their counts, the proposal page's council, ballots and history, the
title choices of a sending unit, the register's unit filter. Every read here starts from a
record the caller has already obtained through a scoped `access_*` / `restrict_*`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery

from thidua.accounts.models import Role
from thidua.councils.models import Council, Kind, Member, Vote
from thidua.evaluation.models import TitleResult
from thidua.honours.models import Award, Candidate, Deadline, Decision, Proposal
from thidua.honours.selectors import (
    drafts_of,
    holds_every_root,
    inbox,
    restrict_decisions,
    restrict_proposals,
)
from thidua.honours.services.workflow import WORKFLOW
from thidua.org.models import Unit
from thidua.org.permissions import path_q, scope_paths
from thidua.org.selectors import top_depth
from thidua.people.models import Person
from thidua.platform import forms as platform_forms
from thidua.platform.actor import Visitor
from thidua.platform.forms import UnitOptions
from thidua.platform.models import TransitionEvent


@dataclass(frozen=True)
class ProposalFilter:
    tab: str = "gui"  # gui: sent by my units | cho: waiting for me
    year: int | None = None
    status: str = ""
    form: str = ""


def _with_counts(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    count = (Candidate.objects.filter(proposal=OuterRef("pk")).order_by()
             .values("proposal").annotate(n=Count("pk")).values("n"))
    return qs.annotate(n_candidates=Subquery(count, output_field=IntegerField()))


def proposal_list(user: Visitor, f: ProposalFilter) -> QuerySet[Proposal]:
    """The proposals page: «Đơn vị gửi» are those sent by a unit in the user's subtrees (a member
    without grants: those naming them), «Chờ tôi xử lý» the inbox."""
    if f.tab == "cho":
        qs = inbox(user)
    else:
        qs = restrict_proposals(user)
        paths = scope_paths(user, Role.VIEWER)
        # the whole tree's officer: every proposal is sent by a unit of it, and the condition
        # joined every proposal to its unit to count them (47 ms at a tenth of the nation)
        if paths and paths != [""] and not holds_every_root(paths):
            qs = qs.filter(path_q(paths, "unit__path"))
    if f.year:
        qs = qs.filter(year=f.year)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.form:
        qs = qs.filter(form=f.form)
    return _with_counts(qs).order_by("-year", "-pk")


def proposal_years(user: Visitor) -> list[int]:
    # the distinct years from the database, not every row's year: the TLĐ sees the nation's
    return list(restrict_proposals(user).order_by("-year").values_list("year", flat=True)
                .distinct())


def deadlines_of(proposals: list[Proposal]) -> dict[tuple[int, int, str], Deadline]:
    """The deadlines of the proposals' receiving levels, in one read."""
    if not proposals:
        return {}
    q = Q(pk__in=[])
    for p in proposals:
        q |= Q(recipient_id=p.recipient_id, year=p.year, kind=p.kind)
    return {(d.recipient_id, d.year, d.kind): d for d in Deadline.objects.filter(q)}


def deadlines_set_by(paths: list[str]) -> QuerySet[Deadline]:
    """The deadlines set by the units in the subtrees at `paths` (the officer's)."""
    qs = Deadline.objects.all() if paths == [""] else Deadline.objects.filter(
        path_q(paths, "recipient__path"))
    return qs.select_related("recipient").order_by("-year", "recipient__path", "kind")


def title_choices(proposal: Proposal) -> list[str]:
    """The title codes held in the sending unit's subtree for the proposal's year."""
    return sorted(set(TitleResult.objects.filter(
        year=proposal.year, revoked=False, unit__path__startswith=proposal.unit.path)
        .values_list("title", flat=True)))


def _live_subtree(unit: Unit) -> QuerySet[Unit]:
    units: QuerySet[Unit] = Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True)
    return units


def subtree_unit_options(unit: Unit) -> UnitOptions:
    """The collectives a proposal may name: the sending unit's live subtree, typed by code
    when too many for a select (suggested: the unit and the level below it)."""
    units = _live_subtree(unit)
    return platform_forms.unit_options(units.order_by("path"),
                                       units.filter(depth__lte=unit.depth + 1))


def subtree_unit(unit: Unit, code: str) -> Unit | None:
    """The live unit of that code in `unit`'s subtree, or None."""
    found: Unit | None = _live_subtree(unit).filter(code=code).first() if code else None
    return found


def honours_councils(proposal: Proposal) -> list[Council]:
    """The receiving unit's honours councils of the proposal's year."""
    return list(Council.objects.filter(unit_id=proposal.recipient_id, kind=Kind.HONOURS,
                                       year=proposal.year).order_by("-pk"))


def council_members(council: Council) -> list[Member]:
    return list(council.members.order_by("order", "pk"))


def open_votes(candidates: list[Candidate]) -> dict[tuple[int, int], str]:
    """(subject id, member id) → choice, for the open-ballot grid."""
    subjects = [c.subject_id for c in candidates if c.subject_id]
    return {(v.subject_id, v.member_id): v.choice
            for v in Vote.objects.filter(subject_id__in=subjects)}


def history(proposal: Proposal) -> list[TransitionEvent]:
    return WORKFLOW.history(proposal)


def decision_list(user: Visitor, *, year: int | None, issuer: str) -> QuerySet[Decision]:
    qs = restrict_decisions(user)
    if year:
        qs = qs.filter(year=year)
    if issuer:
        qs = qs.filter(issuer__code=issuer)
    count = (Award.objects.filter(decision=OuterRef("pk")).order_by().values("decision")
             .annotate(n=Count("pk")).values("n"))
    return qs.annotate(n_awards=Subquery(count, output_field=IntegerField())).order_by(
        "-date", "-pk")


def decision_year_counts(user: Visitor) -> dict[int, int]:
    """How many decisions the user sees per year, latest year first: the list's years, its
    count and whether its issuers fit a select, from one read of the scope. A province's scope
    is a union of four sets of ids (its units' decisions, its awards' decisions, those that
    revoked or corrected them): the page read it four times (bench/README.md, session 42)."""
    rows = (restrict_decisions(user).order_by().values_list("year")
            .annotate(n=Count("pk")).values_list("year", "n"))
    return dict(sorted(rows, reverse=True))


def decision_issuers(user: Visitor, seen: int) -> UnitOptions:
    """What the decisions list's «Cơ quan ban hành» offers: every issuer of the user's
    decisions for a narrow scope; for a wide one (a tenth of the nation gave the TLĐ's officer
    11.888 options, a page of 987 KB: every CĐCS issues Giấy khen; bench/README.md, session
    41), a field for the unit's code suggesting the issuers above the scope and at its two
    top levels (the federations and their cấp trên, not their CĐCS). `seen`: how many
    decisions the user sees."""
    paths = scope_paths(user, Role.VIEWER)
    units = Unit.objects.all() if paths == [""] else Unit.objects.filter(path_q(paths))
    limit = platform_forms.UNIT_CHOICES
    decisions = restrict_decisions(user).order_by()
    # few decisions have few issuers; few units in scope too: then every issuer, in a select
    if seen <= limit or units.order_by()[:limit + 1].count() <= limit:
        return UnitOptions(list(decisions.order_by("issuer__path").values_list(
            "issuer__code", "issuer__name").distinct()), complete=True)
    step = Unit.steplen
    above = {p[:i] for p in paths for i in range(step, len(p), step)}
    near = units.filter(depth__lte=top_depth(paths) + 1) | Unit.objects.filter(path__in=above)
    issued = near.filter(Exists(Decision.objects.filter(issuer=OuterRef("pk"))))
    return UnitOptions(list(issued.order_by("depth", "path").values_list("code", "name")
                            [:limit]), complete=False)


def decision_awards(decision: Decision) -> list[Award]:
    return list(decision.awards.select_related("revoked_by", "home_unit", "certificate")
                .prefetch_related("changes__decision").order_by("golden_book_no", "pk"))


def amending_decisions(decision: Decision) -> list[Decision]:
    return list(Decision.objects.filter(target=decision).order_by("date", "pk"))


def days_left(deadline: Deadline | None, today: dt.date) -> int | None:
    return None if deadline is None else (deadline.last_day - today).days


def own_person_id(user: Visitor) -> int | None:
    """The person record linked to the user's account (a member's own), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    found: int | None = Person.objects.filter(user_id=int(user.pk or 0)).values_list(
        "pk", flat=True).first()
    return found


def my_awards(person_id: int) -> list[Award]:
    return list(Award.objects.filter(person_id=person_id)
                .select_related("decision", "issuer", "certificate", "revoked_by")
                .order_by("-year", "-decision__date", "-pk"))


def _with_deadline(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    last = Deadline.objects.filter(recipient_id=OuterRef("recipient_id"), year=OuterRef("year"),
                                   kind=OuterRef("kind")).values("last_day")[:1]
    return qs.annotate(last_day=Subquery(last))


def pending_inbox(user: Visitor) -> QuerySet[Proposal]:
    """«Việc chờ tôi»: proposals waiting for the user's receiving units."""
    return inbox(user)


def pending_drafts(user: Visitor) -> QuerySet[Proposal]:
    """«Việc chờ tôi»: drafts and returned proposals to finish, with the recipient's deadline."""
    return _with_deadline(drafts_of(user))
