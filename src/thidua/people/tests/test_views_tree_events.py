"""The tree-event pages: a form, a preview that writes nothing and says what moves where, then
the confirmation through the one service (one audit entry), scoped to the leader's subtree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thidua.accounts.services import role_grant_create
from thidua.audit.models import AuditEntry
from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.people.models import Employment, Membership
from thidua.platform import forms as platform_forms
from thidua.testing import World, make_person, make_unit, make_user

pytestmark = pytest.mark.django_db
D = dt.date
EVENTS = ["unit-create", "unit-rename", "unit-move", "unit-merge", "unit-split", "unit-dissolve"]


def _url(name: str, unit: Unit) -> str:
    return reverse(f"people:{name}", args=[unit.code])


def _snapshot() -> tuple[int, ...]:
    """Everything a tree event would write."""
    return (
        Unit.objects.count(), Unit.objects.filter(valid_to__isnull=False).count(),
        UnitVersion.objects.count(), UnitEvent.objects.count(), AuditEntry.objects.count(),
        Employment.objects.count(), Membership.objects.count(),
    )


def _form(**data: object) -> dict[str, object]:
    return {"date": "01/01/2027", "decision": "125/QĐ-LĐLĐ", "note": "Sắp xếp lại tổ chức",
            **data}


def _people(unit: Unit, n: int, world: World, prefix: str = "Lê Văn") -> None:
    for i in range(n):
        make_person(unit, f"{prefix} Thành {i}", start=D(2012, 1, 1), actor=world.admin)


# --- who sees the links and who may open the pages ---------------------------------------------

def test_only_a_leader_over_the_unit_sees_the_tree_event_links(client, world):
    client.force_login(world.leader)
    html = client.get(reverse("org:unit", args=["CDCS-A"])).content.decode()
    for name in EVENTS:
        assert _url(name, world.cdcs_a) in html
    for user in (world.officer_cdcs, world.officer_above, world.viewer):
        client.force_login(user)
        html = client.get(reverse("org:unit", args=["CDCS-A"])).content.decode()
        assert "Thay đổi cây tổ chức" not in html
        assert all(_url(name, world.cdcs_a) not in html for name in EVENTS)


def test_a_root_shows_no_move_merge_or_split_link(client, world):
    client.force_login(world.admin)
    html = client.get(reverse("org:unit", args=["TLD"])).content.decode()
    assert _url("unit-rename", world.tld) in html
    assert _url("unit-move", world.tld) not in html
    assert _url("unit-merge", world.tld) not in html


@pytest.mark.parametrize("name", EVENTS)
def test_a_leader_of_another_branch_gets_404(client, world, name):
    other = make_user("lanhdao_hbt")
    role_grant_create(actor=None, user=other, unit=world.hbt, role="leader")
    for user in (other, world.outsider, world.member_user):
        client.force_login(user)
        assert client.get(_url(name, world.cdcs_a)).status_code == 404
        assert client.post(_url(name, world.cdcs_a), _form(xac_nhan="1")).status_code == 404


@pytest.mark.parametrize("name", EVENTS)
def test_an_officer_or_viewer_is_refused_with_the_reason(client, world, name):
    for user in (world.officer_above, world.viewer):
        client.force_login(user)
        response = client.get(_url(name, world.cdcs_a))
        assert response.status_code == 403
        assert "cần quyền «Lãnh đạo»" in response.content.decode()


# --- merge ------------------------------------------------------------------------------------

def _merge_b_into_a(world: World) -> None:
    _people(world.cdcs_b, 3, world)
    to_b = make_unit("TO-B1", "to_cd", world.cdcs_b, name="Tổ công đoàn Khoa Nội")
    _people(to_b, 2, world, "Phạm Thị")
    make_unit("TO-B2", "to_cd", world.cdcs_b, name="Tổ công đoàn Khoa Ngoại")


def test_merge_preview_says_what_moves_and_writes_nothing(client, world):
    _merge_b_into_a(world)
    client.force_login(world.leader)
    before = _snapshot()
    response = client.post(_url("unit-merge", world.cdcs_a), _form(sources=["CDCS-B"], mode="into"))
    html = response.content.decode()
    assert response.status_code == 200
    assert _snapshot() == before
    assert ("Chuyển 2 đơn vị trực thuộc (cùng 2 người lao động, 2 đoàn viên trong các đơn vị đó) "
            "và 3 người lao động, 3 đoàn viên từ «Công đoàn Sở Y tế» sang «Công đoàn Sở Tư pháp»."
            ) in html
    assert "«Công đoàn Sở Y tế» chấm dứt hoạt động từ ngày 01/01/2027." in html
    assert 'name="xac_nhan"' in html
    # what will be confirmed travels as hidden fields, unchanged
    assert 'type="hidden" name="sources" value="CDCS-B"' in html
    assert 'type="hidden" name="date" value="01/01/2027"' in html


def test_merge_confirmed_moves_everyone_with_one_audit_entry(client, world):
    _merge_b_into_a(world)
    client.force_login(world.leader)
    entries = AuditEntry.objects.count()
    response = client.post(_url("unit-merge", world.cdcs_a),
                           _form(sources=["CDCS-B"], mode="into", xac_nhan="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit", args=["CDCS-A"])
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "unit.merge"
    world.cdcs_b.refresh_from_db()
    assert world.cdcs_b.valid_to == D(2027, 1, 1)
    assert Employment.objects.filter(unit=world.cdcs_a, valid_to__isnull=True).count() == 3
    event = UnitEvent.objects.get(kind="merge")
    assert event.decision == "125/QĐ-LĐLĐ" and event.note == "Sắp xếp lại tổ chức"
    page = client.get(response["Location"]).content.decode()
    assert "Đã sáp nhập 1 đơn vị vào «Công đoàn Sở Tư pháp»." in page


def test_merge_into_a_new_unit(client, world):
    _people(world.cdcs_b, 1, world)
    client.force_login(world.leader)
    data = _form(sources=["CDCS-B"], mode="new", new_name="Công đoàn Sở Tư pháp – Y tế",
                 new_code="cdcs-ab", new_type="cdcs")
    html = client.post(_url("unit-merge", world.cdcs_a), data).content.decode()
    assert "Thành lập «Công đoàn Sở Tư pháp – Y tế» (mã CDCS-AB, công đoàn cơ sở)" in html
    assert "«Công đoàn Sở Tư pháp» chấm dứt hoạt động" in html
    response = client.post(_url("unit-merge", world.cdcs_a), {**data, "xac_nhan": "1"})
    assert response["Location"] == reverse("org:unit", args=["CDCS-AB"])
    merged = Unit.objects.get(code="CDCS-AB")
    assert Employment.objects.filter(unit=merged, valid_to__isnull=True).count() == 1
    world.to_a1.refresh_from_db()
    assert Unit.objects.get_parent(world.to_a1) == merged  # CDCS-A's group, with its member


def test_merge_new_unit_needs_its_name_code_and_type(client, world):
    client.force_login(world.leader)
    response = client.post(_url("unit-merge", world.cdcs_a), _form(sources=["CDCS-B"], mode="new"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hợp nhất thành đơn vị mới: hãy nhập tên đơn vị mới." in html


def test_merge_refused_by_the_service_keeps_the_form_and_the_message(client, world):
    client.force_login(world.leader)
    before = _snapshot()
    response = client.post(_url("unit-merge", world.cdcs_a),
                           _form(sources=["CDCS-B"], mode="into", date="01/01/2005",
                                 note="Ghi chú giữ nguyên", xac_nhan="1"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "thành lập ngày 01/01/2010; không thể ghi sự kiện ngày 01/01/2005" in html
    assert "Ghi chú giữ nguyên" in html and 'value="01/01/2005"' in html
    assert 'name="sources" value="CDCS-B" id="id_sources_0" checked' in html
    assert _snapshot() == before


def test_merge_offers_only_siblings_the_user_leads(client, world):
    client.force_login(world.leader)
    html = client.get(_url("unit-merge", world.cdcs_a)).content.decode()
    assert 'value="CDCS-B"' in html
    assert 'value="CDCS-C"' not in html  # another parent
    response = client.post(_url("unit-merge", world.cdcs_a), _form(sources=["CDCS-C"], mode="into"))
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ" in response.content.decode()


# --- create, rename, move ------------------------------------------------------------------------

def test_create_preview_then_confirm(client, world):
    client.force_login(world.leader)
    data = _form(name="Tổ công đoàn Kế toán", code="to-a2", type="to_cd", short_name="")
    before = _snapshot()
    html = client.post(_url("unit-create", world.cdcs_a), data).content.decode()
    assert _snapshot() == before
    assert ("Thành lập «Tổ công đoàn Kế toán» (mã TO-A2, tổ công đoàn) trực thuộc «Công đoàn Sở "
            "Tư pháp» từ ngày 01/01/2027.") in html
    response = client.post(_url("unit-create", world.cdcs_a), {**data, "xac_nhan": "1"})
    assert response["Location"] == reverse("org:unit", args=["TO-A2"])
    assert Unit.objects.get_parent(Unit.objects.get(code="TO-A2")) == world.cdcs_a


def test_create_with_a_used_code_shows_the_error_on_the_code(client, world):
    client.force_login(world.leader)
    response = client.post(_url("unit-create", world.cdcs_a),
                           _form(name="Tổ mới", code="TO-A1", type="to_cd", xac_nhan="1"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mã đơn vị «TO-A1» đã được dùng cho đơn vị khác." in html
    assert 'id="id_code-loi"' in html and 'value="Tổ mới"' in html


def test_rename_preview_then_confirm(client, world):
    client.force_login(world.leader)
    data = _form(name="Công đoàn Sở Tư pháp Hà Nội", short_name="CĐ STP")
    before = _snapshot()
    html = client.post(_url("unit-rename", world.cdcs_a), data).content.decode()
    assert _snapshot() == before
    assert "«Công đoàn Sở Tư pháp» đổi tên thành «Công đoàn Sở Tư pháp Hà Nội» từ ngày 01/01/2027." in html
    response = client.post(_url("unit-rename", world.cdcs_a), {**data, "xac_nhan": "1"})
    assert response.status_code == 302
    world.cdcs_a.refresh_from_db()
    assert world.cdcs_a.name == "Công đoàn Sở Tư pháp Hà Nội"
    assert AuditEntry.objects.order_by("-seq").first().action == "unit.rename"


def test_move_preview_counts_the_subtree_and_writes_nothing(client, world):
    _people(world.cdcs_a, 2, world)
    client.force_login(world.leader)
    before = _snapshot()
    html = client.post(_url("unit-move", world.cdcs_a), _form(new_parent="LDLD-HBT")).content.decode()
    assert _snapshot() == before
    assert ("Chuyển «Công đoàn Sở Tư pháp» (cùng 1 đơn vị trực thuộc, 3 người lao động, 3 đoàn viên) "
            "từ «Công đoàn Viên chức thành phố Hà Nội» sang «Liên đoàn Lao động quận Hai Bà Trưng» "
            "từ ngày 01/01/2027.") in html
    response = client.post(_url("unit-move", world.cdcs_a),
                           _form(new_parent="LDLD-HBT", xac_nhan="1"))
    assert response.status_code == 302
    world.cdcs_a.refresh_from_db()
    assert Unit.objects.get_parent(world.cdcs_a) == world.hbt


def test_move_may_not_leave_the_leaders_subtree(client, world):
    client.force_login(world.leader)
    html = client.get(_url("unit-move", world.cdcs_a)).content.decode()
    assert 'value="LDLD-HBT"' in html
    assert 'value="TLD"' not in html  # above the leader's grant
    assert 'value="TO-A1"' not in html  # inside the unit itself
    assert 'value="CDVC-HN"' not in html  # its present parent
    before = _snapshot()
    response = client.post(_url("unit-move", world.cdcs_a), _form(new_parent="TLD", xac_nhan="1"))
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ" in response.content.decode()
    assert _snapshot() == before


def test_a_wide_scope_types_the_new_parents_code(client, world, monkeypatch):
    """Beyond `UNIT_CHOICES` places to move to, the new parent is a typed code (suggested: the
    leader's two top levels) instead of a select of every unit the leader leads."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)  # LDLD-HN and its 6 units
    url = _url("unit-move", world.to_a1)
    page = client.get(url).content.decode()
    assert '<select name="new_parent"' not in page and 'list="new_parent-goi-y"' in page
    start = page.index('<datalist id="new_parent-goi-y">')
    suggested = page[start:page.index("</datalist>", start)]
    assert 'value="LDLD-HN"' in suggested and 'value="LDLD-HBT"' in suggested
    assert "CDCS-B" not in suggested and "CDCS-A" not in suggested  # below; its parent
    before = _snapshot()
    for code in ("CDCS-A", "TO-A1", "TLD", "KHONG-CO"):  # its parent; itself; above; none
        refused = client.post(url, _form(new_parent=code.lower(), xac_nhan="1"))
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code}» trong các đơn vị bạn lãnh đạo, trừ «Tổ công đoàn "
                "Văn phòng», các đơn vị trực thuộc và đơn vị cấp trên hiện nay của nó."
                in refused.content.decode())
    assert _snapshot() == before
    # a code below the suggestions, typed in small letters: previewed, then confirmed
    preview = client.post(url, _form(new_parent="cdcs-b")).content.decode()
    assert "sang «Công đoàn Sở Y tế» từ ngày 01/01/2027." in preview
    assert 'name="new_parent" value="cdcs-b"' in preview  # as typed; read again on confirming
    assert _snapshot() == before
    response = client.post(url, _form(new_parent="cdcs-b", xac_nhan="1"))
    assert response.status_code == 302
    world.to_a1.refresh_from_db()
    assert Unit.objects.get_parent(world.to_a1) == world.cdcs_b


# --- split ------------------------------------------------------------------------------------

def test_split_preview_then_confirm_shares_units_and_people(client, world):
    _people(world.cdcs_a, 3, world)
    to_a2 = make_unit("TO-A2", "to_cd", world.cdcs_a, name="Tổ công đoàn Thanh tra")
    _people(to_a2, 2, world, "Phạm Thị")
    direct = list(Employment.objects.filter(unit=world.cdcs_a).values_list("person_id", flat=True))
    client.force_login(world.leader)
    html = client.get(_url("unit-split", world.cdcs_a)).content.decode()
    assert "Tổ công đoàn Thanh tra" in html and "Lê Văn Thành 0" in html
    data = _form(first_name="Công đoàn Sở Tư pháp 1", first_code="CDCS-A1", first_type="cdcs",
                 second_name="Công đoàn Sở Tư pháp 2", second_code="CDCS-A2", second_type="cdcs",
                 children_second=[str(to_a2.pk)], people_second=[str(direct[0])])
    before = _snapshot()
    html = client.post(_url("unit-split", world.cdcs_a), data).content.decode()
    assert _snapshot() == before
    assert ("Chuyển 1 đơn vị trực thuộc (cùng 1 người lao động, 1 đoàn viên trong các đơn vị đó) "
            "và 2 người lao động, 2 đoàn viên từ «Công đoàn Sở Tư pháp» sang «Công đoàn Sở Tư pháp 1»."
            ) in html
    assert ("Chuyển 1 đơn vị trực thuộc (cùng 2 người lao động, 2 đoàn viên trong các đơn vị đó) "
            "và 1 người lao động, 1 đoàn viên từ «Công đoàn Sở Tư pháp» sang «Công đoàn Sở Tư pháp 2»."
            ) in html
    response = client.post(_url("unit-split", world.cdcs_a), {**data, "xac_nhan": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit", args=["CDVC-HN"])
    a1, a2 = Unit.objects.get(code="CDCS-A1"), Unit.objects.get(code="CDCS-A2")
    assert Employment.objects.filter(unit=a1, valid_to__isnull=True).count() == 2
    assert Employment.objects.get(unit=a2, valid_to__isnull=True).person_id == direct[0]
    to_a2.refresh_from_db()
    assert Unit.objects.get_parent(to_a2) == a2
    assert AuditEntry.objects.order_by("-seq").first().action == "unit.split"


def test_split_with_the_same_code_twice_is_refused_on_the_form(client, world):
    client.force_login(world.leader)
    response = client.post(_url("unit-split", world.cdcs_a), _form(
        first_name="A1", first_code="CDCS-X", first_type="cdcs",
        second_name="A2", second_code="cdcs-x", second_type="cdcs"))
    assert response.status_code == 400
    assert "Hai đơn vị mới phải có mã khác nhau." in response.content.decode()


# --- dissolve ---------------------------------------------------------------------------------

def test_dissolve_preview_shows_what_blocks_it_and_offers_no_confirmation(client, world):
    _people(world.cdcs_b, 2, world)
    client.force_login(world.leader)
    before = _snapshot()
    html = client.post(_url("unit-dissolve", world.cdcs_b), _form()).content.decode()
    assert _snapshot() == before
    assert "«Công đoàn Sở Y tế» còn 2 người lao động/đoàn viên" in html
    assert 'name="xac_nhan"' not in html


def test_dissolve_an_empty_unit(client, world):
    client.force_login(world.leader)
    html = client.post(_url("unit-dissolve", world.cdcs_b), _form()).content.decode()
    assert "«Công đoàn Sở Y tế» chấm dứt hoạt động từ ngày 01/01/2027." in html
    assert 'name="xac_nhan"' in html
    response = client.post(_url("unit-dissolve", world.cdcs_b), _form(xac_nhan="1"))
    assert response["Location"] == reverse("org:unit", args=["CDVC-HN"])
    world.cdcs_b.refresh_from_db()
    assert world.cdcs_b.valid_to == D(2027, 1, 1)
    # an ended unit offers no more events
    assert client.get(_url("unit-rename", world.cdcs_b)).status_code == 403


def test_back_from_the_preview_keeps_what_was_typed(client, world):
    client.force_login(world.leader)
    html = client.post(_url("unit-rename", world.cdcs_a),
                       _form(name="Tên đã gõ", sua="1")).content.decode()
    assert 'value="Tên đã gõ"' in html and "Xem trước" in html


def test_preview_warns_of_a_date_the_service_would_refuse(client, world):
    from thidua.org.services import unit_rename

    unit_rename(actor=None, unit=world.cdcs_b, name="Công đoàn Sở Y tế Hà Nội", date=D(2028, 1, 1))
    client.force_login(world.leader)
    html = client.post(_url("unit-merge", world.cdcs_a),
                       _form(sources=["CDCS-B"], mode="into")).content.decode()
    assert ("«Công đoàn Sở Y tế Hà Nội» đã có thay đổi ghi ngày 01/01/2028, sau ngày 01/01/2027."
            in html)
    assert 'name="xac_nhan"' not in html
    html = client.post(_url("unit-rename", world.cdcs_a),
                       _form(name="Tên mới", date="01/01/2005")).content.decode()
    assert "«Công đoàn Sở Tư pháp» thành lập ngày 01/01/2010; không thể ghi sự kiện ngày 01/01/2005." in html
    assert 'name="xac_nhan"' not in html
