import datetime as dt

import pytest

from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.org.selectors import award_issuers, unit_stats
from thidua.org.services import (
    UnitSpec,
    award_line_create,
    unit_create,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
    unit_split,
)
from thidua.platform.errors import ApplicationError
from thidua.testing import make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def names_at(unit, day):
    from thidua.org.selectors import version_at

    v = version_at(unit, day)
    return v.name if v else None


def test_create_writes_version_event_and_audit(world):
    unit = unit_create(actor=world.admin, code="cdcs-x", name="Công đoàn Sở Xây dựng",
                       type="cdcs", parent=world.cdvc, valid_from=D(2015, 1, 1))
    assert unit.code == "CDCS-X"
    assert unit.path.startswith(world.cdvc.path)
    assert UnitVersion.objects.get(unit=unit).path == unit.path
    assert UnitEvent.objects.filter(kind="create", units_after=unit).exists()


def test_duplicate_code_is_refused_and_nothing_written(world):
    before = Unit.objects.count()
    with pytest.raises(ApplicationError, match="đã được dùng"):
        unit_create(actor=world.admin, code="CDCS-A", name="X", type="cdcs", parent=world.cdvc,
                    valid_from=D(2015, 1, 1))
    assert Unit.objects.count() == before


def test_rename_keeps_old_name_for_old_dates(world):
    unit_rename(actor=world.admin, unit=world.cdcs_b, name="Công đoàn Sở Y tế Hà Nội",
                date=D(2020, 1, 1))
    assert names_at(world.cdcs_b, D(2019, 12, 31)) == "Công đoàn Sở Y tế"
    assert names_at(world.cdcs_b, D(2020, 1, 1)) == "Công đoàn Sở Y tế Hà Nội"


def test_move_into_own_subtree_is_refused(world):
    with pytest.raises(ApplicationError, match="trực thuộc nó"):
        unit_move(actor=world.admin, unit=world.cdvc, new_parent=world.cdcs_a, date=D(2020, 1, 1))
    with pytest.raises(ApplicationError):
        unit_move(actor=world.admin, unit=world.cdvc, new_parent=world.cdvc, date=D(2020, 1, 1))


def test_event_before_unit_existed_is_refused(world):
    with pytest.raises(ApplicationError, match="thành lập ngày"):
        unit_rename(actor=world.admin, unit=world.cdcs_a, name="X", date=D(2000, 1, 1))


def test_events_out_of_date_order_are_refused(world):
    unit_rename(actor=world.admin, unit=world.cdcs_b, name="B mới", date=D(2021, 1, 1))
    with pytest.raises(ApplicationError, match="thứ tự thời gian"):
        unit_rename(actor=world.admin, unit=world.cdcs_b, name="B cũ hơn", date=D(2020, 1, 1))


def test_move_keeps_old_tree_and_counts_for_old_dates(world):
    make_person(world.cdcs_b, "Lê Văn Minh", start=D(2015, 1, 1))
    before = unit_stats(world.cdvc, D(2019, 12, 31))
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2020, 1, 1))
    assert unit_stats(world.cdvc, D(2019, 12, 31)) == before
    after = unit_stats(world.cdvc, D(2020, 6, 1))
    assert after["workers"] == before["workers"] - 1
    assert unit_stats(world.hbt, D(2020, 6, 1))["units"]["cdcs"] == 2


def test_move_carries_descendants(world):
    unit_move(actor=world.admin, unit=world.cdcs_a, new_parent=world.hbt, date=D(2021, 1, 1))
    stats = unit_stats(world.hbt, D(2021, 1, 2))
    assert stats["units"] == {"cdcs": 2, "to_cd": 1}
    assert stats["members"] == 1
    assert unit_stats(world.cdvc, D(2020, 12, 31))["members"] == 1


def test_merge_into_new_unit_moves_people_and_children_and_keeps_history(world):
    make_person(world.cdcs_b, "Phạm Thu Hà", gender="nu", start=D(2012, 1, 1))
    old_2024 = unit_stats(world.cdvc, D(2024, 12, 31))
    merged = unit_merge(
        actor=world.admin, sources=[world.cdcs_a, world.cdcs_b], date=D(2025, 7, 1),
        new_unit=UnitSpec("CDCS-AB", "Công đoàn Sở Tư pháp – Y tế", "cdcs"),
    )
    world.cdcs_a.refresh_from_db()
    assert world.cdcs_a.valid_to == D(2025, 7, 1)
    new = unit_stats(merged, D(2025, 7, 2))
    assert new["workers"] == 2 and new["members"] == 2 and new["units"] == {"to_cd": 1}
    # the 2024 picture is unchanged after the merge
    assert unit_stats(world.cdvc, D(2024, 12, 31)) == old_2024
    assert unit_stats(world.cdcs_a, D(2024, 12, 31))["members"] == 1
    assert not unit_stats(world.cdcs_a, D(2025, 7, 2))["exists"]


def test_split_requires_every_person_assigned(world):
    p1 = make_person(world.cdcs_b, "Hoàng Văn Nam", start=D(2012, 1, 1))
    p2 = make_person(world.cdcs_b, "Đỗ Thị Lan", gender="nu", start=D(2012, 1, 1))
    parts = [UnitSpec("CDCS-B1", "Công đoàn B1", "cdcs"), UnitSpec("CDCS-B2", "Công đoàn B2", "cdcs")]
    with pytest.raises(ApplicationError, match="chưa được phân"):
        unit_split(actor=world.admin, source=world.cdcs_b, date=D(2022, 1, 1), parts=parts,
                   people={p1.pk: "CDCS-B1"})
    assert not Unit.objects.filter(code="CDCS-B1").exists()
    b1, b2 = unit_split(actor=world.admin, source=world.cdcs_b, date=D(2022, 1, 1), parts=parts,
                        people={p1.pk: "CDCS-B1", p2.pk: "CDCS-B2"})
    assert unit_stats(b1, D(2022, 1, 1))["workers"] == 1
    assert unit_stats(b2, D(2022, 1, 1))["women"] == 1
    assert unit_stats(world.cdcs_b, D(2021, 12, 31))["workers"] == 2


def test_dissolve_with_members_left_is_refused(world):
    make_person(world.cdcs_b, "Vũ Văn Hải", start=D(2012, 1, 1))
    with pytest.raises(ApplicationError, match="còn 1 người"):
        unit_dissolve(actor=world.admin, unit=world.cdcs_b, date=D(2023, 1, 1))
    world.cdcs_b.refresh_from_db()
    assert world.cdcs_b.valid_to is None


def test_dissolve_with_children_is_refused_then_allowed_when_empty(world):
    with pytest.raises(ApplicationError, match="đơn vị trực thuộc"):
        unit_dissolve(actor=world.admin, unit=world.hbt, date=D(2023, 1, 1))
    empty = make_unit("CDCS-E", "cdcs", world.hbt)
    unit_dissolve(actor=world.admin, unit=empty, date=D(2023, 1, 1))
    assert "cdcs" not in unit_stats(world.hbt, D(2023, 6, 1))["units"] or (
        unit_stats(world.hbt, D(2023, 6, 1))["units"]["cdcs"] == 1
    )


def test_award_lines_add_an_issuer_outside_the_tree(world):
    vn = make_unit("CDVC-VN", "cd_nganh_tw", world.tld, name="Công đoàn Viên chức Việt Nam")
    award_line_create(actor=world.admin, unit=world.cdvc, issuer=vn, valid_from=D(2010, 1, 1))
    issuers = [u.code for u in award_issuers(world.cdvc, D(2017, 12, 31))]
    assert issuers == ["TLD", "LDLD-HN", "CDVC-VN"]


def test_event_after_unit_ended_is_refused(world):
    empty = make_unit("CDCS-F", "cdcs", world.hbt)
    unit_dissolve(actor=world.admin, unit=empty, date=D(2020, 1, 1))
    with pytest.raises(ApplicationError, match="chấm dứt hoạt động"):
        unit_rename(actor=world.admin, unit=empty, name="Mới", date=D(2021, 1, 1))
    with pytest.raises(ApplicationError, match="chấm dứt hoạt động"):
        unit_create(actor=world.admin, code="CON-F", name="Tổ con", type="to_cd", parent=empty,
                    valid_from=D(2021, 1, 1))


def test_tree_as_of_date_after_merge_shows_old_units(world):
    from thidua.org.selectors import children_at, version_at

    unit_merge(actor=world.admin, sources=[world.cdcs_a, world.cdcs_b], date=D(2025, 7, 1),
               into=None, new_unit=UnitSpec("CDCS-M", "Công đoàn hợp nhất", "cdcs"))
    cdvc_2017 = version_at(world.cdvc, D(2017, 12, 31))
    assert [v.unit.code for v in children_at(cdvc_2017, D(2017, 12, 31))] == ["CDCS-A", "CDCS-B"]
    cdvc_now = version_at(world.cdvc, D(2025, 8, 1))
    assert [v.unit.code for v in children_at(cdvc_now, D(2025, 8, 1))] == ["CDCS-M"]


def test_award_lines_reach_the_units_below(world):
    vn = make_unit("CDVC-VN", "cd_nganh_tw", world.tld, name="Công đoàn Viên chức Việt Nam")
    award_line_create(actor=world.admin, unit=world.cdvc, issuer=vn, valid_from=D(2010, 1, 1))
    issuers = [u.code for u in award_issuers(world.cdcs_a, D(2017, 12, 31))]
    assert issuers == ["TLD", "LDLD-HN", "CDVC-HN", "CDVC-VN"]
