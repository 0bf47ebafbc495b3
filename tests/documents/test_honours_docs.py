"""The honours documents converted by LibreOffice headless, as a union's office opens them: A4,
page count, and the key lines read back from the PDF. THIDUA_KEEP_PDF=<folder> keeps the PDFs to
look at (pdftoppm -r 50 -png)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from tests.documents.test_libreoffice import (
    QUOC_HIEU,
    assert_a4,
    assert_no_working_notes,
    docx_text,
    to_pdf,
)

from thidua.honours import documents, services
from thidua.honours.tests.conftest import SIGNED, YEAR, to_vote
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db

PEOPLE = 60  # the decision's list runs onto a second and third page; the tờ trình has an annex


def _big_proposal(w: World) -> object:
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")
    services.candidate_add(actor=w.officer_cdcs, proposal=p, subject_unit=w.to_a1,
                           achievement="Tổ công đoàn dẫn đầu phong trào thi đua năm 2024")
    for i in range(PEOPLE):
        person = make_person(w.cdcs_a, f"Nguyễn Thị Người Thứ {i:03d}",
                             birth=dt.date(1980, 1, 1) + dt.timedelta(days=i), actor=w.admin)
        services.candidate_add(actor=w.officer_cdcs, proposal=p, person=person,
                               position="Chuyên viên, Văn phòng Sở Tư pháp",
                               achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024")
    return p


def _first_lines(page: str) -> str:
    return "\n".join(page.splitlines()[:12])


def test_honours_documents_print_on_a4(world: World, tmp_path) -> None:
    w = world
    p = _big_proposal(w)
    data = documents.render_to_trinh(p)
    assert_no_working_notes(docx_text(data))
    count, pages, info = to_pdf(data, tmp_path, "to-trinh")
    assert_a4(info)
    first = pages[0]
    assert any(QUOC_HIEU in line for line in first.splitlines()), first
    assert "TỜ TRÌNH" in first and "/TTr-CĐCS" in first
    assert "CÔNG ĐOÀN SỞ TƯ PHÁP" in first and "Kính gửi" in first
    annex = next(i for i, page in enumerate(pages) if "PHỤ LỤC" in page)
    assert annex <= 1, f"the body takes {annex + 1} pages"
    assert "059" in pages[-1] and 2 <= count <= 6, count
    for page in pages[annex + 1:]:
        assert "Họ và tên / Tên tập thể" in page  # the header row repeats

    voted = to_vote(w, p)
    minutes = documents.render_bien_ban(voted)
    count, pages, info = to_pdf(minutes, tmp_path, "bien-ban-hoi-dong")
    assert_a4(info)
    assert "BIÊN BẢN" in pages[0] and "/BB-CĐ" in pages[0]
    assert "CÔNG ĐOÀN VIÊN CHỨC" in pages[0]
    assert "Thành viên 1" in pages[0] and "CHỦ TỊCH HỘI ĐỒNG" in "\n".join(pages)
    assert "059" in pages[-1] and count <= 6
    assert_no_working_notes("\n".join(pages))

    decision = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[voted],
                                       signed=SIGNED)
    data = documents.render_decision(decision)
    count, pages, info = to_pdf(data, tmp_path, "quyet-dinh")
    assert_a4(info)
    first = pages[0]
    assert "QUYẾT ĐỊNH" in first and "Số: 1/QĐ-CĐ" in first
    assert "Hà Nội, ngày 10 tháng 01 năm 2025" in first
    assert "BAN THƯỜNG VỤ CÔNG ĐOÀN VIÊN CHỨC THÀNH PHỐ HÀ NỘI" in first
    assert any(QUOC_HIEU in line for line in first.splitlines()), first
    body = "\n".join(pages)
    assert "Điều 1." in body and "Điều 3." in body and "TM. BAN THƯỜNG VỤ" in body
    assert "Nguyễn Văn Chủ" in body
    listed = next(i for i, page in enumerate(pages) if "(Kèm theo Quyết định số 1/QĐ-CĐ" in page)
    assert listed <= 2
    for page in pages[listed + 1:]:
        # the header row repeats on every page of the list (its narrow column may wrap the title)
        assert "Họ và tên / Tên tập thể" in page and "Số sổ" in page
    assert re.search(r"\b61\b", pages[-1]) and "059" in pages[-1]
    assert 3 <= count <= 8, count
    assert_no_working_notes(body)

    revoking = services.decision_revoke(actor=w.officer_above,
                                        awards=list(decision.awards.order_by("pk")[:2]),
                                        signed=SIGNED, reason="Khai man thành tích")
    count, pages, info = to_pdf(documents.render_decision(revoking), tmp_path, "thu-hoi")
    assert_a4(info)
    assert "Số: 2/QĐ-CĐ" in pages[0] and "Hủy bỏ, thu hồi" in "\n".join(pages)
    assert count <= 3


def test_achievement_reports_print_on_a4(world: World, tmp_path) -> None:
    w = world
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")
    person = services.candidate_add(actor=w.officer_cdcs, proposal=p, person=w.member,
                                    achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024\n"
                                                "Có 01 sáng kiến được công nhận cấp cơ sở")
    unit = services.candidate_add(actor=w.officer_cdcs, proposal=p, subject_unit=w.to_a1,
                                  achievement="Dẫn đầu phong trào thi đua năm 2024")
    for candidate, name, head in ((person, "bao-cao-ca-nhan", "SƠ LƯỢC LÝ LỊCH"),
                                  (unit, "bao-cao-tap-the", "SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH")):
        count, pages, info = to_pdf(documents.render_bao_cao(candidate), tmp_path, name)
        assert_a4(info)
        assert count <= 3, count
        text = "\n".join(pages)
        assert "BÁO CÁO THÀNH TÍCH" in pages[0] and head in pages[0]
        assert "ĐỀ NGHỊ TẶNG GIẤY KHEN" in pages[0]
        assert "CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG" in text
        assert "……" in text  # what the system does not hold is left to fill by hand
        assert_no_working_notes(text)


def test_the_honours_templates_are_built_by_their_scripts(tmp_path) -> None:
    from thidua.demo.templates_src import (
        honours_bao_cao,
        honours_bien_ban,
        honours_quyet_dinh,
        honours_to_trinh,
    )

    for build, key in ((honours_to_trinh.build_to_trinh, "honours.to_trinh"),
                       (honours_quyet_dinh.build_quyet_dinh, "honours.quyet_dinh"),
                       (honours_bien_ban.build_bien_ban, "honours.bien_ban_hoi_dong"),
                       (honours_bao_cao.build_ca_nhan, "honours.bao_cao_ca_nhan"),
                       (honours_bao_cao.build_tap_the, "honours.bao_cao_tap_the")):
        shipped = documents.TEMPLATES[key]
        built = build(tmp_path / shipped.name)
        assert built.read_bytes() == shipped.read_bytes(), key


def test_decision_pdf_is_signed_with_the_issuers_key(world: World, tmp_path, settings) -> None:
    from django.core.management import call_command

    from thidua.platform.signing import make_pkcs12, verify_pdf

    w = world
    keys = tmp_path / "keys"
    settings.THIDUA_SIGNING_DIR = str(keys)
    settings.THIDUA_SIGNING_KEYS = {}
    p = services.proposal_create(actor=w.officer_cdcs, unit=w.cdcs_a, recipient=w.cdvc,
                                 year=YEAR, kind="nam", form="GK_CAP_TREN")
    services.candidate_add(actor=w.officer_cdcs, proposal=p, person=w.member,
                           achievement="Hoàn thành xuất sắc nhiệm vụ năm 2024")
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[to_vote(w, p)],
                                signed=SIGNED)
    unsigned = documents.decision_pdf(d)  # no key yet: a plain PDF
    assert unsigned.startswith(b"%PDF") and not verify_pdf(unsigned).signed
    make_pkcs12(keys / "CDVC-HN.p12", common_name="Công đoàn Viên chức thành phố Hà Nội",
                organisation="Công đoàn Việt Nam", passphrase=b"")
    out = tmp_path / "qd.pdf"
    call_command("decisions_export", d.number, "--issuer", "CDVC-HN", "--format", "pdf",
                 "-o", str(out), "--user", w.officer_above.username)
    check = verify_pdf(out.read_bytes())
    assert check.signed and check.intact and check.covers_whole_file, check.summary_vi
    broken = bytearray(out.read_bytes())
    broken[len(broken) // 3] ^= 0xFF
    assert not verify_pdf(bytes(broken)).intact
