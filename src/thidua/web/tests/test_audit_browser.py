"""The audit-log browser: the administrator's subtree only, filters, pages, people's names."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from thidua.accounts.services import role_grant_create
from thidua.audit.models import AuditEntry
from thidua.platform import forms as platform_forms
from thidua.web.views import audit as audit_view


def _seqs(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<td data-label="Số">(\d+)</td>', html)}


def test_entries_of_other_branches_never_appear(client, world, admin_cdvc, admin_hbt):
    role_grant_create(actor=admin_cdvc, user=world.viewer, unit=world.cdcs_b, role="officer")
    role_grant_create(actor=admin_hbt, user=world.outsider, unit=world.hbt, role="viewer")
    mine = set(AuditEntry.objects.filter(unit__path__startswith=world.cdvc.path)
               .values_list("seq", flat=True))
    theirs = set(AuditEntry.objects.filter(unit__path__startswith=world.hbt.path)
                 .values_list("seq", flat=True))
    client.force_login(admin_cdvc)
    html = client.get(reverse("audit:list")).content.decode()
    assert _seqs(html) == mine and not (_seqs(html) & theirs)
    # names, not usernames
    assert "Đỗ Thị Quản" in html and ">quantri.cdvc<" not in html
    # a filter naming the other branch's unit is not accepted: still only my entries
    html = client.get(reverse("audit:list"), {"unit": "CDCS-C"}).content.decode()
    assert not (_seqs(html) & theirs)
    client.force_login(world.admin)
    assert theirs <= _seqs(client.get(reverse("audit:list")).content.decode())


def test_officers_and_leaders_do_not_reach_the_log(client, world):
    for user in (world.officer_cdcs, world.leader, world.viewer, world.member_user):
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 404


def test_filters_by_actor_action_unit_and_dates(client, world, admin_cdvc):
    role_grant_create(actor=admin_cdvc, user=world.viewer, unit=world.cdcs_b, role="officer")
    role_grant_create(actor=admin_cdvc, user=world.viewer, unit=world.cdcs_a, role="officer")
    client.force_login(admin_cdvc)
    by_me = client.get(reverse("audit:list"), {"actor": admin_cdvc.pk}).content.decode()
    assert _seqs(by_me) == set(AuditEntry.objects.filter(actor=admin_cdvc)
                               .values_list("seq", flat=True))
    in_b = client.get(reverse("audit:list"), {"unit": "CDCS-B", "action": "role.grant"})
    assert _seqs(in_b.content.decode()) == set(
        AuditEntry.objects.filter(unit=world.cdcs_b, action="role.grant").values_list("seq",
                                                                                      flat=True))
    today = timezone.localdate()
    later = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    html = client.get(reverse("audit:list"), {"since": later}).content.decode()
    assert _seqs(html) == set() and "Không có mục nào khớp với bộ lọc." in html
    html = client.get(reverse("audit:list"), {"until": today.strftime("%d/%m/%Y")}).content.decode()
    assert _seqs(html)


def test_pages(client, world, admin_cdvc, monkeypatch):
    monkeypatch.setattr(audit_view, "PAGE_SIZE", 2)
    for unit in (world.cdcs_a, world.cdcs_b, world.to_a1):
        role_grant_create(actor=admin_cdvc, user=world.viewer, unit=unit, role="officer")
    client.force_login(admin_cdvc)
    first = _seqs(client.get(reverse("audit:list")).content.decode())
    second = _seqs(client.get(reverse("audit:list"), {"trang": 2}).content.decode())
    assert len(first) == 2 and second and not (first & second)
    assert max(second) < min(first)  # newest first


def test_a_wide_subtree_types_the_units_code(client, world, admin_cdvc, admin_hbt, monkeypatch):
    """Beyond `UNIT_CHOICES` units the unit filter takes a typed code (suggested: the subtree's
    two top levels); blank is every unit."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    role_grant_create(actor=admin_cdvc, user=world.viewer, unit=world.to_a1, role="officer")
    role_grant_create(actor=admin_cdvc, user=world.viewer, unit=world.cdcs_b, role="officer")
    role_grant_create(actor=admin_hbt, user=world.outsider, unit=world.hbt, role="viewer")
    client.force_login(admin_cdvc)  # CDVC-HN, CDCS-A, TO-A1, CDCS-B
    url = reverse("audit:list")
    page = client.get(url).content.decode()
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    start = page.index('<datalist id="unit-goi-y">')
    suggested = page[start:page.index("</datalist>", start)]
    assert 'value="CDVC-HN"' in suggested and "TO-A1" not in suggested
    mine = set(AuditEntry.objects.filter(unit__path__startswith=world.cdvc.path)
               .values_list("seq", flat=True))
    assert _seqs(page) == mine
    assert _seqs(client.get(url, {"unit": ""}).content.decode()) == mine
    # a code below the suggestions, typed in small letters
    in_group = client.get(url, {"unit": "to-a1"}).content.decode()
    assert _seqs(in_group) == set(AuditEntry.objects.filter(unit=world.to_a1)
                                  .values_list("seq", flat=True)) != set()
    theirs = set(AuditEntry.objects.filter(unit__path__startswith=world.hbt.path)
                 .values_list("seq", flat=True))
    for code in ("CDCS-C", "KHONG-CO"):  # another branch's unit; no unit's
        other = client.get(url, {"unit": code.lower()}).content.decode()
        assert f"Không có đơn vị mã «{code}» trong các đơn vị bạn quản trị." in other
        assert not (_seqs(other) & theirs)
