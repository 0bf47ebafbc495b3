"""/api/clusters as the personas see it: a member unit lists its clusters, reads its cluster
(members, head and deputy, ranking) and fills its own sheet through the sheet services; a unit
of another cluster gets the 404 of a missing one; a member sees the others' totals, not their
sheets; the head unit reads the sheets it checks and fills none."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from thidua.clusters.models import SheetStatus
from thidua.clusters.tests.helpers import YEAR, Clusters, fill, make_clusters
from thidua.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def cs(world: World) -> Clusters:
    return make_clusters(world)


def _client(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_member_lists_and_reads_its_cluster_only(cs: Clusters):
    fill(cs, cs.badinh, cs.officer_badinh, {"1": 50, "2": 1, "3": 30, "4": 0, "5": 0})
    dd = _client(cs.officer_dongda)
    rows = dd.get("/api/clusters", {"year": YEAR}).json()
    assert [(r["number"], r["head"]["code"], r["deputy"]["code"], r["members"])
            for r in rows] == [(1, "CDVC-HN", "LDLD-DD", 3)]
    assert dd.get("/api/clusters", {"year": YEAR - 1}).json() == []
    body = dd.get(f"/api/clusters/{cs.one.pk}").json()
    assert [(m["unit"]["code"], m["role"], m["sheet_visible"]) for m in body["member_list"]] == [
        ("CDVC-HN", "truong", False), ("LDLD-DD", "pho", True), ("LDLD-BD", "thanh_vien", False)]
    ranking = {r["unit"]["code"]: (r["rank"], Decimal(r["total"])) for r in body["ranking"]}
    assert ranking["LDLD-BD"] == (1, Decimal("70"))  # 40 × 50/100 + 20 + 30
    assert [c["code"] for c in body["criteria"]] == ["I", "1", "2", "3", "4", "5"]
    # another cluster: the same 404 as a cluster that does not exist
    other = dd.get(f"/api/clusters/{cs.two.pk}")
    assert other.status_code == 404
    assert dd.get("/api/clusters/987654").json() == other.json()
    # a member sees the others' totals above, not their sheets
    assert dd.get(f"/api/clusters/sheets/{cs.member(cs.one, cs.badinh).pk}").status_code == 404


def test_a_member_fills_its_sheet_and_sends_it(cs: Clusters):
    dd = _client(cs.officer_dongda)
    m = cs.member(cs.one, cs.dongda)
    url = f"/api/clusters/sheets/{m.pk}"
    crit = cs.criteria
    sheet = dd.get(url).json()
    assert sheet["editable"] is True and sheet["status"] == "nhap"
    assert [line["code"] for line in sheet["lines"]] == ["I", "1", "2", "3", "4", "5"]
    r = _post(dd, url + "/values", {"entries": [
        {"criterion_id": crit["1"].pk, "value": "90", "note": "Báo cáo của 45/50 CĐCS"},
        {"criterion_id": crit["3"].pk, "value": 35.5}]})
    assert r.status_code == 200, r.content
    lines = {line["code"]: line for line in r.json()["lines"]}
    assert Decimal(lines["1"]["points"]) == 36  # 40 × 90/100
    assert lines["1"]["note"] == "Báo cáo của 45/50 CĐCS"
    # a figure out of bounds refuses the whole save, with the service's Vietnamese message
    r = _post(dd, url + "/values", {"entries": [
        {"criterion_id": crit["4"].pk, "value": 9}, {"criterion_id": crit["3"].pk, "value": 1}]})
    assert r.status_code == 400 and "điểm phải từ 0 đến 5" in r.json()["detail"]
    assert m.scores.get(criterion=crit["3"]).value == Decimal("35.5")
    r = _post(dd, url + "/values", {"entries": [], "submit": True})
    assert r.status_code == 400 and "chưa chấm" in r.json()["detail"]
    r = _post(dd, url + "/values", {"submit": True, "entries": [
        {"criterion_id": crit["2"].pk, "value": 1}, {"criterion_id": crit["4"].pk, "value": 2},
        {"criterion_id": crit["5"].pk, "value": 0}]})
    assert r.status_code == 200 and r.json()["status"] == "da_gui"
    assert r.json()["editable"] is False
    m.refresh_from_db()
    assert m.sheet_status == SheetStatus.SUBMITTED


def test_other_clusters_and_roles(cs: Clusters):
    m = cs.member(cs.one, cs.dongda)
    url = f"/api/clusters/sheets/{m.pk}"
    body = {"entries": [{"criterion_id": cs.criteria["3"].pk, "value": 10}]}
    hbt = _client(cs.officer_hbt)  # heads another cluster
    assert hbt.get(url).status_code == 404
    assert _post(hbt, url + "/values", body).status_code == 404
    assert hbt.get(f"/api/clusters/{cs.one.pk}").status_code == 404
    assert [r["number"] for r in hbt.get("/api/clusters").json()] == [2]
    # the issuer reads every sheet and the list of its clusters
    issuer = _client(cs.officer_ldld)
    assert issuer.get(url).status_code == 200
    assert [r["number"] for r in issuer.get("/api/clusters", {"unit": "LDLD-HN"}).json()] == [
        1, 2]
    # the head unit reads a member's sheet it checks, and does not fill it: 403 with the reason
    head = _client(cs.world.officer_above)
    assert head.get(url).json()["unit"]["code"] == "LDLD-DD"
    refused = _post(head, url + "/values", body)
    assert refused.status_code == 403 and "chính đơn vị" in refused.json()["detail"]
    assert Client().get(url).status_code == 401
