"""The year-end review's records in the exchange format (docs/exchange-format.md, version 2):
each person's yearly rating and the titles held by people and units. Registered with
`people.exchange_format` from `EvaluationConfig.ready`; `thidua dump` and `thidua load` then
carry them with the subtree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.evaluation.figures import title_figures_add
from thidua.evaluation.models import DecidedBy, Rating, RatingCode, TitleCode, TitleResult
from thidua.evaluation.unit_figures import unit_figures_add
from thidua.people.exchange_format import (
    ExtensionTable,
    Loaded,
    check_once,
    col,
    register_table,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

YEARS = (1950, 2100)
DAYS = (0, 366)  # the models' check constraints (rating_days, rating_service_months)

RATINGS_SQL = (
    "SELECT r.person_id, r.unit_id, r.year, r.code, r.absence_days, r.maternity_days, "
    "r.service_months, CASE WHEN r.family_ok THEN 'true' WHEN NOT r.family_ok THEN 'false' END, "
    "r.note FROM evaluation_rating r JOIN org_unit u ON u.id = r.unit_id "
    "WHERE u.path LIKE {like} AND r.person_id IN ({people}) ORDER BY r.person_id, r.year")
# The titles decided inside the subtree. One decided above it (a CSTĐ cấp tỉnh of the
# federation) belongs to that body's dump, as the periods a unit spent elsewhere do.
TITLES_SQL = (
    "SELECT t.person_id, t.subject_unit_id, t.unit_id, t.year, t.title, t.how, t.rule_set, "
    "t.reasons, t.note, CASE WHEN t.revoked THEN 'true' ELSE 'false' END "
    "FROM evaluation_titleresult t JOIN org_unit u ON u.id = t.unit_id "
    "LEFT JOIN org_unit s ON s.id = t.subject_unit_id WHERE u.path LIKE {like} "
    "AND (t.person_id IN ({people}) OR s.path LIKE {like}) "
    "ORDER BY t.year, t.unit_id, t.title, t.id")


def _check_ratings(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[2]),
               lambda r, first: f"người {r[0]} đã có xếp loại năm {r[2]} ở dòng {first}.")


def _load_ratings(data: Loaded) -> None:
    person, unit = data.new_person, data.new_unit
    insert_rows(Rating, ["person", "unit", "year", "code", "absence_days", "maternity_days",
                         "service_months", "family_ok", "note", "updated_at"],
                [(person[r[0]], unit[r[1]], r[2], r[3] or "", r[4] or 0, r[5] or 0, r[6], r[7],
                  r[8] or "", data.stamp) for r in data.rows])


def _check_titles(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    held: dict[tuple[Any, ...], int] = {}
    for line, r in enumerate(rows, start=2):
        if (r[0] is None) == (r[1] is None):
            add(line, "mỗi danh hiệu thuộc đúng một người (person_id) hoặc một đơn vị "
                      "(subject_unit_id).")
            continue
        if r[9]:  # revoked rows may repeat
            continue
        key = (r[0], r[1], r[3], r[4])
        if key in held:
            add(line, f"danh hiệu {r[4]} năm {r[3]} đã có ở dòng {held[key]}.")
        held.setdefault(key, line)


def _load_titles(data: Loaded) -> None:
    person, unit = data.new_person, data.new_unit
    rows = [(person[r[0]] if r[0] is not None else None,
             unit[r[1]] if r[1] is not None else None, unit[r[2]], r[3], r[4], r[5],
             r[6] or "", r[7] or "[]", "{}", r[8] or "", r[9], data.stamp) for r in data.rows]
    insert_rows(TitleResult, ["person", "subject_unit", "unit", "year", "title", "how",
                              "rule_set", "reasons", "votes", "note", "revoked", "created_at"],
                rows)
    fresh_statistics({TitleResult: len(rows)})  # before the figures join these rows
    # the holders are among the load's new people, whose title figures go from nothing to
    # these rows; all of them, not the holders only: their ids are one run, read as one range
    title_figures_add(person.values())
    # and the load's new units, whose collective titles' subtree sums go from nothing to these
    unit_figures_add(unit.values())


RATINGS = ExtensionTable(
    name="ratings",
    columns=[col("person_id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS),
             col("code", "choice", False, tuple(RatingCode.values)),
             col("absence_days", "int", limits=DAYS), col("maternity_days", "int", limits=DAYS),
             col("service_months", "int", limits=(0, 12)), col("family_ok", "bool"),
             col("note", max_length=255)],
    dump_sql=RATINGS_SQL, references=((0, "persons"), (1, "units")),
    load=_load_ratings, check=_check_ratings)

TITLES = ExtensionTable(
    name="titles",
    columns=[col("person_id", "int"), col("subject_unit_id", "int"), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS),
             col("title", "choice", True, tuple(TitleCode.values)),
             col("how", "choice", True, tuple(DecidedBy.values)),
             col("rule_set", max_length=80), col("reasons", "json"), col("note", max_length=255),
             col("revoked", "bool", True)],
    dump_sql=TITLES_SQL, references=((0, "persons"), (1, "units"), (2, "units")),
    load=_load_titles, check=_check_titles)


def register() -> None:
    register_table(RATINGS)
    register_table(TITLES)
