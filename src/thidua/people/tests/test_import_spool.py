"""The roster import holds a batch of rows at a time, never the whole file (issue 13 §3, peak
memory flat in N): the rows as read and the checked rows wait in temporary files, and are
planned and written batch by batch."""

from __future__ import annotations

import datetime as dt
import gc
import tracemalloc
from pathlib import Path
from typing import Any

from thidua.org.models import Unit
from thidua.people.imports import plan as plan_module
from thidua.people.imports import roster_import_file
from thidua.people.imports import write as write_module
from thidua.people.imports.rows import RosterRow
from thidua.people.models import Person
from thidua.people.tests.test_imports import DAY, person_row, write_csv, write_xlsx
from thidua.platform.spreadsheets import spool as spool_module
from thidua.platform.spreadsheets.spool import Spool


def small_batches(monkeypatch: Any, *, spool: int, plan: int, write: int) -> None:
    # raising=False: the test must fail, not error, on an import without these batches
    monkeypatch.setattr(spool_module, "BATCH", spool, raising=False)
    monkeypatch.setattr(plan_module, "PLAN_BATCH", plan, raising=False)
    monkeypatch.setattr(write_module, "WRITE_BATCH", write, raising=False)


def live_rows() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is RosterRow)


def run_import(world: Any, path: Path) -> Any:
    return roster_import_file(actor=world.officer_cdcs, unit=world.cdcs_a, path=path,
                              effective_date=DAY)


def test_rows_are_planned_and_written_a_batch_at_a_time(world, tmp_path, monkeypatch):
    small_batches(monkeypatch, spool=5, plan=7, write=8)
    seen: dict[str, list[int]] = {"plan": [], "write": [], "live": []}
    load_existing = plan_module.load_existing
    insert_rows = write_module.insert_rows

    def spy_load(cccds: list[str]) -> Any:
        seen["plan"].append(len(cccds))
        seen["live"].append(live_rows())
        return load_existing(cccds)

    def spy_insert(model: Any, columns: list[str], rows: list[Any]) -> None:
        if model is Person:
            seen["write"].append(len(rows))
            seen["live"].append(live_rows())
        insert_rows(model, columns, rows)

    monkeypatch.setattr(plan_module, "load_existing", spy_load)
    monkeypatch.setattr(write_module, "insert_rows", spy_insert)
    rows = [person_row(n) for n in range(60)]
    result = run_import(world, write_xlsx(tmp_path / "ds.xlsx", rows))

    assert (result.total, result.created, result.errors) == (60, 60, [])
    assert Person.objects.filter(cccd__in=[r["cccd"] for r in rows]).count() == 60
    assert seen["plan"] == [7] * 8 + [4]
    assert seen["write"] == [8] * 7 + [4]
    # a batch or two of checked rows alive at any time, never the 60
    assert max(seen["live"]) <= 20, seen["live"]


def named_rows(numbers: range) -> list[dict[str, Any]]:
    # a few names, as in a real roster (the name folds are memoised word by word)
    return [person_row(n, name=f"Nguyễn Thị {NAMES[n % len(NAMES)]}") for n in numbers]


NAMES = ["Hương", "Lan", "Mai", "Hoa", "Thu", "Hạnh", "Ngọc"]


def test_memory_held_per_row_is_small(world, tmp_path, monkeypatch):
    """Python's own allocations at the peak of an import of 200 rows, then of 1.000 others: the
    difference, per extra row, is what the import keeps for each row (the CCCDs seen, the new
    ids). Holding the rows themselves costs about 2 KB a row. The files are CSV: an .xlsx is
    read a megabyte of XML at a time, which would hold these small files whole."""
    small_batches(monkeypatch, spool=50, plan=100, write=100)
    small = write_csv(tmp_path / "small.csv", named_rows(range(200)))
    large = write_csv(tmp_path / "large.csv", named_rows(range(1000, 2000)))
    run_import(world, write_csv(tmp_path / "warm.csv", named_rows(range(5000, 5010))))
    peaks = []
    tracemalloc.start()
    try:
        for path in (small, large):
            gc.collect()
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            result = run_import(world, path)
            peaks.append(tracemalloc.get_traced_memory()[1] - base)
            assert result.errors == [] and result.written
    finally:
        tracemalloc.stop()
    per_row = (peaks[1] - peaks[0]) / 800
    assert per_row < 600, (peaks, per_row)


def test_roster_rows_come_back_whole():
    row = RosterRow(7)
    row.fields = {"full_name": "Lê Văn Tám", "gender": "nam"}
    row.cccd, row.birth_date, row.is_member = "001090000007", dt.date(1990, 1, 1), True
    row.member_explicit, row.join_date, row.group_given = True, dt.date(2015, 6, 1), True
    row.unit = Unit(pk=3, code="T01")
    with Spool[RosterRow]() as spool:
        spool.append(row)
        spool._flush()
        (back,) = list(spool)
    assert [getattr(back, s) for s in RosterRow.__slots__ if s != "unit"] == [
        getattr(row, s) for s in RosterRow.__slots__ if s != "unit"]
    assert back.unit is not None and (back.unit.pk, back.unit.code) == (3, "T01")
