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
from thidua.evaluation import figures as title_figures
from thidua.evaluation.models import Rating, TitleResult
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
        "ratings": sorted(Rating.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "year", "code", "absence_days", "maternity_days",
            "service_months", "family_ok", "note"), key=str),
        # the titles decided inside the subtree, by people and by units
        "titles": sorted(TitleResult.objects.filter(unit__in=units).values_list(
            "person__cccd", "subject_unit__code", "unit__code", "year", "title", "how",
            "revoked", "reasons", "rule_set", "note"), key=str),
        "title_figures": {year: title_figures.subtree_title_figures(unit_ids=units, year=year)
                          for year in range(2021, 2026)},
    }


def _vary_the_review() -> None:
    """What the generator leaves plain: the "đảm việc nhà" half both ways, a title's reasons
    (Vietnamese, commas, quotes) and a revoked title beside its replacement."""
    units = Unit.objects.filter(path__startswith=Unit.objects.get(code=ROOT).path)
    ratings = list(Rating.objects.filter(unit__in=units).order_by("id")[:2])
    Rating.objects.filter(pk=ratings[0].pk).update(family_ok=True, absence_days=12,
                                                   service_months=11, note='ghi "chú", ngắn')
    Rating.objects.filter(pk=ratings[1].pk).update(family_ok=False)
    title = TitleResult.objects.filter(unit__in=units, person__isnull=False).order_by("id")[0]
    TitleResult.objects.filter(pk=title.pk).update(
        reasons=[{"rule_id": "xep_loai", "text": 'Xếp loại "Hoàn thành tốt", đủ 12 tháng.',
                  "passed": True}], rule_set="luat-2022-nd98-2023")
    TitleResult.objects.create(person_id=title.person_id, year=title.year, title=title.title,
                               unit_id=title.unit_id, how="correction", revoked=True,
                               note="bản cũ, đã đính chính")


def _dump_from_generated(out: Path, **kwargs: object) -> dict[str, object]:
    """Generate, dump the subtree, roll everything back: the database is empty again."""
    point = transaction.savepoint()
    try:
        national_generate(scale=SCALE, seed=11, say=lambda _: None)
        _vary_the_review()
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
    assert title_figures.differences() == []  # and their titles in the title figures
    assert counts["persons"] == len(before["people"]) > 0  # type: ignore[arg-type]
    assert counts["ratings"] == len(before["ratings"]) > 0  # type: ignore[arg-type]
    assert counts["titles"] == len(before["titles"]) > 0  # type: ignore[arg-type]
    assert any(row[1] for row in before["titles"])  # type: ignore[attr-defined]  # a unit's title
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


def _edit(folder: Path, table: str, line: int, column: str, value: str) -> None:
    """Change one cell of a dumped file and its checksum in the manifest, as a careless editor
    with the right tools would."""
    import csv

    from thidua.people.exchange_format import sha256_of

    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for entry in manifest["tables"]:
        if entry["name"] == table:
            entry["sha256"] = sha256_of(path)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.django_db
def test_a_wrong_rating_or_title_is_refused_with_its_line_and_nothing_is_written(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    folder = tmp_path / "pto"
    _edit(folder, "ratings", 2, "absence_days", "400")
    _edit(folder, "titles", 3, "title", "KHONG_CO")
    _edit(folder, "titles", 4, "person_id", "")  # neither a person nor a unit
    _edit(folder, "titles", 5, "reasons", "[chưa đóng")

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert "ratings.csv, dòng 2: cột «absence_days» phải từ 0 đến 366, có 400." in message
    assert "titles.csv, dòng 3: cột «title» có giá trị không hợp lệ «KHONG_CO»." in message
    assert "titles.csv, dòng 5: cột «reasons» không phải JSON hợp lệ." in message
    assert "chưa ghi gì" in message
    # the row checks first: the title without a holder is reported once they pass
    assert not Unit.objects.exists() and not Rating.objects.exists()
    _edit(folder, "ratings", 2, "absence_days", "4")
    _edit(folder, "titles", 3, "title", "LDTT")
    _edit(folder, "titles", 5, "reasons", "[]")
    with pytest.raises(ApplicationError, match="titles.csv, dòng 4: mỗi danh hiệu thuộc đúng"):
        exchange_load(actor=None, source=folder)
    assert not Unit.objects.exists() and not TitleResult.objects.exists()


@pytest.mark.django_db
def test_a_dump_of_version_1_without_ratings_and_titles_still_loads(tmp_path):
    before = _dump_from_generated(tmp_path / "old")
    manifest_path = tmp_path / "old" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version"] = 1
    manifest["tables"] = [e for e in manifest["tables"] if e["name"] not in ("ratings", "titles")]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    counts = exchange_load(actor=None, source=tmp_path / "old")

    assert counts["persons"] == len(before["people"])  # type: ignore[arg-type]
    assert counts["ratings"] == counts["titles"] == 0
    assert not Rating.objects.exists() and title_figures.differences() == []
    manifest["version"] = 2  # the same files claiming version 2 lack two tables
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ApplicationError, match="thiếu bảng «ratings»"):
        exchange_load(actor=None, source=tmp_path / "old")
