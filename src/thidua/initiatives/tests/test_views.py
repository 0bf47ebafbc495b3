"""The pages: inside / outside / anonymous, the application form with its two tables, the
council and review pages, recognition with its certificate, the counts, and query counts."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.councils.models import Council
from thidua.initiatives import novelty, services
from thidua.initiatives.models import (
    Attachment,
    Initiative,
    InitiativeUse,
    Recognition,
    Status,
)
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests import fake_similarity
from thidua.initiatives.tests.helpers import council, new_initiative, recognised, submitted, vote
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def fake_index(monkeypatch):
    monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    monkeypatch.setattr(novelty, "MIN_PERCENT", 0)  # the stand-in scores on another scale
    novelty.forget_index()
    yield
    novelty.forget_index()


def outside_initiative(world):
    stranger = make_person(world.cdcs_c, "Lý Văn Ngoài", actor=world.admin)
    return services.initiative_create(
        actor=world.outsider, unit=world.cdcs_c, year=2023,
        authors=[AuthorInput(person_id=stranger.pk, contribution=100)],
        title="Sáng kiến của quận", field="Hành chính", kind="quan_ly",
        description="Một sáng kiến ở nhánh khác của cây tổ chức.")


def form_data(world, **over):
    data = {
        "don_vi": "CDCS-A", "year": "2024", "title": "Phiếu hẹn điện tử qua tin nhắn",
        "kind": "tac_nghiep", "field": "Cải cách hành chính", "first_applied_on": "01/03/2024",
        "description": "Gửi phiếu hẹn trả kết quả qua tin nhắn thay cho phiếu giấy.",
        "benefit_expected_vnd": "15.000.000",
        "tac_gia-TOTAL_FORMS": "2", "tac_gia-INITIAL_FORMS": "0",
        "tac_gia-MIN_NUM_FORMS": "0", "tac_gia-MAX_NUM_FORMS": "50",
        "tac_gia-0-person": str(world.member.pk), "tac_gia-0-contribution": "60",
        "tac_gia-1-full_name": "Nguyễn Văn Cộng", "tac_gia-1-birth_date": "02/09/1988",
        "tac_gia-1-contribution": "40",
        "ap_dung-TOTAL_FORMS": "1", "ap_dung-INITIAL_FORMS": "0",
        "ap_dung-MIN_NUM_FORMS": "0", "ap_dung-MAX_NUM_FORMS": "100",
        "ap_dung-0-full_name": "Lê Thị Thử", "ap_dung-0-task": "Gửi tin nhắn thử",
    }
    data.update(over)
    return data


# --- list ----------------------------------------------------------------------------------------


def test_list_inside_outside_anonymous(client, world):
    mine = submitted(world)
    theirs = outside_initiative(world)
    response = client.get(reverse("initiatives:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert client.get(reverse("initiatives:list"), {"don_vi": "CDCS-C"}).status_code == 404
    client.force_login(world.outsider)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert theirs.title in body and mine.title not in body


def test_a_member_sees_own_initiatives_only(client, world):
    mine = new_initiative(world, actor=world.member_user, unit=world.to_a1)
    other = new_initiative(world, title="Của người khác",
                           authors=[AuthorInput(full_name="Người Khác", contribution=100)])
    client.force_login(world.member_user)
    body = client.get(reverse("initiatives:list")).content.decode()
    assert mine.title in body and other.title not in body
    assert client.get(reverse("initiatives:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("initiatives:detail", args=[mine.pk])).status_code == 200


def test_list_filters(client, world):
    a = recognised(world)
    submitted(world, title="Nộp năm sau", year=2024)
    client.force_login(world.officer_cdcs)
    url = reverse("initiatives:list")
    assert "Nộp năm sau" not in client.get(url, {"nam": 2023}).content.decode()
    body = client.get(url, {"cap": "co_so"}).content.decode()
    assert a.title in body and "Nộp năm sau" not in body
    body = client.get(url, {"trang_thai": "submitted"}).content.decode()
    assert "Nộp năm sau" in body and a.title not in body
    body = client.get(url, {"q": "nop nam sau"}).content.decode()
    assert "Nộp năm sau" in body and a.title not in body
    body = client.get(url, {"don_vi": "TO-A1"}).content.decode()
    assert "Tổng: <strong>0</strong>" in body
    partial = client.get(url, {"q": "nop"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ket-qua")
    assert b"<html" not in partial.content and "Nộp năm sau" in partial.content.decode()


@pytest.mark.parametrize("n", [3, 12])
def test_list_queries_do_not_grow(client, world, n, django_assert_num_queries):
    for i in range(n):
        new_initiative(world, title=f"Sáng kiến số {i}",
                       authors=[AuthorInput(person_id=world.member.pk, contribution=50),
                                AuthorInput(full_name=f"Đồng Tác Giả {i}", contribution=50)])
    client.force_login(world.officer_cdcs)
    # session, user, grants, years, unit options, count, page, authors, recognitions
    with django_assert_num_queries(9):
        response = client.get(reverse("initiatives:list"))
    assert response.status_code == 200


# --- the application form ------------------------------------------------------------------------


def test_create_page_for_officer_member_and_nobody(client, world):
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:create")).content.decode()
    assert "Đơn yêu cầu công nhận sáng kiến" in body and "Trần Thị Ánh" in body
    assert 'id="tac_gia-mau"' in body and "initiatives.js" in body
    client.force_login(world.member_user)
    body = client.get(reverse("initiatives:create")).content.decode()
    assert "Tổ công đoàn Văn phòng" in body
    assert 'value="100"' in body  # the member starts as the sole author
    client.force_login(world.viewer)
    assert client.get(reverse("initiatives:create")).status_code == 403


def test_create_and_submit(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.officer_cdcs)
    data = form_data(world, nop="1", file=SimpleUploadedFile("so-lieu.pdf", PDF))
    response = client.post(reverse("initiatives:create"), data)
    assert response.status_code == 302
    ini = Initiative.objects.get()
    assert response["Location"] == reverse("initiatives:detail", args=[ini.pk])
    assert ini.status == Status.SUBMITTED and ini.year == 2024
    assert [(a.full_name, str(a.contribution)) for a in ini.authors.all()] == [
        ("Trần Thị Ánh", "60.00"), ("Nguyễn Văn Cộng", "40.00")]
    assert ini.participants.get().full_name == "Lê Thị Thử"
    assert ini.attachments.get().original_name == "so-lieu.pdf"
    assert ini.benefit_expected_vnd == 15_000_000


def test_create_refusals_keep_what_was_typed(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("initiatives:create"),
                           form_data(world, **{"tac_gia-1-contribution": "30"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Tổng tỷ lệ đóng góp của các tác giả phải đúng 100% (đang là 90%)" in body
    assert "Phiếu hẹn điện tử qua tin nhắn" in body
    # an .exe renamed .pdf: refused, and nothing is saved
    exe = SimpleUploadedFile("ho-so.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("initiatives:create"), form_data(world, file=exe))
    assert response.status_code == 400
    assert "không phải một trong các loại này" in response.content.decode()
    assert not Initiative.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_upload_is_stopped(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1000
    settings.THIDUA_MAX_UPLOAD_BYTES = 1000
    client.force_login(world.officer_cdcs)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 200_000)
    response = client.post(reverse("initiatives:create"), form_data(world, file=big))
    assert response.status_code == 413
    assert not Initiative.objects.exists()


def test_edit_a_draft_only(client, world):
    ini = new_initiative(world)
    client.force_login(world.officer_cdcs)
    url = reverse("initiatives:edit", args=[ini.pk])
    body = client.get(url).content.decode()
    assert ini.title in body and 'name="loai_tru"' in body
    data = form_data(world, title="Tên mới", version=str(ini.version),
                     **{"tac_gia-TOTAL_FORMS": "1", "tac_gia-0-contribution": "100",
                        "tac_gia-1-full_name": "", "tac_gia-1-contribution": ""})
    assert client.post(url, data).status_code == 302
    ini.refresh_from_db()
    assert ini.title == "Tên mới" and ini.version == 2
    stale = client.post(url, data)  # the version read before is now stale
    assert stale.status_code == 400 and "người khác sửa" in stale.content.decode()
    services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.SUBMITTED)
    assert client.get(url).status_code == 302
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


# --- an initiative's page and its workflow --------------------------------------------------------


def test_detail_inside_outside_and_confidential(client, world):
    ini = submitted(world, confidential="Cấu trúc bảng tính nội bộ")
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert "Cấu trúc bảng tính nội bộ" in body and "Trả lại để bổ sung" in body
    client.force_login(world.viewer)
    body = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert "Cấu trúc bảng tính nội bộ" not in body and "Trả lại để bổ sung" not in body
    client.force_login(world.outsider)
    assert client.get(reverse("initiatives:detail", args=[ini.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("initiatives:detail", args=[ini.pk])).status_code == 302


def test_transitions_from_the_page(client, world):
    ini = new_initiative(world, actor=world.member_user, unit=world.to_a1)
    client.force_login(world.member_user)
    url = reverse("initiatives:transition", args=[ini.pk])
    assert client.post(url, {"action": "submit"}).status_code == 302
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED
    assert client.post(url, {"action": "return", "reason": "x"}).status_code == 403
    client.force_login(world.officer_cdcs)
    page = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert 'id="ly-do-return" name="reason"' in page  # returning asks for the reason
    response = client.post(url, {"action": "return"})
    assert response.status_code == 400 and "Hãy ghi lý do." in response.content.decode()
    client.post(url, {"action": "return", "reason": "Thiếu số liệu"})
    assert Initiative.objects.get(pk=ini.pk).status == Status.DRAFT
    assert client.post(url, {"action": "recognize"}).status_code == 404
    client.force_login(world.outsider)
    assert client.post(url, {"action": "submit"}).status_code == 404


def test_the_council_path_through_the_pages(client, world):
    ini = submitted(world)
    c, people = council(world, size=3)
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert "Chuyển Hội đồng xét" in body and c.name in body
    response = client.post(reverse("initiatives:review-open", args=[ini.pk]),
                           {"council": c.pk, "meeting_date": "20/11/2023"})
    review = ini.reviews.get()
    assert response["Location"] == reverse("initiatives:review", args=[review.pk])
    members = list(c.members.order_by("order"))
    criteria = list(c.criteria.all())
    scores = {f"diem-{m.pk}-{x.pk}": str(x.max_points - 5) for m in members for x in criteria}
    assert client.post(reverse("initiatives:review-scores", args=[review.pk]),
                       scores).status_code == 302
    bad = client.post(reverse("initiatives:review-scores", args=[review.pk]),
                      {f"diem-{members[0].pk}-{criteria[0].pk}": "99"})
    assert bad.status_code == 400 and "phải từ 0 đến 30" in bad.content.decode()
    votes = {f"phieu-{m.pk}": "dong_y" for m in members[:2]}
    votes[f"phieu-{members[2].pk}"] = "khong_dong_y"
    votes[f"van-ban-{members[2].pk}"] = "1"
    client.post(reverse("initiatives:review-votes", args=[review.pk]), votes)
    page = client.get(reverse("initiatives:review", args=[review.pk])).content.decode()
    assert "2/3 thành viên đồng ý" in page and "85" in page
    client.post(reverse("initiatives:review-close", args=[review.pk]))
    review.refresh_from_db()
    assert review.outcome == "passed"
    body = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert "Ghi quyết định công nhận" in body
    response = client.post(reverse("initiatives:recognize", args=[ini.pk]), {
        "level": "co_so", "decision_no": "45/QĐ-STP", "decided_on": "25/11/2023",
        "issuer": "Giám đốc Sở Tư pháp"})
    assert response.status_code == 302
    rec = Recognition.objects.get()
    again = client.post(reverse("initiatives:recognize", args=[ini.pk]), {
        "level": "co_so", "decision_no": "46/QĐ", "decided_on": "26/11/2023", "issuer": "X"})
    assert again.status_code == 400 and "một lần ở mỗi cấp" in again.content.decode()
    cert = client.get(reverse("initiatives:certificate", args=[rec.pk])).content.decode()
    assert "GIẤY CHỨNG NHẬN" in cert and "45/QĐ-STP" in cert and rec.certificate_no in cert
    assert "25/11/2023" in cert and "GIÁM ĐỐC SỞ TƯ PHÁP" in cert
    used = client.post(reverse("initiatives:use", args=[ini.pk]), {
        "kind": "commendation", "reference": "Bằng khen UBND TP 2023", "year": "2023",
        "person": str(world.member.pk)})
    assert used.status_code == 302 and InitiativeUse.objects.count() == 1
    second = client.post(reverse("initiatives:use", args=[ini.pk]), {
        "kind": "commendation", "reference": "Giấy khen", "year": "2024"})
    assert second.status_code == 400 and "5007/BNV-TĐKT" in second.content.decode()
    warned = client.post(reverse("initiatives:use", args=[ini.pk]), {
        "kind": "title", "reference": "CSTĐ cơ sở 2024", "year": "2024"}, follow=True)
    assert "đã được dùng cho «Bằng khen UBND TP 2023»" in warned.content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("initiatives:review", args=[review.pk])).status_code == 404
    assert client.get(reverse("initiatives:certificate", args=[rec.pk])).status_code == 404


def test_council_pages(client, world):
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("initiatives:council-create"), {
        "unit": "CDCS-A", "year": "2024", "name": "Hội đồng sáng kiến Sở Tư pháp 2024",
        "level": "co_so", "decision_no": "3/QĐ-CĐ", "established_on": "05/01/2024"})
    c = Council.objects.get()
    assert response["Location"] == reverse("initiatives:council", args=[c.pk])
    url = reverse("initiatives:council-member", args=[c.pk])
    client.post(url, {"person": str(world.member.pk), "role": "chu_tich"})
    dup = client.post(url, {"full_name": "Ai Khác", "role": "chu_tich"})
    assert dup.status_code == 400 and "đã có Chủ tịch" in dup.content.decode()
    assert client.post(url, {"role": "uy_vien"}).status_code == 400
    member = c.members.get()
    client.post(reverse("initiatives:council-criteria", args=[c.pk]),
                {"criteria": "Tính mới | 40\nHiệu quả | 60"})
    assert list(c.criteria.values_list("max_points", flat=True)) == [40, 60]
    bad = client.post(reverse("initiatives:council-criteria", args=[c.pk]),
                      {"criteria": "không có điểm"})
    assert bad.status_code == 400 and "Tên tiêu chí | điểm tối đa" in bad.content.decode()
    page = client.get(reverse("initiatives:council", args=[c.pk])).content.decode()
    assert "Trần Thị Ánh" in page and "2/3 tổng số thành viên" in page
    client.post(reverse("initiatives:council-member-remove", args=[c.pk, member.pk]))
    assert not c.members.exists()
    assert "Hội đồng sáng kiến Sở Tư pháp 2024" in client.get(
        reverse("initiatives:councils")).content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("initiatives:council", args=[c.pk])).status_code == 404
    assert client.post(url, {"full_name": "X", "role": "uy_vien"}).status_code == 404
    assert "Hội đồng sáng kiến Sở Tư pháp 2024" not in client.get(
        reverse("initiatives:councils")).content.decode()


def test_an_author_on_the_council_is_refused_on_the_page(client, world):
    ini = submitted(world)
    c, _ = council(world)
    services.council_member_add(actor=world.officer_cdcs, council=c, person=world.member,
                                role="uy_vien")
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("initiatives:review-open", args=[ini.pk]), {"council": c.pk})
    assert response.status_code == 400
    assert "Trần Thị Ánh là tác giả sáng kiến" in response.content.decode()


def test_failed_vote_moves_to_not_recognised(client, world):
    ini = submitted(world)
    c, _ = council(world, size=3)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 1)
    client.force_login(world.officer_cdcs)
    client.post(reverse("initiatives:review-close", args=[review.pk]))
    assert Initiative.objects.get(pk=ini.pk).status == Status.NOT_RECOGNIZED


# --- documents and files -----------------------------------------------------------------------


def test_application_docx(client, world):
    ini = new_initiative(world, authors=[AuthorInput(person_id=world.member.pk, contribution=70),
                                         AuthorInput(full_name="Đỗ Văn Hai", contribution=30)])
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("initiatives:docx", args=[ini.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        xml = z.read("word/document.xml").decode()
    for text in ("ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN", "Sổ chứng thực điện tử tại bộ phận một cửa",
                 "Trần Thị Ánh", "Đỗ Văn Hai", "nhóm tác giả", "08/03/1990", "Tổ công đoàn Văn phòng",
                 "120.000.000 đồng", "Hội đồng sáng kiến Công đoàn Sở Tư pháp"):
        assert text in xml, text
    assert "{{" not in xml and "{%" not in xml
    client.force_login(world.outsider)
    assert client.get(reverse("initiatives:docx", args=[ini.pk])).status_code == 404


def test_attachment_download_is_scoped(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ini = new_initiative(world)
    att = services.attachment_add(actor=world.officer_cdcs, initiative=ini,
                                  upload=SimpleUploadedFile("bang-tinh.pdf", PDF))
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("initiatives:attachment", args=[att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "bang-tinh.pdf" in response["Content-Disposition"]
    bad = client.post(reverse("initiatives:attach", args=[ini.pk]),
                      {"file": SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 50)})
    assert bad.status_code == 400 and "nội dung tệp" in bad.content.decode()
    client.force_login(world.outsider)
    assert client.get(reverse("initiatives:attachment", args=[att.pk])).status_code == 404


# --- counts ------------------------------------------------------------------------------------


def test_counts_page(client, world, django_assert_max_num_queries):
    ini = recognised(world)
    services.recognition_create(actor=world.officer_cdcs, initiative=ini, level="tinh",
                                decided_on=D(2023, 12, 20), decision_no="99/QĐ-UBND",
                                issuer="UBND TP")
    client.force_login(world.officer_above)
    url = reverse("initiatives:counts")
    with django_assert_max_num_queries(14):
        response = client.get(url, {"don_vi": "CDVC-HN", "tu_nam": "2022", "den_nam": "2023"})
    body = response.content.decode()
    assert "có <strong>01</strong> sáng kiến được công nhận (cấp cơ sở: 01; cấp tỉnh, thành phố: 01)" in body
    assert "<strong>00</strong> sáng kiến được đề nghị làm hồ sơ khen thưởng" in body
    assert "Công đoàn Sở Tư pháp" in body
    client.force_login(world.outsider)
    assert client.get(url, {"don_vi": "CDVC-HN"}).status_code == 404
