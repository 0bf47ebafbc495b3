"""A member downloads everything the system holds about them (issue 10 §2): their record, roster
and membership periods, and every other app's rows about them, as JSON or .xlsx, from their own
page; audited; nobody else's data, and nothing for an account without a record."""

from __future__ import annotations

import io
import json

from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from thidua.audit.models import AuditEntry
from thidua.evaluation.models import Rating
from thidua.testing import make_person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_member_downloads_their_data_as_json_from_their_page(world):
    other = make_person(world.to_a1, "Lê Văn Bình")
    Rating.objects.create(person=world.member, year=2024, unit=world.to_a1, code="HTTNV")
    client = _client(world.member_user)
    page = client.get(reverse("people:detail", args=[world.member.pk])).content.decode()
    assert reverse("my-data") in page
    response = client.get(reverse("my-data"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    sections = {s["model"]: s["rows"] for s in data["sections"]}
    [me] = sections["people.Person"]
    assert me["số CCCD"] == world.member.cccd and me["họ và tên"] == "Trần Thị Ánh"
    assert "name_folded" not in json.dumps(data)
    assert len(sections["people.Employment"]) == 1 and len(sections["people.Membership"]) == 1
    assert sections["evaluation.Rating"][0]["năm"] == 2024
    assert sections["evaluation.Rating"][0]["xếp loại"] == "Hoàn thành tốt nhiệm vụ"
    assert sections["auth.User"][0]["Tên đăng nhập"] == "doanvien"
    text = response.content.decode()
    assert other.cccd not in text and "Lê Văn Bình" not in text
    [entry] = AuditEntry.objects.filter(action="person.data_export")
    assert entry.actor == world.member_user and entry.object_id == str(world.member.pk)
    assert entry.after["format"] == "json"


def test_the_same_data_as_a_spreadsheet(world):
    response = _client(world.member_user).get(reverse("my-data"), {"dinh_dang": "xlsx"})
    assert response.status_code == 200
    wb = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(wb.sheet_names) >= 4
    cells = [str(c) for name in wb.sheet_names
             for row in wb.get_sheet_by_name(name).to_python() for c in row if c]
    assert world.member.cccd in cells and "Trần Thị Ánh" in cells


def test_an_account_without_a_record_gets_nothing(world):
    response = _client(world.officer_cdcs).get(reverse("my-data"))
    assert response.status_code == 404 and "chưa gắn với hồ sơ" in response.content.decode()
    assert not AuditEntry.objects.filter(action="person.data_export").exists()
    assert Client().get(reverse("my-data")).status_code == 302  # anonymous: log in first
