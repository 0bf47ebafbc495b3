"""`thidua national`: the whole union at a scale factor, written straight to the database.

Deterministic: the same seed and scale give the same rows (`fingerprint`). The tree is written
as it stood before 01/07/2025 with five years of records (the people's, and the grassroots
unions' gradings, launches, registrations and recognised initiatives: `yearly`), then the 2025
provincial merger runs through the org services (`unit_merge_with_roster`), as a federation
would record it."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

from thidua.demo.national import people as gen
from thidua.demo.national import yearly
from thidua.demo.national.shape import (
    MERGER_BASIS,
    MERGER_DAY,
    MERGERS,
    NATIONAL,
    PROVINCES,
    REGISTRATION_YEAR,
)
from thidua.demo.national.tables import (
    Table,
    database_size,
    foreign_keys_checked_once,
    reset_sequences,
)
from thidua.demo.national.tree import build_tree
from thidua.evaluation.models import Grading, GradingTemplate, Rating, TitleResult
from thidua.honours.models import Award, Candidate, Decision, NumberSequence, Proposal
from thidua.initiatives.models import Author, Initiative, Recognition
from thidua.movements.models import (
    Commitment,
    Deployment,
    Movement,
    Plan,
    RegisteredTitle,
    Registration,
)
from thidua.org.models import Unit, UnitVersion
from thidua.people.models import Counter, Employment, Membership, Person
from thidua.people.services import figures_rebuild, unit_merge_with_roster
from thidua.platform.errors import ApplicationError
from thidua.platform.planner import database_settings_apply
from thidua.platform.text import vn_number


@dataclass
class NationalReport:
    """What the generator wrote: the figures the test checks against the database."""

    scale: float
    seed: int
    units_by_type: dict[str, int]
    max_children: dict[str, int]
    max_depth: int
    persons: int
    members: int
    transfers: int
    leavers: int
    awards: int
    awards_by_form: dict[str, int]
    initiatives: int
    gradings: int = 0  # CĐCS-years graded
    deployments: int = 0  # units the plans reached, and of them the CĐCS that launched them
    launched: int = 0
    registrations: int = 0  # CĐCS-years registered
    registered_people: int = 0  # people registered for REGISTRATION_YEAR
    recognitions: int = 0  # of initiatives, at every level
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    database_bytes: int = 0


def maintained_figures_hook() -> None:
    """The kept page figures (ADR 0025) recomputed from the records, after the bulk writes that
    bypassed the services that keep them (the 2025 merger went through the services, but on a
    table the bulk writes had left empty)."""
    figures_rebuild(actor=None)


def _tables() -> gen.Tables:
    return gen.Tables(
        person=Table(Person, ["full_name", "name_folded", "sort_name", "birth_date", "gender",
                              "cccd", "ethnicity", "position", "phone", "email", "member_code",
                              "union_joined_on", "version"]),
        employment=Table(Employment, ["person", "unit", "valid_from", "valid_to"]),
        membership=Table(Membership, ["person", "unit", "status", "opened_by", "closed_by",
                                      "valid_from", "valid_to", "note"]),
        rating=Table(Rating, ["person", "year", "unit", "code"]),
        title=Table(TitleResult, ["person", "subject_unit", "year", "title", "unit", "how"]),
        initiative=Table(Initiative, ["unit", "year", "title", "title_folded", "field", "kind",
                                      "description", "status"]),
        author=Table(Author, ["initiative", "order", "person", "full_name", "birth_date",
                              "workplace", "contribution"]),
        decision=Table(Decision, ["issuer", "external_issuer", "kind", "year", "seq_year", "seq",
                                  "number", "date", "form", "title", "signer_name",
                                  "signer_title", "place"]),
        proposal=Table(Proposal, ["unit", "recipient", "year", "kind", "form", "topic", "title",
                                  "status", "submitted_on", "outcome_note"]),
        candidate=Table(Candidate, ["proposal", "person", "subject_unit", "display_name",
                                    "position", "achievement", "order"]),
        award=Table(Award, ["decision", "issuer", "form", "person", "subject_unit", "home_unit",
                            "recipient_name", "position", "year", "golden_book_no",
                            "candidate"]),
        grading=Table(Grading, ["unit", "year", "template", "total", "label", "rule_set"]),
        movement=Table(Movement, ["issuer", "code", "name", "catalogue_code", "year",
                                  "start_date", "end_date", "audience", "content"]),
        plan=Table(Plan, ["issuer", "number", "date", "year", "title", "deadline", "levels",
                          "deployed_at"]),
        plan_movement=Table(Plan.movements.through, ["plan", "movement"]),
        deployment=Table(Deployment, ["plan", "unit", "unit_type", "acknowledged_at",
                                      "launched_on", "launched_at"]),
        registration=Table(Registration, ["year", "person", "unit", "home_unit",
                                          "commitment_count", "registered_on", "source"]),
        registered_title=Table(RegisteredTitle, ["registration", "code"]),
        commitment=Table(Commitment, ["registration", "position", "text"]),
        recognition=Table(Recognition, ["initiative", "level", "year", "decided_on",
                                        "decision_no", "issuer", "certificate_no", "scope_note"]),
        sequence=Table(NumberSequence, ["issuer", "year", "symbol", "last"]),
    )


def _rates(scale: float) -> gen.Rates:
    # person-years rated «xuất sắc»: ~15 % of ~0,95 of the persons in each of the 5 years
    excellent = max(1.0, 0.15 * 0.95 * 5 * NATIONAL["persons"] * scale)
    return gen.Rates(award=min(1.0, 0.95 * NATIONAL["awards"] * scale / excellent),
                     initiative=min(1.0, NATIONAL["initiatives"] * scale / excellent))


def national_generate(*, scale: float, seed: int = 2025,
                      say: Callable[[str], None] = print) -> NationalReport:
    """Write the national data into an empty database (no unit yet); returns what was written."""
    if scale <= 0 or scale > 1:
        raise ApplicationError("Hệ số quy mô phải lớn hơn 0 và không quá 1.")
    if Unit.objects.exists():
        raise ApplicationError("Cơ sở dữ liệu đã có đơn vị: dữ liệu toàn quốc chỉ tạo trong một cơ "
                               "sở dữ liệu trống (chạy migrate trên cơ sở dữ liệu mới).")
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    began = time.perf_counter()
    units = Table(Unit, ["path", "depth", "numchild", "code", "name", "short_name", "type",
                         "valid_from", "valid_to"])
    versions = Table(UnitVersion, ["unit", "parent", "name", "short_name", "path", "depth",
                                   "valid_from", "valid_to"])
    with transaction.atomic():
        tree = build_tree(rng, scale, units, versions)
        units.flush()
        versions.flush()
        sheets = yearly.grading_sheets(tree.root_id)
    seconds["cây đơn vị"] = time.perf_counter() - began
    say(f"Cây: {vn(units.written)} đơn vị ({vn_s(seconds['cây đơn vị'])} s)")

    t = _tables()
    counters = gen.Counters()
    rates = _rates(scale)
    provinces = [p.cccd for p in PROVINCES]
    records = yearly.records_rng(seed)
    registrar = random.Random(seed * 7919 + 1)  # the people's registrations (their own draws)

    def flush() -> None:
        # the rest wait for the federation's end; the people's registrations go with them
        for table in [*t.in_order()[:t.PEOPLE], t.registration, t.registered_title,
                      t.commitment]:
            table.flush()

    step = time.perf_counter()
    checked = time.perf_counter()
    with foreign_keys_checked_once([table.model for table in t.in_order()]):
        tld_movement = yearly.tld_movements(records, tree.root_id, tree.feds, t)
        for plan in tree.feds:
            with transaction.atomic():  # one federation per transaction
                gen.federation_people(rng, plan, tree.root_id, t, counters, rates, provinces,
                                      flush, registrar)
                counters.launched += yearly.federation_records(records, plan, sheets,
                                                               tld_movement,
                                                               counters.recognized, t)
                counters.recognized.clear()
                for table in t.in_order():
                    table.flush()
        with transaction.atomic():
            gen.number_sequences(t, counters)
            t.sequence.flush()
            Counter.objects.update_or_create(name="member_code",
                                             defaults={"value": counters.member_code})
            reset_sequences([Unit, UnitVersion, *(table.model for table in t.in_order())])
        checked = time.perf_counter()
    seconds["người và hồ sơ"] = checked - step
    seconds["khóa ngoại"] = time.perf_counter() - checked
    say(f"Người và hồ sơ: {vn(t.person.written)} người ({vn_s(seconds['người và hồ sơ'])} s), "
        f"kiểm tra khóa ngoại {vn_s(seconds['khóa ngoại'])} s")

    step = time.perf_counter()
    _merge_provinces()
    seconds["sáp nhập tỉnh 2025"] = time.perf_counter() - step
    step = time.perf_counter()
    maintained_figures_hook()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds["ANALYZE"] = time.perf_counter() - step
    # the database as docs/scaling.md configures production's, so that what is measured on it
    # is what a federation's server would do
    for setting in database_settings_apply():
        say(f"Cơ sở dữ liệu: {setting} (docs/scaling.md)")
    seconds["tổng"] = time.perf_counter() - began
    report = NationalReport(
        scale=scale, seed=seed, units_by_type=tree.units_by_type,
        max_children=tree.max_children, max_depth=tree.max_depth, persons=t.person.written,
        members=counters.members, transfers=counters.transfers, leavers=counters.leavers,
        awards=t.award.written, awards_by_form=counters.awards_by_form,
        initiatives=t.initiative.written, gradings=t.grading.written,
        deployments=t.deployment.written, launched=counters.launched,
        registrations=t.registration.written - counters.registered_people,
        registered_people=counters.registered_people, recognitions=t.recognition.written,
        seconds=seconds)
    report.rows = table_rows()
    report.database_bytes = database_size()
    return report


def _merge_provinces() -> None:
    """63 → 34 provincial federations on 01/07/2025: each absorbed federation's units move under
    the one that keeps its name, the absorbed federation ends that day."""
    codes = [c for merged in MERGERS.items() for c in (merged[0], *merged[1])]
    by_code = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    for survivor, absorbed in MERGERS.items():
        unit_merge_with_roster(actor=None, sources=[by_code[c] for c in absorbed],
                               into=by_code[survivor], date=MERGER_DAY, decision="",
                               note=MERGER_BASIS)


COUNTED = (Unit, UnitVersion, Person, Employment, Membership, Rating, TitleResult, Initiative,
           Author, Decision, Proposal, Candidate, Award, NumberSequence, GradingTemplate, Grading, Movement, Plan,
           Plan.movements.through, Deployment, Registration, RegisteredTitle, Commitment,
           Recognition)


def table_rows() -> dict[str, int]:
    out = {}
    with connection.cursor() as cursor:
        for model in COUNTED:
            cursor.execute(f"SELECT COUNT(*) FROM {model._meta.db_table}")  # noqa: S608
            row = cursor.fetchone()
            out[model._meta.db_table] = int(row[0]) if row else 0
    return out


def describe(report: NationalReport) -> list[str]:
    """The printed summary: sizes, rows per table, time per phase."""
    scale = f"{report.scale:g}".replace(".", ",")
    lines = [f"Dữ liệu toàn quốc, hệ số quy mô {scale} (seed {report.seed})"]
    lines.append("Đơn vị theo loại: " + ", ".join(f"{k} {vn(v)}"
                                                  for k, v in sorted(report.units_by_type.items())))
    lines.append(f"Người lao động {vn(report.persons)}, đoàn viên {vn(report.members)}, chuyển "
                 f"sinh hoạt {vn(report.transfers)}, nghỉ việc {vn(report.leavers)}")
    lines.append(f"Khen thưởng {vn(report.awards)}, sáng kiến {vn(report.initiatives)}, công "
                 f"nhận sáng kiến {vn(report.recognitions)}")
    lines.append(f"CĐCS: xếp loại {vn(report.gradings)} lượt, đăng ký thi đua "
                 f"{vn(report.registrations)} lượt, người lao động đăng ký năm "
                 f"{REGISTRATION_YEAR} {vn(report.registered_people)}; kế hoạch triển khai tới "
                 f"{vn(report.deployments)} đơn vị, trong đó CĐCS phát động {vn(report.launched)}")
    lines.append("Số dòng: " + ", ".join(f"{k} {vn(v)}" for k, v in report.rows.items()))
    lines.append(f"Dung lượng cơ sở dữ liệu: {vn(report.database_bytes // 2**20)} MB")
    lines.append("Thời gian: " + ", ".join(f"{k} {vn_s(v)} s" for k, v in report.seconds.items()))
    return lines


def vn(n: int) -> str:
    return vn_number(n)


def vn_s(x: float) -> str:
    return vn_number(x, 1)

