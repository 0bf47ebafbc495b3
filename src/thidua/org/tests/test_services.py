import datetime as dt

import pytest

from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.org.selectors import award_issuers
from thidua.org.services import (
    UnitSpec,
    award_line_create,
    unit_create,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
)
from thidua.platform.errors import ApplicationError
from thidua.testing import make_unit

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


def test_child_and_type_counts_are_counted_by_the_database(world):
    """The tree's has-children marker and the unit page's units by type, on the shared world:
    LĐLĐ Hà Nội has CĐVC (two CĐCS under it) and LĐLĐ Hai Bà Trưng (one)."""
    from thidua.org.selectors import child_counts_of, unit_type_counts, version_at

    day = D(2024, 12, 31)
    hn = version_at(world.hn, day)
    assert hn is not None
    paths = {v.unit.code: v.path for v in UnitVersion.objects.at(day).select_related("unit")}
    assert child_counts_of(hn, day) == {paths["CDVC-HN"]: 2, paths["LDLD-HBT"]: 1}
    cdvc = version_at(world.cdvc, day)
    assert cdvc is not None
    assert child_counts_of(cdvc, day) == {paths["CDCS-A"]: 1}  # TO-A1; CĐCS-B has none
    assert unit_type_counts(unit_path=hn.path, depth=hn.depth, day=day) == {
        "cap_tren_co_so": 2, "cdcs": 3, "to_cd": 1}
