"""The evaluation pages: every route inside and outside the scope and for anonymous visitors,
the grid (page save and htmx row save), the import page, a review driven through the pages,
the person's evaluation and the section for the person's page; query counts pinned."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import docx
import pytest
from django.test import Client
from django.urls import reverse

from thidua.councils.models import Council, Member
from thidua.evaluation import services
from thidua.evaluation.models import (
    Candidate,
    Rating,
    Review,
    TitleResult,
    YearLock,
)
from thidua.evaluation.tests.conftest import YEAR, Roster, council, rate
from thidua.evaluation.tests.test_imports import good_rows, xlsx
from thidua.evaluation.views.common import default_year
from thidua.movements.models import RegisteredTitle, Registration
from thidua.platform.years import first_year, last_year
from thidua.testing import make_person

pytestmark = pytest.mark.django_db


def register(people: list[Any], titles: list[str], year: int = YEAR) -> None:
    """Real registrations (the movements app's rows), as the pages read them."""
    for p in people:
        home = p.employments.first().unit
        reg = Registration.objects.create(year=year, person=p, home_unit=home,
                                          registered_on=dt.date(year, 1, 20))
        RegisteredTitle.objects.bulk_create(
            [RegisteredTitle(registration=reg, code=t) for t in titles])


@pytest.fixture
def ready(roster: Roster) -> Roster:
    register(roster.people, ["LDTT", "CSTDCS", "GVNDVN"])
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    return roster


@pytest.fixture
def review(ready: Roster) -> Review:
    w = ready.world
    r = services.review_open(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR)
    council(r, ready)
    return r


def url(name: str, *args: Any) -> str:
    return reverse(f"evaluation:{name}", args=args)


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def routes(review: Review, roster: Roster) -> list[tuple[str, str, list[Any], list[Any]]]:
    """(name, method, args inside CDCS-A, args outside in CDCS-C)."""
    w = roster.world
    other_council = Council.objects.create(unit=w.cdcs_c, kind="review", year=YEAR,
                                           name="Hội đồng khác")
    other = Review.objects.create(unit=w.cdcs_c, year=YEAR, council=other_council)
    other_c = Candidate.objects.create(review=other, person=make_person(
        w.cdcs_c, "Lý Văn Ngoài", actor=w.admin), title="LDTT", source="engine")
    other_m = Member.objects.create(council=other_council, full_name="Người ngoài",
                                    role="uy_vien")
    c = review.candidates.first()
    m = review.council.members.first()
    person = roster.people[0]
    inside, outside = ["CDCS-A", YEAR], ["CDCS-C", YEAR]
    return [
        ("unit-year", "get", inside, outside),
        ("ratings-save", "post", inside, outside),
        ("rating-row", "post", [*inside, person.pk], [*outside, other_c.person_id]),
        ("import", "get", inside, outside),
        ("template", "get", inside, outside),
        ("unit-ratings", "post", inside, outside),
        ("grading", "get", inside, outside),
        ("grading-templates", "get", inside, outside),
        ("review", "get", inside, outside),
        ("review-open", "post", inside, outside),
        ("review-propose", "post", inside, outside),
        ("candidate-add", "post", inside, outside),
        ("candidate-remove", "post", [*inside, c.pk], [*outside, other_c.pk]),
        ("votes", "get", [*inside, c.pk], [*outside, other_c.pk]),
        ("council-add", "post", inside, outside),
        ("council-remove", "post", [*inside, m.pk], [*outside, other_m.pk]),
        ("presence", "post", inside, outside),
        ("meeting", "post", inside, outside),
        ("votes-fill", "post", inside, outside),
        ("review-transition", "post", inside, outside),
        ("minutes", "get", inside, outside),
        ("results", "get", inside, outside),
        ("unit-home", "get", inside[:1], outside[:1]),
        ("correct", "post", inside, outside),
        ("lock", "post", inside, outside),
        ("settings", "get", inside, outside),
        ("person", "get", [person.pk, YEAR], [other_c.person_id, YEAR]),
        ("person-section", "get", [person.pk], [other_c.person_id]),
        ("discipline-add", "post", [person.pk], [other_c.person_id]),
        ("initiative-add", "post", [person.pk], [other_c.person_id]),
        ("pending-add", "post", [person.pk], [other_c.person_id]),
    ]


def test_every_route_is_walked(review, ready, client):
    from thidua.evaluation.urls import urlpatterns

    walked = {name for name, *_ in routes(review, ready)}
    assert walked | {"index"} == {p.name for p in urlpatterns}


def test_every_route_inside_outside_and_anonymous(review, ready, client):
    w = ready.world
    officer, outsider = Client(), Client()
    login(officer, w.officer_cdcs)
    login(outsider, w.outsider)
    for name, method, inside, outside in routes(review, ready):
        call = getattr(client, method)
        anon = call(url(name, *inside))
        assert anon.status_code == 302 and "/dang-nhap/" in anon["Location"], name
        ok = getattr(officer, method)(url(name, *inside))
        assert ok.status_code in (200, 302, 403), (name, ok.status_code)
        assert getattr(officer, method)(url(name, *outside)).status_code == 404, name
        assert getattr(outsider, method)(url(name, *inside)).status_code == 404, name
    missing = officer.get(url("unit-year", "KHONG-CO", YEAR))
    outside = officer.get(url("unit-year", "CDCS-C", YEAR))
    assert missing.status_code == outside.status_code == 404
    assert officer.get(url("unit-year", "CDCS-A", 1990)).status_code == 404
    assert officer.get(url("votes", "CDCS-A", YEAR, 987654)).status_code == 404


def test_index_leads_to_the_users_unit_or_own_record(ready, client):
    w = ready.world
    response = login(client, w.officer_cdcs).get(url("index"))
    assert response.status_code == 302 and "/danh-gia/CDCS-A/" in response["Location"]
    member = login(Client(), w.member_user).get(url("index"))
    assert f"/danh-gia/nguoi/{w.member.pk}/" in member["Location"]


def test_the_year_page_shows_the_grid_and_its_query_count_does_not_grow(
        ready, client, django_assert_max_num_queries):
    w = ready.world
    login(client, w.officer_cdcs)
    page = url("unit-year", "CDCS-A", YEAR)
    client.get(page)  # warm caches (rule sets, grants)
    with django_assert_max_num_queries(40) as small:
        response = client.get(page)
    html = response.content.decode()
    assert "Đánh giá, bình xét năm 2024" in html
    assert f'name="r-{ready.people[0].pk}-code"' in html
    assert "Trần Thị Ánh" in html and "Khóa số liệu năm 2024" in html
    for i in range(30):
        make_person(w.to_a1, f"Người thêm {i}", actor=w.admin)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert "36 người" in response.content.decode()


def test_a_viewer_sees_the_ratings_without_inputs(ready, client):
    response = login(client, ready.world.viewer).get(url("unit-year", "CDCS-A", YEAR))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hoàn thành xuất sắc nhiệm vụ" in html and 'name="r-' not in html


def test_the_grid_saves_a_page_and_refuses_it_whole(ready, client):
    w = ready.world
    p = ready.people
    login(client, w.officer_cdcs)
    response = client.post(url("ratings-save", "CDCS-A", YEAR), {
        f"r-{p[3].pk}-code": "HTTNV", f"r-{p[3].pk}-absence_days": "2",
        f"r-{p[3].pk}-maternity_days": "", f"r-{p[3].pk}-service_months": "",
        f"r-{p[5].pk}-code": "HTNV", f"r-{p[5].pk}-absence_days": "",
        f"r-{p[5].pk}-maternity_days": "", f"r-{p[5].pk}-service_months": "11"},
        follow=True)
    assert "Đã lưu: thêm mới 0, cập nhật 2" in response.content.decode()
    assert Rating.objects.get(person=p[5]).service_months == 11
    newcomer = make_person(w.to_a1, "Đinh Văn Mới", actor=w.admin)
    client.post(url("ratings-save", "CDCS-A", YEAR), {
        f"r-{newcomer.pk}-code": "", f"r-{newcomer.pk}-absence_days": "",
        f"r-{newcomer.pk}-maternity_days": "", f"r-{newcomer.pk}-service_months": "",
        f"r-{p[3].pk}-code": "HTTNV"})
    assert not Rating.objects.filter(person=newcomer).exists()  # a blank row is not a rating
    response = client.post(url("ratings-save", "CDCS-A", YEAR), {
        f"r-{p[3].pk}-code": "HTXSNV", f"r-{p[5].pk}-absence_days": "hai"}, follow=True)
    assert "chưa lưu dòng nào" in response.content.decode()
    assert Rating.objects.get(person=p[3]).code == "HTTNV"


def test_an_htmx_row_save_returns_the_row(ready, client):
    w = ready.world
    p = ready.people[5]
    login(client, w.officer_cdcs)
    response = client.post(url("rating-row", "CDCS-A", YEAR, p.pk), {
        f"r-{p.pk}-code": "HTTNV", f"r-{p.pk}-absence_days": "1",
        f"r-{p.pk}-maternity_days": "0", f"r-{p.pk}-service_months": "", f"r-{p.pk}-n": "6"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"dong-{p.pk}")
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith(f'<tr id="dong-{p.pk}"')
    assert "Đã lưu." in html and "saved" in html
    assert Rating.objects.get(person=p).code == "HTTNV"
    services.year_lock(actor=w.leader, unit=w.cdvc, year=YEAR)
    response = client.post(url("rating-row", "CDCS-A", YEAR, p.pk), {
        f"r-{p.pk}-code": "HTXSNV"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"dong-{p.pk}")
    assert "đã khóa" in response.content.decode() and "refused" in response.content.decode()
    assert Rating.objects.get(person=p).code == "HTTNV"


def test_the_children_are_rated_on_the_year_page(ready, client):
    w = ready.world
    login(client, w.officer_cdcs)
    client.post(url("unit-ratings", "CDCS-A", YEAR), {f"u-{w.to_a1.pk}": "HTXSNV"})
    assert w.to_a1.ratings.get(year=YEAR).code == "HTXSNV"
    assert client.post(url("unit-ratings", "CDCS-A", YEAR),
                       {f"u-{w.cdcs_c.pk}": "HTXSNV"}).status_code == 404


def test_the_import_page_imports_a_file_or_lists_its_errors(ready, client, tmp_path):
    w = ready.world
    login(client, w.officer_cdcs)
    Rating.objects.all().delete()
    path = xlsx(tmp_path / "xep-loai.xlsx", good_rows(ready))
    with open(path, "rb") as f:
        response = client.post(url("import", "CDCS-A", YEAR), {"file": f})
    html = response.content.decode()
    assert "Đã nhập xếp loại 4 dòng" in html and Rating.objects.count() == 4
    bad = xlsx(tmp_path / "sai.xlsx", [[1, "Ai đó", "001099000001", "", "HTTNV", 0, 0, None]])
    with open(bad, "rb") as f:
        response = client.post(url("import", "CDCS-A", YEAR), {"file": f})
    html = response.content.decode()
    assert "chưa ghi dòng nào" in html and "không có trong danh sách" in html
    template = client.get(url("template", "CDCS-A", YEAR))
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_review_through_the_pages(ready, client, django_assert_max_num_queries):
    w = ready.world
    p = ready.people
    login(client, w.officer_cdcs)
    page = url("review", "CDCS-A", YEAR)
    assert "Mở bình xét năm 2024" in client.get(page).content.decode()
    client.post(url("review-open", "CDCS-A", YEAR))
    review = Review.objects.get(unit=w.cdcs_a, year=YEAR)
    html = client.get(page).content.decode()
    assert "Vì sao" in html and "Lao động tiên tiến" in html and "Theo quy tắc" in html
    # an addition without a reason is refused on the page
    response = client.post(url("candidate-add", "CDCS-A", YEAR),
                           {"kind": "person", "cn-who": p[3].cccd, "cn-title": "LDTT", "cn-reason": ""},
                           follow=True)
    assert "Lý do bổ sung" in response.content.decode()
    client.post(url("candidate-add", "CDCS-A", YEAR),
                {"kind": "person", "cn-who": p[3].member_code, "cn-title": "LDTT",
                 "cn-reason": "Có thành tích đột xuất trong năm"})
    assert review.candidates.filter(person=p[3], source="officer").exists()
    c = review.candidates.get(person=p[4], title="LDTT")
    client.post(url("candidate-remove", "CDCS-A", YEAR, c.pk), {"reason": "Chưa hoàn thành cam kết"})
    c.refresh_from_db()
    assert not c.included
    for name, role in [("Nguyễn Văn Chủ", "chu_tich"), ("Lê Thị Thư", "thu_ky"),
                       ("Phạm Ủy Viên", "uy_vien")]:
        client.post(url("council-add", "CDCS-A", YEAR), {"hd-name": name, "hd-role": role,
                                                         "hd-position": "Ủy viên BCH"})
    client.post(url("council-add", "CDCS-A", YEAR), {"hd-who": p[0].cccd, "hd-role": "uy_vien"})
    assert review.council.members.count() == 4
    client.post(url("meeting", "CDCS-A", YEAR), {"hop-meeting_date": "12/12/2024",
                                                 "hop-meeting_place": "Hội trường",
                                                 "hop-place_name": "Hà Nội"})
    client.post(url("review-transition", "CDCS-A", YEAR), {"to": "voting"})
    review.refresh_from_db()
    assert review.status == "voting" and review.council.meeting_date == dt.date(2024, 12, 12)
    members = list(review.council.members.order_by("pk"))
    target = review.candidates.filter(included=True, title="CSTDCS").first()
    votes_page = url("votes", "CDCS-A", YEAR, target.pk)
    assert "Phiếu biểu quyết" in client.get(votes_page).content.decode()
    client.post(votes_page, {f"m-{m.pk}": "dong_y" for m in members[:3]} | {
        f"m-{members[3].pk}": "khong_dong_y", f"y-{members[3].pk}": "Chưa đủ thành tích"})
    assert target.subject.votes.count() == 4
    for m in members:
        client.post(url("votes-fill", "CDCS-A", YEAR), {"phieu-member": m.pk,
                                                        "phieu-choice": "dong_y"})
    with django_assert_max_num_queries(60):
        html = client.get(page).content.decode()
    assert "Kết thúc bỏ phiếu, ghi kết quả" in html
    client.post(url("review-transition", "CDCS-A", YEAR), {"to": "closed"})
    review.refresh_from_db()
    assert review.status == "closed"
    target.refresh_from_db()
    assert target.outcome == "failed"  # 3 of 4 is under 80 %
    minutes = client.get(url("minutes", "CDCS-A", YEAR))
    assert minutes["Content-Disposition"].endswith('bien-ban-binh-xet-CDCS-A-2024.docx"')
    document = docx.Document(io.BytesIO(minutes.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Nguyễn Văn Chủ" in cells[-1] and "75,0%" in cells
    results = client.get(url("results", "CDCS-A", YEAR)).content.decode()
    assert "Hội đồng bình xét" in results and "Lao động tiên tiến" in results
    # the lock needs a leader; then a correction is the only way
    assert client.post(url("lock", "CDCS-A", YEAR)).status_code == 403
    login(Client(), w.leader).post(url("lock", "CDCS-A", YEAR), {"note": "Chốt"})
    assert YearLock.objects.filter(unit=w.cdcs_a, year=YEAR).exists()
    response = client.post(url("correct", "CDCS-A", YEAR), {
        "action": "revoke", "who": p[1].cccd, "title": "LDTT",
        "reason": "Phát hiện sai sót hồ sơ sau bình xét"}, follow=True)
    assert "Đã hủy danh hiệu" in response.content.decode()
    assert TitleResult.objects.get(person=p[1], title="LDTT").revoked
    assert "Phát hiện sai sót hồ sơ" in client.get(url("results", "CDCS-A", YEAR)).content.decode()


@pytest.mark.parametrize(("year", "scale", "bands", "label", "other"), [
    (2017, "cu", "vung_manh | 85 | 0,5\nkha | 70\ntrung_binh | 50", "CĐCS vững mạnh",
     "hoàn thành xuất sắc"),
    (2025, "moi", "HTXSNV | 85 | 0,5\nHTTNV | 70\nHTNV | 50",
     "CĐCS hoàn thành xuất sắc nhiệm vụ", "vững mạnh"),
])
def test_grading_templates_and_grading_through_the_pages(ready, client, year, scale, bands,
                                                         label, other):
    """Each year's grading scale: 2017 is graded "vững mạnh, khá, trung bình, yếu", 2025 on the
    labels of HD 1294/HD-TLĐ — on the sheet form, the grading page and the unit's year page."""
    w = ready.world
    login(client, w.officer_above)
    form = client.get(url("grading-templates", "CDVC-HN", year)).content.decode()
    assert f'<option value="{scale}" selected>' in form
    client.post(url("grading-templates", "CDVC-HN", year), {
        "name": f"Bảng điểm CĐCS {year}", "scale": scale, "confidence": "C",
        "source": "Thang xếp loại CĐCS",
        "criteria": "C1 | Đại diện | Chăm lo đoàn viên | 40\nC2 | Tổ chức | Xây dựng tổ chức | 35\n"
                    "C3 | Khác | Tuyên truyền | 25",
        "thresholds": bands})
    html = client.get(url("grading-templates", "CDVC-HN", year)).content.decode()
    assert f"Bảng điểm CĐCS {year}" in html and "từ 85 điểm" in html
    login(client, w.officer_cdcs)
    page = client.get(url("grading", "CDCS-A", year)).content.decode()
    assert "Chăm lo đoàn viên" in page and label in page and other not in page
    from thidua.evaluation.models import GradingTemplate

    t = GradingTemplate.objects.get()
    ids = {c.code: c.pk for c in t.criteria.all()}
    response = client.post(url("grading", "CDCS-A", year), {
        "template": t.pk, f"c-{ids['C1']}": "36", f"c-{ids['C2']}": "30",
        f"c-{ids['C3']}": "20"}, follow=True)
    page = response.content.decode()
    assert f"Đã chấm 86 điểm: {label}." in page and f"86 điểm — {label}" in page
    assert other not in page
    year_page = login(client, w.officer_above).get(url("unit-year", "CDVC-HN", year))
    assert f"86 điểm — {label}" in year_page.content.decode()


def test_a_person_sees_why(ready, client):
    w = ready.world
    response = login(client, w.member_user).get(url("person", w.member.pk, YEAR))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chiến sĩ thi đua cơ sở" in html and "Đủ điều kiện" in html
    assert "Luật 06/2022/QH15" in html  # every reason names its source
    assert "Ghi hình thức kỷ luật" not in html  # a member does not edit
    other = ready.people[1]
    assert client.get(url("person", other.pk, YEAR)).status_code == 404


def test_an_officer_records_discipline_and_initiatives_on_the_person_page(ready, client):
    w = ready.world
    p = ready.people[1]
    login(client, w.officer_cdcs)
    client.post(url("discipline-add", p.pk), {"kl-form": "khien_trach",
                                              "kl-valid_from": "01/03/2024",
                                              "kl-valid_to": "01/09/2024", "year": YEAR})
    client.post(url("initiative-add", p.pk), {"sk-name": "Số hóa hồ sơ", "sk-year": YEAR,
                                              "sk-level": "co_so"})
    html = client.get(url("person", p.pk, YEAR)).content.decode()
    assert "Khiển trách từ 01/03/2024 đến 01/09/2024" in html
    assert "Số hóa hồ sơ — Cấp cơ sở, năm 2024" in html
    assert "Chưa đủ điều kiện" in html and "kỷ luật" in html


def test_an_initiative_year_outside_the_one_bound_is_refused(ready, client):
    w = ready.world
    p = ready.people[1]
    login(client, w.officer_cdcs)
    response = client.post(url("initiative-add", p.pk), {
        "sk-name": "Số hóa hồ sơ", "sk-year": first_year() - 1, "sk-level": "co_so"},
        follow=True)
    assert (f"Năm công nhận phải từ {first_year()} đến {last_year()}."
            in response.content.decode())
    assert not p.recognized_initiatives.exists()
    # the page it returns to is the likely year's, the typed one being out of range
    assert response.redirect_chain[0][0] == url("person", p.pk, default_year()) + "#sang-kien"


def test_the_section_for_the_persons_page(ready, client, django_assert_num_queries):
    w = ready.world
    TitleResult.objects.create(person=w.member, year=YEAR, title="LDTT", unit=w.cdcs_a,
                               how="council")
    login(client, w.officer_cdcs)
    page = client.get(reverse("people:detail", args=[w.member.pk])).content.decode()
    assert f'hx-get="{url("person-section", w.member.pk)}"' in page
    # the session, the user, the person and its scope: 4; the ratings and the titles: 2
    with django_assert_num_queries(6):
        response = client.get(url("person-section", w.member.pk), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Danh hiệu và đánh giá" in html
    assert "2024" in html and "Lao động tiên tiến" in html
    assert "Hoàn thành xuất sắc nhiệm vụ" in html
    assert url("person", w.member.pk, YEAR) in html
    # without HTMX (no script): straight to the latest year's evaluation
    assert client.get(url("person-section", w.member.pk))["Location"] == url(
        "person", w.member.pk, YEAR)


def test_the_section_of_someone_without_records_points_at_the_likely_year(ready, client):
    w = ready.world
    p = ready.people[-1]
    Rating.objects.filter(person=p).delete()
    login(client, w.officer_cdcs)
    html = client.get(url("person-section", p.pk), HTTP_HX_REQUEST="true").content.decode()
    assert "Chưa có xếp loại hay danh hiệu nào được ghi." in html
    assert url("person", p.pk, default_year()) in html


def test_histories_show_names_not_usernames(review, ready, client):
    """Issue 8 §4: the review's log and the corrections name the person ("Trần Thị Hoa"), not
    the account ("canbo_cdcs_a")."""
    w = ready.world
    officer = w.officer_cdcs
    officer.last_name, officer.first_name = "Trần Thị", "Hoa"
    officer.save(update_fields=["last_name", "first_name"])
    login(client, officer)
    html = client.get(url("review", "CDCS-A", YEAR)).content.decode()
    log = html[html.index('id="nhat-ky"'):]
    assert "Trần Thị Hoa" in log and officer.get_username() not in log
    login(Client(), w.leader).post(url("lock", "CDCS-A", YEAR), {"note": "Chốt"})
    services.rating_correct(actor=officer, unit=w.cdcs_a, year=YEAR, person=ready.people[1],
                            code="HTNV", reason="Nhầm xếp loại khi nhập")
    html = client.get(url("results", "CDCS-A", YEAR)).content.decode()
    table = html[html.index("Người làm"):]
    assert "Trần Thị Hoa" in table and officer.get_username() not in table
