"""The pages: movement list/detail/create, plan create/deploy/coverage with the acknowledge and
launch actions, the registration page (banner, progress, grid saved through HTMX, the unit's own
registration, the rule), the import page and its template, and a member's own page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.movements import services
from thidua.movements.models import Deployment, Movement, Plan, Registration, RegistrationRule
from thidua.movements.services import RegistrationInput
from thidua.movements.tests.helpers import ON_TIME, YEAR, deployed_plan, movement, rule
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date
# session, user, grants, unit, year settings, rules, version, subtree versions, the units' own
# registrations, 2 grouped counts, the officer's unit select, the grid's count and page, the
# page's registrations with their titles, commitments and pledges (4), the unit's own
# registration (none yet: no prefetch), the unit's own rule, its year setting
REGISTRATION_QUERIES = 21


def _html(response) -> str:
    return response.content.decode()


# --- movements --------------------------------------------------------------------------------

def test_pages_ask_anonymous_visitors_to_log_in(client, world):
    for url in (reverse("movements:list"), reverse("movements:self"),
                reverse("movements:registration", args=["CDCS-A", YEAR])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_movement_list_shows_scoped_movements_with_a_pinned_query_count(
        client, world, django_assert_num_queries):
    plan = deployed_plan(world)
    movement(world, catalogue_code="NTVT")
    client.force_login(world.officer_cdcs)
    url = reverse("movements:list")
    client.get(url)  # warm the session
    # session, user, grants, count, page, pending deployments (and its plan, issuer, unit)
    with django_assert_num_queries(6):
        html = _html(client.get(url))
    assert "Lao động giỏi" in html and "Người tốt, việc tốt" not in html
    assert "Kế hoạch chờ đơn vị của bạn" in html and plan.number in html
    for _ in range(5):
        movement(world, catalogue_code="SKST")
    client.force_login(world.officer_above)
    client.get(url)
    with django_assert_num_queries(6):
        html = _html(client.get(url))
    assert html.count("Sáng kiến, sáng tạo") == 5


def test_create_a_movement_from_the_catalogue_with_a_document(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.officer_above)
    assert client.get(reverse("movements:create")).status_code == 200
    response = client.post(reverse("movements:create"), {
        "issuer": "CDVC-HN", "catalogue_code": "SDLLLV", "name": "",
        "start_date": f"01/01/{YEAR}", "end_date": f"31/12/{YEAR}", "audience": "",
        "code": "", "content": "",
        "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 noi dung"),
    })
    m = Movement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "movements:detail", args=[m.pk])
    assert m.name == "Sửa đổi lề lối làm việc" and m.attachments.count() == 1
    html = _html(client.get(response["Location"]))
    assert "ke-hoach.pdf" in html and "Lập kế hoạch triển khai" in html
    att = m.attachments.get()
    download = client.get(reverse("movements:attachment", args=[att.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(
        b"%PDF")
    assert 'filename="ke-hoach.pdf"' in download["Content-Disposition"]
    client.force_login(world.outsider)
    assert client.get(reverse("movements:attachment", args=[att.pk])).status_code == 404


def test_create_refusals_show_the_form_again(client, world):
    client.force_login(world.officer_above)
    response = client.post(reverse("movements:create"), {
        "issuer": "CDVC-HN", "catalogue_code": "", "name": "",
        "start_date": f"31/12/{YEAR}", "end_date": f"01/01/{YEAR}"})
    html = _html(response)
    assert response.status_code == 400
    assert "Hãy nhập tên phong trào" in html and "Ngày kết thúc phải sau ngày bắt đầu" in html
    assert not Movement.objects.exists()
    client.force_login(world.viewer)
    assert client.get(reverse("movements:create")).status_code == 403


def test_attaching_a_fake_pdf_is_refused(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    client.force_login(world.officer_above)
    response = client.post(reverse("movements:attach", args=[m.pk]), {
        "file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 executable")})
    assert response.status_code == 400 and "Chỉ nhận tài liệu PDF" in _html(response)
    client.force_login(world.officer_cdcs)  # sees nothing of an undeployed movement
    assert client.get(reverse("movements:detail", args=[m.pk])).status_code == 404


def test_an_oversized_upload_is_refused_before_it_is_read(client, world, settings):
    settings.THIDUA_MAX_UPLOAD_BYTES = 1000
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1000
    m = movement(world)
    client.force_login(world.officer_above)
    response = client.post(reverse("movements:attach", args=[m.pk]), {
        "file": SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 200_000)})
    assert response.status_code == 413 and "Tệp quá lớn" in _html(response)


# --- plans ------------------------------------------------------------------------------------

def test_plan_create_and_deploy_in_one_go(client, world):
    m = movement(world)
    client.force_login(world.officer_above)
    page = client.get(reverse("movements:plan-create") + f"?phong_trao={m.pk}")
    assert page.status_code == 200 and "Lao động giỏi" in _html(page)
    response = client.post(reverse("movements:plan-create"), {
        "issuer": "CDVC-HN", "number": "04/KH-CĐVC", "date": f"10/01/{YEAR}",
        "title": "Kế hoạch triển khai", "movements": [str(m.pk)], "deadline": f"15/02/{YEAR}",
        "levels": ["cdcs"]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert plan.deployments.count() == 2
    html = _html(client.get(reverse("movements:plan", args=[plan.pk])))
    assert "<strong>0/2 công đoàn cơ sở</strong> triển khai" in html
    assert "Chưa tiếp nhận (2)" in html and "Công đoàn Sở Y tế" in html


def test_coverage_page_acknowledge_and_launch(client, world, django_assert_max_num_queries):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_a)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:plan", args=[plan.pk])
    html = _html(client.get(url))
    assert "Báo cáo đã phát động" in html and "Công đoàn Sở Y tế" not in html  # scoped
    assert client.post(reverse("movements:deployment-acknowledge", args=[dep.pk])).status_code \
        == 302
    response = client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                           {"launched_on": f"20/01/{YEAR}", "note": "Hội nghị CBCCVC"})
    assert response.status_code == 302
    dep.refresh_from_db()
    assert dep.launched_on == D(YEAR, 1, 20) and dep.note == "Hội nghị CBCCVC"
    client.force_login(world.officer_above)
    with django_assert_max_num_queries(16):
        html = _html(client.get(url))
    assert "<strong>1/2 công đoàn cơ sở</strong> triển khai" in html
    assert "50% công đoàn cơ sở đã phát động" in html
    assert "Chưa báo cáo phát động (1)" in html
    # a refusal comes back as a message, nothing changes
    response = client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                           {"launched_on": f"20/01/{YEAR}"}, follow=True)
    assert "đã báo cáo phát động ngày" in _html(response)


def test_deployment_actions_outside_scope_are_404(client, world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_b)
    client.force_login(world.officer_cdcs)
    assert client.post(reverse("movements:deployment-launch", args=[dep.pk]),
                       {"launched_on": f"20/01/{YEAR}"}).status_code == 404
    client.force_login(world.viewer)
    assert client.post(reverse("movements:deployment-acknowledge", args=[dep.pk])).status_code \
        == 403
    assert not Deployment.objects.filter(acknowledged_at__isnull=False).exists()


def test_plan_list_and_deploy_form(client, world):
    plan = deployed_plan(world)
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("movements:plans")))
    assert plan.number in html and "0/2 đơn vị" in html
    response = client.post(reverse("movements:plan-deploy", args=[plan.pk]), {"levels": []})
    assert response.status_code == 400 and "ít nhất một cấp" in _html(response)
    response = client.post(reverse("movements:plan-deploy", args=[plan.pk]),
                           {"levels": ["to_cd"]})
    assert response.status_code == 302 and plan.deployments.count() == 3


# --- registration -----------------------------------------------------------------------------

def test_registration_home_redirects(client, world):
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("movements:registration-home"))
    assert response.status_code == 302 and "/dang-ky-thi-dua/CDCS-A/" in response["Location"]
    response = client.get(reverse("movements:registration-home"),
                          {"don_vi": "TO-A1", "nam": "2017"})
    assert response["Location"] == reverse("movements:registration", args=["TO-A1", 2017])
    client.force_login(world.member_user)
    assert client.get(reverse("movements:registration-home"))["Location"] == reverse(
        "movements:self")


def test_registration_page_banner_progress_and_grid(client, world, django_assert_num_queries):
    rule(world)
    for i in range(3):
        make_person(world.to_a1, f"Nguyễn Văn Số {i}", actor=world.admin)
    services.registration_create(actor=world.officer_cdcs, year=YEAR, person=world.member,
                                 via_unit=world.cdcs_a, titles=["LDTT"], commitments=["A"],
                                 registered_on=ON_TIME)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:registration", args=["CDCS-A", YEAR])
    client.get(url)
    with django_assert_num_queries(REGISTRATION_QUERIES):
        html = _html(client.get(url))
    assert f"Còn 3 đoàn viên chưa đăng ký, hạn 25/01/{YEAR}." in html
    assert "Đã hết hạn đăng ký" in html
    assert "0/1 tổ công đoàn đã đăng ký" in html
    assert html.count('name="ids"') == 4
    for i in range(20):
        make_person(world.to_a1, f"Trần Văn Thêm {i}", actor=world.admin)
    with django_assert_num_queries(REGISTRATION_QUERIES):  # the same with 20 more people
        html = _html(client.get(url))
    assert html.count('name="ids"') == 24
    # the "not registered" filter, as an HTMX partial
    response = client.get(url, {"loc": "chua_dang_ky"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_TARGET="bang-dang-ky")
    partial = _html(response)
    assert "<html" not in partial and partial.count('name="ids"') == 23
    assert "Trần Thị Ánh" not in partial


def _grid_post(world, people, **extra):
    data = {"ids": [str(p.pk) for p in people], "q": "", "loc": "", "trang": "1"}
    for p in people:
        data[f"t-{p.pk}"] = ["LDTT"]
        data[f"c-{p.pk}"] = "Không đi muộn\nTự học"
    data.update(extra)
    return data


def test_grid_saves_a_page_in_one_transaction(client, world):
    people = [make_person(world.to_a1, f"Nguyễn Văn Số {i}", actor=world.admin) for i in range(3)]
    client.force_login(world.officer_cdcs)
    url = reverse("movements:registration-save", args=["CDCS-A", YEAR])
    response = client.post(url, _grid_post(world, people), HTTP_HX_REQUEST="true",
                           HTTP_HX_TARGET="bang-dang-ky")
    assert response.status_code == 200, _html(response)
    assert Registration.objects.count() == 3
    assert "đã đăng ký" in _html(response)
    # one bad row (a women's title for a man): nothing written, the error beside the row
    data = _grid_post(world, people)
    data[f"t-{people[0].pk}"] = ["CSTDCS"]
    data[f"t-{people[1].pk}"] = ["GVNDVN"]
    response = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="bang-dang-ky")
    assert response.status_code == 200 and "dành cho nữ" in _html(response)
    assert "mv-row-error" in _html(response)
    assert not Registration.objects.filter(titles__code="CSTDCS").exists()
    # an emptied row withdraws the registration (without HTMX: back to the page)
    data = _grid_post(world, people)
    data[f"t-{people[2].pk}"] = []
    data[f"c-{people[2].pk}"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert Registration.objects.count() == 2


def test_grid_after_the_deadline(client, world):
    rule(world)
    p = make_person(world.to_a1, "Nguyễn Văn Muộn", actor=world.admin)
    client.force_login(world.officer_cdcs)
    page = _html(client.get(reverse("movements:registration", args=["CDCS-A", YEAR])))
    assert "Lưu bảng đăng ký" not in page and " disabled" in page
    url = reverse("movements:registration-save", args=["CDCS-A", YEAR])
    response = client.post(url, _grid_post(world, [p]))
    assert response.status_code == 400 and "Đã hết hạn đăng ký" in _html(response)
    client.force_login(world.leader)
    page = _html(client.get(reverse("movements:registration", args=["CDCS-A", YEAR])))
    assert "Lý do nhận đăng ký muộn" in page
    response = client.post(url, _grid_post(world, [p], late_reason="Ốm dài ngày"))
    assert response.status_code == 302
    assert Registration.objects.get(person=p).late


def test_grid_for_someone_outside_the_unit_is_refused(client, world):
    stranger = make_person(world.cdcs_c, "Người Ngoài", actor=world.admin)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:registration-save", args=["CDCS-A", YEAR])
    response = client.post(url, _grid_post(world, [stranger]))
    assert response.status_code == 400 and not Registration.objects.exists()
    assert client.post(reverse("movements:registration-save", args=["CDCS-C", YEAR]),
                       _grid_post(world, [stranger])).status_code == 404


def test_unit_registration_and_rule_forms(client, world):
    client.force_login(world.officer_above)
    url = reverse("movements:registration-rule", args=["CDVC-HN", YEAR])
    response = client.post(url, {"qd-year_kind": "calendar", "qd-deadline": f"25/01/{YEAR}",
                                 "qd-min_commitments_unit": "2",
                                 "qd-min_commitments_member": "1",
                                 "qd-pledges": "Quy tắc ứng xử", "qd-note": "KH 04"})
    assert response.status_code == 302
    assert RegistrationRule.objects.get().pledges == ["Quy tắc ứng xử"]
    response = client.post(url, {"qd-year_kind": "calendar", "qd-min_commitments_unit": "99",
                                 "qd-min_commitments_member": "1"})
    assert response.status_code == 400 and "Không được lớn hơn 20" in _html(response)
    # the unit's own registration: after the deadline, only with a leader's reason
    url = reverse("movements:registration-unit", args=["CDCS-A", YEAR])
    data = {"tt-titles": ["TTLDTT"], "tt-commitments": "Một\nHai", "tt-pledges": []}
    response = client.post(url, data)
    assert response.status_code == 400 and "Đã hết hạn đăng ký" in _html(response)
    client.force_login(world.leader)
    response = client.post(url, {**data, "tt-late_reason": "Bổ sung theo công văn"})
    assert response.status_code == 302
    assert Registration.objects.get(unit=world.cdcs_a).commitment_count == 2


def test_year_setting_form(client, world):
    client.force_login(world.officer_above)
    url = reverse("movements:year-setting", args=["CDCS-B", YEAR])
    response = client.post(url, {"nh-kind": "school", "nh-start_month": "9", "nh-start_day": "5"})
    assert response.status_code == 302
    html = _html(client.get(reverse("movements:registration", args=["CDCS-B", YEAR])))
    assert f"Đăng ký thi đua năm học {YEAR - 1}–{YEAR}" in html


def test_import_page_good_and_bad_files(client, world, tmp_path):
    p = make_person(world.to_a1, "Nguyễn Văn Nhập", actor=world.admin)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:registration-import", args=["CDCS-A", YEAR])
    assert client.get(url).status_code == 200

    def xlsx(rows):
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf)
        ws = wb.add_worksheet()
        for r, row in enumerate([["Họ và tên", "Số CCCD", "Danh hiệu đăng ký",
                                  "Việc làm cụ thể"], *rows]):
            for c, v in enumerate(row):
                ws.write_string(r, c, v)
        wb.close()
        return SimpleUploadedFile("dk.xlsx", buf.getvalue())

    response = client.post(url, {"file": xlsx([[p.full_name, p.cccd, "LĐTT", "Việc A"],
                                               ["Ai Đó", "001099000001", "LDTT", "Việc"]])})
    html = _html(response)
    assert response.status_code == 200  # the report of a check that ran
    assert "Không tìm thấy người có số CCCD này" in html and "Chưa ghi gì" in html
    assert not Registration.objects.exists()
    response = client.post(url, {"file": xlsx([[p.full_name, p.cccd, "LĐTT", "Việc A"]])})
    assert response.status_code == 200 and "Đã ghi 1 dòng" in _html(response)
    assert Registration.objects.count() == 1
    response = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"MZ not excel")})
    assert response.status_code == 400 and "không phải bảng tính" in _html(response)


def test_template_download_is_for_officers(client, world):
    url = reverse("movements:registration-template", args=["CDCS-A", YEAR])
    client.force_login(world.officer_cdcs)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


# --- a member on their own page -----------------------------------------------------------------

def test_member_registers_on_their_own_page(client, world):
    client.force_login(world.member_user)
    url = reverse("movements:self") + f"?nam={YEAR}"
    html = _html(client.get(url))
    assert f"Đăng ký thi đua năm {YEAR}" in html and "Giỏi việc nước, đảm việc nhà" in html
    response = client.post(url, {"nam": str(YEAR), "titles": ["LDTT", "GVNDVN"],
                                 "commitments": "Không đi muộn\nTự học tin học"})
    assert response.status_code == 302
    reg = Registration.objects.get(person=world.member, year=YEAR)
    assert reg.source == "self" and reg.commitment_count == 2
    html = _html(client.get(url))
    assert "Bạn đã đăng ký" in html and "Tự học tin học" in html


def test_member_page_refusals(client, world):
    rule(world)  # deadline passed
    client.force_login(world.member_user)
    url = reverse("movements:self") + f"?nam={YEAR}"
    html = _html(client.get(url))
    assert "Đã hết hạn đăng ký (25/01/" in html and 'name="titles"' not in html
    response = client.post(url, {"nam": str(YEAR), "titles": ["LDTT"], "commitments": "A"})
    assert response.status_code == 400 and not Registration.objects.exists()
    response = client.post(reverse("movements:self") + f"?nam={YEAR + 1}",
                           {"titles": ["TTLDXS"], "commitments": "A"})
    assert response.status_code == 400  # a collective title is not offered, so not valid
    client.force_login(world.officer_cdcs)  # no person record
    assert client.get(reverse("movements:self")).status_code == 404


def test_a_man_is_not_offered_the_womens_title(client, world):
    from django.contrib.auth import get_user_model

    man = make_person(world.to_a1, "Lê Văn Nam", actor=world.admin)
    user = get_user_model().objects.create_user("levannam", password="x")
    man.user = user
    man.save(update_fields=["user"])
    client.force_login(user)
    html = _html(client.get(reverse("movements:self")))
    assert "Lao động tiên tiến" in html and "Giỏi việc nước" not in html


def test_unknown_year_in_the_url_is_404(client, world):
    client.force_login(world.officer_cdcs)
    assert client.get(reverse("movements:registration", args=["CDCS-A", 99])).status_code == 404
    assert client.get(reverse("movements:registration", args=["CDCS-C", YEAR])).status_code \
        == 404


def test_bulk_helper_is_used_by_the_officer_above(world):
    result = services.registrations_bulk_create(
        actor=world.officer_above, unit=world.cdvc, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(unit_id=world.cdcs_b.pk, titles=["TTLDTT"], row=1)])
    assert result.created == 1
