"""The sheet's arithmetic and the ranking with ties (no database)."""

from __future__ import annotations

from decimal import Decimal as D

from thidua.clusters import scoring
from thidua.clusters.scoring import Entry, Line, points_for, rank, sheet_total


def test_points_by_kind():
    assert points_for("chi_tieu", D(40), D(90), D(100)) == D("36.00")
    assert points_for("chi_tieu", D(40), D(130), D(100)) == D("40.00")  # capped
    assert points_for("chi_tieu", D(40), D(5), D(0)) == D("40.00")
    assert points_for("chi_tieu", D(40), D(5), None) is None  # no target: not scored
    assert points_for("co_khong", D(20), D(1)) == D("20.00")
    assert points_for("co_khong", D(20), D(0)) == D(0)
    assert points_for("tu_cham", D(40), D("32.5")) == D("32.50")
    assert points_for("thuong", D(5), D(3)) == D("3.00")
    assert points_for("tru", D(5), D(2)) == D("-2.00")
    assert points_for("tu_cham", D(40), None) is None


LINES = [Line(1, None, "nhom", D(60)), Line(2, 1, "chi_tieu", D(40)),
         Line(3, 1, "co_khong", D(20)), Line(4, None, "tu_cham", D(40)),
         Line(5, None, "thuong", D(5)), Line(6, None, "tru", D(5))]


def test_sheet_total_groups_bonus_penalty():
    t = sheet_total(LINES, {2: D(36), 3: D(20), 4: D(30), 5: D(3), 6: D(-2)})
    assert (t.total, t.bonus, t.penalty, t.groups, t.missing) == (
        D("87.00"), D(3), D(2), {1: D(56)}, 0)
    assert sheet_total(LINES, {2: D(36)}).missing == 4


def _e(key: int, total: str, *, bonus: str = "0", penalty: str = "0", group: str = "0",
       submitted: float = 0) -> Entry:
    return Entry(key, scoring.Totals(total=D(total), bonus=D(bonus), penalty=D(penalty),
                                     groups={1: D(group)}), submitted)


def test_rank_shares_a_rank_without_rules():
    out = rank([_e(1, "90"), _e(2, "95"), _e(3, "90"), _e(4, "80")], [])
    assert [(r.key, r.rank, r.tied) for r in out] == [(2, 1, False), (1, 2, True),
                                                       (3, 2, True), (4, 4, False)]


def test_rank_breaks_ties_by_the_issuers_rules_in_order():
    entries = [_e(1, "90", penalty="2", bonus="5"), _e(2, "90", penalty="1", bonus="0"),
               _e(3, "90", penalty="1", bonus="3")]
    # fewer penalty points first, then more bonus points
    out = rank(entries, ["it_diem_tru", "nhieu_diem_thuong"])
    assert [(r.key, r.rank, r.tied) for r in out] == [(3, 1, False), (2, 2, False),
                                                       (1, 3, False)]
    assert [r.decided_by for r in out] == ["nhieu_diem_thuong", "nhieu_diem_thuong",
                                           "it_diem_tru"]
    # the other order of the same rules gives another result
    out = rank(entries, ["nhieu_diem_thuong", "it_diem_tru"])
    assert [r.key for r in out] == [1, 3, 2]


def test_rank_by_first_group_and_by_submission():
    entries = [_e(1, "90", group="50", submitted=20), _e(2, "90", group="55", submitted=30),
               _e(3, "90", group="50", submitted=10)]
    out = rank(entries, ["nhom_dau", "gui_som"], first_group=1)
    assert [(r.key, r.rank) for r in out] == [(2, 1), (3, 2), (1, 3)]
    # rules that do not separate leave the tie for the meeting's vote
    out = rank(entries[:1] + entries[2:], ["nhom_dau"], first_group=1)
    assert [(r.rank, r.tied) for r in out] == [(1, True), (1, True)]
