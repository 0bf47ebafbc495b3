import datetime as dt

import pytest

from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.org.selectors import (
    ancestors_at,
    award_issuers,
    kept_children,
    kept_children_page,
    kept_subtree,
    version_and_chain,
    version_at,
)
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


def test_units_below_and_by_type_are_read_from_the_kept_figures(world):
    """The tree's has-children marker and the unit page's units by type, on the shared world:
    LĐLĐ Hà Nội has CĐVC (two CĐCS under it, one with a tổ) and LĐLĐ Hai Bà Trưng (one CĐCS).
    Both are read from the kept figures (ADR 0035), which the services wrote."""
    from thidua.org.selectors import version_at

    day = D(2024, 12, 31)
    hn = version_at(world.hn, day)
    assert hn is not None
    paths = {v.unit.code: v.path for v in UnitVersion.objects.at(day).select_related("unit")}
    assert units_below_children(hn, day) == {paths["CDVC-HN"]: 3, paths["LDLD-HBT"]: 1}
    cdvc = version_at(world.cdvc, day)
    assert cdvc is not None
    assert units_below_children(cdvc, day) == {paths["CDCS-A"]: 1, paths["CDCS-B"]: 0}
    assert unit_type_counts(unit_path=hn.path, day=day) == {
        "cap_tren_co_so": 2, "cdcs": 3, "to_cd": 1}
    # before the units were set up there is nothing; the leaf has nothing below it
    assert unit_type_counts(unit_path=hn.path, day=D(1990, 1, 1)) == {}
    to_a1 = version_at(world.to_a1, day)
    assert to_a1 is not None
    assert unit_type_counts(unit_path=to_a1.path, day=day) == {}


def unit_type_counts(*, unit_path: str, day: dt.date) -> dict[str, int]:
    return kept_subtree(unit_path=unit_path, day=day).units_below()


def units_below_children(version: UnitVersion, day: dt.date) -> dict[str, int]:
    return {child.path: child.kept.count_below() for child in kept_children(version, day)}


def _counted(version: UnitVersion, day: dt.date) -> tuple[dict[str, int], dict[str, int]]:
    """The units by type below `version` and the units below each child, counted from the
    versions at `day` (what the pages computed before ADR 0035)."""
    below = [v for v in UnitVersion.objects.at(day).select_related("unit")
             if v.path.startswith(version.path) and v.depth > version.depth]
    by_type: dict[str, int] = {}
    for v in below:
        by_type[v.unit.type] = by_type.get(v.unit.type, 0) + 1
    children = {v.path: sum(1 for w in below if w.path.startswith(v.path) and w.depth > v.depth)
                for v in below if v.depth == version.depth + 1}
    return by_type, children


def test_kept_unit_counts_follow_moves_merges_creations_renames_and_dissolutions(world):
    """After each kind of tree event, on every day around them, every live unit's units by type
    and units below each child read from the kept figures equal those counted from the
    versions."""
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2020, 1, 1))
    merged = unit_merge(actor=world.admin, sources=[world.cdcs_a, world.cdcs_c],
                        date=D(2021, 6, 1), into=None,
                        new_unit=UnitSpec("CDCS-M", "Công đoàn hợp nhất", "cdcs"))
    new_to = unit_create(actor=world.admin, code="TO-M2", name="Tổ 2", type="to_cd",
                         parent=merged, valid_from=D(2022, 3, 1))
    unit_rename(actor=world.admin, unit=world.hbt, name="LĐLĐ quận HBT", date=D(2022, 3, 1))
    unit_dissolve(actor=world.admin, unit=new_to, date=D(2023, 1, 1))
    unit_move(actor=world.admin, unit=merged, new_parent=world.hbt, date=D(2023, 1, 1))
    days = [D(2019, 12, 31), D(2020, 1, 1), D(2021, 5, 31), D(2021, 6, 1), D(2022, 3, 1),
            D(2022, 12, 31), D(2023, 1, 1), D(2026, 1, 1)]
    checked = 0
    for day in days:
        for version in UnitVersion.objects.at(day):
            by_type, children = _counted(version, day)
            assert unit_type_counts(unit_path=version.path, day=day) == by_type, (version, day)
            assert units_below_children(version, day) == children, (version, day)
            checked += 1
    assert checked > 50


def test_a_units_version_and_chain_read_together_equal_those_read_apart(world):
    """`version_and_chain` guesses the chain from the unit's path of today: right for a unit
    that has not moved, and it reads again for one that has (CDCS-B before its move)."""
    unit_move(actor=world.admin, unit=world.cdcs_b, new_parent=world.hbt, date=D(2020, 1, 1))
    unit_rename(actor=world.admin, unit=world.cdvc, name="CĐVC Thủ đô", date=D(2021, 1, 1))
    for unit in Unit.objects.all():
        for day in (D(2019, 6, 1), D(2020, 1, 1), D(2020, 12, 31), D(2021, 1, 1), D(1990, 1, 1)):
            version = version_at(unit, day)
            expected = ancestors_at(version, day) if version else []
            got, chain = version_and_chain(unit, day)
            assert got == version, (unit, day)
            assert [v.pk for v in chain] == [v.pk for v in expected], (unit, day)
    world.cdcs_b.refresh_from_db()
    before, chain = version_and_chain(world.cdcs_b, D(2019, 6, 1))
    assert before is not None and before.path != world.cdcs_b.path
    assert world.cdvc.pk in [v.unit_id for v in chain]


def test_a_page_of_children_has_their_figures_and_how_many_there_are(world):
    day = D(2024, 12, 31)
    version = version_at(world.hn, day)
    assert version is not None
    every = kept_children(version, day)
    assert len(every) >= 2
    for numchild in (version.unit.numchild, 10**6):  # few children: one query; many: two
        version.unit.numchild = numchild
        seen = []
        for start in range(0, len(every) + 1):
            page, total = kept_children_page(version, day, start=start, limit=1)
            assert total == len(every)
            seen += page
        assert seen == every
    assert kept_children_page(version, day, start=len(every) + 5, limit=3) == ([], len(every))
    # the slack takes the last ones when they fit, else the page is `limit` long
    assert kept_children_page(version, day, start=0, limit=1, slack=len(every) - 1)[0] == every
    assert kept_children_page(version, day, start=0, limit=1, slack=len(every) - 2)[0] == \
        every[:1]
    leaf = version_at(world.to_a1, day)
    assert leaf is not None
    assert kept_children_page(leaf, day, start=0, limit=3) == ([], 0)
