"""The registration pages: the home redirect, the page of a unit and year (banner, progress, grid
saved through HTMX, the unit's own registration, the rule, the kind of year), the import page and
its template, and a member's own page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import Registration, RegistrationRule
from thidua.movements.services import RegistrationInput
from thidua.movements.tests.helpers import ON_TIME, YEAR, rule, typed_unit_field
from thidua.platform import forms as platform_forms
from thidua.platform.years import first_year, last_year
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date
# session, user, grants, unit, year settings, rules, version, the children's and the unit's
# kept roster figures (2), their own registrations, their kept registered figures (ADR 0037),
# the officer's unit field (a bounded count, then the units),
# the grid's page (its count is the grouped count's), the page's registrations with their
# titles, commitments and pledges (4), the unit's own registration (none yet: no prefetch), the
# unit's own rule, its year setting, the years with registrations (the year select)
REGISTRATION_QUERIES = 22


def _html(response) -> str:
    return response.content.decode()


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


def test_a_wide_scope_types_the_code_of_the_unit_to_open(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the page's unit switch takes a typed code (suggested: the
    scope's two top levels); a code the user does not see comes back to their first unit with
    a message, not a 404."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LĐLĐ Hà Nội: 7 units
    home = reverse("movements:registration-home")
    html = _html(client.get(reverse("movements:registration", args=["CDCS-A", YEAR])))
    field, suggested = typed_unit_field(html, "don_vi")
    assert 'value="CDCS-A"' in field
    assert 'value="LDLD-HN"' in suggested and "CDCS-A" not in suggested
    assert client.get(home, {"don_vi": "to-a1", "nam": YEAR})["Location"] == reverse(
        "movements:registration", args=["TO-A1", YEAR])
    for code in ("tld", "khong-co"):  # above the user's units, and no unit at all
        response = client.get(home, {"don_vi": code, "nam": YEAR}, follow=True)
        assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse(
            "movements:registration", args=["LDLD-HN", YEAR])
        assert (f"Không có đơn vị mã «{code.upper()}» trong các đơn vị bạn xem được."
                in _html(response))
    # without the right to manage: the first unit seen, and a switch offering the one on show
    client.force_login(world.viewer)
    assert "/dang-ky-thi-dua/CDVC-HN/" in client.get(home)["Location"]
    html = _html(client.get(reverse("movements:registration", args=["CDCS-B", YEAR])))
    switch = html[html.index('<select id="don_vi"'):]
    switch = switch[:switch.index("</select>")]
    assert switch.count("<option") == 1 and '<option value="CDCS-B" selected>' in switch


def test_registration_opens_on_the_latest_year_with_registrations(client, world):
    """Not on the year in progress, empty for a unit whose last registrations are older; the
    page offers the years that have registrations and the year in progress."""
    services.registration_create(actor=world.officer_cdcs, year=2019, person=world.member,
                                 via_unit=world.cdcs_a, titles=["LDTT"], commitments=["A"],
                                 registered_on=D(2019, 1, 10))
    client.force_login(world.officer_cdcs)
    response = client.get(reverse("movements:registration-home"))
    assert response["Location"] == reverse("movements:registration", args=["CDCS-A", 2019])
    html = _html(client.get(response["Location"]))
    assert '<option value="2019" selected>' in html
    assert f'<option value="{D.today().year}">' in html
    assert '<option value="2018"' not in html
    # a unit without any registration opens on the year in progress
    client.force_login(world.officer_above)
    response = client.get(reverse("movements:registration-home"), {"don_vi": "CDCS-B"})
    assert response["Location"].endswith(f"/CDCS-B/{D.today().year}/")


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
    # whole CCCD numbers in the file: who took them is in the audit trail
    [entry] = AuditEntry.objects.filter(action="person.cccd_view", actor=world.officer_cdcs)
    assert entry.after["where"] == "movements:registration-template"
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404


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
    # one bound for every year: the platform's
    for year in (first_year() - 1, last_year() + 1):
        url = reverse("movements:registration", args=["CDCS-A", year])
        assert client.get(url).status_code == 404
    assert client.get(reverse("movements:registration", args=["CDCS-C", YEAR])).status_code \
        == 404


def test_bulk_helper_is_used_by_the_officer_above(world):
    result = services.registrations_bulk_create(
        actor=world.officer_above, unit=world.cdvc, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(unit_id=world.cdcs_b.pk, titles=["TTLDTT"], row=1)])
    assert result.created == 1


def test_grid_rows_offer_each_person_the_titles_open_to_them_ticked_as_registered(client, world):
    """Each row's checkboxes: the titles open to that person (a women's title only to a woman),
    ticked as registered, named "t-<person id>", with the full name as a tooltip; all of them
    disabled once the page cannot be edited."""
    import re

    woman = make_person(world.to_a1, "Trần Thị Ngọc", gender="nu", actor=world.admin)
    man = make_person(world.to_a1, "Lê Văn Hải", actor=world.admin)
    services.registration_create(actor=world.officer_cdcs, year=YEAR, person=woman,
                                 via_unit=world.cdcs_a, titles=["LDTT", "GVNDVN"],
                                 commitments=["A"], registered_on=ON_TIME)
    client.force_login(world.officer_cdcs)
    url = reverse("movements:registration", args=["CDCS-A", YEAR])

    def boxes(html: str, person) -> dict[str, str]:
        return {m.group(1): m.group(0) for m in re.finditer(
            rf'<input type="checkbox" name="t-{person.pk}" value="(\w+)"[^>]*>', html)}

    html = _html(client.get(url))
    hers, his = boxes(html, woman), boxes(html, man)
    assert "GVNDVN" in hers and "GVNDVN" not in his and "LDTT" in his
    assert [code for code, box in hers.items() if " checked" in box] == ["LDTT", "GVNDVN"]
    assert not any(" checked" in box or " disabled" in box for box in his.values())
    assert 'title="Lao động tiên tiến"' in html
    rule(world)  # the deadline has passed: the grid is read only
    html = _html(client.get(url))
    assert all(" disabled" in box for box in boxes(html, man).values())
