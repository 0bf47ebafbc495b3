"""The demo's awards: the 2017 figures of the Hà Nội article (1 Bằng khen of TLĐ, 9 of CĐVC Việt
Nam, 13 Bằng khen and Cờ thi đua xuất sắc of LĐLĐ thành phố, 138 Giấy khen of CĐVC thành phố)
read from the awards register, each award traced back through its decision to a proposal that
went through the workflow; the 16 Hai Bà Trưng initiatives in award proposals."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from thidua.demo.honours import demo_honours
from thidua.evaluation.models import TitleResult
from thidua.honours.models import Award, Candidate, Deadline, Decision, Proposal
from thidua.honours.selectors import RegisterFilter, awards_register
from thidua.honours.services import WORKFLOW
from thidua.honours.services.decisions import is_gapless
from thidua.initiatives.models import Initiative, InitiativeUse, UseKind
from thidua.initiatives.selectors import initiative_counts
from thidua.org.models import Unit

ARTICLE = {("TLD", "BK_TLD_TOAN_DIEN"): 1, ("CDVC-VN", "BK_LDLD"): 9,
           ("LDLD-HN", "BK_LDLD"): 11, ("LDLD-HN", "CO_TD_XS_LDLD"): 2,
           ("CDVC-HN", "GK_CAP_TREN"): 138}


@pytest.fixture
def built(demo, db):
    return {"admin": demo.admin()}


def register(user, **kw):
    return awards_register(user, RegisterFilter(year=2017, **kw))


def test_the_article_counts_come_from_the_awards_register(built):
    admin = built["admin"]
    found = Counter((a.issuer.code, a.form) for a in register(admin).select_related("issuer"))
    assert dict(found) == ARTICLE
    # «13 tập thể, cá nhân được LĐLĐ TP Hà Nội tặng Bằng khen và Cờ thi đua xuất sắc»
    assert register(admin, issuer="LDLD-HN").count() == 13
    assert register(admin, issuer="CDVC-VN").count() == 9
    assert register(admin, issuer="TLD").count() == 1
    assert register(admin, issuer="CDVC-HN", form="GK_CAP_TREN").count() == 138
    # «tập thể, cá nhân»: both kinds where the article says so; the Cờ and TLĐ's to collectives
    for issuer in ("CDVC-HN", "CDVC-VN", "LDLD-HN"):
        assert register(admin, issuer=issuer, recipient_kind="person").exists(), issuer
        assert register(admin, issuer=issuer, recipient_kind="unit").exists(), issuer
    assert register(admin, form="CO_TD_XS_LDLD", recipient_kind="person").count() == 0
    assert register(admin, issuer="TLD", recipient_kind="unit").count() == 1
    # everything lies under CĐVC thành phố, none revoked
    assert register(admin, under="CDVC-HN", revoked=False).count() == 161


def test_an_officer_sees_their_part_of_the_register(built):
    officer = get_user_model().objects.get(username="canbo.cdvc")
    mine = register(officer)
    assert mine.filter(issuer__code="CDVC-HN").count() == 138
    outsider = get_user_model().objects.get(username="canbo.cdcs")  # CĐ cơ quan UBND quận HBT
    assert not register(outsider).exists()


def test_every_award_has_a_decision_with_a_gapless_number(built):
    awards = list(Award.objects.filter(year=2017).select_related("decision", "issuer"))
    assert len(awards) == 161
    decisions = {a.decision for a in awards}
    assert len(decisions) == 5  # CĐVC HN 1, LĐLĐ HN 2 (Bằng khen, Cờ), CĐVC VN 1, TLĐ 1
    for d in decisions:
        assert d.seq is not None and d.seq_year == d.date.year == 2018
        assert re.fullmatch(rf"{d.seq}/QĐ-\S+", d.number), d.number
        assert dt.date(2018, 1, 1) <= d.date <= dt.date(2018, 2, 28)
        assert d.signer_name and d.signer_title and d.place == "Hà Nội"
    for issuer in {d.issuer for d in decisions}:
        assert is_gapless(issuer, 2018), issuer.code
        book = sorted(a.golden_book_no for a in awards if a.issuer_id == issuer.pk)
        assert book == list(range(1, len(book) + 1)), issuer.code
    # the two LĐLĐ decisions are numbered one after the other and signed by the same person
    ldld = Decision.objects.filter(issuer__code="LDLD-HN").order_by("seq")
    assert [d.seq for d in ldld] == [1, 2]
    assert len({d.signer_name for d in ldld}) == 1


def _steps(proposal: Proposal) -> list[str]:
    return [e.action for e in WORKFLOW.history(proposal)]


def test_every_award_traces_to_a_proposal_that_went_through_the_workflow(built):
    awards = list(Award.objects.filter(year=2017).select_related(
        "candidate__proposal__forwarded_from", "candidate__origin"))
    proposals = {a.candidate.proposal for a in awards}
    for p in proposals:
        assert p.status == "da_quyet_dinh"
        assert _steps(p) == ["submit", "receive", "review", "close_vote", "decide"], p.pk
        assert p.submitted_on is not None and p.submitted_on <= dt.date(2018, 1, 31)
    for a in awards:
        assert a.candidate.passed is True
        assert a.candidate.votes["for"] >= 1
    # the Bằng khen of TLĐ climbed: CĐVC HN → LĐLĐ HN (voted, forwarded) → TLĐ
    tld = Award.objects.select_related("candidate__proposal", "candidate__origin__proposal").get(
        issuer__code="TLD", year=2017)
    upper = tld.candidate.proposal
    assert (upper.unit.code, upper.recipient.code) == ("LDLD-HN", "TLD")
    below = upper.forwarded_from
    assert below is not None and tld.candidate.origin.proposal == below
    assert (below.unit.code, below.recipient.code) == ("CDVC-HN", "LDLD-HN")
    assert _steps(below) == ["submit", "receive", "review", "close_vote", "forward"]
    assert below.status == "da_chuyen"
    # the Giấy khen: one proposal per CĐCS, CĐVC's council turned down two tổ công đoàn
    gk = Proposal.objects.filter(recipient__code="CDVC-HN", year=2017)
    assert gk.count() > 50 and {p.unit.type for p in gk} == {"cdcs"}
    refused = Candidate.objects.filter(proposal__in=gk, passed=False)
    assert refused.count() == 2 and {c.subject_unit.type for c in refused} == {"to_cd"}


def test_the_steps_are_taken_by_each_levels_officer_on_the_demo_dates(built):
    tld = Award.objects.select_related("decision__created_by").get(issuer__code="TLD",
                                                                   year=2017)
    assert tld.decision.created_by.username == "canbo.tld"
    vn = Award.objects.filter(issuer__code="CDVC-VN").select_related(
        "candidate__proposal").first()
    history = WORKFLOW.history(vn.candidate.proposal)
    by_action = {e.action: e for e in history}
    assert by_action["submit"].actor.username == "canbo.cdvc"
    assert by_action["receive"].actor.username == "canbo.cdvcvn"
    assert by_action["submit"].at.date() == dt.date(2017, 12, 20)
    assert by_action["decide"].at.date() == vn.decision.date == dt.date(2018, 1, 19)
    for e in history:
        assert dt.date(2017, 12, 1) <= e.at.date() <= dt.date(2018, 2, 28)


def test_deadlines_are_the_receiving_levels_and_were_kept(built):
    for code in ("CDVC-HN", "LDLD-HN", "CDVC-VN", "TLD"):
        deadline = Deadline.objects.get(recipient__code=code, year=2017, kind="nam")
        late = Proposal.objects.filter(recipient__code=code, year=2017,
                                       submitted_on__gt=deadline.last_day)
        assert not late.exists(), code


def test_one_achievement_one_award(built):
    """The people and units awarded higher up are not on the Giấy khen list; the 138's people
    are the CSTĐ cơ sở of 2017."""
    gk = Award.objects.filter(issuer__code="CDVC-HN", year=2017)
    upper = Award.objects.filter(year=2017).exclude(issuer__code="CDVC-HN")
    assert not set(gk.values_list("person_id", flat=True)) & set(
        upper.filter(person__isnull=False).values_list("person_id", flat=True))
    assert not set(gk.values_list("subject_unit_id", flat=True)) & set(
        upper.filter(subject_unit__isnull=False).values_list("subject_unit_id", flat=True))
    people = set(gk.filter(person__isnull=False).values_list("person_id", flat=True))
    cstd = set(TitleResult.objects.filter(year=2017, title="CSTDCS", revoked=False)
               .values_list("person_id", flat=True))
    assert people and people <= cstd
    for a in upper.filter(person__isnull=False):
        assert a.person_id in cstd


def test_the_16_hbt_initiatives_are_each_on_exactly_one_candidate(built):
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    put_forward = Initiative.objects.filter(
        unit__path__startswith=hbt.path, uses__kind=UseKind.COMMENDATION,
        year__in=[2022, 2023])
    assert put_forward.count() == 16
    assert initiative_counts(unit=hbt, years=[2022, 2023]).used_for_commendation == 16
    on = Counter(Candidate.objects.filter(initiative__isnull=False, origin__isnull=True)
                 .values_list("initiative_id", flat=True))
    assert set(on) == set(put_forward.values_list("pk", flat=True))
    assert set(on.values()) == {1}
    for c in Candidate.objects.filter(initiative__in=put_forward).select_related(
            "proposal", "initiative"):
        p = c.proposal
        assert (p.unit.code, p.recipient.code, p.year) == ("CD-UBND-HBT", "LDLD-HBT",
                                                           c.initiative.year)
        assert {"submit", "receive"} <= set(_steps(p))
        assert p.status == "da_quyet_dinh"
        use = InitiativeUse.objects.get(initiative=c.initiative, kind=UseKind.COMMENDATION)
        assert p.title in use.reference
        if c.person_id is not None:
            assert c.initiative.authors.filter(person_id=c.person_id).exists()


def test_a_second_run_changes_nothing(built):
    before = (Proposal.objects.count(), Award.objects.count(), Decision.objects.count())
    demo_honours(actor=built["admin"])
    assert (Proposal.objects.count(), Award.objects.count(), Decision.objects.count()) == before
