"""People of one federation and what their years left behind: persons, employment and
membership periods (with transfers and leavers), five years of ratings and titles, initiatives,
and awards with their decisions and the proposals they answered.

An award decided above the recipient's own CĐCS answers a proposal (tờ trình) sent from the
level below its issuer: the CĐCS to its cấp trên (Giấy khen), the cấp trên to the provincial or
sector federation (Bằng khen of the LĐLĐ), the federation to the TLĐ; one proposal a year per
sender, issuer and form, decided. A CĐCS's own Giấy khen answers none. The proposals draw no
random numbers: a seed gives the same people, ratings and awards as before they were written."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from thidua.demo import names
from thidua.demo.national.shape import MERGER_DAY, MERGERS, REGISTRATION_YEAR, YEARS
from thidua.demo.national.tree import START, Cdcs, FedPlan
from thidua.people.imports.rows import fold_name
from thidua.platform.collation import person_order_key

D = dt.date
ABSORBED = {code for merged in MERGERS.values() for code in merged}
RATINGS = (("HTXSNV", 15), ("HTTNV", 68), ("HTNV", 15), ("KHTNV", 2))
POSITIONS = ("Công nhân", "Kỹ sư", "Chuyên viên", "Nhân viên", "Kế toán", "Giáo viên",
             "Bác sĩ", "Điều dưỡng", "Tổ trưởng sản xuất", "Cán bộ quản lý")
FIELDS = ("Sản xuất", "Quản lý", "Kỹ thuật", "Giáo dục", "Y tế", "Công nghệ thông tin")
KINDS = ("ky_thuat", "quan_ly", "tac_nghiep", "ung_dung")
PER_DECISION = 100  # recipients per decision at most
REGISTERED = 0.85  # of the people on a roster, those who register for REGISTRATION_YEAR
PERSONAL_COMMITMENTS = (
    "Hoàn thành xuất sắc nhiệm vụ được giao",
    "Chấp hành tốt nội quy lao động, an toàn vệ sinh lao động",
    "Có ít nhất một sáng kiến, cải tiến trong năm",
    "Tham gia đầy đủ các hoạt động của công đoàn",
    "Học tập nâng cao trình độ chuyên môn, tay nghề",
)


def _cum(pairs: list[tuple[str, int]] | tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    values = [p[0] for p in pairs]
    return values, list(itertools.accumulate(p[1] for p in pairs))


FAMILY = _cum(names.FAMILY_NAMES)
MIDDLE_M = _cum(names.MIDDLE_NAMES_MALE)
MIDDLE_F = _cum(names.MIDDLE_NAMES_FEMALE)
RATING_CUM = _cum(RATINGS)


@dataclass
class Tables:
    person: Any
    employment: Any
    membership: Any
    rating: Any
    title: Any
    initiative: Any
    author: Any
    decision: Any
    proposal: Any
    candidate: Any
    award: Any
    grading: Any
    movement: Any
    plan: Any
    plan_movement: Any
    deployment: Any
    registration: Any
    registered_title: Any
    commitment: Any
    recognition: Any
    sequence: Any

    def in_order(self) -> list[Any]:
        """Parents before children, so every flush leaves the foreign keys satisfied; the
        people's tables first (`PEOPLE`: the ones flushed while a federation's people are
        written)."""
        return [self.person, self.employment, self.membership, self.rating, self.title,
                self.initiative, self.author, self.decision, self.proposal, self.candidate,
                self.award, self.grading,
                self.movement, self.plan, self.plan_movement, self.deployment, self.registration,
                self.registered_title, self.commitment, self.recognition, self.sequence]

    PEOPLE = 7


@dataclass
class Rates:
    award: float  # chance that a person-year rated «xuất sắc» brings an award
    initiative: float  # … and a recognised or proposed initiative


@dataclass
class Counters:
    member_code: int = 0
    cccd: dict[str, int] = field(default_factory=dict)
    golden: dict[int, int] = field(default_factory=dict)  # issuer → last golden-book number
    seq: dict[tuple[int, int], int] = field(default_factory=dict)  # (issuer, year) → last number
    awards_by_form: dict[str, int] = field(default_factory=dict)
    members: int = 0
    transfers: int = 0
    leavers: int = 0
    launched: int = 0  # CĐCS-years that launched their federation's plan
    registered_people: int = 0  # people registered for REGISTRATION_YEAR
    # the federation's recognised initiatives: (id, year, CĐCS filed with), for their recognitions
    recognized: list[tuple[int, int, Cdcs]] = field(default_factory=list)


def _day(rng: random.Random, first: D, last: D) -> D:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


class Decisions:
    """Decisions of one federation's issuers, filled as awards come (≤ PER_DECISION each)."""

    def __init__(self, tables: Tables, counters: Counters, fed_id: int, fed_code: str) -> None:
        self.t = tables
        self.c = counters
        self.open: dict[tuple[int, int, str], tuple[int, int]] = {}  # → (decision id, count)
        self.fed_code = fed_code
        self.fed_id = fed_id
        self.pending: list[tuple[Any, ...]] = []
        # (sender, issuer, year, form) → (proposal id, candidates so far)
        self.proposals: dict[tuple[int, int, int, str], tuple[int, int]] = {}

    def signed_on(self, year: int) -> D:
        """The day the year's decisions are signed: before the merger for an absorbed
        federation in the merger's year (it ends on 01/07), at the year's end otherwise."""
        return (D(year, 6, 20) if (self.fed_code in ABSORBED and year == MERGER_DAY.year)
                else D(year, 12, 20))

    def propose(self, sender: int, issuer: int, year: int, form: str, *, person: int | None,
                unit: int | None, name: str, workplace: str) -> int:
        """The candidate for one award in the proposal `sender` sent `issuer` that year for
        `form` (the proposal written with its first candidate); returns the candidate's id."""
        key = (sender, issuer, year, form)
        current = self.proposals.get(key)
        if current is None:
            # sent three weeks before the decision: within the usual year-end deadline
            submitted = self.signed_on(year) - dt.timedelta(days=21)
            pid = self.t.proposal.add(
                sender, issuer, year, "nam", form, "",
                f"Tờ trình đề nghị khen thưởng tổng kết năm {year}", "da_quyet_dinh",
                submitted.isoformat(), "Đã có quyết định khen thưởng.")
            current = (pid, 0)
        order = current[1] + 1
        self.proposals[key] = (current[0], order)
        achievement = (f"Hoàn thành xuất sắc nhiệm vụ năm {year}" if person is not None else
                       f"Hoàn thành xuất sắc nhiệm vụ, phong trào thi đua năm {year}")
        return int(self.t.candidate.add(current[0], person, unit, name, workplace, achievement,
                                        order))

    def take(self, issuer: int, symbol: str, year: int, form: str) -> int:
        key = (issuer, year, form)
        current = self.open.get(key)
        if current is None or current[1] >= PER_DECISION:
            seq = self.c.seq.get((issuer, year), 0) + 1
            self.c.seq[(issuer, year)] = seq
            signed = self.signed_on(year)
            did = self.t.decision.add(
                issuer, "", "khen_thuong", year, year, seq, f"{seq}/QĐ-{symbol}",
                signed.isoformat(), form, f"Quyết định khen thưởng năm {year}",
                "Nguyễn Văn Chủ tịch", "Chủ tịch", "")
            current = (did, 0)
        self.open[key] = (current[0], current[1] + 1)
        return current[0]

    def golden(self, issuer: int) -> int:
        n = self.c.golden.get(issuer, 0) + 1
        self.c.golden[issuer] = n
        return n



def federation_people(rng: random.Random, plan: FedPlan, tld_id: int, t: Tables, c: Counters,
                      rates: Rates, cccd_provinces: list[int], flush: Any,
                      registrar: random.Random) -> Decisions:
    """All people of one federation; `flush` empties the buffers when they fill. The people's
    registrations draw from `registrar`, so the rest is what it was before
    they were written."""
    decisions = Decisions(t, c, plan.id, plan.fed.code)
    fed_symbol = plan.fed.code.replace("-", "")
    leaves_all = [leaf for cd in plan.cdcs for leaf in cd.leaves]
    leaf_cdcs = {leaf: cd for cd in plan.cdcs for leaf in cd.leaves}
    rating_codes, rating_cum = RATING_CUM
    for cd in plan.cdcs:
        for year in YEARS:  # collective titles of the grassroots union, decided by the level above
            roll = rng.random()
            if roll < 0.1:
                t.title.add(None, cd.id, year, "TTLDXS", cd.parent_id, "imported")
            elif roll < 0.45:
                t.title.add(None, cd.id, year, "TTLDTT", cd.parent_id, "imported")
            if roll < 0.05 and cd.parent_id != plan.id:  # the collective's own Giấy khen
                did = decisions.take(cd.parent_id, f"CĐ{cd.parent_id}", year, "GK_CAP_TREN")
                c.awards_by_form["GK_CAP_TREN"] = c.awards_by_form.get("GK_CAP_TREN", 0) + 1
                candidate = decisions.propose(cd.id, cd.parent_id, year, "GK_CAP_TREN",
                                              person=None, unit=cd.id, name=cd.name,
                                              workplace="")
                t.award.add(did, cd.parent_id, "GK_CAP_TREN", None, cd.id, cd.id, cd.name, "",
                            year, decisions.golden(cd.parent_id), candidate)
        for _ in range(cd.size):
            female = rng.random() < 0.48
            birth = _day(rng, D(1962, 1, 1), D(2004, 12, 31))
            family = rng.choices(FAMILY[0], cum_weights=FAMILY[1])[0]
            middle_names = MIDDLE_F if female else MIDDLE_M
            middle = rng.choices(middle_names[0], cum_weights=middle_names[1])[0]
            given = rng.choice(names.GIVEN_NAMES_FEMALE if female else names.GIVEN_NAMES_MALE)
            full = f"{family} {middle} {given}"
            province = plan.fed.cccd or rng.choice(cccd_provinces)
            prefix = f"{province:03d}{(3 if female else 2) if birth.year >= 2000 else (1 if female else 0)}{birth.year % 100:02d}"
            serial = c.cccd.get(prefix, 0) + 1
            c.cccd[prefix] = serial
            cccd = f"{prefix}{serial:06d}"
            member = rng.random() < 0.95
            start = max(START, _day(rng, D(2008, 1, 1), D(2024, 12, 31)))
            member_code = None
            if member:
                c.member_code += 1
                c.members += 1
                member_code = f"DV{c.member_code:010d}"
            pid = t.person.add(full, fold_name(full), person_order_key(full), birth.isoformat(),
                               "nu" if female else "nam", cccd, "Kinh", rng.choice(POSITIONS),
                               "", "", member_code, start.isoformat() if member else None, 1)
            leaf = rng.choice(cd.leaves)
            periods: list[tuple[int, D, D | None, str, str]] = []  # unit, from, to, opened, closed
            roll = rng.random()
            if roll < 0.03 and start < D(2021, 1, 1):
                moved = _day(rng, D(2021, 1, 1), D(2025, 11, 30))
                other = rng.choice(leaves_all)
                if other != leaf:
                    c.transfers += 1
                    periods = [(leaf, start, moved, "join", "transfer"),
                               (other, moved, None, "transfer", "")]
            elif roll < 0.05 and start < D(2021, 1, 1):
                c.leavers += 1
                periods = [(leaf, start, _day(rng, D(2021, 1, 1), D(2025, 11, 30)), "join", "leave")]
            if not periods:
                periods = [(leaf, start, None, "join", "")]
            for unit, since, until, opened, closed in periods:
                t.employment.add(pid, unit, since.isoformat(), until.isoformat() if until else None)
                if member:
                    t.membership.add(pid, unit, "active", opened, closed, since.isoformat(),
                                     until.isoformat() if until else None, "")
            _register(registrar, periods, leaf_cdcs, cd, pid, t, c)
            for year in YEARS:
                end = D(year, 12, 31)
                held = next((u for u, since, until, _, _ in periods
                             if since <= end and (until is None or until > end)), None)
                if held is None:
                    continue
                unit = held
                code = rng.choices(rating_codes, cum_weights=rating_cum)[0]
                t.rating.add(pid, year, unit, code)
                home = leaf_cdcs.get(unit, cd)
                if code in ("HTXSNV", "HTTNV") and rng.random() < 0.6:
                    t.title.add(pid, None, year, "LDTT", home.id, "imported")
                    if code == "HTXSNV" and rng.random() < 0.15:
                        t.title.add(pid, None, year, "CSTDCS", home.id, "imported")
                if code != "HTXSNV":
                    continue
                if rng.random() < rates.initiative:
                    title = f"Cải tiến quy trình {rng.choice(FIELDS).lower()} số {pid}-{year}"
                    status = "recognized" if rng.random() < 0.7 else "not_recognized"
                    iid = t.initiative.add(home.id, year, title, fold_name(title),
                                           rng.choice(FIELDS), rng.choice(KINDS),
                                           f"Mô tả sáng kiến {title}.", status)
                    t.author.add(iid, 1, pid, full, birth.isoformat(), home.name, 100)
                    if status == "recognized":
                        c.recognized.append((iid, year, home))
                if rng.random() < rates.award:
                    _award(rng, decisions, plan, tld_id, home, year, pid, full, fed_symbol, c, t)
            if t.person.full or t.rating.full or t.title.full or t.commitment.full:
                flush()
    return decisions


def _register(rng: random.Random, periods: list[tuple[int, D, D | None, str, str]],
              leaf_cdcs: dict[int, Cdcs], cd: Cdcs, pid: int, t: Tables, c: Counters) -> None:
    """Most people register for `REGISTRATION_YEAR` (đăng ký thi đua) through the CĐCS whose roster
    they are on that day, in its first quarter: «Lao động tiên tiến» and one to three concrete
    commitments, as the registration grid records them."""
    year = REGISTRATION_YEAR
    if rng.random() >= REGISTERED:
        return
    on = _day(rng, D(year, 1, 10), D(year, 3, 31))
    held = next((u for u, since, until, _, _ in periods
                 if since <= on and (until is None or until > on)), None)
    if held is None:
        return
    commitments = rng.sample(PERSONAL_COMMITMENTS, rng.randint(1, 3))
    rid = t.registration.add(year, pid, None, leaf_cdcs.get(held, cd).id, len(commitments),
                             on.isoformat(), "import")
    if rng.random() < 0.9:
        t.registered_title.add(rid, "LDTT")
    for position, text in enumerate(commitments):
        t.commitment.add(rid, position, text)
    c.registered_people += 1


def _award(rng: random.Random, decisions: Decisions, plan: FedPlan, tld_id: int, home: Any,
           year: int, pid: int, full: str, fed_symbol: str, c: Counters, t: Tables) -> None:
    roll = rng.random()
    if roll < 0.6:
        issuer, form, symbol = home.id, "GK_CDCS", f"CĐCS{home.id}"
    elif roll < 0.88 and home.parent_id != plan.id:
        issuer, form, symbol = home.parent_id, "GK_CAP_TREN", f"CĐ{home.parent_id}"
    elif roll < 0.99:
        issuer, form, symbol = plan.id, "BK_LDLD", fed_symbol
    else:
        issuer, form, symbol = tld_id, "BK_TLD_TOAN_DIEN", "TLĐ"
    if issuer == tld_id:
        # TLĐ's decisions go one per proposing federation and year: numbered by that pair
        did = decisions.take(tld_id, f"TLĐ-{fed_symbol}", year, form)
    else:
        did = decisions.take(issuer, symbol, year, form)
    c.awards_by_form[form] = c.awards_by_form.get(form, 0) + 1
    candidate = None
    if issuer != home.id:  # decided above the CĐCS: on the proposal of the level below
        sender = {plan.id: home.parent_id if home.parent_id != plan.id else home.id,
                  tld_id: plan.id}.get(issuer, home.id)
        candidate = decisions.propose(sender, issuer, year, form, person=pid, unit=None,
                                      name=full, workplace=home.name)
    t.award.add(did, issuer, form, pid, None, home.id, full, home.name, year,
                decisions.golden(issuer), candidate)


def number_sequences(t: Tables, c: Counters) -> None:
    """The issuers' sequences end where the generated numbers do: the next decision made in the
    app continues them (decision numbers per year, the golden book for ever)."""
    for (issuer, year), last in sorted(c.seq.items()):
        t.sequence.add(issuer, year, "QĐ", last)
    for issuer, last in sorted(c.golden.items()):
        t.sequence.add(issuer, 0, "SV", last)
