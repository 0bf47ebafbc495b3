"""Who read a whole CCCD is in the audit trail (issue 10 §2): one entry per page, API answer or
export — not one per row —, none when only masked numbers were shown or a member reads their
own, and administrators find the entries on the audit page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.testing import make_person


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _views(user=None) -> list[AuditEntry]:
    qs = AuditEntry.objects.filter(action="person.cccd_view").order_by("seq")
    return list(qs.filter(actor=user) if user is not None else qs)


def test_an_officer_reading_a_list_leaves_one_entry_naming_the_people(world):
    a = make_person(world.cdcs_a, "Lê Văn Bình")
    b = make_person(world.to_a1, "Phạm Thị Hoa", gender="nu")
    html = _client(world.officer_cdcs).get(reverse("people:list"), {"don_vi": "CDCS-A"})
    assert a.cccd in html.content.decode()
    [entry] = _views(world.officer_cdcs)
    assert sorted(entry.after["people"]) == sorted([a.pk, b.pk, world.member.pk])
    assert entry.after["where"] == "people:list" and entry.unit_id == world.cdcs_a.pk
    _client(world.officer_cdcs).get(reverse("people:detail", args=[a.pk]))
    assert _views(world.officer_cdcs)[-1].after == {"where": "people:detail", "people": [a.pk]}


def test_masked_numbers_and_ones_own_number_leave_nothing(world):
    make_person(world.cdcs_a, "Lê Văn Bình")
    _client(world.viewer).get(reverse("people:list"), {"don_vi": "CDCS-A"})
    _client(world.viewer).get("/api/people", {"unit": "CDCS-A"})
    _client(world.member_user).get(reverse("people:detail", args=[world.member.pk]))
    _client(world.member_user).get(f"/api/people/{world.member.pk}")
    assert _views() == []


def test_the_api_leaves_one_entry_per_answer(world):
    for i in range(3):
        make_person(world.cdcs_a, f"Lê Văn Bình {i}")
    body = _client(world.officer_above).get("/api/people", {"unit": "CDCS-A"}).json()
    assert body["count"] == 4
    [entry] = _views(world.officer_above)
    assert len(entry.after["people"]) == 4 and entry.after["where"] == "api:people"
    _client(world.officer_above).get(f"/api/people/{world.member.pk}")
    assert _views(world.officer_above)[-1].after["people"] == [world.member.pk]


def test_administrators_see_who_read_numbers_on_the_audit_page(world):
    _client(world.officer_cdcs).get(reverse("people:list"), {"don_vi": "CDCS-A"})
    html = _client(world.admin).get(reverse("audit:list")).content.decode()
    assert "xem số CCCD đầy đủ" in html and "canbo_cdcs" in html
