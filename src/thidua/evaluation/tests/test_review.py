"""A year-end review from start to end: the engine's list, the officer's adjustments, the
council's votes, the results, the minutes (.docx read back), the lock and a correction."""

from __future__ import annotations

import io

import docx
import pytest

from thidua.audit.models import AuditEntry
from thidua.evaluation import services
from thidua.evaluation.documents import minutes_docx
from thidua.evaluation.models import Correction, DecidedBy, TitleResult
from thidua.evaluation.services import VoteIn
from thidua.evaluation.tests.conftest import YEAR, no_units, rate
from thidua.platform.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> tuple[str, list[list[str]], docx.document.Document]:
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return text, rows, document


def test_a_review_from_the_list_to_the_correction(roster):
    w = roster.world
    officer = w.officer_cdcs
    people = roster.people
    roster.register(people, ["LDTT", "CSTDCS", "GVNDVN"])
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])

    # 1. the engine proposes
    review = services.review_open(actor=officer, unit=w.cdcs_a, year=YEAR,
                                  registrations=roster.registrations(),
                                  unit_registrations=no_units)
    proposed = {(c.person_id, c.title) for c in review.candidates.all()}
    assert (people[0].pk, "CSTDCS") in proposed and (people[3].pk, "LDTT") not in proposed

    # 2. the officer adjusts, with reasons
    services.candidate_add(actor=officer, review=review, person=people[3], title="LDTT",
                           reason="Hoàn thành nhiệm vụ đột xuất được UBND Thành phố khen",
                           registrations=roster.registrations())
    dropped = review.candidates.get(person=people[4], title="LDTT")
    services.candidate_remove(actor=officer, candidate=dropped,
                              reason="Chưa thực hiện việc làm cụ thể đã đăng ký")

    # 3. the council: five members, one absent who does not send an opinion
    names = ["Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Lan", "Phạm Quốc Bảo", "Vũ Thu Trang"]
    roles = ["chu_tich", "pho_chu_tich", "uy_vien", "uy_vien", "thu_ky"]
    members = [services.council_member_add(actor=officer, review=review, role=role, name=name,
                                           position="Ủy viên Ban Chấp hành")
               for name, role in zip(names, roles, strict=True)]
    services.council_presence_set(actor=officer, review=review,
                                  present_ids=[m.pk for m in members if m.full_name != "Lê Thị Lan"])
    services.review_meeting_set(actor=officer, review=review, meeting_date=None,
                                meeting_place="Phòng họp tầng 3, Sở Tư pháp",
                                place_name="Hà Nội")
    services.review_transition(actor=officer, review=review, to="voting")

    # 4. the votes: Bình's CSTĐ cơ sở gets only 3 of 5 (60 % < 80 %)
    binh = review.candidates.get(person=people[2], title="CSTDCS")
    services.votes_record(actor=officer, review=review, votes=[
        VoteIn(binh.pk, members[2].pk, "vang"),
        VoteIn(binh.pk, members[3].pk, "khong_dong_y", "Sáng kiến chưa được áp dụng rộng")])
    for m in members:
        services.votes_fill(actor=officer, review=review, member=m,
                            choice="vang" if m.full_name == "Lê Thị Lan" else "dong_y")
    services.review_transition(actor=officer, review=review, to="closed")

    # 5. the results
    results = {(r.person_id, r.title): r for r in TitleResult.objects.filter(review=review)}
    assert (people[0].pk, "CSTDCS") in results  # 4 of 5 = 80 %
    assert (people[2].pk, "CSTDCS") not in results  # 3 of 5
    assert (people[3].pk, "LDTT") in results  # the officer's addition, voted 4 of 5
    assert (people[4].pk, "LDTT") not in results  # taken off the list
    assert all(r.how == DecidedBy.COUNCIL for r in results.values())

    # 6. the minutes name the council and carry the votes
    data = minutes_docx(review)
    text, rows, document = _text(data)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = rows[0]
    # LĐTT and CSTĐCS are decided by the agency's head (Luật 06/2022 Điều 80): the whole list is
    # the minutes of the agency's council, in the state layout
    assert "SỞ TƯ PHÁP" in header[0] and "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" in header[0]
    assert "Số:" in header[0] and "/BB-HĐTĐKT" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Độc lập - Tự do - Hạnh phúc" in header[1] and "Hà Nội, ngày" in header[1]
    assert "BIÊN BẢN" in text
    assert "Hội đồng thi đua – khen thưởng gồm 5 thành viên; có mặt 4, vắng mặt 1." in text
    assert "cuộc họp bắt đầu lúc" in text and "Cuộc họp kết thúc lúc" in text
    assert "Chủ tọa: Nguyễn Thị Hương. Thư ký: Vũ Thu Trang." in text
    assert "Lê Thị Lan, Ủy viên Ban Chấp hành — Ủy viên (vắng mặt)." in text
    assert "Phòng họp tầng 3, Sở Tư pháp" in text
    assert "Chưa thực hiện việc làm cụ thể đã đăng ký" in text  # the adjustment and its reason
    assert "Chiến sĩ thi đua cơ sở: từ 80% tổng số thành viên Hội đồng" in text
    assert "(NĐ 98/2023/NĐ-CP, Điều 30 khoản 7)" in text  # from the rule set of 2024
    assert ("Chiến sĩ thi đua cơ sở: Thủ trưởng cơ quan, đơn vị quyết định" in text
            and "Điều 80" in text)  # who decides
    table = [r for r in rows if len(r) == 9]
    assert table[0][:4] == ["TT", "Họ và tên / Tập thể", "Chức vụ, nơi công tác",
                            "Danh hiệu đề nghị"]
    by_name = {(r[1], r[3]): r for r in table[1:]}
    assert by_name[("Trần Thị Ánh", "Chiến sĩ thi đua cơ sở")][4:] == [
        "4", "0", "1", "80,0%", "Đạt"]
    assert by_name[("Lê Thị Bình", "Chiến sĩ thi đua cơ sở")][4:] == [
        "3", "1", "1", "60,0%", "Không đạt"]
    # the department the person works in, not the tổ công đoàn
    assert by_name[("Trần Thị Ánh", "Chiến sĩ thi đua cơ sở")][2].endswith("Văn phòng")
    assert "Tổ công đoàn" not in by_name[("Trần Thị Ánh", "Chiến sĩ thi đua cơ sở")][2]
    assert ("Phạm Văn Cường", "Lao động tiên tiến") in by_name  # added by the officer
    assert ("Hoàng Thị Dung", "Lao động tiên tiến") not in by_name  # taken off
    signatures = rows[-1]
    assert "THƯ KÝ" in signatures[0] and "Vũ Thu Trang" in signatures[0]
    assert "CHỦ TỌA" in signatures[1] and "Nguyễn Thị Hương" in signatures[1]
    assert "Danh hiệu «Chiến sĩ thi đua cơ sở»: 1/2 người." in text

    # 7. the lock, then only a logged correction changes the year
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR, note="Chốt số liệu năm")
    with pytest.raises(ApplicationError, match="đã khóa"):
        rate(roster, [None, None, "HTXSNV"])
    services.title_correct(actor=officer, unit=w.cdcs_a, year=YEAR, title="CSTDCS",
                           action="add", person=people[2],
                           reason="Hội đồng cấp trên công nhận hiệu quả sáng kiến")
    correction = Correction.objects.get(person=people[2])
    assert correction.before is None and correction.after["title"] == "CSTDCS"
    entry = AuditEntry.objects.get(action="title.add")
    assert entry.after["reason"] == "Hội đồng cấp trên công nhận hiệu quả sáng kiến"
    assert TitleResult.objects.get(person=people[2], title="CSTDCS").how == DecidedBy.CORRECTION
    logged = list(review.events.values_list("kind", flat=True))
    assert logged[:3] == ["open", "candidate_add", "candidate_remove"]
    assert logged.count("transition") == 2


def test_a_closed_reviews_page_shows_the_frozen_tallies_without_reading_the_votes(roster, client):
    """Closing froze each candidate's counts; the page reads those, not the council's votes
    (which cost two thirds of a page of 50 on the demo). While voting, it counts the votes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from thidua.evaluation.tests.conftest import officer, vote_all, voting_review

    review, members = voting_review(roster)
    vote_all(review, roster, members, choices={0: "khong_dong_y"})
    client.force_login(officer(roster))
    url = reverse("evaluation:review", args=[review.unit.code, review.year])
    with CaptureQueriesContext(connection) as voting:
        page = client.get(url).content.decode()
    assert any("councils_vote" in q["sql"] for q in voting.captured_queries)
    assert '<span title="Đồng ý">✓ 4</span> <span title="Không đồng ý">✗ 1</span>' in page
    services.review_transition(actor=officer(roster), review=review, to="closed")
    with CaptureQueriesContext(connection) as closed:
        page = client.get(url).content.decode()
    assert not any("councils_vote" in q["sql"] for q in closed.captured_queries)
    assert '<span title="Đồng ý">✓ 4</span> <span title="Không đồng ý">✗ 1</span>' in page
