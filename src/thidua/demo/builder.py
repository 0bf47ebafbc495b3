"""The demo data of `thidua demo`, built the way users would build it: through the services of
the tree, the accounts and the roster import.

What it reproduces (issue 2 §8, from the seed articles):
- Công đoàn Viên chức thành phố Hà Nội (CDVC-HN) at 31/12/2017 directly manages 65 CĐCS with
  10.141 members among 10.159 workers;
- Công đoàn cơ quan UBND quận Hai Bà Trưng (CD-UBND-HBT) at 31/12/2023 has 19 tổ công đoàn and
  393 members.
The tree is built as it stood then; the 2025 reorganisation (CĐVC thành phố and LĐLĐ quận Hai Bà
Trưng end, their units move) comes after the year's records (`thidua.demo.reorg`). A fictional
pair of schools under LĐLĐ quận Hai Bà Trưng whose names say "(ví dụ minh họa)" shows renames,
moves and a merger.

The people are generated from a fixed seed, so every run produces the same rows: a second run
skips the units that exist and re-imports the same rosters, which the import treats as an
upsert by CCCD (nothing created)."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.accounts.models import RoleGrant
from thidua.accounts.services import role_grant_create, user_create
from thidua.demo import names
from thidua.org.models import Unit
from thidua.org.services import (
    UnitSpec,
    award_line_create,
    unit_create,
    unit_move,
    unit_rename,
)
from thidua.people.imports import roster_import_rows
from thidua.people.models import Person
from thidua.people.services import person_link_user, unit_merge_with_roster
from thidua.people.stats import stats_payload
from thidua.platform.actor import Actor

D = dt.date
DEMO_PASSWORD = "thidua@2026"
SEED = 20171231

# Where the real founding date is not known, the units start on the day the demo begins
# tracking them; their event note says so.
TRACKED_FROM = D(2010, 1, 1)
TRACKED_NOTE = "Dữ liệu mẫu: ngày bắt đầu theo dõi trên hệ thống, không phải ngày thành lập."

CDVC_DAY = D(2017, 12, 31)
CDVC_EFFECTIVE = D(2017, 1, 1)
CDVC_CDCS = 65
CDVC_WORKERS = 10_159
CDVC_MEMBERS = 10_141

HBT_DAY = D(2023, 12, 31)
# the roster as it stood at the start of 2022: the article speaks of 2022 and 2023
HBT_EFFECTIVE = D(2022, 1, 1)
HBT_MEMBERS = 393

MEMBER_PERSON_NAME = "Nguyễn Văn Đức"  # the member account's own record (browser tests use it)


# ---------------------------------------------------------------------------------------------
# The plan: everything the demo holds, generated without touching the database.


@dataclass(frozen=True)
class UnitPlan:
    code: str
    name: str
    type: str
    parent: str | None
    valid_from: dt.date
    short_name: str = ""
    note: str = TRACKED_NOTE


@dataclass
class RosterPlan:
    unit: str
    effective_date: dt.date
    rows: list[dict[str, Any]]


@dataclass
class DemoPlan:
    units: list[UnitPlan]  # in creation order (parents first)
    rosters: list[RosterPlan]  # CDVC-HN's 65 CĐCS and CD-UBND-HBT
    history_units: list[UnitPlan]  # the fictional example
    history_rosters: list[RosterPlan]
    member_cccd: str  # Nguyễn Văn Đức's CCCD


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class PeopleGenerator:
    """Plausible Vietnamese workers: names with diacritics, CCCD consistent with birth year,
    gender and (by ethnicity) the province of birth registration; every CCCD distinct."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used_cccd: set[str] = set()
        self._ethnic_weights = [e[1] for e in names.ETHNICITIES]

    def name(self, female: bool) -> str:
        rng = self.rng
        while True:
            family = _weighted(rng, names.FAMILY_NAMES)
            if female:
                middle = _weighted(rng, names.MIDDLE_NAMES_FEMALE)
                if middle == "Thị" and rng.random() < 0.15:
                    middle += " " + rng.choice(["Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim"])
                given = rng.choice(names.GIVEN_NAMES_FEMALE)
            else:
                middle = _weighted(rng, names.MIDDLE_NAMES_MALE)
                given = rng.choice(names.GIVEN_NAMES_MALE)
            full = f"{family} {middle} {given}"
            if middle.split()[-1] != given and full != MEMBER_PERSON_NAME:
                return full

    def cccd(self, province: str, birth: dt.date, female: bool) -> str:
        digit = (0 if birth.year < 2000 else 2) + (1 if female else 0)
        while True:
            number = f"{province}{digit}{birth.year % 100:02d}{self.rng.randrange(1_000_000):06d}"
            if number not in self.used_cccd:
                self.used_cccd.add(number)
                return number

    def position(self, kind: str, female: bool) -> str:
        while True:
            position = _weighted(self.rng, names.POSITIONS[kind])
            if not (female and position in names.MALE_POSITIONS):
                return position

    def person(
        self, *, kind: str, women_share: float, born: tuple[int, int], joined_by: dt.date,
        member: bool = True, full_name: str | None = None, female: bool | None = None,
        position: str | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        female = rng.random() < women_share if female is None else female
        birth = D(rng.randint(*born), 1, 1) + dt.timedelta(days=rng.randrange(365))
        ethnicity, _, provinces = rng.choices(names.ETHNICITIES, weights=self._ethnic_weights)[0]
        join_date = None
        if member:
            earliest = max(D(birth.year + 21, birth.month, 1), D(1990, 1, 1))
            join_date = earliest + dt.timedelta(
                days=rng.randrange(max(1, (joined_by - earliest).days))
            )
        return {
            "full_name": full_name or self.name(female),
            "gender": "Nữ" if female else "Nam",
            "birth_date": birth,
            "cccd": self.cccd(rng.choice(provinces), birth, female),
            "ethnicity": ethnicity,
            "position": position or self.position(kind, female),
            "join_date": join_date,
            "is_member": "Có" if member else "Không",
            "group": "",
        }


def _spread(rng: random.Random, total: int, n: int, low: int, high: int) -> list[int]:
    """`n` uneven sizes in [low, high] adding up to `total` (skewed: few large, many small)."""
    weights = [rng.random() ** 2.2 + 0.02 for _ in range(n)]
    extra_total = total - n * low
    cap = high - low
    extra = [min(cap, int(w / sum(weights) * extra_total)) for w in weights]
    while sum(extra) < extra_total:
        i = rng.randrange(n)
        if extra[i] < cap:
            extra[i] += 1
    return [low + e for e in extra]


WOMEN_SHARE = {"office": 0.58, "school": 0.64, "teacher": 0.8, "health": 0.68,
               "culture": 0.5, "press": 0.48, "heritage": 0.62}


def _number_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for i, row in enumerate(rows):
        row["_row"] = i + 2  # as Excel shows it, below the header row
    return rows


def _cdvc_plan(gen: PeopleGenerator) -> tuple[list[UnitPlan], list[RosterPlan]]:
    rng = gen.rng
    sizes = _spread(rng, CDVC_WORKERS, CDVC_CDCS, 40, 400)
    non_members = set(rng.sample(range(CDVC_WORKERS), CDVC_WORKERS - CDVC_MEMBERS))
    units: list[UnitPlan] = []
    rosters: list[RosterPlan] = []
    index = 0
    for i, ((name, kind), size) in enumerate(zip(names.CDVC_HN_CDCS, sizes, strict=True), 1):
        code = f"CDVC-HN-{i:02d}"
        units.append(UnitPlan(code, name, "cdcs", "CDVC-HN", TRACKED_FROM))
        groups: list[str] = []
        if size >= 250:
            for j, group_name in enumerate(names.GROUP_NAMES[kind][: 3 + size // 150], 1):
                groups.append(f"{code}-T{j:02d}")
                units.append(UnitPlan(groups[-1], group_name, "to_cd", code, TRACKED_FROM))
        rows = []
        for _ in range(size):
            row = gen.person(kind=kind, women_share=WOMEN_SHARE[kind], born=(1960, 1995),
                             joined_by=CDVC_EFFECTIVE - dt.timedelta(days=1),
                             member=index not in non_members)
            # most people of a unit with tổ belong to one; the leadership does not
            if groups and rng.random() < 0.88:
                row["group"] = rng.choice(groups)
            rows.append(row)
            index += 1
        rosters.append(RosterPlan(code, CDVC_EFFECTIVE, _number_rows(rows)))
    return units, rosters


def _hbt_plan(gen: PeopleGenerator) -> tuple[list[UnitPlan], RosterPlan, str]:
    rng = gen.rng
    units = [UnitPlan("CD-UBND-HBT", "Công đoàn cơ quan UBND quận Hai Bà Trưng", "cdcs",
                      "LDLD-HBT", TRACKED_FROM, short_name="CĐ cơ quan UBND quận HBT")]
    rows: list[dict[str, Any]] = []
    for j, (group_name, size) in enumerate(names.HBT_GROUPS, 1):
        code = f"CD-UBND-HBT-T{j:02d}"
        units.append(UnitPlan(code, group_name, "to_cd", "CD-UBND-HBT", TRACKED_FROM))
        for k in range(size):
            extra: dict[str, Any] = {}
            if j == 1 and k == 0:
                extra = {"full_name": MEMBER_PERSON_NAME, "female": False,
                         "position": "Chuyên viên"}
            row = gen.person(kind="office", women_share=0.6, born=(1965, 2000),
                             joined_by=HBT_EFFECTIVE - dt.timedelta(days=1), **extra)
            row["group"] = code
            rows.append(row)
    workers = len(rows)
    for i in rng.sample(range(1, workers), workers - HBT_MEMBERS):
        rows[i]["is_member"] = "Không"  # recently hired on contract, not yet admitted
        rows[i]["join_date"] = None
    return units, RosterPlan("CD-UBND-HBT", HBT_EFFECTIVE, _number_rows(rows)), rows[0]["cccd"]


# The fictional history example under LĐLĐ quận Hai Bà Trưng.
EXAMPLE = "(ví dụ minh họa)"
HOA_SEN, BINH_MINH, MERGED = "VD-TH-HOASEN", "VD-THCS-BINHMINH", "VD-LC-HSBM"
HISTORY_CREATED = D(2015, 8, 15)
HISTORY_EFFECTIVE = D(2015, 9, 1)
HISTORY_RENAMED = D(2019, 9, 1)
HISTORY_MOVED = D(2021, 8, 1)
HISTORY_MERGED = D(2025, 7, 1)
NOTE_EXAMPLE = "Ví dụ minh họa lịch sử sắp xếp đơn vị; không phải đơn vị có thật."


def _history_plan(gen: PeopleGenerator) -> tuple[list[UnitPlan], list[RosterPlan]]:
    def plan(code: str, name: str, type_: str, parent: str) -> UnitPlan:
        return UnitPlan(code, f"{name} {EXAMPLE}", type_, parent, HISTORY_CREATED,
                        note=NOTE_EXAMPLE)

    units = [
        plan(HOA_SEN, "Công đoàn Trường Tiểu học Hoa Sen", "cdcs", "LDLD-HBT"),
        plan(f"{HOA_SEN}-T01", "Tổ Công đoàn Khối 1–2", "to_cd", HOA_SEN),
        plan(f"{HOA_SEN}-T02", "Tổ Công đoàn Khối 3–5", "to_cd", HOA_SEN),
        plan(BINH_MINH, "Công đoàn Trường THCS Bình Minh", "cdcs", "LDLD-HBT"),
        plan(f"{BINH_MINH}-T01", "Tổ Công đoàn Khoa học Tự nhiên", "to_cd", BINH_MINH),
        plan(f"{BINH_MINH}-T02", "Tổ Công đoàn Khoa học Xã hội", "to_cd", BINH_MINH),
        plan(f"{BINH_MINH}-T03", "Tổ Công đoàn Văn phòng", "to_cd", BINH_MINH),
    ]
    rosters = []
    for code, size, groups in [(HOA_SEN, 34, ["-T01", "-T02"]),
                               (BINH_MINH, 46, ["-T01", "-T02", "-T03"])]:
        rows = []
        for _ in range(size):
            row = gen.person(kind="teacher", women_share=WOMEN_SHARE["teacher"],
                             born=(1965, 1993), joined_by=HISTORY_EFFECTIVE)
            row["group"] = code + gen.rng.choice(groups)
            rows.append(row)
        rosters.append(RosterPlan(code, HISTORY_EFFECTIVE, _number_rows(rows)))
    return units, rosters


def demo_plan() -> DemoPlan:
    """The whole demo as data; the same on every call."""
    gen = PeopleGenerator(SEED)
    top = [
        UnitPlan("TLD", "Tổng Liên đoàn Lao động Việt Nam", "tld", None, D(1929, 7, 28),
                 short_name="Tổng LĐLĐVN", note=""),
        UnitPlan("LDLD-HN", "Liên đoàn Lao động Thành phố Hà Nội", "ldld_tinh", "TLD",
                 TRACKED_FROM, short_name="LĐLĐ TP Hà Nội"),
        UnitPlan("CDVC-VN", "Công đoàn Viên chức Việt Nam", "cd_nganh_tw", "TLD", TRACKED_FROM,
                 short_name="CĐVC Việt Nam"),
        UnitPlan("CDVC-HN", "Công đoàn Viên chức thành phố Hà Nội", "cap_tren_co_so", "LDLD-HN",
                 TRACKED_FROM, short_name="CĐVC TP Hà Nội"),
        UnitPlan("LDLD-HBT", "Liên đoàn Lao động quận Hai Bà Trưng", "cap_tren_co_so",
                 "LDLD-HN", TRACKED_FROM, short_name="LĐLĐ quận Hai Bà Trưng"),
    ]
    cdvc_units, cdvc_rosters = _cdvc_plan(gen)
    hbt_units, hbt_roster, member_cccd = _hbt_plan(gen)
    history_units, history_rosters = _history_plan(gen)
    return DemoPlan(top + cdvc_units + hbt_units, [*cdvc_rosters, hbt_roster], history_units,
                    history_rosters, member_cccd)


# ---------------------------------------------------------------------------------------------
# Building it through the services.


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str  # accounts.models.Role value
    unit: str  # unit code
    description: str  # Vietnamese, for the printed table
    superuser: bool = False


ACCOUNTS = [
    DemoAccount("canbo.cdcs", "Lê Thị Thu Hà", "officer", "CD-UBND-HBT",
                "Cán bộ công đoàn cơ sở"),
    DemoAccount("canbo.cdvc", "Phạm Minh Tuấn", "officer", "CDVC-HN",
                "Cán bộ công đoàn cấp trên trực tiếp cơ sở"),
    DemoAccount("lanhdao.ldld", "Trần Quang Huy", "leader", "LDLD-HN",
                "Lãnh đạo LĐLĐ (phê duyệt)"),
    DemoAccount("canbo.ldld", "Vũ Thị Minh Nguyệt", "officer", "LDLD-HN",
                "Cán bộ thi đua – khen thưởng LĐLĐ thành phố"),
    DemoAccount("canbo.quan", "Đỗ Văn Khải", "officer", "LDLD-HBT",
                "Cán bộ LĐLĐ quận (công đoàn cấp trên trực tiếp cơ sở)"),
    DemoAccount("canbo.cdvcvn", "Hoàng Thị Lan Anh", "officer", "CDVC-VN",
                "Cán bộ Công đoàn ngành Trung ương"),
    DemoAccount("canbo.tld", "Ngô Đức Thắng", "officer", "TLD",
                "Cán bộ Ban Tuyên giáo (thi đua – khen thưởng) Tổng Liên đoàn"),
    DemoAccount("quantri", "Quản trị hệ thống", "admin", "TLD", "Quản trị viên", superuser=True),
    DemoAccount("doanvien", MEMBER_PERSON_NAME, "", "CD-UBND-HBT",
                "Đoàn viên (chỉ xem hồ sơ của mình)"),
]


@dataclass
class DemoSummary:
    units_created: int = 0
    accounts_created: int = 0
    history_built: bool = False
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    figures: list[dict[str, Any]] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=lambda: list(ACCOUNTS))
    password: str = DEMO_PASSWORD
    seconds: float = 0.0


def _say(stdout: TextIO | Any | None) -> Callable[[str], None]:
    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + ("" if text.endswith("\n") else "\n"))
            if hasattr(stdout, "flush"):
                stdout.flush()

    return say


def _ensure_units(plans: list[UnitPlan], actor: Actor) -> tuple[dict[str, Unit], int]:
    codes = {p.code for p in plans} | {p.parent for p in plans if p.parent}
    existing = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    created = 0
    for p in plans:
        if p.code in existing:
            continue
        parent = existing[p.parent] if p.parent else None
        existing[p.code] = unit_create(
            actor=actor, code=p.code, name=p.name, type=p.type, valid_from=p.valid_from,
            parent=parent, short_name=p.short_name, note=p.note,
            # the day tracking began is not a founding date: the founding date is unknown
            founded_on=None if p.note == TRACKED_NOTE else p.valid_from,
        )
        created += 1
    return existing, created


def _admin(summary: DemoSummary) -> Any:
    """The administrator account, which every later step acts as (so the audit trail shows who)."""
    User = get_user_model()
    spec = next(a for a in ACCOUNTS if a.superuser)
    user = User.objects.filter(username=spec.username).first()
    if user is None:
        user = user_create(actor=None, username=spec.username, password=DEMO_PASSWORD,
                           full_name=spec.full_name, is_superuser=True)
        summary.accounts_created += 1
    return user


def _accounts(actor: Actor, units: dict[str, Unit], summary: DemoSummary) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    for spec in ACCOUNTS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(actor=actor, username=spec.username, password=DEMO_PASSWORD,
                               full_name=spec.full_name)
            summary.accounts_created += 1
        # an account that holds roles keeps them: the 2025 reorganisation (demo.reorg) moved
        # some, and a second run must not give them back
        if spec.role and not RoleGrant.objects.filter(user=user).exists():
            role_grant_create(actor=actor, user=user, unit=units[spec.unit], role=spec.role)
        users[spec.username] = user
    return users


def _import(actor: Actor, unit: Unit, roster: RosterPlan, summary: DemoSummary) -> None:
    """The roster through the import service, as an officer's upload would go."""
    result = roster_import_rows(actor=actor, unit=unit, rows=roster.rows,
                                effective_date=roster.effective_date,
                                source_name=f"dữ liệu mẫu — {unit.code}")
    if result.errors or not result.written:
        # generated rows are valid by construction: a refusal is a bug, not a user error
        raise RuntimeError(f"demo roster of {unit.code} was refused: "
                           f"{[str(e) for e in result.errors[:3]]}")
    summary.people_created += result.created
    summary.people_updated += result.updated
    summary.people_unchanged += result.unchanged


def _history(actor: Actor, plan: DemoPlan, summary: DemoSummary) -> None:
    """Two fictional schools: created 2015, one renamed 2019, a tổ moved 2021, both merged
    into a new school on 01/07/2025, so the tree of 2017 differs from today's."""
    units, created = _ensure_units(plan.history_units, actor)
    for roster in plan.history_rosters:
        _import(actor, units[roster.unit], roster, summary)
    unit_rename(actor=actor, unit=units[BINH_MINH],
                name=f"Công đoàn Trường THCS Bình Minh – Hai Bà Trưng {EXAMPLE}",
                date=HISTORY_RENAMED, note=NOTE_EXAMPLE)
    unit_move(actor=actor, unit=units[f"{BINH_MINH}-T03"], new_parent=units[HOA_SEN],
              date=HISTORY_MOVED, note=NOTE_EXAMPLE)
    unit_merge_with_roster(
        actor=actor, sources=[units[HOA_SEN], units[BINH_MINH]], date=HISTORY_MERGED,
        new_unit=UnitSpec(MERGED, f"Công đoàn Trường Liên cấp Hoa Sen – Bình Minh {EXAMPLE}",
                          "cdcs"),
        parent=Unit.objects.get(code="LDLD-HBT"), note=NOTE_EXAMPLE,
    )
    summary.history_built = True
    summary.units_created += created + 1


def _link_member(user: Actor, cccd: str, actor: Actor) -> None:
    person = Person.objects.filter(cccd=cccd).first()
    if person is None or person.user_id == user.pk:
        return
    person_link_user(actor=actor, person=person, user=user)


def demo_figures() -> list[dict[str, Any]]:
    """The figures the articles give, read back from the database."""
    out = []
    for code, day in [("CDVC-HN", CDVC_DAY), ("CD-UBND-HBT", HBT_DAY)]:
        unit = Unit.objects.filter(code=code).first()
        if unit is not None:
            out.append(stats_payload(unit, day))
    return out


def demo_build(*, stdout: TextIO | Any | None = None) -> DemoSummary:
    """Build the demo (or complete it); a second run changes nothing. One transaction."""
    started = time.perf_counter()
    say = _say(stdout)
    summary = DemoSummary()
    plan = demo_plan()
    # a second run only checks what is there: say so rather than "creating"
    first_run = not Unit.objects.filter(code="CDVC-HN").exists()
    with transaction.atomic():
        admin = _admin(summary)
        say("Đang tạo cây đơn vị…" if first_run else "Đang đối chiếu cây đơn vị đã có…")
        units, created = _ensure_units(plan.units, admin)
        summary.units_created += created
        award_line_create(actor=admin, unit=units["CDVC-HN"], issuer=units["CDVC-VN"],
                          valid_from=TRACKED_FROM)
        users = _accounts(admin, units, summary)
        say(f"Đang nhập danh sách CBCCVCLĐ của {len(plan.rosters)} đơn vị…" if first_run else
            f"Đang đối chiếu danh sách CBCCVCLĐ của {len(plan.rosters)} đơn vị…")
        for i, roster in enumerate(plan.rosters, 1):
            _import(admin, units[roster.unit], roster, summary)
            if i % 20 == 0:
                say(f"  … {i}/{len(plan.rosters)} đơn vị")
        if not Unit.objects.filter(code=HOA_SEN).exists():
            say("Đang tạo ví dụ minh họa lịch sử sắp xếp đơn vị…")
            _history(admin, plan, summary)
        _link_member(users["doanvien"], plan.member_cccd, admin)
    summary.figures = demo_figures()
    summary.seconds = time.perf_counter() - started
    return summary
