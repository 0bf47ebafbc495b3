"""The application form with its two tables (authors, trial participants), a file,
and the refusals shown next to the fields."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thidua.initiatives import services
from thidua.initiatives.models import Attachment, Initiative, Status
from thidua.initiatives.tests.helpers import form_data, new_initiative
from thidua.platform import forms as platform_forms
from thidua.testing import datalist

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fake_index")]
PDF = b"%PDF-1.4\n%%EOF\n"


def test_create_page_for_officer_member_and_nobody(client, world):
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:create")).content.decode()
    # authors are chosen with the person picker (a name search), not a list of every name
    assert "Đơn yêu cầu công nhận sáng kiến" in body and "data-person-picker" in body
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


def test_a_wide_scope_types_the_filing_units_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` units the officer types the unit's code (suggested: the scope's two
    top levels): the select of a province's officer was cut at 3.000 units in tree order."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LĐLĐ Hà Nội: 7 units
    url = reverse("initiatives:create")
    page = client.get(url).content.decode()
    assert '<select id="don_vi"' not in page and 'list="don_vi-goi-y"' in page
    suggested = datalist(page, "don_vi-goi-y")
    assert 'value="LDLD-HN"' in suggested and 'value="LDLD-HBT"' in suggested
    assert "CDCS-A" not in suggested
    assert "<strong>Đơn vị:</strong> Liên đoàn Lao động Thành phố Hà Nội" in page
    # a code below the suggestions, typed in small letters, opens the form on that unit
    deeper = client.get(url, {"don_vi": "cdcs-a"}).content.decode()
    assert "<strong>Đơn vị:</strong> Công đoàn Sở Tư pháp" in deeper
    assert 'type="hidden" name="don_vi" value="CDCS-A"' in deeper
    assert client.post(url, form_data(world, don_vi="cdcs-a")).status_code == 302
    assert Initiative.objects.get().unit == world.cdcs_a
    # a code outside the units where the user is an officer: said, and the first unit stays
    for code in ("TLD", "KHONG-CO"):
        other = client.get(url, {"don_vi": code.lower()}).content.decode()
        assert f"Không có đơn vị mã «{code}» trong các đơn vị bạn làm cán bộ." in other
        assert "<strong>Đơn vị:</strong> Liên đoàn Lao động Thành phố Hà Nội" in other
    refused = client.post(url, form_data(world, don_vi="TLD"))
    assert refused.status_code == 400
    assert "Không có đơn vị mã «TLD» trong các đơn vị bạn làm cán bộ." in refused.content.decode()
    assert Initiative.objects.count() == 1


def test_a_narrow_scope_keeps_the_select_without_a_blank(client, world):
    client.force_login(world.officer_cdcs)  # CDCS-A and its group
    url = reverse("initiatives:create")
    page = client.get(url, {"don_vi": "to-a1"}).content.decode()
    assert '<select id="don_vi" name="don_vi"' in page and '<option value="">' not in page
    assert '<option value="TO-A1" selected>' in page
    other = client.get(url, {"don_vi": "CDCS-B"}).content.decode()
    assert "Không có đơn vị mã «CDCS-B» trong các đơn vị bạn làm cán bộ." in other
    assert '<option value="CDCS-A" selected>' in other
    # a member without grants files for their own unit, with nothing to choose
    client.force_login(world.member_user)
    page = client.get(url, {"don_vi": "CDCS-B"}).content.decode()
    assert 'id="don_vi"' not in page and "Không có đơn vị mã" not in page
    assert "<strong>Đơn vị:</strong> Tổ công đoàn Văn phòng" in page
