"""The exchange format (issue 13 §4): a subtree dumped from one database and loaded into an
empty one gives the same rows and figures; a broken file is refused in Vietnamese and nothing
is written. The data is the national generator's at a small scale."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import transaction

from thidua.demo.national.generate import national_generate
from thidua.org.models import Unit, UnitVersion
from thidua.people.figures import figures_differences
from thidua.people.models import Employment, Membership, Person
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.stats import unit_stats
from thidua.platform.errors import ApplicationError

SCALE = 0.0002
DAYS = (dt.date(2022, 12, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31))
ROOT = "LDLD-PTO"  # Phú Thọ: Vĩnh Phúc and Hòa Bình merged into it on 01/07/2025


def _subtree_state(code: str) -> dict[str, object]:
    """Everything the dump should carry, by natural keys (ids and paths differ after a load)."""
    root = Unit.objects.get(code=code)
    units = Unit.objects.filter(path__startswith=root.path)
    people = Person.objects.filter(employments__unit__in=units).distinct()
    return {
        "figures": {day: unit_stats(root, day) for day in DAYS},
        "units": sorted((code, name, type_, numchild, depth - root.depth, since, until)
                        for code, name, type_, numchild, depth, since, until in units.values_list(
                            "code", "name", "type", "numchild", "depth", "valid_from",
                            "valid_to")),
        "people": sorted(people.values_list("cccd", "full_name", "birth_date", "gender",
                                            "member_code")),
        "employments": sorted(Employment.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "valid_from", "valid_to")),
        "memberships": sorted(Membership.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "status", "opened_by", "closed_by", "valid_from",
            "valid_to")),
    }


def _dump_from_generated(out: Path, **kwargs: object) -> dict[str, object]:
    """Generate, dump the subtree, roll everything back: the database is empty again."""
    point = transaction.savepoint()
    try:
        national_generate(scale=SCALE, seed=11, say=lambda _: None)
        state = _subtree_state(ROOT)
        exchange_dump(actor=None, unit=Unit.objects.get(code=ROOT), out=out, **kwargs)  # type: ignore[arg-type]
        return state
    finally:
        transaction.savepoint_rollback(point)


@pytest.mark.django_db
def test_a_subtree_dumped_and_loaded_into_an_empty_database_keeps_its_rows_and_figures(tmp_path):
    before = _dump_from_generated(tmp_path / "pto.tar")
    assert not Unit.objects.exists()

    counts = exchange_load(actor=None, source=tmp_path / "pto.tar")

    after = _subtree_state(ROOT)
    assert after == before
    assert figures_differences() == []  # the loaded people's periods are in the kept figures
    assert counts["persons"] == len(before["people"]) > 0  # type: ignore[arg-type]
    root = Unit.objects.get(code=ROOT)
    assert root.depth == 1 and Unit.objects.filter(depth=1).count() == 1
    # the periods the merged units spent under Vĩnh Phúc, Hòa Bình are not this subtree's
    assert not UnitVersion.objects.exclude(path__startswith=root.path).exists()
    # treebeard sees a sound tree: children counts match the paths
    for unit in Unit.objects.all():
        children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        assert unit.numchild == children.count()


@pytest.mark.django_db
def test_a_broken_file_is_refused_in_vietnamese_and_nothing_is_written(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    persons = tmp_path / "pto" / "persons.csv"
    lines = persons.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = lines[2].split(",")
    parts[2] = "31/02/1990"  # birth_date, not a date
    lines[2] = ",".join(parts)
    persons.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(ApplicationError, match="đã bị thay đổi hoặc hỏng"):
        exchange_load(actor=None, source=tmp_path / "pto")

    # the same edit with a matching checksum: the row itself is refused, with its line
    manifest_path = tmp_path / "pto" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    from thidua.people.exchange_format import sha256_of

    for entry in manifest["tables"]:
        if entry["name"] == "persons":
            entry["sha256"] = sha256_of(persons)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=tmp_path / "pto")
    assert "persons.csv, dòng 3" in caught.value.message
    assert "chưa ghi gì" in caught.value.message
    assert not Unit.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_a_dump_without_cccd_carries_no_number_and_loading_twice_is_refused(tmp_path):
    _dump_from_generated(tmp_path / "plain", with_cccd=False)
    import csv

    with (tmp_path / "plain" / "persons.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(row["cccd"] == "" for row in rows)
    exchange_load(actor=None, source=tmp_path / "plain")
    assert Person.objects.exists() and not Person.objects.filter(cccd__isnull=False).exists()
    with pytest.raises(ApplicationError, match="mã đơn vị đã có"):
        exchange_load(actor=None, source=tmp_path / "plain")
