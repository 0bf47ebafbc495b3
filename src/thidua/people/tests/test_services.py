import datetime as dt

import pytest

from thidua.people.cccd import cccd_problems, normalise_cccd
from thidua.people.models import Membership, Person
from thidua.people.selectors import access_person, people_for, people_search, roster_counts
from thidua.people.services import (
    membership_join,
    membership_leave,
    membership_resume,
    membership_suspend,
    person_create,
    person_leave_unit,
    person_transfer,
    person_update,
)
from thidua.people.stats import unit_stats
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import cccd_for, make_person

pytestmark = pytest.mark.django_db
D = dt.date


def test_cccd_checks_century_gender_and_year():
    assert cccd_problems("001190012345", birth_date=D(1990, 1, 1), gender="nu") == []
    assert cccd_problems("001090012345", birth_date=D(1990, 1, 1), gender="nam") == []
    assert "giới tính" in cccd_problems("001090012345", birth_date=D(1990, 1, 1), gender="nu")[0]
    assert "năm sinh 1990" in cccd_problems("001090012345", birth_date=D(1991, 1, 1),
                                            gender="nam")[0]
    assert cccd_problems("001300012345", birth_date=D(2000, 5, 5), gender="nu") == []
    assert "12 chữ số" in cccd_problems("12345", birth_date=None, gender=None)[0]
    assert "mã tỉnh" in cccd_problems("099090012345", birth_date=None, gender=None)[0]


def test_cccd_normalised_from_excel_number():
    assert normalise_cccd(1090012345.0) == "001090012345"
    assert normalise_cccd(" 001 090 012 345 ") == "001090012345"


def test_create_member_generates_unique_code_and_periods(world):
    p = person_create(actor=world.officer_cdcs, unit=world.to_a1, full_name="  Nguyễn   Văn Đức ",
                      gender="nam", birth_date=D(1985, 1, 1), cccd=cccd_for(D(1985, 1, 1), "nam"),
                      start_date=D(2015, 1, 1), is_member=True, join_date=D(2015, 3, 1))
    assert p.full_name == "Nguyễn Văn Đức" and p.name_folded == "nguyen van duc"
    assert p.member_code.startswith("DV") and p.member_code != world.member.member_code
    assert p.memberships.get().valid_from == D(2015, 3, 1)


def test_create_outside_scope_is_not_found(world):
    with pytest.raises(NotFoundError):
        person_create(actor=world.outsider, unit=world.cdcs_a, full_name="X", gender="nam",
                      start_date=D(2015, 1, 1))


def test_viewer_cannot_create(world):
    with pytest.raises(PermissionDeniedError):
        person_create(actor=world.viewer, unit=world.cdcs_a, full_name="X", gender="nam",
                      start_date=D(2015, 1, 1))


def test_duplicate_cccd_refused(world):
    with pytest.raises(ApplicationError, match="đã có"):
        person_create(actor=world.admin, unit=world.cdcs_a, full_name="Y", gender="nu",
                      birth_date=D(1990, 3, 8), cccd=world.member.cccd, start_date=D(2015, 1, 1))


def test_concurrent_edits_cannot_both_win(world):
    p = world.member
    person_update(actor=world.officer_cdcs, person=p, expected_version=1, position="Kế toán")
    with pytest.raises(ApplicationError, match="người khác sửa"):
        person_update(actor=world.officer_above, person=p, expected_version=1, position="Văn thư")
    p.refresh_from_db()
    assert p.position == "Kế toán" and p.version == 2


def test_membership_lifecycle_and_counts(world):
    p = make_person(world.cdcs_b, "Lê Văn Tám", start=D(2012, 1, 1))
    membership_suspend(actor=world.officer_above, person=p, date=D(2020, 1, 1))
    c = roster_counts(unit_path=world.cdcs_b.path, day=D(2020, 6, 1))
    assert c["members"] == 1 and c["members_suspended"] == 1 and c["members_active"] == 0
    membership_resume(actor=world.officer_above, person=p, date=D(2021, 1, 1))
    membership_leave(actor=world.officer_above, person=p, date=D(2022, 1, 1))
    assert roster_counts(unit_path=world.cdcs_b.path, day=D(2022, 6, 1))["members"] == 0
    assert roster_counts(unit_path=world.cdcs_b.path, day=D(2022, 6, 1))["workers"] == 1
    membership_join(actor=world.officer_above, person=p, date=D(2023, 1, 1))
    events = [m.opened_by for m in Membership.objects.filter(person=p).order_by("valid_from")]
    assert events == ["join", "suspend", "resume", "join"]


def test_transfer_moves_worker_and_membership(world):
    p = make_person(world.cdcs_a, "Đặng Hữu Thắng", start=D(2012, 1, 1))
    person_transfer(actor=world.officer_above, person=p, to_unit=world.cdcs_b, date=D(2019, 1, 1))
    assert unit_stats(world.cdcs_b, D(2019, 1, 1))["members"] == 1
    assert unit_stats(world.cdcs_a, D(2018, 12, 31))["members"] == 2
    # the CĐCS officer may not move people into a unit outside their scope
    q = make_person(world.cdcs_a, "Bùi Thị Hồng", gender="nu", start=D(2012, 1, 1))
    with pytest.raises(NotFoundError):
        person_transfer(actor=world.officer_cdcs, person=q, to_unit=world.cdcs_b, date=D(2019, 1, 1))


def test_leave_unit_ends_employment_and_membership(world):
    p = make_person(world.cdcs_b, "Ngô Văn Long", start=D(2012, 1, 1))
    person_leave_unit(actor=world.admin, person=p, date=D(2020, 1, 1))
    assert roster_counts(unit_path=world.cdcs_b.path, day=D(2020, 1, 1)) == {
        "workers": 0, "women": 0, "members": 0, "women_members": 0, "members_active": 0,
        "members_suspended": 0}


def test_counts_use_constant_queries(world, django_assert_num_queries):
    for i in range(15):
        make_person(world.cdcs_b, f"Người {i}", gender="nu" if i % 2 else "nam",
                    start=D(2012, 1, 1), member=i % 3 != 0)
    with django_assert_num_queries(1):  # one range scan of the maintained figures
        c = roster_counts(unit_path=world.cdvc.path, day=D(2020, 1, 1))
    assert c["workers"] == 16 and c["members"] == 11 and c["women"] == 8


def test_search_ignores_case_and_diacritics(world):
    make_person(world.cdcs_a, "Nguyễn Văn Đức")
    make_person(world.cdcs_a, "Đặng Thị Đào", gender="nu")
    qs = Person.objects.all()

    def found(q: str) -> list[str]:
        return [p.full_name for p in people_search(qs, q, user=world.officer_cdcs)]

    assert found("nguyen van duc") == ["Nguyễn Văn Đức"]
    assert found("ĐẶNG thi dao") == ["Đặng Thị Đào"]
    assert found(world.member.member_code.lower()) == ["Trần Thị Ánh"]
    assert found(world.member.cccd[-6:]) == ["Trần Thị Ánh"]
    # a name is looked up by the folded name alone, which the trigram index serves; a member-code
    # match (no index for "contains") is added only when the query has digits
    def where(q: str) -> str:
        return str(people_search(qs, q, user=world.officer_cdcs).query).split(" WHERE ", 1)[1]

    assert "member_code" not in where("vu thi lan")
    assert "member_code" in where("DV00001")


def test_people_lists_walk_an_index_in_their_order(world):
    """The `person_order` index has to be on the very expression lists order by, or the database
    sorts a whole province's roster for each page (bench/README.md, member list)."""
    from django.db import connection, transaction

    from thidua.people.models import by_name

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")  # a handful of rows: sorting is cheaper
        plan = Person.objects.order_by(*by_name())[:50].explain()
    assert "person_order" in plan
    assert "TEMP B-TREE" not in plan.upper()  # SQLite's sort step


def test_scope_of_people(world):
    outsider_person = make_person(world.cdcs_c, "Lý Văn Ngoài")
    assert not people_for(world.officer_cdcs).filter(pk=outsider_person.pk).exists()
    assert people_for(world.officer_cdcs).filter(pk=world.member.pk).exists()
    with pytest.raises(NotFoundError):
        access_person(world.officer_cdcs, outsider_person.pk)
    with pytest.raises(NotFoundError):
        access_person(world.officer_cdcs, 999_999)
    # a member sees only their own record
    assert list(people_for(world.member_user)) == [world.member]
    assert access_person(world.leader, outsider_person.pk) == outsider_person


def test_update_needs_officer_role_over_the_person(world):
    with pytest.raises(PermissionDeniedError):
        person_update(actor=world.viewer, person=world.member, expected_version=1, position="X")
    with pytest.raises(NotFoundError):
        person_update(actor=world.outsider, person=world.member, expected_version=1, position="X")
    world.member.refresh_from_db()
    assert world.member.version == 1
