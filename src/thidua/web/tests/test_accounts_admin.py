"""Administrators manage the accounts and role grants of their own subtree only."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from thidua.accounts.models import RoleGrant
from thidua.accounts.services import role_grant_create, user_create
from thidua.audit.models import AuditEntry
from thidua.platform import forms as platform_forms
from thidua.testing import datalist
from thidua.web.tests.conftest import PASSWORD


def test_list_shows_the_subtree_accounts_by_name(client, world, admin_cdvc):
    user_create(actor=None, username="ha.lt", password=PASSWORD, full_name="Lê Thị Thu Hà")
    role_grant_create(actor=None, user=get_user_model().objects.get(username="ha.lt"),
                      unit=world.cdcs_a, role="officer")
    client.force_login(admin_cdvc)
    html = client.get(reverse("accounts:list")).content.decode()
    assert "Lê Thị Thu Hà" in html and "canbo_cdcs" in html
    assert "nguoingoai" not in html  # CDCS-C: another branch


def test_other_branch_admin_officer_and_member_get_404(client, world, admin_hbt):
    target = world.officer_cdcs
    client.force_login(admin_hbt)
    assert client.get(reverse("accounts:detail", args=[target.pk])).status_code == 404
    assert client.post(reverse("accounts:password", args=[target.pk])).status_code == 404
    grant = RoleGrant.objects.get(user=target)
    assert client.post(reverse("accounts:revoke", args=[target.pk, grant.pk])).status_code == 404
    for user in (world.officer_cdcs, world.leader, world.member_user):
        client.force_login(user)
        assert client.get(reverse("accounts:list")).status_code == 404
    assert RoleGrant.objects.filter(pk=grant.pk).exists()


def test_create_shows_a_one_time_password_once_and_is_audited(client, world, admin_cdvc):
    client.force_login(admin_cdvc)
    response = client.post(reverse("accounts:create"), {
        "username": "minh.nv", "full_name": "Nguyễn Văn Minh", "email": "",
        "unit": "CDCS-B", "role": "officer"})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="minh.nv")
    html = client.get(response["Location"]).content.decode()
    password = re.search(r'<code class="password">([^<]+)</code>', html).group(1)
    user.refresh_from_db()
    assert user.check_password(password)
    assert 'class="password"' not in client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(action="user.create", object_id=str(user.pk))
    assert entry.actor == admin_cdvc and entry.unit == world.cdcs_b
    assert password not in str(entry.after)
    assert RoleGrant.objects.filter(user=user, unit=world.cdcs_b, role="officer").exists()


def test_create_outside_the_subtree_is_refused(client, world, admin_cdvc):
    client.force_login(admin_cdvc)
    response = client.post(reverse("accounts:create"), {
        "username": "x.y", "full_name": "Ngô Văn Xa", "unit": "CDCS-C", "role": "admin"})
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="x.y").exists()


def test_deactivate_keeps_the_account_and_its_history(client, world, admin_cdvc):
    target = world.officer_cdcs
    client.force_login(admin_cdvc)
    url = reverse("accounts:active", args=[target.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Nghỉ hưu từ 01/01/2026"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    client.logout()
    client.post(reverse("login"), {"username": "canbo_cdcs", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.object_id == str(target.pk) and entry.actor == admin_cdvc


def test_reset_password_sets_a_new_one_not_written_to_the_log(client, world, admin_cdvc):
    target = world.officer_cdcs
    client.force_login(admin_cdvc)
    response = client.post(reverse("accounts:password", args=[target.pk]),
                           {"password": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Mat-khau-moi-2026")
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert "Mat-khau-moi-2026" not in str(entry.after)


def test_an_account_with_a_grant_elsewhere_is_left_to_the_admin_above(client, world, admin_cdvc):
    both = user_create(actor=None, username="hai.noi", password=PASSWORD, full_name="Đinh Hải")
    role_grant_create(actor=None, user=both, unit=world.cdcs_a, role="officer")
    role_grant_create(actor=None, user=both, unit=world.cdcs_c, role="officer")
    client.force_login(admin_cdvc)
    assert client.get(reverse("accounts:detail", args=[both.pk])).status_code == 200
    response = client.post(reverse("accounts:password", args=[both.pk]), {"password": ""})
    assert response.status_code == 403
    client.force_login(world.admin)  # the installation's administrator may
    assert client.post(reverse("accounts:password", args=[both.pk]),
                       {"password": ""}).status_code == 302


def test_grant_and_revoke_within_the_subtree(client, world, admin_cdvc):
    target = world.officer_cdcs
    client.force_login(admin_cdvc)
    url = reverse("accounts:grant", args=[target.pk])
    assert client.post(url, {"unit": "CDCS-B", "role": "viewer"}).status_code == 302
    grant = RoleGrant.objects.get(user=target, unit=world.cdcs_b)
    assert AuditEntry.objects.filter(action="role.grant", unit=world.cdcs_b).exists()
    # a unit of another branch is not among the choices
    assert client.post(url, {"unit": "CDCS-C", "role": "viewer"}).status_code == 400
    assert not RoleGrant.objects.filter(user=target, unit=world.cdcs_c).exists()
    assert client.post(reverse("accounts:revoke", args=[target.pk, grant.pk])).status_code == 302
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", unit=world.cdcs_b).exists()


@pytest.mark.parametrize("username", ["canbo_cdcs"])
def test_superuser_sees_every_account(client, world, username):
    client.force_login(world.admin)
    html = client.get(reverse("accounts:list")).content.decode()
    assert username in html and "nguoingoai" in html


def test_a_wide_subtree_types_the_units_code_to_create_and_grant(client, world, admin_cdvc,
                                                                 monkeypatch):
    """Beyond `UNIT_CHOICES` units the administrator types the unit's code (suggested: the
    subtree's two top levels) instead of a select of every unit of a province."""
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(admin_cdvc)  # CDVC-HN, CDCS-A, TO-A1, CDCS-B
    url = reverse("accounts:create")
    page = client.get(url).content.decode()
    assert '<select name="unit"' not in page and 'list="unit-goi-y"' in page
    suggested = datalist(page, "unit-goi-y")
    assert 'value="CDVC-HN"' in suggested and 'value="CDCS-B"' in suggested
    assert "TO-A1" not in suggested
    account = {"full_name": "Nguyễn Văn Minh", "email": "", "role": "officer"}
    # a code below the suggestions, typed in small letters
    response = client.post(url, {**account, "username": "minh.nv", "unit": "to-a1"})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user__username="minh.nv", unit=world.to_a1).exists()
    for code in ("CDCS-C", "KHONG-CO"):  # another branch's unit; no unit's
        refused = client.post(url, {**account, "username": "x.y", "unit": code.lower()})
        assert refused.status_code == 400
        assert (f"Không có đơn vị mã «{code}» trong các đơn vị bạn quản trị."
                in refused.content.decode())
    assert not get_user_model().objects.filter(username="x.y").exists()

    target = world.officer_cdcs
    page = client.get(reverse("accounts:detail", args=[target.pk])).content.decode()
    assert 'list="unit-goi-y"' in page and '<datalist id="unit-goi-y">' in page
    grant = reverse("accounts:grant", args=[target.pk])
    assert client.post(grant, {"unit": "to-a1", "role": "viewer"}).status_code == 302
    assert RoleGrant.objects.filter(user=target, unit=world.to_a1, role="viewer").exists()
    refused = client.post(grant, {"unit": "cdcs-c", "role": "viewer"})
    assert refused.status_code == 400
    assert "Không có đơn vị mã «CDCS-C» trong các đơn vị bạn quản trị." in refused.content.decode()
    assert not RoleGrant.objects.filter(user=target, unit=world.cdcs_c).exists()
