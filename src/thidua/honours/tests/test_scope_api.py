"""Every API route of the honours app, walked as the officer of CĐCS A (inside), the same
officer asking for CĐCS C's records (outside: 404, the same body as for a missing record), the
officer of CĐCS C asking for CĐCS A's records (404) and an anonymous caller (401; the public
verification answers anyone). Listed in tests/test_scope_walk.py's APP_SCOPE_TABLES; the web
pages of the app are walked by their own table (`ROUTES` here stays empty)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from thidua.accounts.services import role_grant_create
from thidua.councils.services import BallotIn
from thidua.honours import services
from thidua.honours.models import Award, Proposal
from thidua.honours.tests.conftest import SIGNED, YEAR
from thidua.org.models import Unit
from thidua.testing import SYSTEM, World, make_person, make_user

pytestmark = pytest.mark.django_db


@dataclass
class Side:
    draft: Proposal
    award: Award


@dataclass
class SCtx:
    world: World
    inside: Side
    outside: Side


def _side(w: World, unit: Unit, officer: Any, above: Unit, issuer_officer: Any, tag: str
          ) -> Side:
    """A draft, and a proposal taken through the vote to a decision of the level above."""
    def proposal() -> Proposal:
        p = services.proposal_create(actor=officer, unit=unit, recipient=above, year=YEAR,
                                     kind="nam", form="GK_CAP_TREN")
        person = make_person(unit, f"Người {tag} {Proposal.objects.count()}", actor=w.admin)
        services.candidate_add(actor=officer, proposal=p, person=person,
                               achievement="Hoàn thành xuất sắc nhiệm vụ")
        return p

    draft, p = proposal(), proposal()
    services.proposal_step(actor=officer, proposal=p, action="submit")
    services.proposal_step(actor=issuer_officer, proposal=p, action="receive")
    council = services.honours_council_create(actor=issuer_officer, unit=above, year=YEAR,
                                              name=f"Hội đồng {tag}", ballot="open")
    for role in ("chu_tich", "thu_ky", "uy_vien"):
        services.honours_council_member_add(actor=issuer_officer, council=council, role=role,
                                            full_name=f"Thành viên {role}")
    services.proposal_council_set(actor=issuer_officer, proposal=p, council=council)
    services.proposal_step(actor=issuer_officer, proposal=p, action="review")
    services.proposal_votes_record(
        actor=issuer_officer, proposal=p,
        ballots=[BallotIn(int(c.subject_id or 0), m.pk, "dong_y") for c in p.candidates.all()
                 for m in council.members.all()])
    services.proposal_step(actor=issuer_officer, proposal=p, action="close_vote")
    d = services.decision_issue(actor=issuer_officer, issuer=above, proposals=[p],
                                signed=SIGNED)
    award = d.awards.get()
    return Side(draft, award)


@pytest.fixture
def sctx(world: World) -> SCtx:
    w = world
    hbt_officer = make_user("canbo_hbt")
    role_grant_create(actor=SYSTEM, user=hbt_officer, unit=w.hbt, role="officer")
    return SCtx(w, _side(w, w.cdcs_a, w.officer_cdcs, w.cdvc, w.officer_above, "A"),
                _side(w, w.cdcs_c, w.outsider, w.hbt, hbt_officer, "C"))


Build = Callable[[SCtx, str], dict[str, Any]]


@dataclass
class Route:
    path: Build | None = None  # the path's {placeholders} for "inside", "outside", "missing"
    query: Build | None = None
    data: Build | None = None  # the body of a POST for each side
    ok: tuple[int, ...] = (200,)
    public: bool = False


def _by(key: str, attr: str = "draft") -> Build:
    def build(c: SCtx, which: str) -> dict[str, Any]:
        if which == "missing":
            return {key: 987654}
        return {key: getattr(getattr(c, which), attr).pk}
    return build


_UNITS = {"inside": "CDCS-A", "outside": "CDCS-C", "missing": "KHONG-CO"}


def _unit(key: str) -> Build:
    return lambda c, which: {key: _UNITS[which]}


def _decision_body(c: SCtx, which: str) -> dict[str, Any]:
    ids = [987654] if which == "missing" else [getattr(c, which).draft.pk]
    return {"proposals": ids, "date": "2025-01-10", "signer_name": "A", "signer_title": "B"}


def _new_proposal(c: SCtx, which: str) -> dict[str, Any]:
    return {"unit": _UNITS[which], "recipient": "CDVC-HN", "year": YEAR, "kind": "nam",
            "form": "GK_CAP_TREN"}


ROUTES: dict[str, Route] = {}

API_ROUTES: dict[tuple[str, str], Route] = {
    ("get", "/api/honours/proposals"): Route(query=_unit("unit")),
    ("post", "/api/honours/proposals"): Route(data=_new_proposal, ok=(201,)),
    ("get", "/api/honours/proposals/{proposal_id}"): Route(path=_by("proposal_id")),
    # refused steps and bodies (400), or the receiving level's acts asked by the sender (403)
    ("post", "/api/honours/proposals/{proposal_id}/candidates"): Route(
        path=_by("proposal_id"), data=lambda c, w: {}, ok=(400,)),
    ("post", "/api/honours/proposals/{proposal_id}/steps"): Route(
        path=_by("proposal_id"), data=lambda c, w: {"action": "receive"}, ok=(400,)),
    ("post", "/api/honours/proposals/{proposal_id}/forward"): Route(
        path=_by("proposal_id"), data=lambda c, w: {}, ok=(403,)),
    ("post", "/api/honours/decisions"): Route(data=_decision_body, ok=(403,)),
    ("get", "/api/honours/decisions"): Route(),
    ("get", "/api/honours/decisions/{decision_id}"): Route(
        path=lambda c, w: {"decision_id": 987654 if w == "missing"
                           else getattr(c, w).award.decision_id}),
    ("get", "/api/honours/awards"): Route(query=_unit("under")),
    ("get", "/api/honours/awards/{award_id}"): Route(path=_by("award_id", "award")),
    ("get", "/api/xac-minh/{code}"): Route(
        path=lambda c, w: {"code": "ABCDEFGHJKLMNPQRSTUV" if w == "missing"
                           else getattr(c, w).award.certificate.code}, public=True),
}


def test_every_api_route_of_the_app_is_in_the_table() -> None:
    from thidua.api import api

    paths = {(m.lower(), p) for p, ops in api.get_openapi_schema()["paths"].items()
             for m in ops if p.startswith(("/api/honours", "/api/xac-minh"))}
    assert paths == set(API_ROUTES)


def _url(op: tuple[str, str], route: Route, c: SCtx, which: str) -> str:
    path = op[1]
    for key, value in (route.path(c, which) if route.path else {}).items():
        path = path.replace("{" + key + "}", str(value))
    return path + "?" + urlencode(route.query(c, which)) if route.query else path


def _send(client: Client, op: tuple[str, str], route: Route, c: SCtx, which: str,
          url: str | None = None) -> Any:
    target = url or _url(op, route, c, which)
    if op[0] == "post":
        body = route.data(c, which) if route.data else {}
        return client.post(target, json.dumps(body), content_type="application/json")
    return client.get(target)


@pytest.mark.parametrize("op", sorted(API_ROUTES), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_route_scope(op: tuple[str, str], sctx: SCtx, client: Client) -> None:
    route = API_ROUTES[op]
    anonymous = _send(client, op, route, sctx, "inside")
    if route.public:
        # the verification answers anyone, inside or out, and a missing code like any other
        assert anonymous.status_code == 200, op
        assert _send(client, op, route, sctx, "outside").status_code == 200, op
        assert _send(client, op, route, sctx, "missing").status_code == 404, op
        return
    assert anonymous.status_code == 401, op
    client.force_login(sctx.world.officer_cdcs)
    assert _send(client, op, route, sctx, "inside").status_code in route.ok, op
    if route.path or route.query or route.data:
        outside = _send(client, op, route, sctx, "outside")
        missing = _send(client, op, route, sctx, "missing")
        assert outside.status_code == missing.status_code == 404, op
        assert outside.json() == missing.json(), op
        if route.path:
            other = Client()
            other.force_login(sctx.world.outsider)
            inside_url = _url(op, route, sctx, "inside")
            assert _send(other, op, route, sctx, "inside", inside_url).status_code == 404, op


def test_lists_hold_only_the_callers_side(sctx: SCtx) -> None:
    client = Client()
    client.force_login(sctx.world.officer_cdcs)
    proposals = {row["id"] for row in client.get("/api/honours/proposals").json()["items"]}
    assert sctx.inside.draft.pk in proposals and sctx.outside.draft.pk not in proposals
    assert len(proposals) == 2
    decisions = client.get("/api/honours/decisions").json()["items"]
    assert [d["id"] for d in decisions] == [sctx.inside.award.decision_id]
    awards = client.get("/api/honours/awards").json()["items"]
    assert [a["id"] for a in awards] == [sctx.inside.award.pk]
