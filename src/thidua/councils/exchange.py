"""A council, its members and votes in the exchange format (docs/exchange-format.md, versions
8 and 9), the same for every kind of council: the tables of the apps whose councils travel
(initiative councils, year-end reviews, honours councils) take their columns, checks and
writers from here; each app names the council's owner in its own column (`council_id`,
`review_id`) and finds the council from it. A council that stands alone (initiatives, honours)
has a table of its own, `council_table`'s; a review's council rides on the review's row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.councils.models import Ballot, Choice, Council, Kind, Level, Member, Role, Subject, Vote
from thidua.people.exchange_format import Column, Loaded, check_once, col, new_ids, reset_sequences
from thidua.people.imports.write import insert_rows
from thidua.platform.planner import fresh_statistics

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


YEARS = (1950, 2100)


def councils_sql(kind: Kind) -> str:
    """The councils of `kind` set up by the units of the subtree ({like}), as
    `council_columns` names them."""
    return (f"SELECT c.id, c.unit_id, c.year, c.name, c.level, {MEETING_SQL}, c.threshold_num, "
            f"c.threshold_den, c.threshold_source {councils_of_dump(kind)} ORDER BY c.id")


def councils_of_dump(kind: Kind) -> str:
    """FROM … WHERE of the councils of `kind` of the subtree (`c` the council)."""
    return ("FROM councils_council c JOIN org_unit u ON u.id = c.unit_id "
            f"WHERE c.kind = '{kind.value}' AND u.path LIKE {{like}}")


def council_members_sql(kind: Kind) -> str:
    """The members of those councils, as `member_columns("council_id")` names them."""
    return (f"SELECT m.id, m.council_id, {MEMBER_SQL} FROM councils_member m "
            f"WHERE m.council_id IN (SELECT c.id {councils_of_dump(kind)}) "
            "ORDER BY m.council_id, m.\"order\", m.id")


def council_columns() -> list[Column]:
    """A council standing alone: its unit, year and name, the recognition level it decides
    (initiatives), its ballot and meeting, and the threshold fixed when it was set up."""
    return [col("id", "int", True), col("unit_id", "int", True),
            col("year", "int", True, limits=YEARS), col("name", required=True, max_length=255),
            col("level", "choice", False, tuple(Level.values)), *meeting_columns(),
            col("threshold_num", "int", limits=SMALL), col("threshold_den", "int", limits=SMALL),
            col("threshold_source", max_length=255)]


def check_councils(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    """A threshold is a fraction of at most 1 (or none); a unit names a council once a year."""
    for line, r in enumerate(rows, start=2):
        num, den = r[12], r[13]
        if (num is None) != (den is None) or (den is not None and (den == 0 or num > den)):
            add(line, "ngưỡng biểu quyết (threshold_num/threshold_den) phải là một phân số "
                      "không quá 1, hoặc để trống cả hai.")
    check_once(rows, add, lambda r: (r[1], r[2], r[3]),
               lambda r, first: f"đơn vị {r[1]} đã có hội đồng «{r[3]}» năm {r[2]} ở dòng "
                                f"{first}.")


def load_councils(data: Loaded, kind: Kind) -> dict[int, int]:
    """The councils of `council_columns`' rows written as `kind`; their new ids."""
    new = new_ids(Council, data.rows)
    insert_rows(Council, [
        "id", "unit", "kind", "year", "name", "level", *MEETING_FIELDS,
        "threshold_num", "threshold_den", "threshold_source", "created_at"],
        [(new[r[0]], data.new_unit[r[1]], kind.value, r[2], r[3], r[4] or "",
          *meeting_values(r[5:12]), r[12], r[13], r[14] or "", data.stamp) for r in data.rows])
    reset_sequences(Council)
    fresh_statistics({Council: len(new)})
    return new


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


def subject_sql(voted: str) -> str:
    """A candidate's subject cells, as `subject_columns` names them: `b` the subject, `voted`
    the condition under which it travels (its council is in the dump)."""
    return (f"CASE WHEN {voted} THEN 'true' ELSE 'false' END, CASE WHEN {voted} THEN b.label END, "
            f"CASE WHEN {voted} THEN b.count_for ELSE 0 END, "
            f"CASE WHEN {voted} THEN b.count_against ELSE 0 END, "
            f"CASE WHEN {voted} THEN b.count_absent ELSE 0 END")


def subject_columns() -> list[Column]:
    """Whether a candidate was put to its council's vote, the subject's label and a secret
    ballot's announced counts (0 for an open ballot, whose votes are rows)."""
    return [col("voted", "bool", True), col("subject_label", max_length=255),
            col("count_for", "int", True, limits=SMALL),
            col("count_against", "int", True, limits=SMALL),
            col("count_absent", "int", True, limits=SMALL)]


def load_subjects(rows: list[list[Any]], at: int, council_of: Callable[[list[Any]], int]
                  ) -> dict[int, int]:
    """The subjects of the rows put to the vote (`subject_columns`' cells from index `at`),
    written on the councils `council_of(row)`: the row's dump id -> its subject's new id."""
    voted = [r for r in rows if r[at]]
    subjects = new_ids(Subject, voted)
    insert_rows(Subject, ["id", "council", "label", "count_for", "count_against",
                          "count_absent"],
                [(subjects[r[0]], council_of(r), r[at + 1] or "", r[at + 2], r[at + 3],
                  r[at + 4]) for r in voted])
    reset_sequences(Subject)
    fresh_statistics({Subject: len(subjects)})
    return subjects


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


DumpCheck = Callable[[dict[str, list[list[Any]]], Callable[[int, str], None]], None]


def check_votes_held(*, votes: str, subjects: str, owner_at: int, voted_at: int, members: str,
                     unvoted: str, outsider: str,
                     council_of: Callable[[dict[str, list[list[Any]]]], dict[Any, Any]]
                     | None = None) -> DumpCheck:
    """A vote in `votes` is cast only on a subject put to the vote (`subjects`' cell `voted_at`)
    by a member of the council that sat on the subject's owner (cell `owner_at`); `members`'
    second cell names the member's owner, mapped to its council by `council_of` when the owner
    of a member and of a subject differ. `unvoted` and `outsider` are the Vietnamese messages,
    formatted with `subject`, `member` and `owner`."""
    def check(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]) -> None:
        owner_of = {r[0]: r[owner_at] for r in data.get(subjects) or []}
        voted = {r[0] for r in data.get(subjects) or [] if r[voted_at]}
        member_owner = {r[0]: r[1] for r in data.get(members) or []}
        council = council_of(data) if council_of is not None else None
        for line, r in enumerate(data[votes], start=2):
            owner = owner_of.get(r[0])
            if owner is None:
                continue
            if r[0] not in voted:
                add(line, unvoted.format(subject=r[0], member=r[1], owner=owner))
            held = council.get(owner) if council is not None else owner
            if member_owner.get(r[1], held) != held:
                add(line, outsider.format(subject=r[0], member=r[1], owner=owner))
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
