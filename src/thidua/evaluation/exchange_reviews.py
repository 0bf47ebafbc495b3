"""The year-end reviews (bình xét) in the exchange format (docs/exchange-format.md, version 8):
a review of a unit of the subtree with its council (the council's own fields on the review's
row: a review has exactly one), the council's members, the list of candidates with their
reasons and frozen tallies, the votes, and the review's log. Registered with
`people.exchange_format` from `EvaluationConfig.ready`, after the titles.

A review goes with the subtree of the unit that held it, as the titles it decided do; the
load ties those titles (decided by the council, `how = council`, of that unit and year) to it
again. A candidate or a member is a person of the dump (a member may also be a guest, a name
only); a candidate whose person is outside the dump is left out with their votes. The accounts
that acted stay behind (a log line keeps its text and time, not who wrote it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.councils.exchange import (
    MEETING_FIELDS,
    MEETING_SQL,
    MEMBER_SQL,
    SMALL,
    VOTE_SQL,
    check_members,
    check_votes,
    check_votes_held,
    load_members,
    load_subjects,
    load_votes,
    meeting_columns,
    meeting_values,
    member_columns,
    subject_columns,
    subject_sql,
    vote_columns,
)
from thidua.councils.models import Council, Kind
from thidua.evaluation.models import (
    Candidate,
    CandidateSource,
    DecidedBy,
    Outcome,
    Review,
    ReviewEvent,
    ReviewStatus,
    TitleCode,
    TitleResult,
)
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

SINCE = 8  # the format version that added these tables
YEARS = (1950, 2100)

_OF_DUMP = ("FROM evaluation_review r JOIN org_unit u ON u.id = r.unit_id "
            "WHERE u.path LIKE {like}")
REVIEWS_SQL = (
    "SELECT r.id, r.unit_id, r.year, r.status, r.rule_set, r.proposed_at, r.place_name, "
    f"r.closed_at, c.name, {MEETING_SQL} "
    "FROM evaluation_review r JOIN org_unit u ON u.id = r.unit_id "
    "JOIN councils_council c ON c.id = r.council_id WHERE u.path LIKE {like} ORDER BY r.id")
MEMBERS_SQL = (
    f"SELECT m.id, r.id, {MEMBER_SQL} "
    "FROM councils_member m JOIN evaluation_review r ON r.council_id = m.council_id "
    "JOIN org_unit u ON u.id = r.unit_id WHERE u.path LIKE {like} "
    "ORDER BY r.id, m.\"order\", m.id")
# the candidates `k` of the dump: a person of it, or a unit of the subtree; `b` the subject
# the council voted on
_CANDIDATES = ("FROM evaluation_candidate k JOIN evaluation_review r ON r.id = k.review_id "
               "JOIN org_unit u ON u.id = r.unit_id "
               "LEFT JOIN org_unit s ON s.id = k.subject_unit_id "
               "LEFT JOIN councils_subject b ON b.id = k.subject_id "
               "WHERE u.path LIKE {like} AND (k.person_id IN ({people}) OR s.path LIKE {like})")
CANDIDATES_SQL = (
    "SELECT k.id, k.review_id, k.person_id, k.subject_unit_id, k.title, k.source, "
    "CASE WHEN k.included THEN 'true' ELSE 'false' END, "
    "CASE WHEN k.eligible THEN 'true' ELSE 'false' END, k.reasons, k.missing, k.added_reason, "
    f"k.removed_reason, {subject_sql('b.id IS NOT NULL')}, k.outcome, k.votes_for, k.votes_against, k.votes_absent, k.council_size "
    f"{_CANDIDATES} ORDER BY k.review_id, k.id")
VOTES_SQL = (
    f"SELECT k.id, {VOTE_SQL} FROM councils_vote v "
    f"JOIN (SELECT k.id, k.subject_id {_CANDIDATES}) k "
    "ON k.subject_id = v.subject_id ORDER BY k.id, v.member_id")
EVENTS_SQL = ("SELECT e.review_id, e.at, e.kind, e.text FROM evaluation_reviewevent e "
              f"WHERE e.review_id IN (SELECT r.id {_OF_DUMP}) ORDER BY e.review_id, e.at, e.id")


# --- reviews and their councils -----------------------------------------------------------


def _check_reviews(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if r[3] == ReviewStatus.CLOSED and r[7] is None:
            add(line, "một cuộc bình xét đã có kết quả (status closed) phải có thời điểm kết "
                      "thúc (closed_at).")
    check_once(rows, add, lambda r: (r[1], r[2]),
               lambda r, first: f"đơn vị {r[1]} đã có cuộc bình xét năm {r[2]} ở dòng {first}.")


def _load_reviews(data: Loaded) -> dict[int, int]:
    new = new_ids(Review, data.rows)
    councils = new_ids(Council, data.rows)  # one council per review
    insert_rows(Council, ["id", "unit", "kind", "year", "name", "level", *MEETING_FIELDS,
                          "threshold_source", "created_at"],
                [(councils[r[0]], data.new_unit[r[1]], Kind.REVIEW.value, r[2], r[8], "",
                  *meeting_values(r[9:16]), "", data.stamp) for r in data.rows])
    insert_rows(Review, ["id", "unit", "year", "status", "rule_set", "proposed_at", "council",
                         "place_name", "closed_at", "created_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4] or "", moment(r[5]),
                  councils[r[0]], r[6] or "", moment(r[7]), data.stamp) for r in data.rows])
    reset_sequences(Council, Review)
    fresh_statistics({Council: len(new), Review: len(new)})
    # the titles its council decided, loaded before without their review
    for r in data.rows:
        TitleResult.objects.filter(unit_id=data.new_unit[r[1]], year=r[2],
                                   how=DecidedBy.COUNCIL, review__isnull=True).update(
            review_id=new[r[0]])
    return new


def _load_members(data: Loaded) -> dict[int, int]:
    reviews = data.new_ids["reviews"]
    council_of = dict(Review.objects.filter(pk__in=set(reviews.values()))
                      .values_list("pk", "council_id"))
    return load_members(data, lambda review: council_of[reviews[review]])


# --- candidates and votes -----------------------------------------------------------------


def _check_candidates(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if (r[2] is None) == (r[3] is None):
            add(line, "mỗi đề nghị thuộc đúng một người (person_id) hoặc một đơn vị "
                      "(subject_unit_id).")
    check_once(rows, add, lambda r: (r[1], r[2], r[3], r[4]),
               lambda r, first: f"cuộc bình xét {r[1]} đã đề nghị danh hiệu {r[4]} này ở dòng "
                                f"{first}.")


def _load_candidates(data: Loaded) -> dict[int, int]:
    reviews = data.new_ids["reviews"]
    council_of = dict(Review.objects.filter(pk__in=set(reviews.values()))
                      .values_list("pk", "council_id"))
    subjects = load_subjects(data.rows, 12, lambda r: council_of[reviews[r[1]]])
    new = new_ids(Candidate, data.rows)
    insert_rows(Candidate, [
        "id", "review", "person", "subject_unit", "title", "source", "included", "eligible",
        "reasons", "missing", "added_reason", "removed_reason", "subject", "outcome",
        "votes_for", "votes_against", "votes_absent", "council_size"],
        [(new[r[0]], reviews[r[1]], data.new_person[r[2]] if r[2] is not None else None,
          data.new_unit[r[3]] if r[3] is not None else None, r[4], r[5], r[6], r[7],
          r[8] or "[]", r[9] or "[]", r[10] or "", r[11] or "", subjects.get(r[0]),
          r[17] or "", r[18], r[19], r[20], r[21]) for r in data.rows])
    reset_sequences(Candidate)
    fresh_statistics({Candidate: len(new)})
    return new


def _load_votes(data: Loaded) -> None:
    candidates = data.new_ids["review_candidates"]
    subject_of = dict(Candidate.objects.filter(pk__in=set(candidates.values()))
                      .values_list("pk", "subject_id"))
    load_votes(data, lambda candidate: subject_of[candidates[candidate]],
               data.new_ids["review_council_members"])


def _load_events(data: Loaded) -> None:
    reviews = data.new_ids["reviews"]
    insert_rows(ReviewEvent, ["review", "at", "kind", "text", "data"],
                [(reviews[r[0]], moment(r[1]), r[2], r[3], "{}") for r in data.rows])
    reset_sequences(ReviewEvent)


REVIEWS = ExtensionTable(
    name="reviews",
    columns=[col("id", "int", True), col("unit_id", "int", True),
             col("year", "int", True, limits=YEARS),
             col("status", "choice", True, tuple(ReviewStatus.values)),
             col("rule_set", max_length=80), col("proposed_at", "datetime"),
             col("place_name", max_length=80), col("closed_at", "datetime"),
             col("council_name", required=True, max_length=255), *meeting_columns()],
    dump_sql=REVIEWS_SQL, references=((1, "units"),), load=_load_reviews,
    check=_check_reviews, since=SINCE)

MEMBERS = ExtensionTable(
    name="review_council_members",
    columns=member_columns("review_id"),
    dump_sql=MEMBERS_SQL, references=((1, "reviews"), (2, "persons")), load=_load_members,
    check=check_members("của cuộc bình xét"), since=SINCE)

CANDIDATES = ExtensionTable(
    name="review_candidates",
    columns=[col("id", "int", True), col("review_id", "int", True), col("person_id", "int"),
             col("subject_unit_id", "int"),
             col("title", "choice", True, tuple(TitleCode.values)),
             col("source", "choice", True, tuple(CandidateSource.values)),
             col("included", "bool", True), col("eligible", "bool", True),
             col("reasons", "json"), col("missing", "json"), col("added_reason"),
             col("removed_reason"), *subject_columns(),
             col("outcome", "choice", False, tuple(Outcome.values)),
             col("votes_for", "int", True, limits=SMALL),
             col("votes_against", "int", True, limits=SMALL),
             col("votes_absent", "int", True, limits=SMALL),
             col("council_size", "int", True, limits=SMALL)],
    dump_sql=CANDIDATES_SQL, references=((1, "reviews"), (2, "persons"), (3, "units")),
    load=_load_candidates, check=_check_candidates, since=SINCE)

VOTES = ExtensionTable(
    name="review_votes",
    columns=vote_columns("candidate_id"), dump_sql=VOTES_SQL,
    references=((0, "review_candidates"), (1, "review_council_members")),
    load=_load_votes, since=SINCE, check_dump=check_votes_held(
        votes="review_votes", subjects="review_candidates", owner_at=1, voted_at=12,
        members="review_council_members",
        unvoted="đề nghị {subject} không được đưa ra biểu quyết (voted false).",
        outsider="thành viên {member} không thuộc hội đồng của cuộc bình xét {owner}."), check=check_votes("đề nghị"))

EVENTS = ExtensionTable(
    name="review_events",
    columns=[col("review_id", "int", True), col("at", "datetime", True),
             col("kind", required=True, max_length=30), col("text", required=True)],
    dump_sql=EVENTS_SQL, references=((0, "reviews"),), load=_load_events, since=SINCE)


def register() -> None:
    for table in (REVIEWS, MEMBERS, CANDIDATES, VOTES, EVENTS):
        register_table(table)
