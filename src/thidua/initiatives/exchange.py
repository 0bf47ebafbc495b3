"""Initiatives in the exchange format (docs/exchange-format.md, version 4): the initiatives
filed in the units of a subtree with their authors, trial participants, recognitions and the
dossiers that used them; since version 8 the files attached to them. Registered with
`people.exchange_format` from `InitiativesConfig.ready`; `thidua dump` and `thidua load` then
carry them with the subtree.

An author or a use names a person of the dump when it can; a person outside the subtree is
left as the name the form printed. The councils' reviews, their scores and the status history
stay in the source installation (as a title's votes do). A load tells every process's novelty
index about the new initiatives (ADR 0029)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.initiatives.figures import initiative_figures, initiative_figures_add
from thidua.initiatives.models import (
    Attachment,
    Author,
    Initiative,
    InitiativeType,
    InitiativeUse,
    Level,
    Recognition,
    Status,
    TrialParticipant,
    UseKind,
)
from thidua.initiatives.novelty import record_new
from thidua.people.exchange_format import (
    ExtensionTable,
    Loaded,
    check_once,
    col,
    moment,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics
from thidua.platform.text import fold

YEARS = (1950, 2100)
SINCE = 4  # the format version that added these tables
FILES_SINCE = 8  # … and the one that added the attached files
VND = (0, 10**16 - 1)  # numeric(16, 0)
NAME, TEXT = 150, 255

_OF_DUMP = ("FROM initiatives_initiative i JOIN org_unit u ON u.id = i.unit_id "
            "WHERE u.path LIKE {like}")
INITIATIVES_SQL = (
    "SELECT i.id, i.unit_id, i.year, i.title, i.addressee, i.investor, i.field, i.kind, "
    "i.first_applied_on, i.description, i.confidential, i.conditions, i.benefit_author, "
    "i.benefit_others, i.benefit_expected_vnd, i.benefit_measured_vnd, i.status, "
    f"i.submitted_at {_OF_DUMP} ORDER BY i.id")
# a person outside the dump is left as the printed name
_PERSON = "CASE WHEN {t}.person_id IN ({{people}}) THEN {t}.person_id END"
AUTHORS_SQL = (
    f"SELECT a.initiative_id, a.\"order\", {_PERSON.format(t='a')}, a.full_name, a.birth_date, "
    "a.workplace, a.job_title, a.qualification, a.contribution FROM initiatives_author a "
    f"WHERE a.initiative_id IN (SELECT i.id {_OF_DUMP}) ORDER BY a.initiative_id, a.\"order\", "
    "a.id")
PARTICIPANTS_SQL = (
    "SELECT p.initiative_id, p.\"order\", p.full_name, p.birth_date, p.workplace, p.job_title, "
    "p.qualification, p.task FROM initiatives_trialparticipant p "
    f"WHERE p.initiative_id IN (SELECT i.id {_OF_DUMP}) ORDER BY p.initiative_id, p.\"order\", "
    "p.id")
RECOGNITIONS_SQL = (
    "SELECT r.initiative_id, r.level, r.year, r.decided_on, r.decision_no, r.issuer, "
    "r.certificate_no, r.scope_note FROM initiatives_recognition r "
    f"WHERE r.initiative_id IN (SELECT i.id {_OF_DUMP}) ORDER BY r.initiative_id, r.id")
USES_SQL = (
    f"SELECT x.initiative_id, x.kind, x.reference, x.year, {_PERSON.format(t='x')}, x.warning "
    "FROM initiatives_initiativeuse x "
    f"WHERE x.initiative_id IN (SELECT i.id {_OF_DUMP}) ORDER BY x.initiative_id, x.id")

# the file's stored name: the dump copies it into files/ and writes its digest instead
ATTACHMENTS_SQL = (
    "SELECT a.initiative_id, a.original_name, a.file, a.uploaded_at "
    f"FROM initiatives_attachment a WHERE a.initiative_id IN (SELECT i.id {_OF_DUMP}) "
    "ORDER BY a.initiative_id, a.id")


def _load_initiatives(data: Loaded) -> dict[int, int]:
    new = new_ids(Initiative, data.rows)
    insert_rows(Initiative, [
        "id", "unit", "year", "title", "title_folded", "addressee", "investor", "field", "kind",
        "first_applied_on", "description", "confidential", "conditions", "benefit_author",
        "benefit_others", "benefit_expected_vnd", "benefit_measured_vnd", "status",
        "submitted_at", "created_at", "updated_at", "version"],
        [(new[r[0]], data.new_unit[r[1]], r[2], r[3], fold(r[3])[:300], r[4] or "", r[5] or "",
          r[6], r[7], r[8], r[9], r[10] or "", r[11] or "", r[12] or "", r[13] or "", r[14],
          r[15], r[16], moment(r[17]), data.stamp, data.stamp, 1)
         for r in data.rows])
    reset_sequences(Initiative)
    fresh_statistics({Initiative: len(new)})
    # every process's novelty index takes them in at its next use
    record_new(new.values())
    return new


def _person(data: Loaded, pk: int | None) -> int | None:
    return data.new_person[pk] if pk is not None else None


def _load_authors(data: Loaded) -> None:
    new = data.new_ids["initiatives"]
    insert_rows(Author, ["initiative", "order", "person", "full_name", "birth_date", "workplace",
                         "job_title", "qualification", "contribution"],
                [(new[r[0]], r[1], _person(data, r[2]), r[3], r[4], r[5] or "", r[6] or "",
                  r[7] or "", r[8]) for r in data.rows])
    reset_sequences(Author)


def _check_authors(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[2]) if r[2] is not None else None,
               lambda r, first: f"người {r[2]} đã là tác giả của sáng kiến {r[0]} ở dòng "
                                f"{first}.")


def _load_participants(data: Loaded) -> None:
    new = data.new_ids["initiatives"]
    insert_rows(TrialParticipant, ["initiative", "order", "full_name", "birth_date", "workplace",
                                   "job_title", "qualification", "task"],
                [(new[r[0]], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6] or "", r[7] or "")
                 for r in data.rows])
    reset_sequences(TrialParticipant)


def _load_recognitions(data: Loaded) -> None:
    new = data.new_ids["initiatives"]
    insert_rows(Recognition, ["initiative", "level", "year", "decided_on", "decision_no",
                              "issuer", "certificate_no", "scope_note", "created_at"],
                [(new[r[0]], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7] or "", data.stamp)
                 for r in data.rows])
    # the load's new units, whose recognitions' subtree sums go from nothing to these (ADR 0036)
    initiative_figures_add(data.new_unit.values())
    reset_sequences(Recognition)


def _check_recognitions(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[0], r[1]),
               lambda r, first: f"sáng kiến {r[0]} đã được công nhận cấp «{r[1]}» ở dòng "
                                f"{first}.")


def _load_uses(data: Loaded) -> None:
    new = data.new_ids["initiatives"]
    # the loaded recognitions are counted already: the units' figures before and after these
    # rows (the initiatives put forward for an award)
    with initiative_figures(data.new_unit.values()):
        insert_rows(InitiativeUse, ["initiative", "kind", "reference", "year", "person",
                                    "warning", "created_at"],
                    [(new[r[0]], r[1], r[2], r[3], _person(data, r[4]), r[5] or "", data.stamp)
                     for r in data.rows])
    reset_sequences(InitiativeUse)


def _load_attachments(data: Loaded) -> None:
    new = data.new_ids["initiatives"]
    rows = []
    for r in data.rows:
        stored = data.store(r[2], r[1], Attachment.rules)
        rows.append((new[r[0]], stored.name, stored.original_name, stored.kind, stored.size,
                     stored.sha256, moment(r[3]) if r[3] is not None else data.stamp))
    insert_rows(Attachment, ["initiative", "file", "original_name", "kind", "size", "sha256",
                             "uploaded_at"], rows)
    reset_sequences(Attachment)


def _people_columns() -> list[Any]:
    return [col("full_name", required=True, max_length=NAME), col("birth_date", "date"),
            col("workplace", max_length=TEXT), col("job_title", max_length=NAME),
            col("qualification", max_length=NAME)]


INITIATIVES = ExtensionTable(
    name="initiatives",
    columns=[col("id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS), col("title", required=True, max_length=300),
             col("addressee", max_length=TEXT), col("investor", max_length=TEXT),
             col("field", required=True, max_length=TEXT),
             col("kind", "choice", True, tuple(InitiativeType.values)),
             col("first_applied_on", "date"), col("description", required=True),
             col("confidential"), col("conditions"), col("benefit_author"),
             col("benefit_others"), col("benefit_expected_vnd", "decimal", limits=VND),
             col("benefit_measured_vnd", "decimal", limits=VND),
             col("status", "choice", True, tuple(Status.values)),
             col("submitted_at", "datetime")],
    dump_sql=INITIATIVES_SQL, references=((1, "units"),), load=_load_initiatives,
    since=SINCE)

AUTHORS = ExtensionTable(
    name="initiative_authors",
    columns=[col("initiative_id", "int", True), col("order", "int", True, limits=(0, 32767)),
             col("person_id", "int"), *_people_columns(),
             col("contribution", "decimal", True, limits=(0, 100), places=2)],
    dump_sql=AUTHORS_SQL, references=((0, "initiatives"), (2, "persons")),
    load=_load_authors, check=_check_authors, since=SINCE)

PARTICIPANTS = ExtensionTable(
    name="initiative_participants",
    columns=[col("initiative_id", "int", True), col("order", "int", True, limits=(0, 32767)),
             *_people_columns(), col("task", max_length=TEXT)],
    dump_sql=PARTICIPANTS_SQL, references=((0, "initiatives"),), load=_load_participants,
    since=SINCE)

RECOGNITIONS = ExtensionTable(
    name="initiative_recognitions",
    columns=[col("initiative_id", "int", True), col("level", "choice", True, tuple(Level.values)),
             col("year", "int", True, limits=YEARS), col("decided_on", "date", True),
             col("decision_no", required=True, max_length=80),
             col("issuer", required=True, max_length=TEXT),
             col("certificate_no", max_length=80), col("scope_note")],
    dump_sql=RECOGNITIONS_SQL, references=((0, "initiatives"),), load=_load_recognitions,
    check=_check_recognitions, since=SINCE)

USES = ExtensionTable(
    name="initiative_uses",
    columns=[col("initiative_id", "int", True),
             col("kind", "choice", True, tuple(UseKind.values)),
             col("reference", required=True, max_length=TEXT),
             col("year", "int", True, limits=YEARS), col("person_id", "int"), col("warning")],
    dump_sql=USES_SQL, references=((0, "initiatives"), (4, "persons")), load=_load_uses,
    since=SINCE)

ATTACHMENTS = ExtensionTable(
    name="initiative_attachments",
    columns=[col("initiative_id", "int", True),
             col("original_name", required=True, max_length=TEXT),
             col("file", "file", True, Attachment.rules.kinds), col("uploaded_at", "datetime")],
    dump_sql=ATTACHMENTS_SQL, references=((0, "initiatives"),), load=_load_attachments,
    since=FILES_SINCE)


def register() -> None:
    for table in (INITIATIVES, AUTHORS, PARTICIPANTS, RECOGNITIONS, USES, ATTACHMENTS):
        register_table(table)
