"""Decisions and their awards in the exchange format (docs/exchange-format.md, version 3):
the decisions taken by the units of a subtree, the awards they gave to its people and
collectives with the code printed on each certificate, and what a correcting decision changed.
Registered with `people.exchange_format` from `HonoursConfig.ready`; `thidua dump` and
`thidua load` then carry them with the subtree.

A decision goes with the subtree of the body that took it, as a title does (ADR 0033); of its
awards, those to people and collectives of the dump. After a load the issuers' numbering goes
on from the loaded numbers, a certificate's code still verifies (its PDF is printed again by
the issuer), and the award figures of the loaded decisions are kept (ADR 0034)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.honours.figures import award_figures_add
from thidua.honours.models import (
    Award,
    AwardChange,
    Certificate,
    Decision,
    DecisionKind,
    NumberSequence,
)
from thidua.honours.services.decisions import DECISION, GOLDEN_BOOK
from thidua.people.exchange_format import (
    ExtensionTable,
    Loaded,
    col,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

YEARS = (1950, 2100)
SINCE = 3  # the format version that added these tables
CODE_LENGTH = 20  # honours.services.decisions.CODE_LENGTH

DECISIONS_SQL = (
    "SELECT d.id, d.issuer_id, d.external_issuer, d.kind, d.year, d.seq_year, d.seq, d.number, "
    "d.date, d.form, d.title, d.signer_name, d.signer_title, d.place, d.basis, d.reason, "
    "d.target_id FROM honours_decision d JOIN org_unit u ON u.id = d.issuer_id "
    "WHERE u.path LIKE {like} ORDER BY d.id")
# the awards of those decisions to people and collectives of the dump (home unit inside it);
# `a` the award (the proposals' candidates name theirs, `exchange_proposals`)
AWARDS_OF_DUMP = (
    "FROM honours_award a JOIN org_unit i ON i.id = a.issuer_id "
    "JOIN org_unit h ON h.id = a.home_unit_id LEFT JOIN org_unit s ON s.id = a.subject_unit_id "
    "WHERE i.path LIKE {like} AND h.path LIKE {like} "
    "AND (a.person_id IN ({people}) OR s.path LIKE {like})")
AWARDS_SQL = (
    "SELECT a.id, a.decision_id, a.issuer_id, a.form, a.person_id, a.subject_unit_id, "
    "a.home_unit_id, a.recipient_name, a.position, a.achievement, a.year, a.golden_book_no, "
    "a.cash_amount, CASE WHEN a.revoked THEN 'true' ELSE 'false' END, a.revoked_by_id, "
    "a.revoked_reason, (SELECT c.code FROM honours_certificate c WHERE c.award_id = a.id) "
    f"{AWARDS_OF_DUMP} ORDER BY a.id")
CHANGES_SQL = (
    "SELECT x.award_id, x.decision_id, x.field, x.before, x.after FROM honours_awardchange x "
    f"WHERE x.award_id IN (SELECT a.id {AWARDS_OF_DUMP}) ORDER BY x.id")


def _check_decisions(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    numbered: dict[tuple[Any, Any, Any], int] = {}
    position = {r[0]: line for line, r in enumerate(rows, start=2)}
    for line, r in enumerate(rows, start=2):
        if r[6] is not None:
            if r[5] is None:
                add(line, "quyết định có số thứ tự (seq) phải có năm đánh số (seq_year).")
            key = (r[1], r[5], r[6])
            if key in numbered:
                add(line, f"số {r[6]} năm {r[5]} của đơn vị {r[1]} đã dùng ở dòng "
                          f"{numbered[key]}.")
            numbered.setdefault(key, line)
        amends = r[3] != DecisionKind.KHEN_THUONG
        if amends != (r[16] is not None):
            add(line, "quyết định thu hồi, đính chính phải ghi quyết định bị thu hồi, đính "
                      "chính (target_id); quyết định khen thưởng thì không.")
        elif amends and r[16] in position and position[r[16]] >= line:
            add(line, "quyết định bị thu hồi, đính chính phải đứng trước trong tệp.")


def _load_decisions(data: Loaded) -> dict[int, int]:
    new, unit = new_ids(Decision, data.rows), data.new_unit
    rows = [(new[r[0]], unit[r[1]], r[2] or "", r[3], r[4], r[5], r[6], r[7], r[8], r[9] or "",
             r[10], r[11], r[12], r[13] or "", r[14] or "", r[15] or "",
             new[r[16]] if r[16] is not None else None, data.stamp) for r in data.rows]
    insert_rows(Decision, ["id", "issuer", "external_issuer", "kind", "year", "seq_year", "seq",
                           "number", "date", "form", "title", "signer_name", "signer_title",
                           "place", "basis", "reason", "target", "created_at"], rows)
    # the issuers' numbering goes on after the loaded numbers (their sequences are new: the
    # issuers are the load's new units)
    last: dict[tuple[int, int], int] = {}
    for r in rows:
        if r[6] is not None:
            key = (r[1], r[5])
            last[key] = max(last.get(key, 0), r[6])
    NumberSequence.objects.bulk_create(
        [NumberSequence(issuer_id=issuer, year=year, symbol=DECISION, last=n)
         for (issuer, year), n in sorted(last.items())], batch_size=1000)
    reset_sequences(Decision)
    return new


def _check_awards(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    books: dict[tuple[Any, Any], int] = {}
    codes: dict[str, int] = {}
    for line, r in enumerate(rows, start=2):
        if (r[4] is None) == (r[5] is None):
            add(line, "mỗi khen thưởng thuộc đúng một người (person_id) hoặc một tập thể "
                      "(subject_unit_id).")
        if r[11] is not None:
            key = (r[2], r[11])
            if key in books:
                add(line, f"số sổ vàng {r[11]} của đơn vị {r[2]} đã dùng ở dòng {books[key]}.")
            books.setdefault(key, line)
        if r[13] != (r[14] is not None):
            add(line, "khen thưởng đã thu hồi (revoked) phải ghi quyết định thu hồi "
                      "(revoked_by_id), và ngược lại.")
        code = r[16]
        if code is not None:
            if len(code) != CODE_LENGTH or not code.isalnum():
                add(line, f"mã xác minh bằng, giấy khen phải gồm {CODE_LENGTH} chữ, số.")
            elif code in codes:
                add(line, f"mã xác minh «{code}» đã có ở dòng {codes[code]}.")
            codes.setdefault(code, line)
    for code in sorted(_taken_codes(set(codes)))[:3]:
        add(codes[code], f"mã xác minh «{code}» đã có trong cơ sở dữ liệu.")


def _taken_codes(codes: set[str]) -> set[str]:
    """The codes the database already has, in slices (SQLite's parameter limit)."""
    found: set[str] = set()
    ordered = sorted(codes)
    for i in range(0, len(ordered), 900):
        found |= set(Certificate.objects.filter(code__in=ordered[i:i + 900])
                     .values_list("code", flat=True))
    return found


def _load_awards(data: Loaded) -> dict[int, int]:
    new, unit, person = new_ids(Award, data.rows), data.new_unit, data.new_person
    decision = data.new_ids["decisions"]
    rows = [(new[r[0]], decision[r[1]], unit[r[2]], r[3],
             person[r[4]] if r[4] is not None else None,
             unit[r[5]] if r[5] is not None else None, unit[r[6]], r[7], r[8] or "", r[9] or "",
             r[10], r[11], r[12], r[13], decision[r[14]] if r[14] is not None else None,
             r[15] or "") for r in data.rows]
    insert_rows(Award, ["id", "decision", "issuer", "form", "person", "subject_unit",
                        "home_unit", "recipient_name", "position", "achievement", "year",
                        "golden_book_no", "cash_amount", "revoked", "revoked_by",
                        "revoked_reason"], rows)
    insert_rows(Certificate, ["award", "code", "file", "sha256", "signed", "created_at"],
                [(new[r[0]], r[16], "", "", False, data.stamp) for r in data.rows
                 if r[16] is not None])
    book: dict[int, int] = {}
    for r in rows:
        if r[11] is not None:
            book[r[2]] = max(book.get(r[2], 0), r[11])
    # the golden book of each issuer goes on after its loaded numbers (year 0: never restarts)
    NumberSequence.objects.bulk_create(
        [NumberSequence(issuer_id=issuer, year=0, symbol=GOLDEN_BOOK, last=n)
         for issuer, n in sorted(book.items())], batch_size=1000)
    reset_sequences(Award, Certificate)
    fresh_statistics({Award: len(rows)})
    award_figures_add(decision.values())
    return new


def _load_changes(data: Loaded) -> None:
    award, decision = data.new_ids["awards"], data.new_ids["decisions"]
    insert_rows(AwardChange, ["award", "decision", "field", "before", "after"],
                [(award[r[0]], decision[r[1]], r[2], r[3] or "", r[4] or "")
                 for r in data.rows])
    reset_sequences(AwardChange)


TEXT = 255
DECISIONS = ExtensionTable(
    name="decisions",
    columns=[col("id", "int", True), col("issuer_id", "int", True),
             col("external_issuer", max_length=TEXT),
             col("kind", "choice", True, tuple(DecisionKind.values)),
             col("year", "int", True, limits=YEARS), col("seq_year", "int", limits=YEARS),
             col("seq", "int", limits=(1, 2_000_000_000)),
             col("number", required=True, max_length=60), col("date", "date", True),
             col("form", max_length=40), col("title", required=True, max_length=500),
             col("signer_name", required=True, max_length=150),
             col("signer_title", required=True, max_length=150), col("place", max_length=100),
             col("basis"), col("reason"), col("target_id", "int")],
    dump_sql=DECISIONS_SQL, references=((1, "units"), (16, "decisions")),
    load=_load_decisions, check=_check_decisions, since=SINCE)

AWARDS = ExtensionTable(
    name="awards",
    columns=[col("id", "int", True), col("decision_id", "int", True),
             col("issuer_id", "int", True), col("form", required=True, max_length=40),
             col("person_id", "int"), col("subject_unit_id", "int"),
             col("home_unit_id", "int", True), col("recipient_name", required=True,
                                                   max_length=TEXT),
             col("position", max_length=TEXT), col("achievement"),
             col("year", "int", True, limits=YEARS),
             col("golden_book_no", "int", limits=(1, 2_000_000_000)),
             col("cash_amount", "int", limits=(0, 10**15)), col("revoked", "bool", True),
             col("revoked_by_id", "int"), col("revoked_reason"),
             col("certificate_code", max_length=32)],
    dump_sql=AWARDS_SQL,
    references=((1, "decisions"), (2, "units"), (4, "persons"), (5, "units"), (6, "units"),
                (14, "decisions")),
    load=_load_awards, check=_check_awards, since=SINCE)

CHANGES = ExtensionTable(
    name="award_changes",
    columns=[col("award_id", "int", True), col("decision_id", "int", True),
             col("field", required=True, max_length=40), col("before"), col("after")],
    dump_sql=CHANGES_SQL, references=((0, "awards"), (1, "decisions")),
    load=_load_changes, since=SINCE)


def register() -> None:
    register_table(DECISIONS)
    register_table(AWARDS)
    register_table(CHANGES)
