"""The spool an import keeps its rows in between passes: on disk, read back in order, again."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.platform.spreadsheets.spool import Spool, regroup


def test_items_come_back_in_order_from_the_file_as_often_as_asked():
    with Spool[dict[str, object]](batch=4) as spool:
        for n in range(10):
            spool.append({"_row": n + 2, "born": dt.date(1990, 1, 1 + n)})
        assert len(spool) == 10
        assert spool.written == 2  # two batches on disk, two items still waiting
        assert len(spool._pending) == 2
        assert [r["_row"] for r in spool] == list(range(2, 12))
        assert [len(b) for b in spool.batches()] == [4, 4, 2]
        # an interrupted read does not disturb the next one
        first = iter(spool)
        next(first)
        assert [r["_row"] for r in spool][-1] == 11
        assert next(first)["_row"] == 3
    assert len(spool) == 10
    with pytest.raises(ValueError):
        list(spool)


def test_empty_spool_writes_no_file():
    spool: Spool[int] = Spool()
    assert not spool and list(spool) == []
    assert spool._file is None
    spool.close()


def test_regroup_is_lazy():
    taken = []

    def items():
        for n in range(7):
            taken.append(n)
            yield n

    groups = regroup(items(), 3)
    assert next(groups) == [0, 1, 2]
    assert taken == [0, 1, 2]
    assert list(groups) == [[3, 4, 5], [6]]

