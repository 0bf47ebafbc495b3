"""The year-end report's own records in the exchange format (docs/exchange-format.md, version
5): the members introduced for Party admission, the families recognised "Gia đình văn hóa",
and the welfare activities with their beneficiaries, recorded by the units of a subtree.
Registered with `people.exchange_format` from `ReportsConfig.ready`; `thidua dump` and
`thidua load` then carry them with the subtree, and a load keeps their figures (ADR 0032).

A candidacy and a family title name a person of the dump (the source's constraint: a person
of the unit's roster). A beneficiary names one when it can; someone outside the dump (a
retired member, a worker's child) is the printed name only, as they may be in the source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
from thidua.reports.kept import (
    family_figures_add,
    party_figures_add,
    welfare_figures,
    welfare_figures_add,
)
from thidua.reports.models import (
    Beneficiary,
    FamilyCultureTitle,
    FundingSource,
    GiftKind,
    PartyCandidate,
    WelfareActivity,
    WelfareOccasion,
)

SINCE = 5  # the format version that added these tables
YEARS = (1950, 2100)
VND = (0, 10**15)  # a gift's value in đồng: a bound no real one reaches
NAME, TEXT = 150, 255

_OF_DUMP = "JOIN org_unit u ON u.id = {t}.unit_id WHERE u.path LIKE {{like}}"
PARTY_SQL = (
    "SELECT c.person_id, c.unit_id, c.introduced_on, c.admitted_on, c.note "
    f"FROM reports_partycandidate c {_OF_DUMP.format(t='c')} AND c.person_id IN ({{people}}) "
    "ORDER BY c.person_id, c.introduced_on")
FAMILY_SQL = (
    "SELECT f.person_id, f.unit_id, f.year, f.note "
    f"FROM reports_familyculturetitle f {_OF_DUMP.format(t='f')} AND f.person_id IN ({{people}}) "
    "ORDER BY f.person_id, f.year")
WELFARE_SQL = (
    "SELECT a.id, a.unit_id, a.year, a.date, a.occasion, a.funding, a.title, a.note "
    f"FROM reports_welfareactivity a {_OF_DUMP.format(t='a')} ORDER BY a.id")
BENEFICIARIES_SQL = (
    "SELECT b.activity_id, CASE WHEN b.person_id IN ({people}) THEN b.person_id END, b.name, "
    "b.amount, b.gift, b.note FROM reports_beneficiary b WHERE b.activity_id IN "
    f"(SELECT a.id FROM reports_welfareactivity a {_OF_DUMP.format(t='a')}) "
    "ORDER BY b.activity_id, b.id")


def _check_party(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if r[3] is not None and r[2] is not None and r[3] < r[2]:
            add(line, f"ngày kết nạp {r[3]} trước ngày giới thiệu {r[2]}.")
    check_once(rows, add, lambda r: (r[0], r[2]),
               lambda r, first: f"người {r[0]} đã được giới thiệu ngày {r[2]} ở dòng {first}.")


def _load_party(data: Loaded) -> None:
    person, unit = data.new_person, data.new_unit
    insert_rows(PartyCandidate, ["person", "unit", "introduced_on", "admitted_on", "note",
                                 "updated_at"],
                [(person[r[0]], unit[r[1]], r[2], r[3], r[4] or "", data.stamp)
                 for r in data.rows])
    reset_sequences(PartyCandidate)
    party_figures_add({person[r[0]] for r in data.rows})


def _check_family(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[2]),
               lambda r, first: f"gia đình của người {r[0]} đã được ghi năm {r[2]} ở dòng "
                                f"{first}.")


def _load_family(data: Loaded) -> None:
    person, unit = data.new_person, data.new_unit
    insert_rows(FamilyCultureTitle, ["person", "year", "unit", "note", "created_at"],
                [(person[r[0]], r[2], unit[r[1]], r[3] or "", data.stamp) for r in data.rows])
    reset_sequences(FamilyCultureTitle)
    fresh_statistics({FamilyCultureTitle: len(data.rows)})  # before the figures read them
    family_figures_add({person[r[0]] for r in data.rows})


def _check_welfare(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        # dates are read as ISO text (compared as such: YYYY-MM-DD orders as the days do)
        if r[2] is not None and r[3] is not None and int(str(r[3])[:4]) != r[2]:
            add(line, f"năm {r[2]} không phải năm của ngày {r[3]}.")


def _load_welfare(data: Loaded) -> dict[int, int]:
    new = new_ids(WelfareActivity, data.rows)
    insert_rows(WelfareActivity, ["id", "unit", "year", "date", "occasion", "funding", "title",
                                  "note", "created_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "",
                  data.stamp) for r in data.rows])
    reset_sequences(WelfareActivity)
    fresh_statistics({WelfareActivity: len(new)})
    welfare_figures_add(new.values())  # the activities; their beneficiaries follow
    return new


def _check_beneficiaries(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[1]) if r[1] is not None else None,
               lambda r, first: f"người {r[1]} đã nhận trong hoạt động {r[0]} ở dòng {first}.")


def _load_beneficiaries(data: Loaded) -> None:
    new = data.new_ids["welfare_activities"]
    # the loaded activities are counted already: their figures before and after these rows
    with welfare_figures(new.values()):
        insert_rows(Beneficiary, ["activity", "person", "name", "amount", "gift", "note"],
                    [(new[r[0]], data.new_person[r[1]] if r[1] is not None else None, r[2],
                      r[3] or 0, r[4], r[5] or "") for r in data.rows])
        reset_sequences(Beneficiary)
        fresh_statistics({Beneficiary: len(data.rows)})


PARTY = ExtensionTable(
    name="party_candidates",
    columns=[col("person_id", "int", True), col("unit_id", "int", True),
             col("introduced_on", "date", True), col("admitted_on", "date"),
             col("note", max_length=TEXT)],
    dump_sql=PARTY_SQL, references=((0, "persons"), (1, "units")),
    load=_load_party, check=_check_party, since=SINCE)

FAMILY = ExtensionTable(
    name="family_titles",
    columns=[col("person_id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS), col("note", max_length=TEXT)],
    dump_sql=FAMILY_SQL, references=((0, "persons"), (1, "units")),
    load=_load_family, check=_check_family, since=SINCE)

WELFARE = ExtensionTable(
    name="welfare_activities",
    columns=[col("id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS), col("date", "date", True),
             col("occasion", "choice", True, tuple(WelfareOccasion.values)),
             col("funding", "choice", True, tuple(FundingSource.values)),
             col("title", max_length=TEXT), col("note", max_length=TEXT)],
    dump_sql=WELFARE_SQL, references=((1, "units"),),
    load=_load_welfare, check=_check_welfare, since=SINCE)

BENEFICIARIES = ExtensionTable(
    name="welfare_beneficiaries",
    columns=[col("activity_id", "int", True), col("person_id", "int"),
             col("name", required=True, max_length=NAME),
             col("amount", "int", limits=VND),
             col("gift", "choice", True, tuple(GiftKind.values)), col("note", max_length=TEXT)],
    dump_sql=BENEFICIARIES_SQL, references=((0, "welfare_activities"), (1, "persons")),
    load=_load_beneficiaries, check=_check_beneficiaries, since=SINCE)


def register() -> None:
    for table in (PARTY, FAMILY, WELFARE, BENEFICIARIES):
        register_table(table)
