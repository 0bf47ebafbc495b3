"""An initiative's page and what is done from it: the workflow steps, the council and
review pages, recognition with its certificate, attachments and the .docx application."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.councils.models import Council
from thidua.initiatives import services
from thidua.initiatives.models import Initiative, InitiativeUse, Recognition, Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import council, new_initiative, submitted, vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_index")]
PDF = b"%PDF-1.4\n%%EOF\n"


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


def test_putting_before_a_council_asks_the_meeting_hour(client, world):
    ini = submitted(world)
    c, _ = council(world, size=3)
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:detail", args=[ini.pk])).content.decode()
    assert 'name="meeting_date"' in body and 'name="meeting_time"' in body
    client.post(reverse("initiatives:review-open", args=[ini.pk]),
                {"council": c.pk, "meeting_date": "05/12/2026", "meeting_time": "14:00"})
    review = ini.reviews.get()
    for page in (reverse("initiatives:review", args=[review.pk]),
                 reverse("initiatives:detail", args=[ini.pk])):
        assert "14 giờ 00, ngày 05/12/2026" in client.get(page).content.decode()
