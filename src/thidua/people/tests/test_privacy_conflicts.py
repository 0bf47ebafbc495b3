"""A CCCD held by someone another unit manages (issue 10 §2): the answer names no one and no
unit, tells to ask for a transfer (chuyển sinh hoạt), is audited, and is rationed per user and
day — forms, the API and imports (dry runs too) alike."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from thidua.audit.models import AuditEntry
from thidua.people.imports import OUT_OF_SCOPE
from thidua.people.models import Person
from thidua.people.services import person_create, person_update
from thidua.people.services.privacy import CCCD_CONFLICT, cccd_conflicts_left
from thidua.people.tests.test_imports import import_xlsx, person_row
from thidua.platform.errors import ApplicationError
from thidua.testing import cccd_for, make_person

START = dt.date(2024, 1, 1)


def _add(world, cccd: str, *, actor=None, unit=None) -> Person:
    return person_create(actor=actor or world.officer_cdcs, unit=unit or world.cdcs_a,
                         full_name="Ai Đó", gender="nam", birth_date=dt.date(1980, 1, 1),
                         cccd=cccd, start_date=START)


def _answers(user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="person.cccd_conflict", actor=user).order_by("seq"))


def _strangers(world, n: int) -> list[Person]:
    return [make_person(world.cdcs_c, f"Phạm Bí Mật {i}", birth=dt.date(1980, 1, 1))
            for i in range(n)]


def test_a_number_managed_elsewhere_names_no_one_and_is_audited(world):
    stranger = _strangers(world, 1)[0]
    with pytest.raises(ApplicationError) as exc:
        _add(world, stranger.cccd)
    assert exc.value.message == CCCD_CONFLICT and "chuyển sinh hoạt" in exc.value.message
    for secret in ("Phạm", "CDCS-C", "Hai Bà Trưng", "đã có trong hệ thống"):
        assert secret not in exc.value.message
    [entry] = _answers(world.officer_cdcs)
    assert entry.after["count"] == 1 and entry.after["where"] == "form"
    assert not Person.objects.filter(full_name="Ai Đó").exists()


def test_a_duplicate_inside_the_officers_scope_is_named_and_not_counted(world):
    with pytest.raises(ApplicationError) as exc:
        _add(world, world.member.cccd)
    assert "Trần Thị Ánh" in exc.value.message
    assert _answers(world.officer_cdcs) == []


def test_the_api_answers_the_same_and_the_audit_entry_stays(world):
    stranger = _strangers(world, 1)[0]
    client = Client()
    client.force_login(world.officer_cdcs)
    response = client.post("/api/people", data=json.dumps({
        "unit": "CDCS-A", "full_name": "Ai Đó", "gender": "nam", "birth_date": "1980-01-01",
        "cccd": stranger.cccd}), content_type="application/json")
    assert response.status_code in (400, 409, 422), response.content
    assert response.json()["detail"] == CCCD_CONFLICT
    assert len(_answers(world.officer_cdcs)) == 1


def test_renumbering_someone_to_a_number_managed_elsewhere_is_a_conflict(world):
    stranger = _strangers(world, 1)[0]
    mine = make_person(world.cdcs_a, "Lê Văn Bình")
    with pytest.raises(ApplicationError) as exc:
        person_update(actor=world.officer_cdcs, person=mine, expected_version=mine.version,
                      cccd=stranger.cccd)
    assert exc.value.message == CCCD_CONFLICT
    assert len(_answers(world.officer_cdcs)) == 1


def test_answers_are_rationed_and_when_used_up_every_number_is_refused_alike(world, settings):
    settings.THIDUA_CCCD_CONFLICTS_PER_DAY = 2
    strangers = _strangers(world, 3)
    for s in strangers[:2]:
        with pytest.raises(ApplicationError, match="chuyển sinh hoạt"):
            _add(world, s.cccd)
    assert cccd_conflicts_left(world.officer_cdcs) == 0
    with pytest.raises(ApplicationError) as existing:
        _add(world, strangers[2].cccd)
    with pytest.raises(ApplicationError) as unknown:
        _add(world, cccd_for(dt.date(1980, 1, 1), "nam", 999_001))
    # the same refusal whether the number exists or not: no third answer
    assert existing.value.message == unknown.value.message and "giới hạn" in unknown.value.message
    assert len(_answers(world.officer_cdcs)) == 2
    # another officer has their own allowance; an administrator is not limited
    with pytest.raises(ApplicationError, match="chuyển sinh hoạt"):
        _add(world, strangers[2].cccd, actor=world.officer_above, unit=world.cdcs_b)


def test_an_import_with_more_conflicts_than_left_is_refused_whole(world, tmp_path, settings):
    settings.THIDUA_CCCD_CONFLICTS_PER_DAY = 3
    strangers = _strangers(world, 4)
    rows = [person_row(i, cccd=s.cccd, gender="Nam", birth=dt.date(1980, 1, 1))
            for i, s in enumerate(strangers)] + [person_row(9)]
    with pytest.raises(ApplicationError) as exc:
        import_xlsx(tmp_path, world, rows, dry_run=True)
    assert "Chưa có gì được ghi" in exc.value.message and "Phạm" not in exc.value.message
    [entry] = _answers(world.officer_cdcs)
    assert entry.after == {"count": 1, "where": "import", "refused_whole": True}
    assert not Person.objects.filter(full_name__startswith="Nguyễn Thị Hương").exists()
    # two left: a file with two conflicts gets its two rows refused, and the rest imported
    result = import_xlsx(tmp_path, world, rows[2:], valid_only=True)
    assert [(e.row, e.message) for e in result.errors] == [(2, OUT_OF_SCOPE), (3, OUT_OF_SCOPE)]
    assert result.written and result.created == 1
    assert [e.after["count"] for e in _answers(world.officer_cdcs)] == [1, 2]
    assert cccd_conflicts_left(world.officer_cdcs) == 0
    # used up: even a file of new people only is refused, as one with conflicts would be
    with pytest.raises(ApplicationError, match="giới hạn"):
        import_xlsx(tmp_path, world, [person_row(20)], dry_run=True)
    assert len(_answers(world.officer_cdcs)) == 2
