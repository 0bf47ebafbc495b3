import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.accounts.models import RoleGrant

pytestmark = pytest.mark.django_db


def test_grant_role_creates_account_and_grant(world, capsys):
    call_command("grant_role", "moi", "CDCS-B", "officer", "--create", "--password", "x-Y-z-123")
    grant = RoleGrant.objects.get(user__username="moi")
    assert grant.unit == world.cdcs_b and grant.role == "officer"
    assert "Cán bộ" in capsys.readouterr().out


def test_grant_role_unknown_unit_or_user(world):
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("grant_role", "canbo_cdcs", "KHONG-CO", "viewer")
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("grant_role", "ai-do", "CDCS-B", "viewer")
