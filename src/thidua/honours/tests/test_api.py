"""The JSON API of commendation: scoping (a sibling's officer and an outsider get the same 404
as for a missing record), the proposal's climb through the API with its refusals and the 409 of
a stale step, decisions, the register, and the public verification that tells nothing more
than the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from thidua.accounts.services import role_grant_create
from thidua.honours import services
from thidua.honours.models import Award, Decision, Proposal
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.platform.workflow import CONFLICT
from thidua.testing import SYSTEM, World, make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"


def as_user(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def sibling(world: World) -> Any:
    """An officer of CĐCS B, A's sibling under the same CĐVC Hà Nội."""
    user = make_user("canbo_cdcs_b")
    role_grant_create(actor=SYSTEM, user=user, unit=world.cdcs_b, role="officer")
    return user


def decided(w: World, people: int = 2) -> Decision:
    p = to_vote(w, draft(w, people=people))
    return services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                   signed=SIGNED)


def test_anonymous_gets_401_but_the_verification_is_public(client: Client, world: World
                                                           ) -> None:
    assert client.get("/api/honours/proposals").status_code == 401
    assert client.get("/api/honours/awards").status_code == 401
    code = decided(world).awards.first().certificate.code  # type: ignore[union-attr]
    r = client.get(f"/api/xac-minh/{code}")
    assert r.status_code == 200 and r.json()["status"] == "valid"


def test_create_add_submit_and_read_back(world: World) -> None:
    w = world
    api = as_user(w.officer_cdcs)
    r = api.post("/api/honours/proposals", {"unit": "CDCS-A", "recipient": "CDVC-HN",
                                            "year": YEAR, "kind": "nam",
                                            "form": "GK_CAP_TREN"}, content_type=JSON)
    assert r.status_code == 201, r.content
    p = r.json()
    assert p["status"] == "du_thao" and p["recipient"] == "CDVC-HN" and p["candidates"] == 0
    assert [s["action"] for s in p["steps"]] == ["submit"]
    r = api.post(f"/api/honours/proposals/{p['id']}/candidates",
                 {"person_id": w.member.pk, "achievement": "Hoàn thành xuất sắc nhiệm vụ"},
                 content_type=JSON)
    assert r.status_code == 201, r.content
    cand = r.json()["candidate_list"][0]
    assert cand["name"] == "Trần Thị Ánh" and cand["kind"] == "person"
    assert isinstance(cand["checks"], list) and cand["passed"] is None
    again = api.post(f"/api/honours/proposals/{p['id']}/candidates",
                     {"person_id": w.member.pk}, content_type=JSON)
    assert again.status_code == 400 and "đã có trong hồ sơ" in again.json()["detail"]
    r = api.post(f"/api/honours/proposals/{p['id']}/steps",
                 {"action": "submit", "seen_status": "du_thao"}, content_type=JSON)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "da_gui" and data["steps"] == []
    assert [(h["action"], h["from_state"], h["to_state"]) for h in data["history"]] == [
        ("submit", "du_thao", "da_gui")]
    listing = api.get("/api/honours/proposals", {"year": YEAR}).json()
    assert listing["count"] == 1 and listing["items"][0]["candidates"] == 1
    assert api.get("/api/honours/proposals", {"status": "du_thao"}).json()["count"] == 0
    above = as_user(w.officer_above)
    inbox = above.get("/api/honours/proposals", {"inbox": "true"}).json()
    assert [i["id"] for i in inbox["items"]] == [p["id"]]
    assert api.get("/api/honours/proposals", {"inbox": "true"}).json()["count"] == 0
    steps = {s["action"] for s in above.get(f"/api/honours/proposals/{p['id']}").json()["steps"]}
    assert steps == {"receive", "return"}


def test_create_refusals(world: World) -> None:
    api = as_user(world.officer_cdcs)
    base = {"unit": "CDCS-A", "recipient": "CDVC-HN", "year": YEAR, "kind": "nam",
            "form": "GK_CAP_TREN"}
    wrong_recipient = api.post("/api/honours/proposals", {**base, "recipient": "LDLD-HBT"},
                               content_type=JSON)
    assert wrong_recipient.status_code == 400
    assert wrong_recipient.json()["field"] == "recipient"
    topical = api.post("/api/honours/proposals", {**base, "kind": "chuyen_de"},
                       content_type=JSON)
    assert topical.status_code == 400 and topical.json()["field"] == "topic"
    assert api.post("/api/honours/proposals", {**base, "kind": "khac"},
                    content_type=JSON).status_code == 422
    other_unit = api.post("/api/honours/proposals", {**base, "unit": "CDCS-B"},
                          content_type=JSON)
    assert other_unit.status_code == 404
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("who", ["sibling", "outsider"])
def test_other_officers_get_the_same_404_as_for_a_missing_proposal(world: World, sibling: Any,
                                                                   who: str) -> None:
    w = world
    p = draft(w, people=1)
    api = as_user(sibling if who == "sibling" else w.outsider)
    missing = api.get("/api/honours/proposals/987654")
    assert missing.status_code == 404
    urls = [("get", f"/api/honours/proposals/{p.pk}", {}),
            ("post", f"/api/honours/proposals/{p.pk}/steps", {"action": "submit"}),
            ("post", f"/api/honours/proposals/{p.pk}/candidates",
             {"person_id": w.member.pk}),
            ("post", f"/api/honours/proposals/{p.pk}/forward", {}),
            ("post", "/api/honours/decisions",
             {"proposals": [p.pk], "date": "2025-01-10", "signer_name": "A",
              "signer_title": "Chủ tịch"})]
    for method, url, body in urls:
        r = getattr(api, method)(url, body, content_type=JSON) if method == "post" \
            else api.get(url)
        assert r.status_code == 404 and r.json() == missing.json(), url
    assert api.get("/api/honours/proposals").json()["count"] == 0
    p.refresh_from_db()
    assert p.status == "du_thao" and p.candidates.count() == 1


def test_a_stale_step_answers_409_and_a_refused_one_400(world: World) -> None:
    w = world
    p = draft(w, people=1)
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    above = as_user(w.officer_above)
    url = f"/api/honours/proposals/{p.pk}/steps"
    no_reason = above.post(url, {"action": "return", "seen_status": "da_gui"},
                           content_type=JSON)
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    ok = above.post(url, {"action": "receive", "seen_status": "da_gui"}, content_type=JSON)
    assert ok.status_code == 200 and ok.json()["status"] == "da_nhan"
    stale = above.post(url, {"action": "return", "reason": "Thiếu báo cáo thành tích",
                             "seen_status": "da_gui"}, content_type=JSON)
    assert stale.status_code == 409
    assert stale.json() == {"detail": CONFLICT, "field": "status"}
    p.refresh_from_db()
    assert p.status == "da_nhan"
    wrong = above.post(url, {"action": "submit"}, content_type=JSON)
    assert wrong.status_code in (400, 403)
    form_step = above.post(url, {"action": "decide"}, content_type=JSON)
    assert form_step.status_code == 422  # not a simple step: it has its own route


def test_decide_through_the_api_then_lists_details_and_register(world: World, sibling: Any
                                                                ) -> None:
    w = world
    p = to_vote(w, draft(w, people=2), against={1})
    body = {"proposals": [p.pk], "date": "2025-01-10", "signer_name": "Nguyễn Văn Chủ",
            "signer_title": "Chủ tịch", "place": "Hà Nội"}
    sender = as_user(w.officer_cdcs)
    refused = sender.post("/api/honours/decisions", body, content_type=JSON)
    assert refused.status_code == 403 and "đơn vị nhận" in refused.json()["detail"]
    above = as_user(w.officer_above)
    stale = above.post("/api/honours/decisions", {**body, "seen_status": "dang_xet"},
                       content_type=JSON)
    assert stale.status_code == 409 and Decision.objects.count() == 0
    r = above.post("/api/honours/decisions", body, content_type=JSON)
    assert r.status_code == 201, r.content
    d = r.json()
    assert d["number"] == "1/QĐ-CĐ" and d["issuer"] == "CDVC-HN" and d["recipients"] == 1
    rec = d["recipient_list"]
    assert [x["name"] for x in rec] == ["Trần Thị Ánh"] and rec[0]["golden_book_no"] == 1
    assert above.post("/api/honours/decisions", body, content_type=JSON).status_code == 400

    assert sender.get("/api/honours/decisions", {"year": YEAR}).json()["count"] == 1
    assert sender.get("/api/honours/decisions", {"year": YEAR - 1}).json()["count"] == 0
    assert sender.get("/api/honours/decisions", {"issuer": "LDLD-HN"}).json()["count"] == 0
    assert as_user(sibling).get("/api/honours/decisions").json()["count"] == 0
    assert as_user(sibling).get(f"/api/honours/decisions/{d['id']}").status_code == 404
    detail = sender.get(f"/api/honours/decisions/{d['id']}").json()
    assert detail["signer_name"] == "Nguyễn Văn Chủ" and len(detail["recipient_list"]) == 1

    reg = sender.get("/api/honours/awards", {"year": str(YEAR), "recipient_kind": "person"}).json()
    assert reg["count"] == 1
    row = reg["items"][0]
    assert (row["issuer"], row["form"], row["recipient_kind"], row["decision"]) == (
        "CDVC-HN", "GK_CAP_TREN", "person", "1/QĐ-CĐ")
    assert row["recipient_code"] is None and row["revoked"] is False
    assert sender.get("/api/honours/awards", {"recipient_kind": "unit"}).json()["count"] == 0
    assert sender.get("/api/honours/awards", {"revoked": "true"}).json()["count"] == 0
    assert sender.get("/api/honours/awards", {"under": "TO-A1"}).json()["count"] == 1
    assert sender.get("/api/honours/awards", {"under": "CDCS-B"}).status_code == 404
    assert as_user(w.officer_above).get("/api/honours/awards",
                                        {"under": "CDCS-B"}).json()["count"] == 0
    assert sender.get("/api/honours/awards", {"recipient_kind": "x"}).status_code == 422
    assert as_user(sibling).get("/api/honours/awards").json()["count"] == 0
    assert as_user(sibling).get(f"/api/honours/awards/{row['id']}").status_code == 404
    award = as_user(w.member_user).get(f"/api/honours/awards/{row['id']}").json()
    assert award["recipient"] == "Trần Thị Ánh" and award["cash_amount"] == row["cash_amount"]


def test_forward_opens_the_receiving_levels_own_proposal(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, form="BK_LDLD", people=1))
    above = as_user(w.officer_above)
    r = above.post(f"/api/honours/proposals/{p.pk}/forward", {"recipient": "LDLD-HBT"},
                   content_type=JSON)
    assert r.status_code == 400 and r.json()["field"] == "recipient"
    r = above.post(f"/api/honours/proposals/{p.pk}/forward",
                   {"recipient": "LDLD-HN", "seen_status": "da_bieu_quyet"}, content_type=JSON)
    assert r.status_code == 201, r.content
    upper = r.json()
    assert (upper["unit"], upper["recipient"], upper["status"]) == ("CDVC-HN", "LDLD-HN",
                                                                     "du_thao")
    assert upper["forwarded_from"] == p.pk and upper["candidates"] == 1
    again = above.post(f"/api/honours/proposals/{p.pk}/forward",
                       {"seen_status": "da_bieu_quyet"}, content_type=JSON)
    assert again.status_code == 409


def test_a_member_sees_only_their_own_line(world: World) -> None:
    w = world
    p = draft(w, people=3)
    r = as_user(w.member_user).get(f"/api/honours/proposals/{p.pk}")
    assert r.status_code == 200
    data = r.json()
    assert [c["name"] for c in data["candidate_list"]] == ["Trần Thị Ánh"]
    assert data["candidates"] == 1 and data["steps"] == []
    staff = as_user(w.officer_cdcs).get(f"/api/honours/proposals/{p.pk}").json()
    assert len(staff["candidate_list"]) == 3


VERIFY_KEYS = {"status", "status_label", "form_name", "issuer_name", "recipient_name",
               "decision_number", "decision_date", "golden_book_no", "revoked_by_number",
               "revoked_on"}


def test_verification_tells_the_facts_and_nothing_else(client: Client, world: World) -> None:
    w = world
    d = decided(w, people=1)
    award = d.awards.get()
    code = award.certificate.code
    r = client.get(f"/api/xac-minh/{code.lower()}")
    assert r.status_code == 200
    data = r.json()
    assert set(data) == VERIFY_KEYS
    assert data["recipient_name"] == "Trần Thị Ánh" and data["decision_number"] == d.number
    assert data["issuer_name"] == w.cdvc.name and data["golden_book_no"] == 1
    assert data["decision_date"] == "2025-01-10" and data["revoked_by_number"] is None
    text = r.content.decode()
    for secret in ("1990", w.member.cccd or "1990", w.cdcs_a.code, w.to_a1.path, "birth", "cccd", "person_id"):
        assert secret not in text
    revoking = services.decision_revoke(actor=w.officer_above, awards=[award], signed=SIGNED,
                                        reason="Khai man thành tích")
    data = client.get(f"/api/xac-minh/{code}").json()
    assert data["status"] == "revoked" and data["revoked_by_number"] == revoking.number
    detail = as_user(w.officer_above).get(f"/api/honours/decisions/{revoking.pk}").json()
    assert detail["kind"] == "thu_hoi" and detail["target"] == d.number
    assert detail["recipients"] == 1
    assert [r["revoked_by"] for r in detail["recipient_list"]] == [revoking.number]
    assert "Khai man" not in str(data)


def test_unknown_and_malformed_codes_answer_alike(client: Client, world: World) -> None:
    decided(world, people=1)
    answers = [client.get(f"/api/xac-minh/{code}")
               for code in ("ABCDEFGHJKLMNPQRSTUV", "abc", "x" * 200, "%3Cscript%3E")]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1
    assert client.post("/api/xac-minh/ABCDEFGHJKLMNPQRSTUV").status_code == 405


def test_list_queries_do_not_grow_with_the_rows(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = world
    above = as_user(w.officer_above)
    urls = ["/api/honours/proposals", "/api/honours/decisions", "/api/honours/awards"]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert above.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    decided(w, people=1)
    few = counts()
    more = to_vote(w, draft(w, people=4, kind="dot_xuat", topic="Phòng chống bão lũ"))
    services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[more],
                            signed=SIGNED)
    draft(w, people=2)
    assert Award.objects.count() == 5
    assert counts() == few


def test_the_public_verification_shares_the_pages_rate_limit(client, settings) -> None:
    settings.THIDUA_VERIFY_LIMIT = 2
    answers = [client.get("/api/xac-minh/AAAABBBBCCCCDDDDEEEE").status_code for _ in range(3)]
    assert answers == [404, 404, 429]
    assert client.get("/xac-minh/AAAABBBBCCCCDDDDEEEE/").status_code == 429
