"""The yearly records of the grassroots unions that the dashboard and the year-end report count:
their gradings on the TLĐ's scoring sheet of the year, the plans that carry the year's movements
down to them and their launches, their registrations for collective titles, and the
recognitions of the initiatives filed with them.

They are drawn from a stream of their own (`records_rng`, from the same seed), so the people,
ratings and awards a seed gave before these records existed stay as they were."""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from thidua.demo.national.people import Tables
from thidua.demo.national.shape import YEARS
from thidua.demo.national.tree import Cdcs, FedPlan
from thidua.evaluation.models import GradingCriterion, GradingTemplate
from thidua.evaluation.services import scale_for_year
from thidua.initiatives.models import Level
from thidua.movements.catalogue import STANDARD_BY_CODE, StandardMovement
from thidua.movements.models import Source
from thidua.platform.errors import ApplicationError
from thidua.rules.ruleset import RuleSet, RuleSpec, rulesets_for_year

D = dt.date
GRADED = 0.9  # CĐCS-years graded
GRADE_WEIGHTS = (35, 50, 12, 3)  # best label of the scale first
LAUNCHED, ACKNOWLEDGED_ONLY = 0.9, 0.04  # of the CĐCS a federation's plan reaches
REGISTERED, EXCELLENT, CULTURE = 0.85, 0.3, 0.2
HIGHER = 0.1  # recognised initiatives also recognised by the province or the ministry
TLD_MOVEMENT = "LDG_LDST"
OWN_MOVEMENTS = ("SKST", "XSD_ATVSLD", "NTVT", "CQVH", "GVNDVN")
COMMITMENTS = (
    "Hoàn thành vượt mức kế hoạch sản xuất, kinh doanh năm",
    "Không để xảy ra tai nạn lao động nghiêm trọng, cháy nổ",
    "Mỗi tổ công đoàn có ít nhất một sáng kiến, cải tiến kỹ thuật",
    "Tổ chức đối thoại định kỳ, thực hiện đầy đủ thỏa ước lao động tập thể",
    "Phát triển đoàn viên, 100 % người lao động tham gia công đoàn",
    "Tổ chức thăm hỏi, hỗ trợ đoàn viên có hoàn cảnh khó khăn",
    "Xây dựng môi trường làm việc xanh – sạch – đẹp, an toàn",
)


@dataclass(frozen=True)
class Sheet:
    """A year's scoring sheet as the gradings use it."""

    id: int
    rule_set: str  # what `grading_submit` writes: the sheet's source, else its name
    bands: tuple[tuple[str, float], ...]  # (label, min points), best first
    top: float  # the sheet's maximum


def records_rng(seed: int) -> random.Random:
    return random.Random(f"{seed}:records")


def _between(rng: random.Random, first: D, last: D) -> D:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _at(day: D, hour: int) -> Any:
    """A time of `day` in the installation's time zone, as the database column takes it."""
    moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())
    return connection.ops.adapt_datetimefield_value(moment)


# --- gradings -----------------------------------------------------------------------------


def _union_grading_rule(year: int) -> tuple[RuleSet, RuleSpec]:
    """The union rule set's grading rule of the CĐCS for `year` (its sheet, the scale then)."""
    for rs in rulesets_for_year(year):
        if rs.family != "cong_doan":
            continue
        for title in rs.titles.values():
            if "cdcs" in title.unit_types and title.applies_in(year):
                for rule in title.rules:
                    if rule.check == "grading":
                        return rs, rule
    raise ApplicationError(f"Không có bộ quy tắc Công đoàn nào chấm điểm CĐCS năm {year}.")


def grading_sheets(root_id: int) -> dict[int, Sheet]:
    """The TLĐ's CĐCS scoring sheet of each year, written as `grading_template_create` writes
    one: the union rule set's sheet, the bands of the scale in force that year in points."""
    sheets = {}
    for year in YEARS:
        rs, rule = _union_grading_rule(year)
        scale = scale_for_year(year)
        criteria = rs.sheets[rule.args["sheet"]]["criteria"]
        top = float(sum(c["max"] for c in criteria))
        thresholds = [{"label": b["code"], "min_points": b["min_percent"] * top / 100,
                       "min_criterion_share": b.get("min_each_percent", 0) / 100}
                      for b in rs.scales[scale]["bands"]]
        template = GradingTemplate.objects.create(
            issuer_id=root_id, year=year, name=rs.sheets[rule.args["sheet"]]["title"][:255],
            scale=scale, thresholds=thresholds, source=rule.source[:255],
            confidence=rule.confidence)
        GradingCriterion.objects.bulk_create(
            [GradingCriterion(template=template, order=i, code=c["code"], text=c["title"][:500],
                              max_points=c["max"]) for i, c in enumerate(criteria, 1)])
        sheets[year] = Sheet(template.pk, template.source or template.name,
                             tuple((b["label"], b["min_points"]) for b in thresholds), top)
    return sheets


def _grade(rng: random.Random, sheet: Sheet) -> tuple[str, str]:
    """A label of the sheet's scale and a total inside its band (half points)."""
    labels = [label for label, _ in sheet.bands]
    label = rng.choices(labels, weights=GRADE_WEIGHTS[:len(labels)])[0]
    i = labels.index(label)
    low = sheet.bands[i][1]
    high = sheet.bands[i - 1][1] - 0.5 if i else sheet.top
    if i == len(labels) - 1:
        low = max(low, high - 20)  # a weak union still scores on most criteria
    return label, f"{rng.randint(round(low * 2), round(high * 2)) / 2:.2f}"


# --- movements, plans and their deployment --------------------------------------------------


def _movement(t: Tables, issuer: int, standard: StandardMovement, year: int) -> int:
    return int(t.movement.add(issuer, f"{standard.code}-{year}", standard.name, standard.code,
                              year, D(year, 1, 1).isoformat(), D(year, 12, 31).isoformat(),
                              standard.audience, standard.content))


def _plan(t: Tables, issuer: int, number: str, day: D, levels: list[str],
          movements: list[int]) -> int:
    year = day.year
    pid = int(t.plan.add(issuer, number, day.isoformat(), year,
                         f"Kế hoạch tổ chức các phong trào thi đua năm {year}",
                         (day + dt.timedelta(days=45)).isoformat(), json.dumps(levels),
                         _at(day, 10)))
    for mid in movements:
        t.plan_movement.add(pid, mid)
    return pid


def tld_movements(rng: random.Random, root_id: int, feds: list[FedPlan], t: Tables) -> dict[int, int]:
    """The TLĐ's movement of each year and its plan, deployed to every federation, each of
    which launches it in January; returns year → movement id."""
    out = {}
    for year in YEARS:
        mid = _movement(t, root_id, STANDARD_BY_CODE[TLD_MOVEMENT], year)
        day = D(year, 1, 8)
        pid = _plan(t, root_id, "01/KH-TLĐ", day,
                    ["ldld_tinh", "cd_nganh_tw", "cd_tong_cong_ty"], [mid])
        for fed in feds:
            launched = _between(rng, day + dt.timedelta(days=2), D(year, 1, 31))
            received = min(launched, day + dt.timedelta(days=rng.randint(1, 3)))
            t.deployment.add(pid, fed.id, fed.fed.type, _at(received, 9), launched.isoformat(),
                             _at(launched, 15))
        out[year] = mid
    return out


def _deploy(rng: random.Random, plan: FedPlan, tld_movement: int, year: int, t: Tables) -> int:
    """The federation's plan of the year (the TLĐ's movement and one of its own) to its CĐCS;
    returns how many launched it."""
    own = _movement(t, plan.id, STANDARD_BY_CODE[rng.choice(OWN_MOVEMENTS)], year)
    day = _between(rng, D(year, 1, 10), D(year, 1, 31))
    number = f"{rng.randint(1, 15):02d}/KH-{plan.fed.code.replace('-', '')}"
    pid = _plan(t, plan.id, number, day, ["cdcs"], [tld_movement, own])
    launched = 0
    for cd in plan.cdcs:
        roll = rng.random()
        if roll < LAUNCHED:
            on = _between(rng, day + dt.timedelta(days=1), D(year, 3, 31))
            received = min(on, day + dt.timedelta(days=rng.randint(1, 5)))
            t.deployment.add(pid, cd.id, "cdcs", _at(received, 8 + rng.randrange(4)),
                             on.isoformat(), _at(on, 13 + rng.randrange(4)))
            launched += 1
        elif roll < LAUNCHED + ACKNOWLEDGED_ONLY:
            received = day + dt.timedelta(days=rng.randint(1, 20))
            t.deployment.add(pid, cd.id, "cdcs", _at(received, 9), None, None)
        else:
            t.deployment.add(pid, cd.id, "cdcs", None, None, None)
    return launched


# --- registrations ------------------------------------------------------------------------


def _register(rng: random.Random, cd: Cdcs, year: int, t: Tables) -> None:
    titles = ["TTLDXS" if rng.random() < EXCELLENT else "TTLDTT"]
    if rng.random() < CULTURE:
        titles.append("CQ_VAN_HOA")
    commitments = rng.sample(COMMITMENTS, rng.randint(2, 3))
    on = _between(rng, D(year, 1, 15), D(year, 3, 15))
    rid = t.registration.add(year, None, cd.id, cd.id, len(commitments), on.isoformat(),
                             Source.IMPORT.value)
    for code in titles:
        t.registered_title.add(rid, code)
    for position, text in enumerate(commitments):
        t.commitment.add(rid, position, text)


# --- recognitions of initiatives -----------------------------------------------------------


def _recognise(rng: random.Random, plan: FedPlan, recognized: list[tuple[int, int, Cdcs]],
               t: Tables) -> None:
    """Each recognised initiative at the grassroots level, by the head of its company on one
    decision a year; some also by the province (provincial federations) or the ministry."""
    company: dict[tuple[int, int], tuple[str, D, int]] = {}  # → (decision, day, certificates)
    above: dict[int, tuple[str, D]] = {}
    province = plan.fed.type == "ldld_tinh"
    level = (Level.TINH if province else Level.BO_NGANH).value
    symbol = "UBND" if province else f"B{plan.fed.code.removeprefix('CDN-')}"
    issuer = (f"Chủ tịch Ủy ban nhân dân {plan.fed.name.removeprefix('Liên đoàn Lao động ')}"
              if province else f"Bộ, ngành quản lý — {plan.fed.name}")
    for iid, year, cd in recognized:
        key = (cd.id, year)
        number, day, n = company.get(key) or (
            f"{rng.randint(100, 999)}/QĐ-CT", _between(rng, D(year, 11, 1), D(year, 12, 15)), 0)
        company[key] = (number, day, n + 1)
        name = cd.name.removeprefix("Công đoàn cơ sở ")
        t.recognition.add(iid, Level.CO_SO.value, year, day.isoformat(), number,
                          f"Giám đốc {name}", f"{n + 1:02d}/GCN-SK-{year}",
                          f"Áp dụng có hiệu quả tại {name}.")
        if rng.random() >= HIGHER:
            continue
        if year not in above:
            above[year] = (f"{rng.randint(1000, 4999)}/QĐ-{symbol}",
                           _between(rng, D(year, 12, 16), D(year, 12, 28)))
        number, day = above[year]
        t.recognition.add(iid, level, year, day.isoformat(), number, issuer, "",
                          "Sáng kiến có phạm vi ảnh hưởng, hiệu quả áp dụng rộng.")


def federation_records(rng: random.Random, plan: FedPlan, sheets: dict[int, Sheet],
                       tld_movement: dict[int, int], recognized: list[tuple[int, int, Cdcs]],
                       t: Tables) -> int:
    """One federation's yearly records; returns the CĐCS-years that launched its plans."""
    launched = sum(_deploy(rng, plan, tld_movement[year], year, t) for year in YEARS)
    for cd in plan.cdcs:
        for year in YEARS:
            if rng.random() < GRADED:
                label, total = _grade(rng, sheets[year])
                t.grading.add(cd.id, year, sheets[year].id, total, label, sheets[year].rule_set)
            if rng.random() < REGISTERED:
                _register(rng, cd, year, t)
    _recognise(rng, plan, recognized, t)
    return launched
