"""Emulation clusters (cụm, khối thi đua) in the exchange format (docs/exchange-format.md,
version 9): the issuers' cluster rules, the clusters with their year-end meeting (a council of
the head unit) and its delegates, the member units with their pledge signatures and scoring
sheets' state, the scoring sheets' criteria and the members' own targets, the scores with their
evidence, the units put to the meeting's vote (suy tôn) and the delegates' votes. Registered
with `people.exchange_format` from `ClustersConfig.ready`, after the proposals (a nomination
names the proposal it became).

A cluster goes with the subtree of the unit that **set it up** (its issuer), as a movement
does; a federation's clusters group its own cấp trên or CĐCS, so their members are in the same
dump. A member unit that has since left the subtree is left out with its scores and
nomination. A score whose evidence the storage no longer has keeps its figures without the
file (the dump warns of it). The accounts that set up, checked or voted stay behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thidua.clusters.models import (
    Cluster,
    ClusterRules,
    Criterion,
    CriterionKind,
    Kind,
    MemberRole,
    Membership,
    Nomination,
    Score,
    SheetStatus,
    UnitTarget,
)
from thidua.clusters.services.sheets import EVIDENCE
from thidua.councils.exchange import (
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
from thidua.councils.models import Council
from thidua.councils.models import Kind as CouncilKind
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
from thidua.people.imports.write import insert_rows, update_column
from thidua.platform.planner import fresh_statistics

SINCE = 9  # the format version that added these tables
YEARS = (1950, 2100)
POINTS = (-9999, 9999)  # numeric(6, 2): a bonus or a deduction
FIGURE = (-10**10 + 1, 10**10 - 1)  # numeric(12, 2)

_OF_DUMP = ("FROM clusters_cluster k JOIN org_unit ki ON ki.id = k.issuer_id "
            "WHERE ki.path LIKE {like}")
RULES_SQL = (
    "SELECT r.issuer_id, r.year, r.tie_breaks, r.vote_num, r.vote_den, r.flag_form, "
    "r.flag_count, r.merit_form, r.merit_count, r.source FROM clusters_clusterrules r "
    "JOIN org_unit u ON u.id = r.issuer_id WHERE u.path LIKE {like} ORDER BY r.id")
CLUSTERS_SQL = (
    "SELECT k.id, k.issuer_id, k.year, k.kind, k.number, k.name, k.pledge_text, "
    f"k.pledge_place, k.pledge_date {_OF_DUMP} ORDER BY k.id")
# the meeting, a council of the head unit (inside the subtree with the cluster)
_MEETING = ("JOIN councils_council c ON c.id = k.council_id "
            "JOIN org_unit cu ON cu.id = c.unit_id")
MEETINGS_SQL = (
    f"SELECT k.id, c.unit_id, c.name, {MEETING_SQL} FROM clusters_cluster k {_MEETING} "
    "JOIN org_unit ki ON ki.id = k.issuer_id WHERE ki.path LIKE {like} "
    "AND cu.path LIKE {like} ORDER BY k.id")
DELEGATES_SQL = (
    f"SELECT m.id, k.id, {MEMBER_SQL} FROM councils_member m "
    f"JOIN clusters_cluster k ON k.council_id = m.council_id {_MEETING} "
    "JOIN org_unit ki ON ki.id = k.issuer_id WHERE ki.path LIKE {like} "
    "AND cu.path LIKE {like} ORDER BY k.id, m.\"order\", m.id")
# the member units `m` still in the subtree
_MEMBERS = (f"FROM clusters_membership m JOIN org_unit mu ON mu.id = m.unit_id "
            f"WHERE m.cluster_id IN (SELECT k.id {_OF_DUMP}) AND mu.path LIKE {{like}}")
MEMBERSHIPS_SQL = (
    "SELECT m.id, m.cluster_id, m.unit_id, m.role, m.\"order\", m.signed_on, m.signer_name, "
    "m.signer_title, m.sheet_status, m.submitted_at, m.checked_at, m.check_note, "
    f"m.tie_position, m.tie_reason {_MEMBERS} ORDER BY m.cluster_id, m.\"order\", m.id")
CRITERIA_SQL = (
    "SELECT c.id, c.cluster_id, c.parent_id, c.code, c.\"order\", c.name, c.kind, c.max_points, "
    "c.target, c.unit_label, c.source FROM clusters_criterion c "
    f"WHERE c.cluster_id IN (SELECT k.id {_OF_DUMP}) ORDER BY c.cluster_id, c.id")
TARGETS_SQL = (
    "SELECT t.criterion_id, t.unit_id, t.value FROM clusters_unittarget t "
    "JOIN clusters_criterion c ON c.id = t.criterion_id JOIN org_unit tu ON tu.id = t.unit_id "
    f"WHERE c.cluster_id IN (SELECT k.id {_OF_DUMP}) AND tu.path LIKE {{like}} ORDER BY t.id")
# the evidence's stored name, which the dump copies into files/ and replaces by its digest
SCORES_SQL = (
    "SELECT s.membership_id, s.criterion_id, s.value, s.known, s.points, s.checked_points, "
    "s.note, s.check_note, s.original_name, s.file FROM clusters_score s "
    f"WHERE s.membership_id IN (SELECT m.id {_MEMBERS}) ORDER BY s.membership_id, s.id")
# a nomination's subject travels with the meeting (a council of the subtree's head unit)
NOMINATIONS_SQL = (
    "SELECT n.id, n.cluster_id, n.membership_id, n.form, n.rank, n.total, "
    f"{subject_sql('cu.id IS NOT NULL AND cu.path LIKE {like}')}, "
    "CASE WHEN n.passed THEN 'true' WHEN NOT n.passed THEN 'false' END, "
    "CASE WHEN pu.path LIKE {like} THEN n.proposal_id END FROM clusters_nomination n "
    "LEFT JOIN councils_subject b ON b.id = n.subject_id "
    "LEFT JOIN councils_council c ON c.id = b.council_id "
    "LEFT JOIN org_unit cu ON cu.id = c.unit_id "
    "LEFT JOIN honours_proposal p ON p.id = n.proposal_id "
    "LEFT JOIN org_unit pu ON pu.id = p.unit_id "
    f"WHERE n.membership_id IN (SELECT m.id {_MEMBERS}) ORDER BY n.cluster_id, n.id")
VOTES_SQL = (
    f"SELECT n.id, {VOTE_SQL} FROM councils_vote v "
    "JOIN clusters_nomination n ON n.subject_id = v.subject_id "
    f"JOIN clusters_cluster k ON k.id = n.cluster_id {_MEETING} "
    "JOIN org_unit ki ON ki.id = k.issuer_id "
    f"WHERE ki.path LIKE {{like}} AND cu.path LIKE {{like}} "
    f"AND n.membership_id IN (SELECT m.id {_MEMBERS}) ORDER BY n.id, v.member_id")


# --- rules, clusters, meetings ---------------------------------------------------------------


def _check_rules(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    for line, r in enumerate(rows, start=2):
        if r[4] == 0 or r[3] > r[4]:
            add(line, "tỷ lệ biểu quyết (vote_num/vote_den) phải là một phân số không quá 1.")
    check_once(rows, add, lambda r: (r[0], r[1]),
               lambda r, first: f"đơn vị {r[0]} đã có quy định cụm năm {r[1]} ở dòng {first}.")


def _load_rules(data: Loaded) -> None:
    insert_rows(ClusterRules, [
        "issuer", "year", "tie_breaks", "vote_num", "vote_den", "flag_form", "flag_count",
        "merit_form", "merit_count", "source", "updated_at"],
        [(data.new_unit[r[0]], r[1], r[2] or "", r[3], r[4], r[5] or "", r[6], r[7] or "",
          r[8], r[9] or "", data.stamp) for r in data.rows])
    reset_sequences(ClusterRules)


def _load_clusters(data: Loaded) -> dict[int, int]:
    new = new_ids(Cluster, data.rows)
    insert_rows(Cluster, ["id", "issuer", "year", "kind", "number", "name", "pledge_text",
                          "pledge_place", "pledge_date", "created_at"],
                [(new[r[0]], data.new_unit[r[1]], r[2], r[3], r[4], r[5] or "", r[6] or "",
                  r[7] or "", r[8], data.stamp) for r in data.rows])
    reset_sequences(Cluster)
    fresh_statistics({Cluster: len(new)})
    return new


def _load_meetings(data: Loaded) -> dict[int, int]:
    """The meetings' councils, each set on its cluster: cluster dump id -> council id."""
    clusters = data.new_ids["clusters"]
    year_of = dict(Cluster.objects.filter(pk__in=set(clusters.values()))
                   .values_list("pk", "year"))
    new = new_ids(Council, data.rows)
    insert_rows(Council, ["id", "unit", "kind", "year", "name", "level", "ballot",
                          "decision_no", "established_on", "meeting_date", "meeting_time",
                          "meeting_end_time", "meeting_place", "threshold_source",
                          "created_at"],
                [(new[r[0]], data.new_unit[r[1]], CouncilKind.CLUSTER.value,
                  year_of[clusters[r[0]]], r[2], "", *meeting_values(r[3:10]), "", data.stamp)
                 for r in data.rows])
    reset_sequences(Council)
    update_column(Cluster, "council", [(clusters[r[0]], new[r[0]]) for r in data.rows])
    return new


def _check_delegates_held(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]
                          ) -> None:
    meetings = {r[0] for r in data.get("cluster_meetings") or []}
    for line, r in enumerate(data["cluster_delegates"], start=2):
        if r[1] not in meetings:
            add(line, f"cụm {r[1]} không có hội nghị (cluster_meetings) để dự.")


def _load_delegates(data: Loaded) -> dict[int, int]:
    return load_members(data, data.new_ids["cluster_meetings"].__getitem__)


# --- members, sheets, scores -----------------------------------------------------------------


def _check_memberships(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    check_once(rows, add, lambda r: (r[1], r[2]),
               lambda r, first: f"đơn vị {r[2]} đã ở trong cụm {r[1]} ở dòng {first}.")
    check_once(rows, add, lambda r: r[1] if r[3] == MemberRole.HEAD else None,
               lambda r, first: f"cụm {r[1]} đã có cụm trưởng ở dòng {first}.")
    check_once(rows, add, lambda r: r[1] if r[3] == MemberRole.DEPUTY else None,
               lambda r, first: f"cụm {r[1]} đã có cụm phó ở dòng {first}.")


def _load_memberships(data: Loaded) -> dict[int, int]:
    clusters = data.new_ids["clusters"]
    new = new_ids(Membership, data.rows)
    insert_rows(Membership, [
        "id", "cluster", "unit", "role", "order", "signed_on", "signer_name", "signer_title",
        "sheet_status", "submitted_at", "checked_at", "check_note", "tie_position",
        "tie_reason"],
        [(new[r[0]], clusters[r[1]], data.new_unit[r[2]], r[3], r[4], r[5], r[6] or "",
          r[7] or "", r[8], moment(r[9]), moment(r[10]), r[11] or "", r[12], r[13] or "")
         for r in data.rows])
    reset_sequences(Membership)
    fresh_statistics({Membership: len(new)})
    return new


def _check_criteria(rows: list[list[Any]], add: Callable[[int, str], None]) -> None:
    place = {r[0]: (line, r[1]) for line, r in enumerate(rows, start=2)}
    for line, r in enumerate(rows, start=2):
        if r[2] is not None and r[2] in place:
            parent_line, parent_cluster = place[r[2]]
            if parent_line >= line or parent_cluster != r[1]:
                add(line, "tiêu chí cha (parent_id) phải là tiêu chí của cùng cụm, đứng trước "
                          "trong tệp.")
    check_once(rows, add, lambda r: (r[1], r[3]),
               lambda r, first: f"cụm {r[1]} đã có tiêu chí số «{r[3]}» ở dòng {first}.")


def _load_criteria(data: Loaded) -> dict[int, int]:
    clusters = data.new_ids["clusters"]
    new = new_ids(Criterion, data.rows)
    insert_rows(Criterion, ["id", "cluster", "parent", "code", "order", "name", "kind",
                            "max_points", "target", "unit_label", "source"],
                [(new[r[0]], clusters[r[1]], new[r[2]] if r[2] is not None else None, r[3],
                  r[4], r[5], r[6], r[7], r[8], r[9] or "", r[10] or "") for r in data.rows])
    reset_sequences(Criterion)
    return new


def _load_targets(data: Loaded) -> None:
    criteria = data.new_ids["cluster_criteria"]
    insert_rows(UnitTarget, ["criterion", "unit", "value"],
                [(criteria[r[0]], data.new_unit[r[1]], r[2]) for r in data.rows])
    reset_sequences(UnitTarget)


def _owners(data: dict[str, list[list[Any]]]) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """membership -> cluster, criterion -> cluster."""
    return ({r[0]: r[1] for r in data.get("cluster_memberships") or []},
            {r[0]: r[1] for r in data.get("cluster_criteria") or []})


def _check_scores_held(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]
                       ) -> None:
    membership_cluster, criterion_cluster = _owners(data)
    for line, r in enumerate(data["cluster_scores"], start=2):
        cluster = membership_cluster.get(r[0])
        if cluster is not None and criterion_cluster.get(r[1], cluster) != cluster:
            add(line, f"tiêu chí {r[1]} không thuộc bảng điểm của cụm của thành viên {r[0]}.")


def _load_scores(data: Loaded) -> None:
    memberships = data.new_ids["cluster_memberships"]
    criteria = data.new_ids["cluster_criteria"]
    rows = []
    for r in data.rows:
        stored = data.store(r[9], r[8] or "minh-chung", EVIDENCE) if r[9] else None
        rows.append((memberships[r[0]], criteria[r[1]], r[2], r[3], r[4], r[5], r[6] or "",
                     r[7] or "", stored.original_name if stored else "",
                     stored.name if stored else "", stored.kind if stored else "",
                     stored.size if stored else 0, stored.sha256 if stored else "",
                     data.stamp))
    insert_rows(Score, ["membership", "criterion", "value", "known", "points",
                        "checked_points", "note", "check_note", "original_name", "file",
                        "file_kind", "size", "sha256", "updated_at"], rows)
    reset_sequences(Score)


# --- the meeting's vote (suy tôn) ------------------------------------------------------------


def _check_nominations_held(data: dict[str, list[list[Any]]], add: Callable[[int, str], None]
                            ) -> None:
    membership_cluster, _ = _owners(data)
    meetings = {r[0] for r in data.get("cluster_meetings") or []}
    for line, r in enumerate(data["cluster_nominations"], start=2):
        if membership_cluster.get(r[2], r[1]) != r[1]:
            add(line, f"thành viên {r[2]} không thuộc cụm {r[1]}.")
        if r[6] and r[1] not in meetings:
            add(line, f"đơn vị được đưa ra biểu quyết (voted true) nhưng cụm {r[1]} không có "
                      "hội nghị (cluster_meetings).")


def _load_nominations(data: Loaded) -> dict[int, int]:
    clusters, memberships = data.new_ids["clusters"], data.new_ids["cluster_memberships"]
    meetings = data.new_ids.get("cluster_meetings", {})
    proposals = data.new_ids.get("proposals", {})
    subjects = load_subjects(data.rows, 6, lambda r: meetings[r[1]])
    new = new_ids(Nomination, data.rows)
    insert_rows(Nomination, ["id", "cluster", "membership", "form", "rank", "total",
                             "subject", "passed", "proposal"],
                [(new[r[0]], clusters[r[1]], memberships[r[2]], r[3], r[4], r[5],
                  subjects.get(r[0]), r[11], proposals[r[12]] if r[12] is not None else None)
                 for r in data.rows])
    reset_sequences(Nomination)
    return new


def _load_votes(data: Loaded) -> None:
    nominations = data.new_ids["cluster_nominations"]
    subject_of = dict(Nomination.objects.filter(pk__in=set(nominations.values()))
                      .values_list("pk", "subject_id"))
    load_votes(data, lambda n: subject_of[nominations[n]], data.new_ids["cluster_delegates"])


RULES = ExtensionTable(
    name="cluster_rules",
    columns=[col("issuer_id", "int", True), col("year", "int", True, limits=YEARS),
             col("tie_breaks", max_length=120), col("vote_num", "int", True, limits=SMALL),
             col("vote_den", "int", True, limits=SMALL), col("flag_form", max_length=40),
             col("flag_count", "int", True, limits=SMALL), col("merit_form", max_length=40),
             col("merit_count", "int", True, limits=SMALL), col("source", max_length=255)],
    dump_sql=RULES_SQL, references=((0, "units"),), load=_load_rules, check=_check_rules,
    since=SINCE)

CLUSTERS = ExtensionTable(
    name="clusters",
    columns=[col("id", "int", True), col("issuer_id", "int", True),
             col("year", "int", True, limits=YEARS),
             col("kind", "choice", True, tuple(Kind.values)),
             col("number", "int", True, limits=SMALL), col("name", max_length=255),
             col("pledge_text"), col("pledge_place", max_length=120),
             col("pledge_date", "date")],
    dump_sql=CLUSTERS_SQL, references=((1, "units"),), load=_load_clusters,
    check=lambda rows, add: check_once(
        rows, add, lambda r: (r[1], r[2], r[3], r[4]),
        lambda r, first: f"đơn vị {r[1]} đã có {r[3]} số {r[4]} năm {r[2]} ở dòng {first}."),
    since=SINCE)

MEETINGS = ExtensionTable(
    name="cluster_meetings",
    columns=[col("cluster_id", "int", True), col("unit_id", "int", True),
             col("name", required=True, max_length=255), *meeting_columns()],
    dump_sql=MEETINGS_SQL, references=((0, "clusters"), (1, "units")), load=_load_meetings,
    check=lambda rows, add: check_once(
        rows, add, lambda r: r[0],
        lambda r, first: f"cụm {r[0]} đã có hội nghị ở dòng {first}."), since=SINCE)

DELEGATES = ExtensionTable(
    name="cluster_delegates", columns=member_columns("cluster_id"), dump_sql=DELEGATES_SQL,
    references=((1, "clusters"), (2, "persons")), load=_load_delegates,
    check=check_members("của hội nghị cụm"), check_dump=_check_delegates_held, since=SINCE)

MEMBERSHIPS = ExtensionTable(
    name="cluster_memberships",
    columns=[col("id", "int", True), col("cluster_id", "int", True),
             col("unit_id", "int", True), col("role", "choice", True, tuple(MemberRole.values)),
             col("order", "int", True, limits=SMALL), col("signed_on", "date"),
             col("signer_name", max_length=150), col("signer_title", max_length=150),
             col("sheet_status", "choice", True, tuple(SheetStatus.values)),
             col("submitted_at", "datetime"), col("checked_at", "datetime"),
             col("check_note"), col("tie_position", "int", limits=SMALL),
             col("tie_reason", max_length=500)],
    dump_sql=MEMBERSHIPS_SQL, references=((1, "clusters"), (2, "units")),
    load=_load_memberships, check=_check_memberships, since=SINCE)

CRITERIA = ExtensionTable(
    name="cluster_criteria",
    columns=[col("id", "int", True), col("cluster_id", "int", True), col("parent_id", "int"),
             col("code", required=True, max_length=12), col("order", "int", True, limits=SMALL),
             col("name", required=True, max_length=500),
             col("kind", "choice", True, tuple(CriterionKind.values)),
             col("max_points", "decimal", True, limits=(0, 9999), places=2),
             col("target", "decimal", limits=FIGURE, places=2),
             col("unit_label", max_length=30), col("source", max_length=40)],
    dump_sql=CRITERIA_SQL, references=((1, "clusters"), (2, "cluster_criteria")),
    load=_load_criteria, check=_check_criteria, since=SINCE)

TARGETS = ExtensionTable(
    name="cluster_unit_targets",
    columns=[col("criterion_id", "int", True), col("unit_id", "int", True),
             col("value", "decimal", True, limits=(0, FIGURE[1]), places=2)],
    dump_sql=TARGETS_SQL, references=((0, "cluster_criteria"), (1, "units")),
    load=_load_targets, check=lambda rows, add: check_once(
        rows, add, lambda r: (r[0], r[1]),
        lambda r, first: f"đơn vị {r[1]} đã có chỉ tiêu của tiêu chí {r[0]} ở dòng {first}."),
    since=SINCE)

SCORES = ExtensionTable(
    name="cluster_scores",
    columns=[col("membership_id", "int", True), col("criterion_id", "int", True),
             col("value", "decimal", limits=FIGURE, places=2),
             col("known", "decimal", limits=FIGURE, places=2),
             col("points", "decimal", limits=POINTS, places=2),
             col("checked_points", "decimal", limits=POINTS, places=2), col("note"),
             col("check_note", max_length=500), col("original_name", max_length=255),
             col("file", "file", False, EVIDENCE.kinds)],
    dump_sql=SCORES_SQL, references=((0, "cluster_memberships"), (1, "cluster_criteria")),
    load=_load_scores, check_dump=_check_scores_held,
    check=lambda rows, add: check_once(
        rows, add, lambda r: (r[0], r[1]),
        lambda r, first: f"thành viên {r[0]} đã chấm tiêu chí {r[1]} ở dòng {first}."),
    since=SINCE)

NOMINATIONS = ExtensionTable(
    name="cluster_nominations",
    columns=[col("id", "int", True), col("cluster_id", "int", True),
             col("membership_id", "int", True), col("form", required=True, max_length=40),
             col("rank", "int", True, limits=SMALL),
             col("total", "decimal", True, limits=(-99999, 99999), places=2),
             *subject_columns(), col("passed", "bool"), col("proposal_id", "int")],
    dump_sql=NOMINATIONS_SQL,
    references=((1, "clusters"), (2, "cluster_memberships"), (12, "proposals")),
    load=_load_nominations, check_dump=_check_nominations_held,
    check=lambda rows, add: check_once(
        rows, add, lambda r: (r[1], r[2]),
        lambda r, first: f"thành viên {r[2]} đã được suy tôn trong cụm {r[1]} ở dòng {first}."),
    since=SINCE)

VOTES = ExtensionTable(
    name="cluster_votes", columns=vote_columns("nomination_id"), dump_sql=VOTES_SQL,
    references=((0, "cluster_nominations"), (1, "cluster_delegates")), load=_load_votes,
    check=check_votes("đơn vị được suy tôn"), check_dump=check_votes_held(
        votes="cluster_votes", subjects="cluster_nominations", owner_at=1, voted_at=6,
        members="cluster_delegates",
        unvoted="đơn vị {subject} không được đưa ra biểu quyết (voted false).",
        outsider="đại biểu {member} không dự hội nghị của cụm {owner}."), since=SINCE)


def register() -> None:
    for table in (RULES, CLUSTERS, MEETINGS, DELEGATES, MEMBERSHIPS, CRITERIA, TARGETS, SCORES,
                  NOMINATIONS, VOTES):
        register_table(table)
