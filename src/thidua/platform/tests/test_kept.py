"""The difference keeper behind the kept figures (platform.kept)."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.platform.kept import DifferenceKeeper


def _keeper(records: dict[int, int], table: dict[int, int], calls: list[str]) -> DifferenceKeeper:
    def compute(ids: set[int]) -> dict[int, int]:
        calls.append(f"compute {sorted(ids)}")
        return {i: records[i] for i in ids if i in records}

    def write(after: dict[int, int], before: list[dict[int, int]]) -> None:
        calls.append("write")
        for key, n in after.items():
            table[key] = table.get(key, 0) + n
        for part in before:
            for key, n in part.items():
                table[key] = table.get(key, 0) - n

    return DifferenceKeeper("test", compute=compute, write=write)


def test_nested_changes_write_once_the_difference_of_every_id_named():
    records = {1: 5, 2: 7}
    table = dict(records)
    calls: list[str] = []
    keeper = _keeper(records, table, calls)
    with keeper.track([1]):
        records[1] = 6
        with keeper.track([1, 2]):  # 1 already tracked: counted before once
            records[2] = 0
        keeper.add_new([3])  # a new record: nothing before
        records[3] = 4
    assert table == {1: 6, 2: 0, 3: 4} and table == {**records}
    assert calls == ["compute [1]", "compute [2]", "compute [1, 2, 3]", "write"]


def test_a_failed_change_writes_nothing():
    records = {1: 5}
    table = dict(records)
    calls: list[str] = []
    keeper = _keeper(records, table, calls)
    with pytest.raises(RuntimeError), keeper.track([1]):
        records[1] = 9
        raise RuntimeError
    assert table == {1: 5} and "write" not in calls
    keeper.add_new([2])  # outside any change: written at once
    assert calls[-1] == "write"


def test_consecutive_ids_are_read_as_ranges_the_rest_as_a_list():
    from thidua.platform.kept import id_runs

    assert id_runs([7, 3, 4, 5, 9, 10, 12, 5]) == ([(3, 5), (9, 10)], [7, 12])
    assert id_runs(range(1, 10_001)) == ([(1, 10_000)], [])
    assert id_runs([]) == ([], [])


def test_id_batches_keep_each_statement_under_the_parameter_bound():
    from thidua.platform.kept import id_batches

    assert id_batches([]) == []
    one = id_batches(range(1, 100_001))  # a load's new records: one range, two parameters
    assert [(b.ranges, b.singles) for b in one] == [([(1, 100_000)], [])]
    scattered = [*range(10, 20), *range(1_000, 3_000, 2), 50, 51]
    batches = id_batches(scattered, limit=100)
    for b in batches:
        assert 2 * len(b.ranges) + len(b.singles) <= 100
    covered = {pk for b in batches for lo, hi in b.ranges for pk in range(lo, hi + 1)}
    covered |= {pk for b in batches for pk in b.singles}
    assert covered == set(scattered)
    assert len(batches) == 11  # 1.000 single ids and two runs in batches of 100 parameters


@pytest.mark.django_db
def test_add_yearly_adds_to_the_kept_rows_and_drops_the_ones_left_at_zero():
    """Both databases' paths (one statement for many rows on PostgreSQL, executemany else)."""
    from thidua.evaluation.models import TitleFigure
    from thidua.org.models import Unit
    from thidua.platform.kept import add_yearly

    since = dt.date(2020, 1, 1)
    a = Unit.objects.add_root({"code": "A", "name": "A", "type": "cdcs", "valid_from": since})
    b = Unit.objects.add_root({"code": "B", "name": "B", "type": "cdcs", "valid_from": since})
    add = {(a.pk, 2024, "LDTT"): 3, (b.pk, 2024, "LDTT"): 2, (a.pk, 2025, "*"): 1}
    add_yearly("evaluation_titlefigure", key="title", value="holders", difference=add)
    add_yearly("evaluation_titlefigure", key="title", value="holders",
               difference={(a.pk, 2024, "LDTT"): 2, (b.pk, 2024, "LDTT"): -2})
    add_yearly("evaluation_titlefigure", key="title", value="holders",
               difference={(a.pk, 2025, "*"): 4})  # one row: the single-row path
    rows = set(TitleFigure.objects.values_list("unit__code", "year", "title", "holders"))
    assert rows == {("A", 2024, "LDTT", 5), ("A", 2025, "*", 5)}
