"""The movement pages: the list, launching one (with its document), its detail page, and uploads
refused by their bytes or their size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.movements.models import Movement
from thidua.movements.tests.helpers import YEAR, deployed_plan, movement, typed_unit_field
from thidua.platform import forms as platform_forms

pytestmark = pytest.mark.django_db
D = dt.date


def _html(response) -> str:
    return response.content.decode()


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


def test_odd_numbers_in_the_address_are_ignored_not_a_server_error(client, world):
    """"²".isdigit() is true and a 30-digit id overflows the database: both fall back."""
    client.force_login(world.officer_cdcs)
    for raw in ("²", "٣", "9" * 30, "-1"):
        assert client.get(reverse("movements:list"), {"nam": raw}).status_code == 200
        assert client.get(reverse("movements:plan-create"),
                          {"phong_trao": raw}).status_code in (200, 404)


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


def test_a_wide_scope_types_the_launching_units_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the officer types the launching unit's code (suggested: the
    scope's two top levels): at the nation's size the select was cut at 3.000 units in tree
    order, so the later ones could not launch a movement."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LĐLĐ Hà Nội: 7 units
    url = reverse("movements:create")
    field, suggested = typed_unit_field(_html(client.get(url)), "issuer")
    assert 'value="LDLD-HN"' in field
    assert 'value="CDVC-HN"' in suggested and "CDCS-A" not in suggested
    field, _ = typed_unit_field(_html(client.get(url, {"don_vi": "cdcs-a"})), "issuer")
    assert 'value="CDCS-A"' in field
    data = {"catalogue_code": "LDG", "name": "", "start_date": f"01/01/{YEAR}",
            "end_date": f"31/12/{YEAR}", "audience": "", "code": "", "content": ""}
    response = client.post(url, {**data, "issuer": "cdcs-a"})
    assert response.status_code == 302 and Movement.objects.get().issuer == world.cdcs_a
    for code in ("tld", "khong-co"):  # above the user's units, and no unit at all
        refused = client.post(url, {**data, "issuer": code})
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code.upper()}» trong các đơn vị bạn làm cán bộ"
                in _html(refused))
    assert Movement.objects.count() == 1
    assert "Lập kế hoạch triển khai" in _html(
        client.get(reverse("movements:detail", args=[Movement.objects.get().pk])))


def test_a_narrow_scope_chooses_the_launching_unit_in_a_select(client, world):
    client.force_login(world.officer_above)
    html = _html(client.get(reverse("movements:create"), {"don_vi": "cdcs-b"}))
    select = html[html.index('<select name="issuer"'):]
    select = select[:select.index("</select>")]
    assert 'list="issuer-goi-y"' not in html and 'value=""' not in select  # no blank
    assert '<option value="CDCS-B" selected>' in select and 'value="CDCS-A"' in select
