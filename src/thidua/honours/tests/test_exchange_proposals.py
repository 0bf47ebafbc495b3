"""Commendation proposals in the exchange format (version 9): the proposals a subtree's units
sent travel with their candidates, council, votes, dossier, history and the decision's awards
tied back to them; one sent above the subtree names its recipient by code, which the target
must hold (or, loaded `without_above`, it is left out with what hangs on it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from thidua.councils.models import Council, Member, Vote
from thidua.honours import services
from thidua.honours.models import Award, Candidate, Deadline, DossierItem, Proposal
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.org.models import Unit
from thidua.people.exchange_format import LeftOut
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.platform.models import TransitionEvent
from thidua.testing import make_person, make_unit, make_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _state() -> dict[str, Any]:
    """The proposals as their pages, dossiers and decisions read them, by names (ids change
    on load)."""
    history = {p.pk: p.title for p in Proposal.objects.all()}
    return {
        "proposals": sorted(Proposal.objects.values_list(
            "unit__code", "recipient__code", "year", "kind", "form", "topic", "title", "status",
            "forwarded_from__title", "council__name", "council__unit__code", "signer_name",
            "signer_title", "submitted_on", "outcome_note", "created_at"), key=str),
        "candidates": sorted(Candidate.objects.values_list(
            "proposal__title", "person__full_name", "subject_unit__code", "display_name",
            "position", "achievement", "basis_title", "checks", "origin__proposal__title",
            "subject__label", "subject__council__name", "passed", "votes", "order",
            "award__decision__number"), key=str),
        "councils": sorted(Council.objects.values_list(
            "unit__code", "kind", "year", "name", "ballot", "threshold_num"), key=str),
        "members": sorted(Member.objects.values_list(
            "council__name", "full_name", "position", "role", "order", "present"), key=str),
        "votes": sorted(Vote.objects.values_list(
            "subject__honour_candidate__display_name", "subject__honour_candidate__proposal__title",
            "member__full_name", "choice", "in_writing", "opinion"), key=str),
        "dossier": sorted(DossierItem.objects.values_list(
            "proposal__title", "candidate__display_name", "kind", "original_name", "file_kind",
            "size", "sha256"), key=str),
        "deadlines": sorted(Deadline.objects.values_list(
            "recipient__code", "year", "kind", "last_day", "note"), key=str),
        "history": sorted(((history[int(e.object_id)], e.action, e.from_state, e.to_state,
                            e.reason, e.at) for e in TransitionEvent.objects.filter(
                                workflow="proposal")), key=str),
    }


def _dump(settings: Any, tmp_path: Path, out: Path) -> dict[str, Any]:
    """CDCS-A's two proposals to CĐVC Hà Nội, both voted: one decided there (Giấy khen: two
    people and a tổ proposed, one person voted down, two awards), one (a Bằng khen of the province) forwarded by CĐVC to LĐLĐ Hà Nội, above the dump,
    with a signed tờ trình in the first's dossier; CĐVC's deadline; CDVC-HN's subtree dumped,
    then the database rolled back."""
    settings.MEDIA_ROOT = tmp_path / "source-media"
    point = transaction.savepoint()
    try:
        w = make_world()
        forwarded = to_vote(w, draft(w, form="BK_LDLD", people=2, topic="Bằng khen"))

        upper = services.proposal_forward(actor=w.officer_above, proposal=forwarded)
        services.proposal_step(actor=w.officer_above, proposal=upper, action="submit")
        decided = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                           year=YEAR, kind="nam", form="GK_CAP_TREN")
        for name in ("Đỗ Văn Hai", "Ngô Thị Ba"):
            services.candidate_add(actor=w.officer_cdcs, proposal=decided,
                                   person=make_person(w.cdcs_a, name, actor=w.admin),
                                   achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024")
        services.candidate_add(actor=w.officer_cdcs, proposal=decided, subject_unit=w.to_a1,
                               achievement="Tập thể hoàn thành xuất sắc nhiệm vụ")
        services.dossier_attach(actor=w.officer_cdcs, proposal=decided, kind="to_trinh",
                                upload=SimpleUploadedFile("Tờ trình.pdf", PDF))
        services.dossier_attach(actor=w.officer_cdcs, proposal=decided, kind="bao_cao",
                                candidate=decided.candidates.first(),
                                upload=SimpleUploadedFile("Báo cáo thành tích.pdf", PDF + b"%2"))
        to_vote(w, decided, against={1})
        services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[decided],
                                signed=SIGNED)
        # set last: the proposals above were sent after it (the tests run after 2024)
        services.deadline_set(actor=w.officer_above, recipient=w.cdvc, year=YEAR, kind="nam",
                              last_day=dt.date(YEAR, 12, 15), note="Công văn 12/CĐVC")
        state = _state()
        exchange_dump(actor=None, unit=w.cdvc, out=out)
    finally:
        transaction.savepoint_rollback(point)
    assert not Proposal.objects.exists() and not Council.objects.exists()
    return state


def _target(code: str = "LDLD-HN") -> Unit:
    """The installation the subtree moves to: a federation that has the dump's recipient above
    (by its code), and a TLĐ."""
    tld = make_unit("TLD", "tld", name="Tổng Liên đoàn Lao động Việt Nam")
    return make_unit(code, "ldld_tinh", tld, name="Liên đoàn Lao động Thành phố Hà Nội")


def test_proposals_travel_with_candidates_council_votes_dossier_and_history(settings,
                                                                          tmp_path):
    before = _dump(settings, tmp_path, tmp_path / "cdvc")
    assert len(before["proposals"]) == 3 and before["votes"] and before["dossier"]
    assert any(c[-1] for c in before["candidates"]), "no candidate tied to its award"
    settings.MEDIA_ROOT = tmp_path / "target-media"

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=_target())

    assert counts["proposals"] == 3 and counts["honours_councils"] == 2
    assert counts["proposal_dossier"] == 2 and counts["proposal_deadlines"] == 1
    assert _state() == before
    upper = Proposal.objects.get(unit__code="CDVC-HN")
    # sent above the dump: to the target's own LĐLĐ Hà Nội, without a council of its own
    assert upper.recipient.code == "LDLD-HN" and upper.council is None
    assert upper.status == "da_gui"
    for item in DossierItem.objects.all():  # the documents are in the target's storage
        assert (tmp_path / "target-media" / item.file.name).read_bytes().startswith(b"%PDF")
    # the decided candidates open their awards, and the awards their candidates
    assert Award.objects.filter(candidate__isnull=False).count() == 2 == sum(
        1 for c in before["candidates"] if c[-1])


def test_a_recipient_above_the_dump_missing_from_the_target_is_refused(settings, tmp_path):
    _dump(settings, tmp_path, tmp_path / "cdvc")
    under = _target(code="LDLD-DN")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=tmp_path / "cdvc", under=under)

    assert ("proposals.csv, dòng 3: Đơn vị nhận hồ sơ «LDLD-HN» chưa có trong cơ sở dữ liệu"
            in exc.value.message)
    assert not Proposal.objects.exists() and not Unit.objects.filter(code="CDVC-HN").exists()


def test_loaded_without_above_the_proposal_sent_up_is_left_out_with_what_hangs_on_it(
        settings, tmp_path):
    _dump(settings, tmp_path, tmp_path / "cdvc")
    settings.MEDIA_ROOT = tmp_path / "target-media"

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=_target("LDLD-DN"),
                           without_above=True)

    assert counts["proposals"] == 2
    assert not Proposal.objects.filter(unit__code="CDVC-HN").exists()
    left = {o.table: o for o in counts.left_out}
    assert left["proposals"] == LeftOut("proposals", 1,
                                        "đơn vị nhận hồ sơ chưa có trong cơ sở dữ liệu")
    assert left["proposal_candidates"].rows == 2  # the two candidates forwarded
    assert left["proposal_events"].rows == 1  # its submission
    # the earlier proposal stays, forwarded, its candidates with no later one
    assert Proposal.objects.filter(status="da_chuyen").count() == 1


def test_a_vote_by_a_member_of_another_council_is_refused_with_its_line(settings, tmp_path):
    folder = tmp_path / "cdvc"
    _dump(settings, tmp_path, folder)
    rows = _csv(folder, "proposal_votes")
    members = _csv(folder, "honours_council_members")
    council_of_vote = {m["id"]: m["council_id"] for m in members}
    other = next(m["id"] for m in members
                 if m["council_id"] != council_of_vote[rows[0]["member_id"]])
    edit_dumped_cell(folder, "proposal_votes", 2, "member_id", other)
    edit_dumped_cell(folder, "proposals", 2, "recipient_code", "TLD")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder, under=_target())

    assert "proposal_votes.csv, dòng 2: thành viên" in exc.value.message
    assert "không thuộc hội đồng xét hồ sơ" in exc.value.message
    assert "proposals.csv, dòng 2: hồ sơ gửi đến đúng một đơn vị" in exc.value.message
    assert not Proposal.objects.exists() and not DossierItem.objects.exists()


def test_a_tally_that_is_not_a_json_object_is_refused(settings, tmp_path):
    folder = tmp_path / "cdvc"
    _dump(settings, tmp_path, folder)
    edit_dumped_cell(folder, "proposal_candidates", 2, "votes", "[1, 2]")

    with pytest.raises(ApplicationError) as exc:
        exchange_load(actor=None, source=folder, under=_target())

    assert ("proposal_candidates.csv, dòng 2: cột «votes» phải là một đối tượng JSON"
            in exc.value.message)


def _csv(folder: Path, table: str) -> list[dict[str, str]]:
    import csv

    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))
