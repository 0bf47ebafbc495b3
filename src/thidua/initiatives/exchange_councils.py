"""The initiative councils in the exchange format (docs/exchange-format.md, version 8): a
council of a unit of the subtree, with its members, its scoring sheet, and its reviews of the
dump's initiatives with their votes and scores. Registered with `people.exchange_format` from
`InitiativesConfig.ready`, after the initiatives (the reviews name them).

A council goes with the subtree of the unit that set it up, as a decision goes with the body
that took it; a council can only review initiatives applied inside its unit's subtree
(`review_open`), so its reviews' initiatives are in the same dump. A review names the level of
the recognition it led to (`recognition_level`), and the load ties that recognition to it
again. A member is a person of the dump or, outside it, the name and position the minutes
print. The account that set the council up stays behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.councils.exchange import (
    SMALL,
    VOTE_SQL,
    check_councils,
    check_members,
    check_votes,
    council_columns,
    council_members_sql,
    councils_of_dump,
    councils_sql,
    load_councils,
    load_members,
    load_votes,
    member_columns,
    vote_columns,
)
from thidua.councils.models import Kind, Subject
from thidua.initiatives.models import Criterion, Level, Outcome, Recognition, Review, Score
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
POINTS = (0, 9999)

_OF_DUMP = councils_of_dump(Kind.INITIATIVE)
CRITERIA_SQL = (
    "SELECT k.id, k.council_id, k.name, k.max_points, k.\"order\" FROM initiatives_criterion k "
    f"WHERE k.council_id IN (SELECT c.id {_OF_DUMP}) ORDER BY k.council_id, k.\"order\", k.id")
# the reviews of the dump's initiatives only (a council reviews those of its own subtree);
# `_REVIEWED` follows the table holding `r`, the review
_REVIEWED = ("JOIN initiatives_initiative i ON i.id = r.initiative_id "
             "JOIN org_unit iu ON iu.id = i.unit_id "
             f"WHERE r.council_id IN (SELECT c.id {_OF_DUMP}) AND iu.path LIKE {{like}}")
# the subject's counts are a secret ballot's announced ones
REVIEWS_SQL = (
    "SELECT r.id, r.council_id, r.initiative_id, s.label, s.count_for, s.count_against, "
    "s.count_absent, r.opened_at, r.meeting_date, r.meeting_time, r.closed_at, r.outcome, "
    "r.members_total, r.votes_for, r.votes_against, r.average_score, "
    "(SELECT MIN(g.level) FROM initiatives_recognition g WHERE g.review_id = r.id) "
    "FROM initiatives_review r JOIN councils_subject s ON s.id = r.subject_id "
    f"{_REVIEWED} ORDER BY r.id")
VOTES_SQL = (
    f"SELECT r.id, {VOTE_SQL} FROM councils_vote v "
    f"JOIN initiatives_review r ON r.subject_id = v.subject_id {_REVIEWED} "
    "ORDER BY r.id, v.member_id")
SCORES_SQL = (
    "SELECT r.id, x.member_id, x.criterion_id, x.points FROM initiatives_score x "
    f"JOIN initiatives_review r ON r.id = x.review_id {_REVIEWED} "
    "ORDER BY r.id, x.member_id, x.criterion_id")


# --- councils, members, criteria ----------------------------------------------------------


def _load_councils(data: Loaded) -> dict[int, int]:
    return load_councils(data, Kind.INITIATIVE)


def _load_members(data: Loaded) -> dict[int, int]:
    return load_members(data, data.new_ids["initiative_councils"].__getitem__)


def _load_criteria(data: Loaded) -> dict[int, int]:
    councils = data.new_ids["initiative_councils"]
    new = new_ids(Criterion, data.rows)
    insert_rows(Criterion, ["id", "council", "name", "max_points", "order"],
                [(new[r[0]], councils[r[1]], r[2], r[3], r[4]) for r in data.rows])
    reset_sequences(Criterion)
    return new


# --- reviews, votes, scores ---------------------------------------------------------------


def _check_reviews(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if r[11] and r[10] is None:
            add(line, "một phiên xét đã có kết quả (outcome) phải có thời điểm kết thúc "
                      "(closed_at).")
    check_once(rows, add, lambda r: (r[1], r[2]),
               lambda r, first: f"hội đồng {r[1]} đã xét sáng kiến {r[2]} ở dòng {first}.")


def _owners(data: dict[str, list[list[Any]]]) -> tuple[dict[int, int], dict[int, int],
                                                         dict[int, int]]:
    """Each review's council, member's council and criterion's council (dump ids)."""
    return ({r[0]: r[1] for r in data.get("initiative_reviews") or []},
            {r[0]: r[1] for r in data.get("initiative_council_members") or []},
            {r[0]: r[1] for r in data.get("initiative_criteria") or []})


def _check_votes_held(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]) -> None:
    review_council, member_council, _ = _owners(data)
    for line, r in enumerate(data["initiative_votes"], start=2):
        if r[0] in review_council and member_council.get(r[1], review_council[r[0]]) != (
                review_council[r[0]]):
            add(line, f"thành viên {r[1]} không thuộc hội đồng của phiên xét {r[0]}.")


def _check_scores_held(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]
                       ) -> None:
    review_council, member_council, criterion_council = _owners(data)
    for line, r in enumerate(data["initiative_scores"], start=2):
        council = review_council.get(r[0])
        if council is None:
            continue
        if member_council.get(r[1], council) != council:
            add(line, f"thành viên {r[1]} không thuộc hội đồng của phiên xét {r[0]}.")
        if criterion_council.get(r[2], council) != council:
            add(line, f"tiêu chí {r[2]} không thuộc phiếu chấm của hội đồng của phiên xét "
                      f"{r[0]}.")


def _load_reviews(data: Loaded) -> dict[int, int]:
    councils = data.new_ids["initiative_councils"]
    initiatives = data.new_ids["initiatives"]
    new = new_ids(Review, data.rows)
    subjects = new_ids(Subject, data.rows)  # one subject per review
    insert_rows(Subject, ["id", "council", "label", "count_for", "count_against",
                          "count_absent"],
                [(subjects[r[0]], councils[r[1]], r[3] or "", r[4], r[5], r[6])
                 for r in data.rows])
    insert_rows(Review, ["id", "council", "initiative", "subject", "opened_at", "meeting_date",
                         "meeting_time", "closed_at", "outcome", "members_total", "votes_for",
                         "votes_against", "average_score"],
                [(new[r[0]], councils[r[1]], initiatives[r[2]], subjects[r[0]], moment(r[7]),
                  r[8], r[9], moment(r[10]), r[11] or "", r[12], r[13], r[14], r[15])
                 for r in data.rows])
    reset_sequences(Subject, Review)
    fresh_statistics({Subject: len(new), Review: len(new)})
    # the recognitions (loaded before, without their review) each review led to
    for r in data.rows:
        if r[16] is not None:
            Recognition.objects.filter(initiative_id=initiatives[r[2]], level=r[16],
                                       review__isnull=True).update(review_id=new[r[0]])
    return new


def _load_votes(data: Loaded) -> None:
    reviews = data.new_ids["initiative_reviews"]
    subject_of = dict(Review.objects.filter(pk__in=set(reviews.values()))
                      .values_list("pk", "subject_id"))
    load_votes(data, lambda review: subject_of[reviews[review]],
               data.new_ids["initiative_council_members"])


def _load_scores(data: Loaded) -> None:
    reviews = data.new_ids["initiative_reviews"]
    members = data.new_ids["initiative_council_members"]
    criteria = data.new_ids["initiative_criteria"]
    insert_rows(Score, ["review", "member", "criterion", "points"],
                [(reviews[r[0]], members[r[1]], criteria[r[2]], r[3]) for r in data.rows])
    reset_sequences(Score)


COUNCILS = ExtensionTable(
    name="initiative_councils", columns=council_columns(),
    dump_sql=councils_sql(Kind.INITIATIVE), references=((1, "units"),), load=_load_councils,
    check=check_councils, since=SINCE)

MEMBERS = ExtensionTable(
    name="initiative_council_members",
    columns=member_columns("council_id"),
    dump_sql=council_members_sql(Kind.INITIATIVE), references=((1, "initiative_councils"), (2, "persons")),
    load=_load_members, check=check_members(""), since=SINCE)

CRITERIA = ExtensionTable(
    name="initiative_criteria",
    columns=[col("id", "int", True), col("council_id", "int", True),
             col("name", required=True, max_length=255),
             col("max_points", "int", True, limits=(1, SMALL[1])),
             col("order", "int", True, limits=SMALL)],
    dump_sql=CRITERIA_SQL, references=((1, "initiative_councils"),), load=_load_criteria,
    since=SINCE)

REVIEWS = ExtensionTable(
    name="initiative_reviews",
    columns=[col("id", "int", True), col("council_id", "int", True),
             col("initiative_id", "int", True), col("subject_label", max_length=255),
             col("count_for", "int", True, limits=SMALL),
             col("count_against", "int", True, limits=SMALL),
             col("count_absent", "int", True, limits=SMALL),
             col("opened_at", "datetime", True), col("meeting_date", "date"),
             col("meeting_time", "time"), col("closed_at", "datetime"),
             col("outcome", "choice", False, tuple(Outcome.values)),
             col("members_total", "int", True, limits=SMALL),
             col("votes_for", "int", True, limits=SMALL),
             col("votes_against", "int", True, limits=SMALL),
             col("average_score", "decimal", limits=POINTS, places=2),
             col("recognition_level", "choice", False, tuple(Level.values))],
    dump_sql=REVIEWS_SQL, references=((1, "initiative_councils"), (2, "initiatives")),
    load=_load_reviews, check=_check_reviews, since=SINCE)

VOTES = ExtensionTable(
    name="initiative_votes",
    columns=vote_columns("review_id"), dump_sql=VOTES_SQL,
    references=((0, "initiative_reviews"), (1, "initiative_council_members")),
    load=_load_votes, since=SINCE, check_dump=_check_votes_held,
    check=check_votes("phiên xét"))

SCORES = ExtensionTable(
    name="initiative_scores",
    columns=[col("review_id", "int", True), col("member_id", "int", True),
             col("criterion_id", "int", True),
             col("points", "decimal", True, limits=POINTS, places=1)],
    dump_sql=SCORES_SQL,
    references=((0, "initiative_reviews"), (1, "initiative_council_members"),
                (2, "initiative_criteria")),
    load=_load_scores, since=SINCE, check_dump=_check_scores_held,
    check=lambda rows, add: check_once(
        rows, add, lambda r: (r[0], r[1], r[2]),
        lambda r, first: f"thành viên {r[1]} đã chấm tiêu chí {r[2]} của phiên xét {r[0]} ở "
                         f"dòng {first}."))


def register() -> None:
    for table in (COUNCILS, MEMBERS, CRITERIA, REVIEWS, VOTES, SCORES):
        register_table(table)
