"""Commendation proposals in the exchange format (docs/exchange-format.md, version 9): the
honours councils of the subtree's units with their members, the proposals its units sent with
their candidates, council votes, dossier documents and history, and the deadlines its units
set. Registered with `people.exchange_format` from `HonoursConfig.ready`, after the decisions
and awards (a candidate names the award it led to).

A proposal goes with the subtree of the unit that **sent** it, as a decision goes with the
body that took it. Its recipient is in the subtree (every proposal a CĐCS sent to its cấp trên,
in a dump of the province) or above it: the proposals the dumped root sent up, whose recipient
is then named by its unit code (`recipient_code`) and looked up in the target database, which
must hold that unit already — or, loaded `without_above`, such a proposal is left out with all
that hangs on it. A forwarded proposal's earlier one (`forwarded_from_id`) was sent by a unit
below, so it is always in the same dump.

The council that reviewed a proposal is its recipient's: it travels with a recipient inside the
subtree, with the candidates' subjects and votes; for a recipient above, the proposal travels
without it, and each candidate keeps the outcome and frozen tally (`passed`, `votes`) the
recipient's council gave it. A candidate is a person of the dump or a unit of the subtree; a
candidate outside the dump is left out with their votes and documents. The accounts that acted
stay behind: a history step keeps its action, states, reason and time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from thidua.councils.exchange import (
    VOTE_SQL,
    check_councils,
    check_members,
    check_votes,
    check_votes_held,
    council_columns,
    council_members_sql,
    councils_sql,
    load_councils,
    load_members,
    load_subjects,
    load_votes,
    member_columns,
    subject_columns,
    subject_sql,
    vote_columns,
)
from thidua.councils.models import Kind
from thidua.honours.exchange import AWARDS_OF_DUMP
from thidua.honours.models import (
    Award,
    Candidate,
    Deadline,
    DossierItem,
    DossierKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from thidua.honours.services.proposals import DOSSIER_FILES
from thidua.honours.services.workflow import WORKFLOW
from thidua.org.models import Unit
from thidua.people.exchange_format import (
    ABOVE,
    NOT_HELD,
    ExtensionTable,
    Loaded,
    check_once,
    col,
    held_by_key,
    moment,
    new_ids,
    register_table,
    reset_sequences,
)
from thidua.people.imports.write import insert_rows, update_column
from thidua.platform.models import TransitionEvent
from thidua.platform.planner import fresh_statistics

SINCE = 9  # the format version that added these tables
YEARS = (1950, 2100)
TEXT = 255

# the proposals `p` the subtree's units sent; `r` the recipient
_PROPOSALS = ("FROM honours_proposal p JOIN org_unit s ON s.id = p.unit_id "
              "JOIN org_unit r ON r.id = p.recipient_id WHERE s.path LIKE {like}")
PROPOSALS_SQL = (
    "SELECT p.id, p.unit_id, CASE WHEN r.path LIKE {like} THEN p.recipient_id END, "
    "CASE WHEN r.path LIKE {like} THEN NULL ELSE r.code END, p.year, p.kind, p.form, "
    "p.topic, p.title, p.status, "
    "CASE WHEN fs.path LIKE {like} THEN p.forwarded_from_id END, "
    f"CASE WHEN cu.path LIKE {{like}} AND c.kind = '{Kind.HONOURS.value}' "
    "THEN p.council_id END, "
    "p.signer_name, p.signer_title, p.submitted_on, p.outcome_note, p.created_at "
    "FROM honours_proposal p JOIN org_unit s ON s.id = p.unit_id "
    "JOIN org_unit r ON r.id = p.recipient_id "
    "LEFT JOIN honours_proposal f ON f.id = p.forwarded_from_id "
    "LEFT JOIN org_unit fs ON fs.id = f.unit_id "
    "LEFT JOIN councils_council c ON c.id = p.council_id "
    "LEFT JOIN org_unit cu ON cu.id = c.unit_id "
    "WHERE s.path LIKE {like} ORDER BY p.id")


def _candidates_from(k: str, joins: str = "") -> str:
    """FROM … WHERE of the candidates `k` of the dump's proposals (a person of the dump or a
    unit of the subtree), with `joins` before the WHERE."""
    return (f"FROM honours_candidate {k} JOIN honours_proposal {k}p ON {k}p.id = {k}.proposal_id "
            f"JOIN org_unit {k}s ON {k}s.id = {k}p.unit_id "
            f"LEFT JOIN org_unit {k}u ON {k}u.id = {k}.subject_unit_id {joins}"
            f"WHERE {k}s.path LIKE {{like}} "
            f"AND ({k}.person_id IN ({{people}}) OR {k}u.path LIKE {{like}})")


# a subject of a council that travels (the recipient's, inside the subtree); `b` the subject
_SUBJECT = ("LEFT JOIN councils_subject b ON b.id = k.subject_id "
            "LEFT JOIN councils_council bc ON bc.id = b.council_id "
            "LEFT JOIN org_unit bu ON bu.id = bc.unit_id "
            "LEFT JOIN initiatives_initiative ki ON ki.id = k.initiative_id "
            "LEFT JOIN org_unit iu ON iu.id = ki.unit_id ")
_VOTED = f"b.id IS NOT NULL AND bu.path LIKE {{like}} AND bc.kind = '{Kind.HONOURS.value}'"
CANDIDATES_SQL = (
    "SELECT k.id, k.proposal_id, k.person_id, k.subject_unit_id, k.display_name, k.position, "
    "k.achievement, k.basis_title, k.checks, "
    "CASE WHEN iu.path LIKE {like} THEN k.initiative_id END, "
    f"CASE WHEN k.origin_id IN (SELECT o.id {_candidates_from('o')}) THEN k.origin_id END, "
    f"{subject_sql(_VOTED)}, "
    "CASE WHEN k.passed THEN 'true' WHEN NOT k.passed THEN 'false' END, k.votes, k.\"order\", "
    f"(SELECT a.id {AWARDS_OF_DUMP} AND a.candidate_id = k.id) "
    f"{_candidates_from('k', _SUBJECT)} ORDER BY k.id")
VOTES_SQL = (
    f"SELECT k.id, {VOTE_SQL} FROM councils_vote v "
    f"JOIN (SELECT k.id, k.subject_id {_candidates_from('k')}) k "
    "ON k.subject_id = v.subject_id "
    "JOIN councils_subject b ON b.id = v.subject_id "
    "JOIN councils_council bc ON bc.id = b.council_id JOIN org_unit bu ON bu.id = bc.unit_id "
    f"WHERE bu.path LIKE {{like}} AND bc.kind = '{Kind.HONOURS.value}' "
    "ORDER BY k.id, v.member_id")
# a document of a candidate left out stays behind with them; the file's stored name, which
# the dump copies into files/ and replaces by its digest
DOSSIER_SQL = (
    "SELECT d.proposal_id, d.candidate_id, d.kind, d.original_name, d.file, d.uploaded_at "
    f"FROM honours_dossieritem d WHERE d.proposal_id IN (SELECT p.id {_PROPOSALS}) "
    f"AND (d.candidate_id IS NULL OR d.candidate_id IN (SELECT k.id {_candidates_from('k')})) "
    "ORDER BY d.proposal_id, d.id")
DEADLINES_SQL = (
    "SELECT d.recipient_id, d.year, d.kind, d.last_day, d.note FROM honours_deadline d "
    "JOIN org_unit u ON u.id = d.recipient_id WHERE u.path LIKE {like} ORDER BY d.id")
EVENTS_SQL = (
    "SELECT p.id, e.at, e.action, e.from_state, e.to_state, e.reason "
    "FROM platform_transitionevent e JOIN django_content_type t ON t.id = e.content_type_id "
    f"JOIN (SELECT p.id, CAST(p.id AS TEXT) AS pkey {_PROPOSALS}) p ON p.pkey = e.object_id "
    f"WHERE t.app_label = 'honours' AND t.model = 'proposal' AND e.workflow = '{WORKFLOW.name}' "
    "ORDER BY p.id, e.at, e.id")


def units_held(codes: set[str]) -> dict[str, int]:
    """The units of the target database with these codes: code -> id."""
    found: dict[str, int] = {}
    ordered = sorted(codes)
    for i in range(0, len(ordered), 900):  # SQLite's parameter limit
        found.update(Unit.objects.filter(code__in=ordered[i:i + 900])
                     .values_list("code", "pk"))
    return found


# --- councils ------------------------------------------------------------------------------


def _load_councils(data: Loaded) -> dict[int, int]:
    return load_councils(data, Kind.HONOURS)


def _load_members(data: Loaded) -> dict[int, int]:
    return load_members(data, data.new_ids["honours_councils"].__getitem__)


# --- proposals -----------------------------------------------------------------------------


def _check_proposals(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    position = {r[0]: line for line, r in enumerate(rows, start=2)}
    for line, r in enumerate(rows, start=2):
        if (r[2] is None) == (r[3] is None):
            add(line, "hồ sơ gửi đến đúng một đơn vị: trong tệp (recipient_id) hoặc cấp trên "
                      "theo mã đơn vị (recipient_code).")
        if r[3] is not None and r[11] is not None:
            add(line, "hồ sơ gửi lên cấp trên (recipient_code) không mang hội đồng (council_id): "
                      "hội đồng là của cấp trên.")
        if r[10] is not None and r[10] in position and position[r[10]] >= line:
            add(line, "hồ sơ được trình tiếp từ (forwarded_from_id) phải đứng trước trong tệp.")
        if r[10] == r[0]:
            add(line, "hồ sơ không thể được trình tiếp từ chính nó.")


_unheld_proposals, _check_proposals_held = held_by_key(
    "proposals", lambda r: r[3], units_held,
    lambda code: f"Đơn vị nhận hồ sơ «{code}» {ABOVE}")


def _load_proposals(data: Loaded) -> dict[int, int]:
    new, unit = new_ids(Proposal, data.rows), data.new_unit
    councils = data.new_ids.get("honours_councils", {})
    held = units_held({r[3] for r in data.rows if r[3] is not None})
    insert_rows(Proposal, [
        "id", "unit", "recipient", "year", "kind", "form", "topic", "title", "status",
        "forwarded_from", "council", "signer_name", "signer_title", "submitted_on",
        "outcome_note", "created_at"],
        [(new[r[0]], unit[r[1]], unit[r[2]] if r[2] is not None else held[r[3]], r[4], r[5],
          r[6], r[7] or "", r[8], r[9], new[r[10]] if r[10] is not None else None,
          councils[r[11]] if r[11] is not None else None, r[12] or "", r[13] or "", r[14],
          r[15] or "", moment(r[16]) if r[16] is not None else data.stamp)
         for r in data.rows])
    reset_sequences(Proposal)
    fresh_statistics({Proposal: len(new)})
    return new


# --- candidates and votes ------------------------------------------------------------------


def _check_candidates(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    position = {r[0]: line for line, r in enumerate(rows, start=2)}
    for line, r in enumerate(rows, start=2):
        if (r[2] is None) == (r[3] is None):
            add(line, "mỗi người, tập thể được đề nghị là đúng một người (person_id) hoặc một "
                      "đơn vị (subject_unit_id).")
        if r[10] is not None and r[10] in position and position[r[10]] >= line:
            add(line, "đề nghị gốc (origin_id) phải đứng trước trong tệp.")
    check_once(rows, add, lambda r: (r[1], r[2]) if r[2] is not None else None,
               lambda r, first: f"người {r[2]} đã có trong hồ sơ {r[1]} ở dòng {first}.")
    check_once(rows, add, lambda r: (r[1], r[3]) if r[3] is not None else None,
               lambda r, first: f"đơn vị {r[3]} đã có trong hồ sơ {r[1]} ở dòng {first}.")
    check_once(rows, add, lambda r: r[19],
               lambda r, first: f"khen thưởng {r[19]} đã gắn với đề nghị ở dòng {first}.")


def _check_voted(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]) -> None:
    """A candidate put to the vote belongs to a proposal that carries its council."""
    council_of = {r[0]: r[11] for r in data.get("proposals") or []}
    for line, r in enumerate(data["proposal_candidates"], start=2):
        if r[11] and council_of.get(r[1], 0) is None:
            add(line, f"đề nghị được biểu quyết (voted true) nhưng hồ sơ {r[1]} không có hội "
                      "đồng (council_id).")


def _load_candidates(data: Loaded) -> dict[int, int]:
    proposals, initiatives = data.new_ids["proposals"], data.new_ids.get("initiatives", {})
    council_of = dict(Proposal.objects.filter(pk__in=set(proposals.values()))
                      .values_list("pk", "council_id"))
    subjects = load_subjects(data.rows, 11, lambda r: council_of[proposals[r[1]]])
    new = new_ids(Candidate, data.rows)
    insert_rows(Candidate, [
        "id", "proposal", "person", "subject_unit", "display_name", "position", "achievement",
        "basis_title", "checks", "initiative", "origin", "subject", "passed", "votes", "order"],
        [(new[r[0]], proposals[r[1]], data.new_person[r[2]] if r[2] is not None else None,
          data.new_unit[r[3]] if r[3] is not None else None, r[4], r[5] or "", r[6] or "",
          r[7] or "", r[8] or "[]", initiatives[r[9]] if r[9] is not None else None,
          new[r[10]] if r[10] is not None else None, subjects.get(r[0]), r[16],
          r[17] or "{}", r[18]) for r in data.rows])
    reset_sequences(Candidate)
    fresh_statistics({Candidate: len(new)})
    # the awards (loaded before, without their candidate) each candidate led to
    awards = data.new_ids.get("awards", {})
    update_column(Award, "candidate", [(awards[r[19]], new[r[0]]) for r in data.rows
                                       if r[19] is not None])
    return new


def _load_votes(data: Loaded) -> None:
    candidates = data.new_ids["proposal_candidates"]
    subject_of = dict(Candidate.objects.filter(pk__in=set(candidates.values()))
                      .values_list("pk", "subject_id"))
    load_votes(data, lambda candidate: subject_of[candidates[candidate]],
               data.new_ids["honours_council_members"])


# --- dossier, deadlines, history -----------------------------------------------------------


def _check_dossier(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]) -> None:
    proposal_of = {r[0]: r[1] for r in data.get("proposal_candidates") or []}
    for line, r in enumerate(data["proposal_dossier"], start=2):
        if r[1] is not None and proposal_of.get(r[1], r[0]) != r[0]:
            add(line, f"tài liệu của đề nghị {r[1]} phải thuộc hồ sơ của đề nghị đó.")


def _load_dossier(data: Loaded) -> None:
    proposals = data.new_ids["proposals"]
    candidates = data.new_ids.get("proposal_candidates", {})
    rows = []
    for r in data.rows:
        stored = data.store(r[4], r[3], DOSSIER_FILES)
        rows.append((proposals[r[0]], candidates[r[1]] if r[1] is not None else None, r[2],
                     stored.name, stored.original_name, stored.kind, stored.size,
                     stored.sha256, moment(r[5]) if r[5] is not None else data.stamp))
    insert_rows(DossierItem, ["proposal", "candidate", "kind", "file", "original_name",
                              "file_kind", "size", "sha256", "uploaded_at"], rows)
    reset_sequences(DossierItem)


def _load_deadlines(data: Loaded) -> None:
    insert_rows(Deadline, ["recipient", "year", "kind", "last_day", "note"],
                [(data.new_unit[r[0]], r[1], r[2], r[3], r[4] or "") for r in data.rows])
    reset_sequences(Deadline)


def _load_events(data: Loaded) -> None:
    proposals = data.new_ids["proposals"]
    kind = ContentType.objects.get_for_model(Proposal)
    insert_rows(TransitionEvent, ["content_type", "object_id", "workflow", "action",
                                  "from_state", "to_state", "reason", "data", "at"],
                [(kind.pk, str(proposals[r[0]]), WORKFLOW.name, r[2], r[3], r[4], r[5] or "",
                  "{}", moment(r[1])) for r in data.rows])
    reset_sequences(TransitionEvent)


COUNCILS = ExtensionTable(
    name="honours_councils", columns=council_columns(), dump_sql=councils_sql(Kind.HONOURS),
    references=((1, "units"),), load=_load_councils, check=check_councils, since=SINCE)

MEMBERS = ExtensionTable(
    name="honours_council_members", columns=member_columns("council_id"),
    dump_sql=council_members_sql(Kind.HONOURS),
    references=((1, "honours_councils"), (2, "persons")), load=_load_members,
    check=check_members(""), since=SINCE)

STATES = tuple(ProposalStatus.values)
PROPOSALS = ExtensionTable(
    name="proposals",
    columns=[col("id", "int", True), col("unit_id", "int", True), col("recipient_id", "int"),
             col("recipient_code", max_length=40), col("year", "int", True, limits=YEARS),
             col("kind", "choice", True, tuple(ProposalKind.values)),
             col("form", required=True, max_length=40), col("topic", max_length=TEXT),
             col("title", required=True, max_length=TEXT),
             col("status", "choice", True, STATES), col("forwarded_from_id", "int"),
             col("council_id", "int"), col("signer_name", max_length=150),
             col("signer_title", max_length=150), col("submitted_on", "date"),
             col("outcome_note"), col("created_at", "datetime")],
    dump_sql=PROPOSALS_SQL,
    references=((1, "units"), (2, "units"), (10, "proposals"), (11, "honours_councils")),
    load=_load_proposals, check=_check_proposals, check_dump=_check_proposals_held,
    unheld=_unheld_proposals, unheld_why=f"đơn vị nhận hồ sơ {NOT_HELD}", since=SINCE)

CANDIDATES = ExtensionTable(
    name="proposal_candidates",
    columns=[col("id", "int", True), col("proposal_id", "int", True), col("person_id", "int"),
             col("subject_unit_id", "int"), col("display_name", required=True, max_length=TEXT),
             col("position", max_length=TEXT), col("achievement"),
             col("basis_title", max_length=20), col("checks", "json"),
             col("initiative_id", "int"), col("origin_id", "int"), *subject_columns(),
             col("passed", "bool"),
             col("votes", "object"), col("order", "int", True, limits=(0, 2_147_483_647)),
             col("award_id", "int")],
    dump_sql=CANDIDATES_SQL,
    references=((1, "proposals"), (2, "persons"), (3, "units"), (9, "initiatives"),
                (10, "proposal_candidates"), (19, "awards")),
    load=_load_candidates, check=_check_candidates, check_dump=_check_voted, since=SINCE)

VOTES = ExtensionTable(
    name="proposal_votes", columns=vote_columns("candidate_id"), dump_sql=VOTES_SQL,
    references=((0, "proposal_candidates"), (1, "honours_council_members")),
    load=_load_votes, check=check_votes("đề nghị"), check_dump=check_votes_held(
        votes="proposal_votes", subjects="proposal_candidates", owner_at=1, voted_at=11,
        members="honours_council_members",
        unvoted="đề nghị {subject} không được đưa ra biểu quyết (voted false).",
        outsider="thành viên {member} không thuộc hội đồng xét hồ sơ {owner}.",
        council_of=lambda data: {r[0]: r[11] for r in data.get("proposals") or []}), since=SINCE)

DOSSIER = ExtensionTable(
    name="proposal_dossier",
    columns=[col("proposal_id", "int", True), col("candidate_id", "int"),
             col("kind", "choice", True, tuple(DossierKind.values)),
             col("original_name", required=True, max_length=TEXT),
             col("file", "file", True, DOSSIER_FILES.kinds), col("uploaded_at", "datetime")],
    dump_sql=DOSSIER_SQL, references=((0, "proposals"), (1, "proposal_candidates")),
    load=_load_dossier, check_dump=_check_dossier, since=SINCE)

DEADLINES = ExtensionTable(
    name="proposal_deadlines",
    columns=[col("recipient_id", "int", True), col("year", "int", True, limits=YEARS),
             col("kind", "choice", True, tuple(ProposalKind.values)),
             col("last_day", "date", True), col("note", max_length=TEXT)],
    dump_sql=DEADLINES_SQL, references=((0, "units"),), load=_load_deadlines,
    check=lambda rows, add: check_once(
        rows, add, lambda r: (r[0], r[1], r[2]),
        lambda r, first: f"đơn vị {r[0]} đã có hạn nộp hồ sơ «{r[2]}» năm {r[1]} ở dòng "
                         f"{first}."), since=SINCE)

EVENTS = ExtensionTable(
    name="proposal_events",
    columns=[col("proposal_id", "int", True), col("at", "datetime", True),
             col("action", required=True, max_length=40),
             col("from_state", "choice", True, STATES), col("to_state", "choice", True, STATES),
             col("reason")],
    dump_sql=EVENTS_SQL, references=((0, "proposals"),), load=_load_events, since=SINCE)


def register() -> None:
    for table in (COUNCILS, MEMBERS, PROPOSALS, CANDIDATES, VOTES, DOSSIER, DEADLINES, EVENTS):
        register_table(table)
