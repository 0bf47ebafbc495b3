"""The difference keeper behind the kept figures (platform.kept)."""

from __future__ import annotations

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
