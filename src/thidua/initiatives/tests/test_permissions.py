"""The role rules of initiatives: who sees the confidential part, who may edit, attach and file."""

from __future__ import annotations

import pytest

from thidua.initiatives import services
from thidua.initiatives.models import Author, Status
from thidua.initiatives.permissions import (
    can_attach,
    can_edit,
    can_see_confidential,
    is_own,
    may_submit,
    require_may_file,
)
from thidua.initiatives.tests.helpers import new_initiative
from thidua.platform.errors import PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_its_people_and_the_units_officers(world):
    ini = new_initiative(world)  # written by the officer, the member its author
    assert is_own(world.member_user, ini) and not is_own(world.viewer, ini)
    for user in (world.officer_cdcs, world.member_user):
        assert can_see_confidential(user, ini) and can_edit(user, ini) and can_attach(user, ini)
        assert may_submit(ini, user)
    for user in (world.viewer, world.outsider):
        assert not can_see_confidential(user, ini) and not can_edit(user, ini)
        assert not may_submit(ini, user)


def test_the_application_closes_as_it_moves_on(world):
    ini = new_initiative(world)
    services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.SUBMITTED)
    ini.refresh_from_db()
    assert not can_edit(world.officer_cdcs, ini) and can_attach(world.officer_cdcs, ini)
    ini.status = Status.NOT_RECOGNIZED
    assert not can_attach(world.officer_cdcs, ini) and not can_attach(world.member_user, ini)


def test_a_member_files_only_for_themself_at_their_own_unit(world):
    own = [Author(person=world.member, full_name=world.member.full_name, contribution=100)]
    require_may_file(world.member_user, world.cdcs_a, own)
    with pytest.raises(PermissionDeniedError, match="đơn vị bạn đang công tác"):
        require_may_file(world.member_user, world.cdcs_c, own)
    free = [Author(full_name="Người Khác", contribution=100)]
    with pytest.raises(PermissionDeniedError, match="chính mình là tác giả"):
        require_may_file(world.member_user, world.cdcs_a, free)
    require_may_file(world.officer_cdcs, world.cdcs_a, free)
