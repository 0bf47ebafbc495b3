"""Registrations in the exchange format (docs/exchange-format.md, version 6): the yearly
registrations (đăng ký thi đua) of the units of a subtree and of the people of its rosters,
with their titles, concrete commitments and pledges. Registered with `people.exchange_format`
from `MovementsConfig.ready`; `thidua dump` and `thidua load` then carry them with the subtree,
and a load keeps the CĐCS' registration sums (ADR 0036).

A person's registration goes with the subtree of the unit whose roster they registered through
(`home_unit`), as a rating goes with the unit that gave it. The account that typed it stays
behind (`registered_by` is empty after a load), as other tables leave accounts behind. The
movements, plans and their deployments travel since version 7 (`exchange_plans.py`), the CĐCS
gradings too (`evaluation/exchange_gradings.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.movements.catalogue import TITLE_BY_CODE
from thidua.movements.figures import MOVEMENT_SUMS, movement_figures
from thidua.movements.models import Commitment, Pledge, RegisteredTitle, Registration, Source
from thidua.movements.registered import registered_add
from thidua.people.exchange_format import (
    ExtensionTable,
    Loaded,
    check_once,
    col,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

SINCE = 6  # the format version that added these tables
YEARS = (1950, 2100)
SMALL = (0, 32767)  # PositiveSmallIntegerField
COMMITMENT, PLEDGE = 500, 255  # the texts' max_length (Commitment, Pledge)

# a unit of the subtree, or a person of the dump registered through a unit of the subtree
_OF_DUMP = ("FROM movements_registration r JOIN org_unit h ON h.id = r.home_unit_id "
            "LEFT JOIN org_unit s ON s.id = r.unit_id WHERE h.path LIKE {like} "
            "AND (s.path LIKE {like} OR r.person_id IN ({people}))")
REGISTRATIONS_SQL = (
    "SELECT r.id, r.year, r.person_id, r.unit_id, r.home_unit_id, r.registered_on, r.source, "
    "CASE WHEN r.late THEN 'true' ELSE 'false' END, r.late_reason, r.commitment_count "
    f"{_OF_DUMP} ORDER BY r.id")
TITLES_SQL = (
    "SELECT t.registration_id, t.code FROM movements_registeredtitle t "
    f"WHERE t.registration_id IN (SELECT r.id {_OF_DUMP}) ORDER BY t.registration_id, t.id")
COMMITMENTS_SQL = (
    "SELECT c.registration_id, c.position, c.text FROM movements_commitment c "
    f"WHERE c.registration_id IN (SELECT r.id {_OF_DUMP}) "
    "ORDER BY c.registration_id, c.position, c.id")
PLEDGES_SQL = (
    "SELECT p.registration_id, p.text FROM movements_pledge p "
    f"WHERE p.registration_id IN (SELECT r.id {_OF_DUMP}) ORDER BY p.registration_id, p.id")


def _check_registrations(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if (r[2] is None) == (r[3] is None):
            add(line, "mỗi bản đăng ký thuộc đúng một người (person_id) hoặc một đơn vị "
                      "(unit_id).")
    check_once(rows, add, lambda r: (r[2], r[1]) if r[2] is not None and r[3] is None else None,
               lambda r, first: f"người {r[2]} đã có bản đăng ký năm {r[1]} ở dòng {first}.")
    check_once(rows, add, lambda r: (r[3], r[1]) if r[3] is not None and r[2] is None else None,
               lambda r, first: f"đơn vị {r[3]} đã có bản đăng ký năm {r[1]} ở dòng {first}.")


def _load_registrations(data: Loaded) -> dict[int, int]:
    person, unit = data.new_person, data.new_unit
    new = new_ids(Registration, data.rows)
    # registered_by, an account of the source installation, is left empty
    insert_rows(Registration, ["id", "year", "person", "unit", "home_unit", "registered_on",
                               "source", "late", "late_reason", "commitment_count",
                               "updated_at"],
                [(new[r[0]], r[1], person[r[2]] if r[2] is not None else None,
                  unit[r[3]] if r[3] is not None else None, unit[r[4]], r[5], r[6], r[7],
                  r[8] or "", r[9] or 0, data.stamp) for r in data.rows])
    reset_sequences(Registration)
    fresh_statistics({Registration: len(new)})  # before the figures read them
    # the load's new units, whose registrations' subtree sums go from nothing to these; their
    # titles follow (`_load_titles`: «Cơ quan, đơn vị văn hóa»)
    MOVEMENT_SUMS.add_new(data.new_unit.values())
    # who has registered, per subtree and day (ADR 0037): the loaded people and units are new
    registered_add(person_ids={person[r[2]] for r in data.rows if r[2] is not None},
                   unit_ids={unit[r[3]] for r in data.rows if r[3] is not None})
    return new


def _check_titles(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[1]),
               lambda r, first: f"danh hiệu {r[1]} đã có trong bản đăng ký {r[0]} ở dòng "
                                f"{first}.")


def _load_titles(data: Loaded) -> None:
    new = data.new_ids["registrations"]
    # the loaded registrations are counted already: the units' figures before and after these
    # rows (a CĐCS registered for «Cơ quan, đơn vị văn hóa»)
    with movement_figures(data.new_unit.values()):
        insert_rows(RegisteredTitle, ["registration", "code"],
                    [(new[r[0]], r[1]) for r in data.rows])
        reset_sequences(RegisteredTitle)
        fresh_statistics({RegisteredTitle: len(data.rows)})


def _load_commitments(data: Loaded) -> None:
    new = data.new_ids["registrations"]
    insert_rows(Commitment, ["registration", "position", "text"],
                [(new[r[0]], r[1], r[2]) for r in data.rows])
    reset_sequences(Commitment)
    fresh_statistics({Commitment: len(data.rows)})


def _check_pledges(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[1]),
               lambda r, first: f"cam kết «{r[1][:40]}» đã có trong bản đăng ký {r[0]} ở dòng "
                                f"{first}.")


def _load_pledges(data: Loaded) -> None:
    new = data.new_ids["registrations"]
    insert_rows(Pledge, ["registration", "text"], [(new[r[0]], r[1]) for r in data.rows])
    reset_sequences(Pledge)
    fresh_statistics({Pledge: len(data.rows)})


REGISTRATIONS = ExtensionTable(
    name="registrations",
    columns=[col("id", "int", True), col("year", "int", True, limits=YEARS),
             col("person_id", "int"), col("unit_id", "int"), col("home_unit_id", "int", True),
             col("registered_on", "date", True),
             col("source", "choice", True, tuple(Source.values)), col("late", "bool", True),
             col("late_reason"), col("commitment_count", "int", limits=SMALL)],
    dump_sql=REGISTRATIONS_SQL, references=((2, "persons"), (3, "units"), (4, "units")),
    load=_load_registrations, check=_check_registrations, since=SINCE)

TITLES = ExtensionTable(
    name="registration_titles",
    # the registrable titles of the catalogue, as the registration services accept them
    columns=[col("registration_id", "int", True),
             col("code", "choice", True, tuple(TITLE_BY_CODE))],
    dump_sql=TITLES_SQL, references=((0, "registrations"),), load=_load_titles,
    check=_check_titles, since=SINCE)

COMMITMENTS = ExtensionTable(
    name="registration_commitments",
    columns=[col("registration_id", "int", True), col("position", "int", True, limits=SMALL),
             col("text", required=True, max_length=COMMITMENT)],
    dump_sql=COMMITMENTS_SQL, references=((0, "registrations"),), load=_load_commitments,
    since=SINCE)

PLEDGES = ExtensionTable(
    name="registration_pledges",
    columns=[col("registration_id", "int", True),
             col("text", required=True, max_length=PLEDGE)],
    dump_sql=PLEDGES_SQL, references=((0, "registrations"),), load=_load_pledges,
    check=_check_pledges, since=SINCE)


def register() -> None:
    for table in (REGISTRATIONS, TITLES, COMMITMENTS, PLEDGES):
        register_table(table)
