"""The contexts of the honours documents: names, numbers, dates, counts, cash, the annex above 25
names, the revoking and correcting variants, and no working notes; every .docx renders."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from thidua.honours import documents, services
from thidua.honours.dossier import dossier_documents
from thidua.honours.models import Award, Candidate
from thidua.honours.services.catalogue import cash_rate_set
from thidua.honours.tests.conftest import SIGNED, YEAR, draft, to_vote
from thidua.platform.documents import DOCX_CONTENT_TYPE, WORKING_NOTES
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _clean(text: str) -> None:
    for note in WORKING_NOTES:
        assert note.casefold() not in text.casefold(), note
    assert "{{" not in text and "{%" not in text
    for note in ("domain", "không tìm thấy", "seeds/", "None"):  # research notes of the catalogue
        assert note not in text, note


def _covers(key: str, ctx: dict[str, Any]) -> None:
    """The context gives every placeholder the template uses (docxtpl prints a missing one as
    nothing, silently)."""
    from docxtpl import DocxTemplate

    used = DocxTemplate(str(documents.TEMPLATES[key])).get_undeclared_template_variables()
    assert used <= set(ctx), used - set(ctx)


def _issued(w: World, people: int = 3, against: set[int] | None = None) -> Any:
    p = to_vote(w, draft(w, people=people), against=against)
    return p, services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                      signed=SIGNED)


def test_to_trinh_names_the_sender_recipient_and_candidates(world: World) -> None:
    w = world
    p = draft(w, people=3)
    ctx = documents.to_trinh_context(p)
    assert ctx["issuer_name"] == "Công đoàn Sở Tư pháp"
    assert ctx["upper_name"] == "Công đoàn Viên chức thành phố Hà Nội"
    assert ctx["recipient_name"] == "Công đoàn Viên chức thành phố Hà Nội"
    assert ctx["number"].endswith("/TTr-CĐCS")
    assert ctx["date_line"] == "ngày …… tháng …… năm ……"  # a draft: dated by hand
    assert [c["n"] for c in ctx["candidates"]] == [1, 2, 3] and not ctx["annex"]
    assert "03 cá nhân" in ctx["request"] and "quyết định tặng" in ctx["request"]
    _covers("honours.to_trinh", ctx)
    assert ctx["sign_for"] == "TM. BAN CHẤP HÀNH"  # a CĐCS signs for its Ban Chấp hành
    services.proposal_step(actor=w.officer_cdcs, proposal=p, action="submit")
    p.refresh_from_db()
    ctx = documents.to_trinh_context(p)
    assert ctx["date_line"].startswith("ngày ") and "……" not in ctx["date_line"]
    text = _text(documents.render_to_trinh(p))
    assert "TỜ TRÌNH" in text and "Lê Văn Số 1" in text and "Kính gửi" in text
    _clean(text)


def test_to_trinh_moves_a_long_list_to_an_annex(world: World) -> None:
    w = world
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")
    for i in range(26):
        person = make_person(w.cdcs_a, f"Trần Thị Người {i:02d}",
                             birth=dt.date(1980, 1, 1) + dt.timedelta(days=i), actor=w.admin)
        services.candidate_add(actor=w.officer_cdcs, proposal=p, person=person,
                               achievement="Hoàn thành xuất sắc nhiệm vụ")
    ctx = documents.to_trinh_context(p)
    assert ctx["annex"] and ctx["candidate_count"] == "26"
    text = _text(documents.render_to_trinh(p))
    assert "PHỤ LỤC" in text and "Trần Thị Người 25" in text
    assert documents.to_trinh_context(draft(w, people=2))["annex"] is False


def test_decision_numbers_dates_cash_and_list(world: World) -> None:
    w = world
    p, d = _issued(w, people=3, against={1})
    ctx = documents.decision_context(d)
    assert ctx["number"] == "1/QĐ-CĐ" == d.number
    assert ctx["date_line"] == "ngày 10 tháng 01 năm 2025"  # NĐ 30/2020: 01 for January
    assert ctx["authority"] == "BAN THƯỜNG VỤ CÔNG ĐOÀN VIÊN CHỨC THÀNH PHỐ HÀ NỘI"
    assert ctx["sign_for"] == "TM. BAN THƯỜNG VỤ" and ctx["sign_title"] == "CHỦ TỊCH"
    assert ctx["signer_name"] == "Nguyễn Văn Chủ"
    assert "Tặng Giấy khen" in ctx["article1"] and "02 cá nhân" in ctx["article1"]
    assert [r["n"] for r in ctx["rows"]] == [1, 2]
    assert [r["book"] for r in ctx["rows"]] == ["1", "2"]
    assert "Lê Văn Số 1" not in [r["name"] for r in ctx["rows"]]  # voted down
    assert ctx["cash_line"] == "" and ctx["cash_total"] == ""  # no rate set for this form
    assert ctx["basis"][-1] == "Xét đề nghị của Công đoàn Sở Tư pháp."
    assert "(Kèm theo" not in ctx["article1"]
    _covers("honours.quyet_dinh", ctx)
    text = _text(documents.render_decision(d))
    assert "QUYẾT ĐỊNH" in text and "Số: 1/QĐ-CĐ" in text and "Điều 3." in text
    assert "DANH SÁCH" in text and "Kèm theo Quyết định số 1/QĐ-CĐ" in text
    _clean(text)


def test_cash_from_the_rate_in_force_prints_per_recipient_and_in_total(world: World) -> None:
    w = world
    cash_rate_set(actor=w.admin, code="GK_CAP_TREN", recipient="ca_nhan", multiple="0,25",
                  valid_from=dt.date(2024, 7, 1), source="Quy chế khen thưởng của Công đoàn")
    _, d = _issued(w, people=2)
    assert list(Award.objects.filter(decision=d).values_list("cash_amount", flat=True)) == [
        585000, 585000]  # 0,25 × 2.340.000 đ
    ctx = documents.decision_context(d)
    # the decision names its own issuer, not the catalogue's "cấp trên trực tiếp cơ sở"
    assert ctx["cash_line"] == ("Kèm theo Giấy khen của Ban Chấp hành Công đoàn Viên chức "
                                "thành phố Hà Nội, mỗi cá nhân được thưởng 585.000 đồng.")
    assert [r["cash"] for r in ctx["rows"]] == ["585.000", "585.000"]
    assert ctx["cash_total"] == "1.170.000"
    assert "quỹ thi đua, khen thưởng của Công đoàn Viên chức" in ctx["article2"]


def test_a_deputy_signs_for_the_chair_and_basis_lines_print_as_typed(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    d = services.decision_issue(
        actor=w.officer_above, issuer=w.cdvc, proposals=[p],
        signed=services.Signed(dt.date(2025, 3, 5), "Phạm Thị Phó", "Phó Chủ tịch", "Hà Nội"),
        basis="Căn cứ Điều lệ Công đoàn Việt Nam\nXét đề nghị của Ban Tổ chức.")
    ctx = documents.decision_context(d)
    assert (ctx["sign_for"], ctx["sign_kt"], ctx["sign_title"]) == (
        "TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert ctx["basis"] == ["Căn cứ Điều lệ Công đoàn Việt Nam;", "Xét đề nghị của Ban Tổ chức."]
    assert ctx["date_line"] == "ngày 05 tháng 3 năm 2025"


def test_grounds_cite_legal_texts_only() -> None:
    source = ("QĐ 1689/QĐ-TLĐ, Điều 14; domain.md §8 (công đoàn tự quyết định); NĐ 152/2025/NĐ-CP,"
              " Điều 50; Điều khoản trong QĐ 1564/QĐ-TLĐ: không tìm thấy; Tin laodongthudo.vn")
    assert documents.legal_refs(source) == ["Quyết định số 1689/QĐ-TLĐ",
                                            "Nghị định số 152/2025/NĐ-CP"]
    assert documents.legal_refs("Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 8") == [
        documents.LAW]
    assert documents.legal_refs("Giả định: theo quy chế của đơn vị") == []


def test_revoking_and_correcting_decisions_reuse_the_template(world: World) -> None:
    w = world
    _, d = _issued(w, people=2)
    first, second = list(d.awards.order_by("golden_book_no"))
    revoking = services.decision_revoke(actor=w.officer_above, awards=[first], signed=SIGNED,
                                        reason="Khai man thành tích")
    ctx = documents.decision_context(revoking)
    assert ctx["number"] == "2/QĐ-CĐ"
    assert "Hủy bỏ, thu hồi Giấy khen" in ctx["article1"]
    assert "Quyết định số 1/QĐ-CĐ ngày 10 tháng 01 năm 2025" in ctx["article1"]
    assert "Khai man thành tích" in ctx["article1"]
    assert [r["name"] for r in ctx["rows"]] == [first.recipient_name]
    correcting = services.decision_correct(actor=w.officer_above, award=second,
                                           changes={"recipient_name": "Lê Văn Số Một"},
                                           signed=SIGNED, reason="Sai chính tả")
    ctx = documents.decision_context(correcting)
    assert "«Lê Văn Số 1» sửa thành «Lê Văn Số Một»" in ctx["article1"]
    assert [r["name"] for r in ctx["rows"]] == ["Lê Văn Số Một"]
    for dec in (revoking, correcting):
        _clean(_text(documents.render_decision(dec)))


def test_minutes_show_members_votes_threshold_and_result(world: World) -> None:
    w = world
    p = to_vote(w, draft(w, people=2), against={1})
    ctx = documents.bien_ban_context(p)
    assert ctx["issuer_name"] == "Công đoàn Viên chức thành phố Hà Nội"
    assert ctx["council_size"] == "3" and ctx["present_count"] == "3"
    assert [m["name"] for m in ctx["members"]][0] == "Thành viên 1"
    assert ctx["chair"] == "Thành viên 1" and ctx["secretary"] == "Thành viên 2"
    rows = ctx["candidates"]
    assert (rows[0]["for"], rows[0]["against"], rows[0]["result"]) == (3, 0, "Đạt")
    assert (rows[1]["for"], rows[1]["against"], rows[1]["result"]) == (0, 3, "Không đạt")
    assert rows[0]["share"] == "100,0%"
    assert ctx["threshold"] and "%" in ctx["threshold"] or "/" in ctx["threshold"]
    assert "01 cá nhân" in ctx["conclusion"] and ctx["failed_names"] == "Lê Văn Số 1"
    assert ctx["ballot"] == "Biểu quyết công khai"
    _covers("honours.bien_ban_hoi_dong", ctx)
    text = _text(documents.render_bien_ban(p))
    assert "BIÊN BẢN" in text and "CHỦ TỊCH HỘI ĐỒNG" in text
    _clean(text)


def test_report_of_a_person_and_of_a_collective(world: World) -> None:
    w = world
    p, d = _issued(w, people=1)
    later = draft(w, people=1, kind="dot_xuat", topic="Phòng chống bão lũ")
    later_candidate = later.candidates.get()
    ctx = documents.bao_cao_context(later_candidate)
    assert ctx["kind"] == "ca_nhan" and ctx["name"] == w.member.full_name
    assert ctx["hometown"].startswith("……")  # not in the system: a line to fill by hand
    assert ctx["year_line"] == "(Thành tích Phòng chống bão lũ)"
    assert ctx["awards"] == [{"year": str(YEAR), "name": "Giấy khen",
                              "decision": f"Quyết định số {d.number} ngày 10/01/2025 của "
                                          "Công đoàn Viên chức thành phố Hà Nội"}] or \
        ctx["awards"][0]["decision"].startswith(f"Quyết định số {d.number}")
    _clean(_text(documents.render_bao_cao(later_candidate)))
    _covers("honours.bao_cao_ca_nhan", ctx)
    unit_candidate = services.candidate_add(actor=w.officer_cdcs, proposal=later,
                                            subject_unit=w.to_a1,
                                            achievement="Dẫn đầu phong trào\nGiúp dân vùng lũ")
    assert isinstance(unit_candidate, Candidate)
    ctx = documents.bao_cao_context(unit_candidate)
    assert ctx["kind"] == "tap_the" and ctx["achievement"] == ["Dẫn đầu phong trào",
                                                               "Giúp dân vùng lũ"]
    _covers("honours.bao_cao_tap_the", ctx)
    text = _text(documents.render_bao_cao(unit_candidate))
    assert "BÁO CÁO THÀNH TÍCH" in text and "Tên tập thể đề nghị" in text
    _clean(text)


def test_cash_is_one_line_per_kind_of_recipient_or_the_list() -> None:
    def award(person: int | None, cash: int | None) -> dict[str, Any]:
        return {"person_id": person, "cash_amount": cash}

    same = [award(1, 585000), award(2, 585000), award(None, 1170000)]
    assert documents.cash_text(same, "Giấy khen") == (
        "Kèm theo Giấy khen, mỗi tập thể được thưởng 1.170.000 đồng, mỗi cá nhân được thưởng "
        "585.000 đồng.")
    assert "theo danh sách" in documents.cash_text([award(1, 1), award(2, 2)], "Giấy khen")
    assert documents.cash_text([award(1, None)], "Giấy khen") == ""


def test_downloads_are_scoped_and_a_member_gets_only_their_own_report(world: World,
                                                                       client: Any) -> None:
    w = world
    p = draft(w, people=2)
    mine = p.candidates.get(person=w.member)
    other = p.candidates.exclude(pk=mine.pk).get()
    to_trinh = reverse("honours_docs:to_trinh", kwargs={"pk": p.pk})
    client.force_login(w.officer_cdcs)
    response = client.get(to_trinh)
    assert response.status_code == 200 and response["Content-Type"] == DOCX_CONTENT_TYPE
    assert "TỜ TRÌNH" in _text(response.content)
    client.force_login(w.outsider)
    assert client.get(to_trinh).status_code == 404
    client.force_login(w.member_user)
    assert client.get(to_trinh).status_code == 404  # lists the other candidates
    own = reverse("honours_docs:bao_cao", kwargs={"pk": p.pk, "cid": mine.pk})
    assert client.get(own).status_code == 200
    theirs = reverse("honours_docs:bao_cao", kwargs={"pk": p.pk, "cid": other.pk})
    assert client.get(theirs).status_code == 404


def test_dossier_lists_the_generated_documents(world: World) -> None:
    w = world
    p = draft(w, people=2)
    labels = [label for label, _ in dossier_documents(p)]
    assert labels[0].startswith("Tờ trình") and len(labels) == 3
    assert not any(label.startswith("Biên bản") for label in labels)  # no council yet
    voted = to_vote(w, p)
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[voted],
                                signed=SIGNED)
    links = dict(dossier_documents(voted))
    assert links["Biên bản họp Hội đồng xét khen thưởng (.docx)"] == reverse(
        "honours_docs:bien_ban", kwargs={"pk": p.pk})
    assert links[f"Quyết định số {d.number} (PDF)"] == reverse(
        "honours_docs:decision_pdf", kwargs={"pk": d.pk})


def test_decisions_export_writes_the_docx(world: World, tmp_path: Any) -> None:
    w = world
    _, d = _issued(w, people=1)
    out = tmp_path / "qd.docx"
    call_command("decisions_export", d.number, "--issuer", "CDVC-HN", "--format", "docx",
                 "-o", str(out), "--user", w.officer_above.username)
    assert f"Số: {d.number}" in _text(out.read_bytes())
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("decisions_export", d.number, "--issuer", "CDVC-HN", "-o", str(out),
                     "--user", w.outsider.username)  # another branch: as if it did not exist
    with pytest.raises(CommandError, match=r"\.pdf"):
        call_command("decisions_export", d.number, "--issuer", "CDVC-HN", "--format", "pdf",
                     "-o", str(out), "--user", w.officer_above.username)


def test_a_forwarded_proposal_cites_the_lower_level_and_its_council(world: World) -> None:
    w = world
    voted = to_vote(w, draft(w, form="BK_LDLD", people=2), against={0})
    upper = services.proposal_forward(actor=w.officer_above, proposal=voted)
    ctx = documents.to_trinh_context(upper)
    assert ctx["issuer_name"] == "Công đoàn Viên chức thành phố Hà Nội"
    assert ctx["sign_for"] == "TM. BAN THƯỜNG VỤ"  # above the grassroots
    assert ctx["number"].endswith("/TTr-CĐ")
    assert any(g.startswith("Căn cứ đề nghị của Công đoàn Sở Tư pháp và kết quả xét của "
                            "Hội đồng TĐKT phiên 1") for g in ctx["grounds"])
    assert [c["name"] for c in ctx["candidates"]] == ["Lê Văn Số 1"]  # only who passed
    assert "01 cá nhân" in ctx["request"]
    assert ctx["recipient_name"] == "Liên đoàn Lao động Thành phố Hà Nội"
    assert "xem xét, quyết định tặng Bằng khen" in ctx["request"]


def test_sample_contexts_cover_every_placeholder_of_their_templates() -> None:
    from docxtpl import DocxTemplate

    for key, path in documents.TEMPLATES.items():
        used = DocxTemplate(str(path)).get_undeclared_template_variables()
        assert used <= set(documents.sample_context(key)), (key, used)
        text = _text(documents.render_docx(path, documents.sample_context(key)))
        _clean(text)
