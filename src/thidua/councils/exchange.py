"""A council's members and votes in the exchange format (docs/exchange-format.md, version 8),
the same for every kind of council: the tables of the apps whose councils travel (initiative
councils, year-end reviews) take their columns, checks and writers from here; each app names
the council's owner in its own column (`council_id`, `review_id`) and finds the council from
it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.councils.models import Ballot, Choice, Member, Role, Vote
from thidua.people.exchange_format import Column, Loaded, check_once, col, new_ids, reset_sequences
from thidua.people.imports.write import insert_rows

SMALL = (0, 32767)  # a PositiveSmallIntegerField

#: a member's cells after the id and its owner; `m` the member, `{people}` the dump's people
MEMBER_SQL = ("CASE WHEN m.person_id IN ({people}) THEN m.person_id END, m.full_name, "
              "m.position, m.role, m.\"order\", CASE WHEN m.present THEN 'true' ELSE 'false' END")
#: a council's ballot and meeting (`c` the council), as `meeting_columns` names them
MEETING_SQL = ("c.ballot, c.decision_no, c.established_on, c.meeting_date, c.meeting_time, "
               "c.meeting_end_time, c.meeting_place")
#: the council's fields those cells are written to (`meeting_values`)
MEETING_FIELDS = ["ballot", "decision_no", "established_on", "meeting_date", "meeting_time",
                  "meeting_end_time", "meeting_place"]
#: a vote's cells after its owner; `v` the vote
VOTE_SQL = "v.member_id, v.choice, CASE WHEN v.in_writing THEN 'true' ELSE 'false' END, v.opinion"


def member_columns(owner: str) -> list[Column]:
    """`id`, the owner's id, then the seat: a person of the dump (once per council) or a
    guest's name."""
    return [col("id", "int", True), col(owner, "int", True), col("person_id", "int"),
            col("full_name", required=True, max_length=150), col("position", max_length=255),
            col("role", "choice", True, tuple(Role.values)),
            col("order", "int", True, limits=SMALL), col("present", "bool", True)]


def meeting_columns() -> list[Column]:
    """How the council votes, the decision that set it up, and its meeting."""
    return [col("ballot", "choice", True, tuple(Ballot.values)),
            col("decision_no", max_length=80), col("established_on", "date"),
            col("meeting_date", "date"), col("meeting_time", "time"),
            col("meeting_end_time", "time"), col("meeting_place", max_length=255)]


def meeting_values(cells: list[Any]) -> tuple[Any, ...]:
    """The `meeting_columns` cells of a row as `MEETING_FIELDS` are written."""
    ballot, decision_no, established_on, meeting_date, time, end_time, place = cells
    return (ballot, decision_no or "", established_on, meeting_date, time, end_time,
            place or "")


def vote_columns(owner: str) -> list[Column]:
    """The thing voted on (its owner's id), the member, the choice and a written opinion."""
    return [col(owner, "int", True), col("member_id", "int", True),
            col("choice", "choice", True, tuple(Choice.values)),
            col("in_writing", "bool", True), col("opinion")]


def check_members(what: str) -> Callable[[list[list[Any]], Callable[[int, str], None]], None]:
    """A person sits once on a council (`what`, if any, names its owner in Vietnamese)."""
    owner = f" {what}" if what else ""

    def check(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
        check_once(rows, add, lambda r: (r[1], r[2]) if r[2] is not None else None,
                   lambda r, first: f"người {r[2]} đã ngồi trong hội đồng{owner} {r[1]} ở "
                                    f"dòng {first}.")
    return check


def check_votes(what: str) -> Callable[[list[list[Any]], Callable[[int, str], None]], None]:
    """A member votes once on a thing (`what` names it in Vietnamese)."""
    def check(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
        check_once(rows, add, lambda r: (r[0], r[1]),
                   lambda r, first: f"thành viên {r[1]} đã biểu quyết {what} {r[0]} ở dòng "
                                    f"{first}.")
    return check


def load_members(data: Loaded, council_of: Callable[[int], int]) -> dict[int, int]:
    """The members written on the councils `council_of(owner's dump id)`; their new ids."""
    new = new_ids(Member, data.rows)
    insert_rows(Member, ["id", "council", "person", "full_name", "position", "role", "order",
                         "present"],
                [(new[r[0]], council_of(r[1]),
                  data.new_person[r[2]] if r[2] is not None else None, r[3], r[4] or "", r[5],
                  r[6], r[7]) for r in data.rows])
    reset_sequences(Member)
    return new


def load_votes(data: Loaded, subject_of: Callable[[int], int], members: dict[int, int]) -> None:
    """The votes written on the subjects `subject_of(owner's dump id)`, by the members loaded
    (dump id -> new id)."""
    insert_rows(Vote, ["subject", "member", "choice", "in_writing", "opinion"],
                [(subject_of(r[0]), members[r[1]], r[2], r[3], r[4] or "") for r in data.rows])
    reset_sequences(Vote)
