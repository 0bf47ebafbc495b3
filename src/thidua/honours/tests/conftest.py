"""Helpers of the honours tests: a proposal from CĐCS A to CĐVC Hà Nội (the level above, which
issues Giấy khen), its council, votes and decision, all through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from thidua.councils.models import Council
from thidua.councils.services import BallotIn
from thidua.honours import services
from thidua.honours.models import Proposal
from thidua.testing import World, make_person

YEAR = 2024
SIGNED = services.Signed(dt.date(2025, 1, 10), "Nguyễn Văn Chủ", "Chủ tịch", "Hà Nội")


def draft(w: World, *, form: str = "GK_CAP_TREN", people: int = 2, kind: str = "nam",
          topic: str = "") -> Proposal:
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind=kind, form=form, topic=topic)
    for i in range(people):
        person = w.member if i == 0 else make_person(
            w.cdcs_a, f"Lê Văn Số {i}", birth=dt.date(1985, 1, i + 1), actor=w.admin)
        services.candidate_add(actor=w.officer_cdcs, proposal=p, person=person,
                               achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024")
    return p


def council_of(w: World, size: int = 3, ballot: str = "open") -> Any:
    """A new council each call (a meeting): the councils app keeps names unique per year."""
    n = Council.objects.filter(unit=w.cdvc, year=YEAR).count() + 1
    c = services.honours_council_create(actor=w.officer_above, unit=w.cdvc, year=YEAR,
                                        name=f"Hội đồng TĐKT phiên {n}", ballot=ballot)
    roles = ["chu_tich", "thu_ky"] + ["uy_vien"] * (size - 2)
    for i, role in enumerate(roles):
        services.honours_council_member_add(actor=w.officer_above, council=c, role=role,
                                            full_name=f"Thành viên {i + 1}")
    return c


def to_vote(w: World, p: Proposal, *, against: set[int] | None = None, size: int = 3) -> Proposal:
    """Submit, receive, review, every member votes (candidate index in `against`: all against),
    close the vote."""
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    services.proposal_step(actor=w.officer_above, proposal=p, action="receive")
    council = council_of(w, size)
    services.proposal_council_set(actor=w.officer_above, proposal=p, council=council)
    services.proposal_step(actor=w.officer_above, proposal=p, action="review")
    members = list(council.members.all())
    ballots = []
    for i, c in enumerate(p.candidates.order_by("order")):
        choice = "khong_dong_y" if against and i in against else "dong_y"
        ballots += [BallotIn(c.subject_id, m.pk, choice) for m in members]
    services.proposal_votes_record(actor=w.officer_above, proposal=p, ballots=ballots)
    services.proposal_step(actor=w.officer_above, proposal=p, action="close_vote")
    p.refresh_from_db()
    return p


@pytest.fixture(autouse=True)
def _fresh_verification_count() -> Iterator[None]:
    """The public verification's rate limit counts per client address across requests; the test
    client is always 127.0.0.1, so each test starts with a fresh count."""
    cache.delete("honours:verify:127.0.0.1")
    yield
    cache.delete("honours:verify:127.0.0.1")
