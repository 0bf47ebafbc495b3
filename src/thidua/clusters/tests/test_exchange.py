"""Emulation clusters in the exchange format (version 9): LĐLĐ TP Hà Nội's clusters travel with
its subtree — rules, members, sheets with their targets, scores and evidence, the year-end
meeting with its delegates and votes, the suy tôn and the proposal it became — and read the
same in the target; a damaged row is refused with its line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from thidua.clusters import selectors
from thidua.clusters.models import (
    Cluster,
    ClusterRules,
    Criterion,
    Membership,
    Nomination,
    Score,
    UnitTarget,
)
from thidua.clusters.services import setup, sheets, suy_ton
from thidua.clusters.tests.helpers import day, fill, make_clusters
from thidua.clusters.tests.test_suy_ton import DELEGATES, vote
from thidua.councils.models import Member, Vote
from thidua.org.models import Unit
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell, read_dumped
from thidua.platform.errors import ApplicationError
from thidua.testing import make_unit, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _state() -> dict[str, Any]:
    """The clusters as their pages read them, by names and codes (ids change on load)."""
    return {
        "rules": sorted(ClusterRules.objects.values_list(
            "issuer__code", "year", "tie_breaks", "vote_num", "vote_den", "flag_form",
            "flag_count", "merit_form", "merit_count", "source")),
        "clusters": sorted(Cluster.objects.values_list(
            "issuer__code", "year", "kind", "number", "name", "pledge_text", "council__name",
            "council__unit__code", "council__meeting_date", "council__meeting_place")),
        "members": sorted(Membership.objects.values_list(
            "cluster__number", "unit__code", "role", "order", "signed_on", "sheet_status",
            "submitted_at", "checked_at", "check_note", "tie_position"), key=str),
        "criteria": sorted(Criterion.objects.values_list(
            "cluster__number", "code", "parent__code", "order", "name", "kind", "max_points",
            "target", "unit_label", "source"), key=str),
        "targets": sorted(UnitTarget.objects.values_list(
            "criterion__cluster__number", "criterion__code", "unit__code", "value")),
        "scores": sorted(Score.objects.values_list(
            "membership__cluster__number", "membership__unit__code", "criterion__code",
            "value", "known", "points", "checked_points", "note", "original_name", "sha256",
            "size"), key=str),
        "delegates": sorted(Member.objects.filter(council__kind="cluster").values_list(
            "full_name", "position", "role", "order")),
        "nominations": sorted(Nomination.objects.values_list(
            "cluster__number", "membership__unit__code", "form", "rank", "total", "passed",
            "subject__label", "proposal__title"), key=str),
        "votes": sorted(Vote.objects.filter(subject__council__kind="cluster").values_list(
            "subject__cluster_nomination__membership__unit__code", "member__full_name",
            "choice")),
        "ranking": [(s.membership.unit.code, s.rank, s.totals.total)
                    for c in Cluster.objects.order_by("number")
                    for s in selectors.ranking(c)],
    }


def _dump(settings: Any, tmp_path: Path, out: Path, *, lose: bool = False) -> dict[str, Any]:
    """Cụm 1 scored, checked, met, voted and put forward, with a unit's own target and a
    score's evidence; LĐLĐ TP Hà Nội's subtree dumped, then everything rolled back. `lose`:
    the evidence gone from the storage before the dump."""
    settings.MEDIA_ROOT = tmp_path / "source-media"
    point = transaction.savepoint()
    try:
        w = make_world()
        cs = make_clusters(w)
        setup.rules_set(actor=cs.officer_ldld, issuer=w.hn, year=cs.one.year,
                        tie_breaks=["it_diem_tru"], flag_count=1, merit_count=1,
                        source="Quyết định 12/QĐ-LĐLĐ")
        setup.target_set(actor=cs.officer_ldld, criterion=cs.criteria["1"], unit=cs.badinh,
                         value=80)
        head = w.officer_above
        for unit, actor, values in (
                (w.cdvc, head, {"1": 100, "2": 1, "3": 35, "4": 3, "5": 0}),
                (cs.dongda, cs.officer_dongda, {"1": 100, "2": 1, "3": 40, "4": 0, "5": 2}),
                (cs.badinh, cs.officer_badinh, {"1": 50, "2": 1, "3": 30, "4": 0, "5": 0})):
            m = fill(cs, unit, actor, values, submit=False)
            if unit == cs.badinh:
                sheets.evidence_attach(actor=actor, membership=m, criterion=cs.criteria["3"],
                                       upload=SimpleUploadedFile("Báo cáo chăm lo.pdf", PDF))
            sheets.sheet_submit(actor=actor, membership=m)
            sheets.sheet_check(actor=head, membership=m)
        suy_ton.meeting_open(actor=head, cluster=cs.one, meeting_date=day(12, 15),
                             place="Hà Nội", delegates=DELEGATES)
        suy_ton.nominate(actor=w.officer_above, cluster=cs.one)
        vote(cs, {"CDVC-HN": ["dong_y"] * 3, "LDLD-DD": ["dong_y", "khong_dong_y", "vang"]})
        suy_ton.vote_close(actor=w.officer_above, cluster=cs.one)
        suy_ton.put_forward(actor=cs.officer_ldld, cluster=cs.one)
        state = _state()
        if lose:
            (settings.MEDIA_ROOT / Score.objects.exclude(file="").get().file.name).unlink()
        counts = exchange_dump(actor=None, unit=w.hn, out=out)
        assert len(counts.missing) == lose
    finally:
        transaction.savepoint_rollback(point)
    assert not Cluster.objects.exists()
    return state


def test_clusters_travel_with_their_sheets_scores_meeting_votes_and_suy_ton(settings,
                                                                          tmp_path):
    before = _dump(settings, tmp_path, tmp_path / "hn")
    assert before["votes"] and before["scores"] and before["targets"]
    assert any(s[8] for s in before["scores"]), "no evidence"
    assert any(n[-1] for n in before["nominations"]), "no proposal from the suy tôn"
    settings.MEDIA_ROOT = tmp_path / "target-media"
    under = make_unit("TLD", "tld", name="Tổng Liên đoàn Lao động Việt Nam")

    counts = exchange_load(actor=None, source=tmp_path / "hn", under=under)

    assert counts["clusters"] == 2 and counts["cluster_meetings"] == 1
    assert counts["cluster_votes"] == len(before["votes"])
    assert _state() == before
    evidence = Score.objects.exclude(file="").get()
    assert (tmp_path / "target-media" / evidence.file.name).read_bytes() == PDF
    meeting = Cluster.objects.get(number=1).council
    assert meeting is not None and meeting.unit.code == "CDVC-HN"


def test_a_score_on_another_clusters_criterion_is_refused_with_its_line(settings, tmp_path):
    folder = tmp_path / "hn"
    _dump(settings, tmp_path, folder)
    criteria = read_dumped(folder, "cluster_criteria")
    first = read_dumped(folder, "cluster_scores")[0]
    own = next(c["cluster_id"] for c in criteria if c["id"] == first["criterion_id"])
    other = next(c["id"] for c in criteria if c["cluster_id"] != own)
    edit_dumped_cell(folder, "cluster_scores", 2, "criterion_id", other)
    edit_dumped_cell(folder, "cluster_rules", 2, "vote_num", "3")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder)

    assert (f"cluster_scores.csv, dòng 2: tiêu chí {other} không thuộc bảng điểm của cụm"
            in exc.value.message)
    assert "cluster_rules.csv, dòng 2: tỷ lệ biểu quyết" in exc.value.message
    assert not Cluster.objects.exists() and not Unit.objects.exists()


def test_a_score_whose_evidence_is_lost_travels_without_it(settings, tmp_path):
    before = _dump(settings, tmp_path, tmp_path / "hn", lose=True)
    settings.MEDIA_ROOT = tmp_path / "target-media"

    counts = exchange_load(actor=None, source=tmp_path / "hn",
                           under=make_unit("TLD", "tld", name="Tổng Liên đoàn"))

    assert counts["cluster_scores"] == len(before["scores"])  # every score, the lost one too
    lost = Score.objects.get(membership__unit__code="LDLD-BD", criterion__code="3")
    (source,) = [r for r in before["scores"] if r[1:3] == ("LDLD-BD", "3")]
    assert (lost.value, lost.points) == (source[3], source[5]) == (Decimal("30.00"),
                                                                   Decimal("30.00"))
    assert lost.file == "" and lost.original_name == "" and lost.sha256 == ""


def test_a_vote_by_another_clusters_delegate_is_refused_with_its_line(settings, tmp_path):
    folder = tmp_path / "hn"
    _dump(settings, tmp_path, folder)
    first = read_dumped(folder, "cluster_votes")[0]
    nominations = read_dumped(folder, "cluster_nominations")
    clusters = [c["id"] for c in read_dumped(folder, "clusters")]
    line = next(i for i, d in enumerate(read_dumped(folder, "cluster_delegates"), start=2)
                if d["id"] == first["member_id"])
    own = next(n["cluster_id"] for n in nominations if n["id"] == first["nomination_id"])
    other = next(c for c in clusters if c != own)
    edit_dumped_cell(folder, "cluster_delegates", line, "cluster_id", other)

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder)

    assert (f"cluster_votes.csv, dòng 2: đại biểu {first['member_id']} không dự hội nghị của "
            f"cụm {own}." in exc.value.message)
    assert not Cluster.objects.exists() and not Unit.objects.exists()
