"""The records behind the seed articles' remaining figures (issue 11 §6), made through the
reports services after the titles and awards exist (`thidua.demo.year`):

- Công đoàn Viên chức thành phố Hà Nội, 2017 (shared/seeds/000_…txt): «Trong năm 2017, đã có
  291 đoàn viên ưu tú được kết nạp vào Đảng Cộng sản Việt Nam.» Each CĐCS introduces its
  outstanding members (members holding a 2017 title, aged 45 or less) to its agency's Party
  cell; 291 of those introduced in 2017 are admitted the same year. The article gives no number
  of introductions: the demo's 337 is illustrative (minh họa).
- Its 2018 targets: «năm 2018, các cấp Công đoàn viên chức thành phố phấn đấu 100% công đoàn cơ
  sở phát động phong trào thi đua, …» — set by CĐVC thành phố for 2018, so its 65 CĐCS inherit
  them (`reports.selectors.targets_in_force`). The article states no 2017 targets (the
  «chỉ tiêu kinh tế – xã hội của Thành phố năm 2017» are the city's, not the union's): none
  are recorded.
- Công đoàn cơ quan UBND quận Hai Bà Trưng, 2022 and 2023 (shared/seeds/001_…txt): the welfare
  of «các dịp lễ, Tết, các ngày kỷ niệm như: Quốc tế Phụ nữ 8/3, Phụ nữ Việt Nam 20/10, Quốc tế
  Nam giới 19/11, Gia đình Việt Nam 28/6» and the support «một phần kinh phí khám sức khỏe định
  kỳ cho đoàn viên công đoàn», one activity per occasion and year; the article names no amount,
  so every amount is illustrative and its note says «(minh họa)».
- «Hằng năm, … trên 98% gia đình nữ CBCCVC, NLĐ đạt danh hiệu Gia đình văn hóa»: the families of
  a little more than 98 % of the women on the roster, in 2022 and in 2023.

People, dates and amounts are drawn from a fixed seed over people sorted by CCCD, so every run
and every database gives the same rows. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.evaluation.models import TitleResult, year_end
from thidua.org.models import Unit, UnitVersion, alive_at
from thidua.people.models import Employment, Gender, Membership
from thidua.platform.actor import Actor
from thidua.platform.text import vn_number
from thidua.reports.models import (
    Comparison,
    FamilyCultureTitle,
    FundingSource,
    PartyCandidate,
    Target,
    WelfareActivity,
    WelfareOccasion,
)
from thidua.reports.selectors import (
    family_title_count,
    party_counts,
    targets_in_force,
    welfare_counts,
)
from thidua.reports.services import (
    BeneficiaryRow,
    CandidateRow,
    family_titles_save,
    party_candidates_save,
    target_set,
    welfare_create,
)

D = dt.date
SEED = 2017_0291
CDVC, CDVC_YEAR, TARGET_YEAR = "CDVC-HN", 2017, 2018
HBT, HBT_YEARS = "CD-UBND-HBT", (2022, 2023)
OFFICERS = {CDVC: "canbo.cdvc", HBT: "canbo.cdcs"}  # demo.builder.ACCOUNTS
SAMPLE = "Dữ liệu mẫu"
ILLUSTRATIVE = "(minh họa)"

# --- Party development, CĐVC thành phố Hà Nội 2017 ---------------------------------------------

PARTY_ADMITTED = 291  # «291 đoàn viên ưu tú được kết nạp vào Đảng» (the article)
# The article gives no number of introductions; 337 (291 admitted + 46 still before their
# Party cell at the end of the year) is illustrative.
PARTY_INTRODUCED = 337
PARTY_TITLES = ("LDTT", "CSTDCS")  # «đoàn viên ưu tú»: members holding a 2017 title
PARTY_BORN_FROM = D(1972, 1, 1)  # 45 or younger in 2017
PARTY_INTRODUCED_FROM, PARTY_INTRODUCED_TO = D(2017, 1, 9), D(2017, 8, 31)
PARTY_LAST_ADMISSION = D(2017, 12, 29)

# --- the 2018 targets of CĐVC thành phố Hà Nội ---------------------------------------------------

ARTICLE_000 = ("Phương hướng năm 2018 của Công đoàn Viên chức thành phố Hà Nội, theo bài «Công "
               "đoàn Viên chức Thành phố Hà Nội: Triển khai hiệu quả các phong trào thi đua» "
               "(Khánh Vân, Tin ngành)")


@dataclass(frozen=True)
class TargetPlan:
    measure: str
    comparison: str
    value: int
    value_max: int | None
    words: str  # the article's words, kept as the target's note


TARGETS_2018 = [
    TargetPlan("cdcs_phat_dong", Comparison.AT_LEAST, 100, None,
               "100% công đoàn cơ sở phát động phong trào thi đua"),
    TargetPlan("cdcs_dang_ky", Comparison.AT_LEAST, 100, None,
               "100% công đoàn cơ sở … đăng ký các danh hiệu thi đua trong cán bộ, công chức, "
               "viên chức, người lao động"),
    TargetPlan("nld_danh_hieu", Comparison.ABOVE, 75, None,
               "trên 75% cán bộ, công chức, viên chức, người lao động đạt các danh hiệu «Lao "
               "động tiên tiến», «Chiến sĩ thi đua», «Người tốt, việc tốt»"),
    TargetPlan("nu_gvndvn", Comparison.RANGE, 85, 90,
               "85-90% nữ cán bộ, công chức, viên chức, người lao động đạt danh hiệu «Giỏi việc "
               "nước, đảm việc nhà»"),
    TargetPlan("gia_dinh_van_hoa", Comparison.AT_LEAST, 95, None,
               "95% gia đình cán bộ, công chức, viên chức, người lao động đạt danh hiệu «Gia đình "
               "văn hóa»"),
    TargetPlan("co_quan_dang_ky_van_hoa", Comparison.AT_LEAST, 100, None,
               "100% cơ quan, đơn vị đăng ký phấn đấu [cơ quan, đơn vị văn hóa]"),
    TargetPlan("co_quan_van_hoa", Comparison.ABOVE, 60, None,
               "trên 60% đạt cơ quan, đơn vị văn hóa"),
    TargetPlan("cdcs_vung_manh", Comparison.ABOVE, 90, None,
               "trên 90% công đoàn cơ sở đạt vững mạnh"),
    TargetPlan("cdcs_yeu", Comparison.AT_MOST, 0, None,
               "không có công đoàn cơ sở xếp loại yếu"),
    # «có trên 200 đoàn viên ưu tú được giới thiệu và kết nạp vào Đảng»: one sentence, both
    # measures of the catalogue
    TargetPlan("dang_gioi_thieu", Comparison.ABOVE, 200, None,
               "có trên 200 đoàn viên ưu tú được giới thiệu và kết nạp vào Đảng"),
    TargetPlan("dang_ket_nap", Comparison.ABOVE, 200, None,
               "có trên 200 đoàn viên ưu tú được giới thiệu và kết nạp vào Đảng"),
]

# --- welfare, Công đoàn cơ quan UBND quận Hai Bà Trưng 2022–2023 --------------------------------

WOMEN, MEN, WORKERS, MEMBERS = "women", "men", "workers", "members"


@dataclass(frozen=True)
class WelfarePlan:
    occasion: str
    days: dict[int, dt.date]  # year → day
    who: str  # WOMEN | MEN | WORKERS | MEMBERS
    amount: int  # đồng each, illustrative: the article names no amount
    title: str  # "{year}" and "{tet}" filled in


TET = {2022: "Nhâm Dần", 2023: "Quý Mão"}  # Tết Nguyên đán: 01/02/2022, 22/01/2023
WELFARE = [
    WelfarePlan(WelfareOccasion.TET, {2022: D(2022, 1, 24), 2023: D(2023, 1, 13)}, WORKERS,
                1_000_000, "Tặng quà Tết Nguyên đán {tet} {year} cho CBCCVC, NLĐ"),
    WelfarePlan(WelfareOccasion.WOMEN_8_3, {2022: D(2022, 3, 8), 2023: D(2023, 3, 8)}, WOMEN,
                200_000, "Tặng quà nữ CBCCVC, NLĐ nhân ngày Quốc tế Phụ nữ 8/3/{year}"),
    WelfarePlan(WelfareOccasion.FAMILY_28_6, {2022: D(2022, 6, 28), 2023: D(2023, 6, 28)},
                MEMBERS, 200_000, "Tặng quà đoàn viên nhân ngày Gia đình Việt Nam 28/6/{year}"),
    WelfarePlan(WelfareOccasion.HEALTH_CHECK, {2022: D(2022, 9, 16), 2023: D(2023, 9, 15)},
                MEMBERS, 300_000, "Hỗ trợ một phần kinh phí khám sức khỏe định kỳ năm {year} "
                                  "cho đoàn viên công đoàn"),
    WelfarePlan(WelfareOccasion.WOMEN_20_10, {2022: D(2022, 10, 20), 2023: D(2023, 10, 20)},
                WOMEN, 200_000, "Tặng quà nữ CBCCVC, NLĐ nhân ngày Phụ nữ Việt Nam 20/10/{year}"),
    WelfarePlan(WelfareOccasion.MEN_19_11, {2022: D(2022, 11, 18), 2023: D(2023, 11, 17)}, MEN,
                200_000, "Tặng quà nam CBCCVC, NLĐ nhân ngày Quốc tế Nam giới 19/11/{year}"),
]
WELFARE_NOTE = ("{sample}; số tiền {amount} đồng/người {illustrative}: bài báo không nêu số tiền.")

# --- Gia đình văn hóa, Hai Bà Trưng --------------------------------------------------------------

# «trên 98% gia đình nữ CBCCVC, NLĐ đạt danh hiệu Gia đình văn hóa»: 1,2 % of the women's
# families are not recognised in a year (fewer than 2 %, so the share stays above 98 %)
FAMILY_MISSING_SHARE = 0.012
FAMILY_NOTE = ("Dữ liệu mẫu: gia đình nữ CBCCVC, NLĐ được UBND phường nơi cư trú công nhận "
               "«Gia đình văn hóa»; Công đoàn cơ quan ghi nhận.")


def demo_reports(*, actor: Actor) -> None:
    """Party development and 2018 targets of CĐVC Hà Nội, welfare and family titles of Hai Bà
    Trưng (after demo_honours); a second run changes nothing."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[CDVC, HBT])}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=list(OFFICERS.values()))}
    officers: dict[str, Actor] = {code: users.get(name, actor) for code, name in OFFICERS.items()}
    with transaction.atomic():
        if CDVC in units:
            _targets(officers[CDVC], units[CDVC])
            _party(officers[CDVC], units[CDVC])
        if HBT in units:
            for year in HBT_YEARS:
                _welfare(officers[HBT], units[HBT], year)
                _families(officers[HBT], units[HBT], year)


def _targets(actor: Actor, cdvc: Unit) -> None:
    if Target.objects.filter(unit=cdvc, year=TARGET_YEAR).exists():
        return
    for t in TARGETS_2018:
        target_set(actor=actor, unit=cdvc, year=TARGET_YEAR, measure_code=t.measure,
                   comparison=t.comparison, value=Decimal(t.value),
                   value_max=None if t.value_max is None else Decimal(t.value_max),
                   note=f"«{t.words}»", source=ARTICLE_000)


def _cdcs_of(cdvc: Unit, day: dt.date) -> dict[int, Unit]:
    """unit id → the CĐCS directly under CĐVC Hà Nội it lies in (itself for a CĐCS), on `day`."""
    version = UnitVersion.objects.at(day).get(unit=cdvc)
    cut = len(version.path) + Unit.steplen
    paths = dict(UnitVersion.objects.at(day).subtree(version.path)
                 .filter(depth__gt=version.depth).values_list("unit_id", "path"))
    top = {p: uid for uid, p in paths.items() if len(p) == cut}
    cdcs = Unit.objects.in_bulk(list(top.values()))
    return {uid: cdcs[top[p[:cut]]] for uid, p in paths.items() if p[:cut] in top}


def _party(actor: Actor, cdvc: Unit) -> None:
    day = year_end(CDVC_YEAR)
    cdcs_of = _cdcs_of(cdvc, day)
    if PartyCandidate.objects.filter(unit_id__in=list(cdcs_of),
                                     introduced_on__year=CDVC_YEAR).exists():
        return
    titled = set(TitleResult.objects.filter(year=CDVC_YEAR, title__in=PARTY_TITLES, revoked=False,
                                            person__isnull=False)
                 .values_list("person_id", flat=True))
    members = [(pid, uid) for pid, uid in
               Membership.objects.filter(alive_at(day), unit_id__in=list(cdcs_of),
                                         person__birth_date__gte=PARTY_BORN_FROM)
               .order_by("person__cccd").values_list("person_id", "unit_id")
               if pid in titled]
    if len(members) < PARTY_INTRODUCED:
        raise RuntimeError("the 2017 demo has too few outstanding members to introduce")
    rng = random.Random(SEED)
    chosen = rng.sample(members, PARTY_INTRODUCED)
    admitted = set(rng.sample(range(PARTY_INTRODUCED), PARTY_ADMITTED))
    span = (PARTY_INTRODUCED_TO - PARTY_INTRODUCED_FROM).days
    rows: dict[int, list[CandidateRow]] = defaultdict(list)
    for i, (pid, uid) in enumerate(chosen):
        introduced = PARTY_INTRODUCED_FROM + dt.timedelta(days=rng.randrange(span + 1))
        on = None
        if i in admitted:
            on = min(introduced + dt.timedelta(days=rng.randint(75, 150)), PARTY_LAST_ADMISSION)
        rows[cdcs_of[uid].pk].append(CandidateRow(
            person_id=pid, introduced_on=introduced, admitted_on=on,
            note=SAMPLE if on is not None else f"{SAMPLE}: chi bộ đang xem xét kết nạp."))
    cdcs = {u.pk: u for u in cdcs_of.values()}
    for cdcs_id in sorted(rows, key=lambda k: cdcs[k].code):
        party_candidates_save(actor=actor, unit=cdcs[cdcs_id], rows=rows[cdcs_id],
                              source="dữ liệu mẫu")


def _roster(unit: Unit, year: int) -> list[tuple[int, str, bool]]:
    """(person id, gender, is a member) of the unit's subtree on 31/12 of the year, by CCCD."""
    day = year_end(year)
    version = UnitVersion.objects.at(day).get(unit=unit)
    units = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
    members = set(Membership.objects.filter(alive_at(day), unit_id__in=units)
                  .values_list("person_id", flat=True))
    return [(pid, gender, pid in members) for pid, gender in
            Employment.objects.filter(alive_at(day), unit_id__in=units)
            .order_by("person__cccd").values_list("person_id", "person__gender")]


def _welfare(actor: Actor, hbt: Unit, year: int) -> None:
    if WelfareActivity.objects.filter(unit=hbt, year=year).exists():
        return
    roster = _roster(hbt, year)
    who = {WOMEN: [p for p, g, _ in roster if g == Gender.FEMALE],
           MEN: [p for p, g, _ in roster if g != Gender.FEMALE],
           WORKERS: [p for p, _, _ in roster],
           MEMBERS: [p for p, _, member in roster if member]}
    for plan in WELFARE:
        note = WELFARE_NOTE.format(sample=SAMPLE, amount=vn_number(plan.amount),
                                   illustrative=ILLUSTRATIVE)
        welfare_create(
            actor=actor, unit=hbt, date=plan.days[year], occasion=plan.occasion,
            funding=FundingSource.UNION, title=plan.title.format(year=year, tet=TET[year]),
            note=note, source="dữ liệu mẫu",
            beneficiaries=[BeneficiaryRow(name="", person_id=pid, amount=plan.amount)
                           for pid in who[plan.who]])


def _families(actor: Actor, hbt: Unit, year: int) -> None:
    women = [p for p, g, _ in _roster(hbt, year) if g == Gender.FEMALE]
    if not women or FamilyCultureTitle.objects.filter(unit=hbt, year=year).exists():
        return
    rng = random.Random(SEED + year)
    missing = set(rng.sample(women, int(len(women) * FAMILY_MISSING_SHARE)))
    family_titles_save(actor=actor, unit=hbt, year=year,
                       person_ids=[p for p in women if p not in missing], note=FAMILY_NOTE,
                       source="dữ liệu mẫu")


# --- what the demo prints --------------------------------------------------------------------------


def reports_text() -> str:
    """The figures of these records, read back through the selectors (Vietnamese, for the
    command's summary); empty when the seed units are missing."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[CDVC, HBT])}
    lines: list[str] = []
    cdvc = units.get(CDVC)
    if cdvc is not None:
        party = party_counts(cdvc, CDVC_YEAR, CDVC_YEAR)
        lines.append(f"{cdvc.name} — năm {CDVC_YEAR}: {vn_number(party.admitted)} đoàn viên ưu "
                     f"tú được kết nạp vào Đảng ({vn_number(party.introduced)} được giới "
                     f"thiệu trong năm, số giới thiệu là minh họa)")
        own = [t for t in targets_in_force(cdvc, TARGET_YEAR) if not t.inherited]
        if own:
            lines.append(f"  Chỉ tiêu năm {TARGET_YEAR} do {cdvc.name} đặt cho các CĐCS: "
                         f"{len(own)}")
    hbt = units.get(HBT)
    if hbt is not None:
        first, last = HBT_YEARS[0], HBT_YEARS[-1]
        welfare = welfare_counts(hbt, first, last).total
        if welfare.activities:
            lines.append(f"{hbt.name} — năm {first}, {last}: {vn_number(welfare.activities)} "
                         f"hoạt động chăm lo, {vn_number(welfare.beneficiaries)} lượt người, "
                         f"{vn_number(welfare.amount)} đồng (số tiền minh họa)")
        for year in HBT_YEARS:
            women = sum(1 for _, g, _ in _roster(hbt, year) if g == Gender.FEMALE)
            families = family_title_count(hbt, year)
            if women and families:
                share = vn_number(round(families * 100 / women, 1), 1)
                lines.append(f"  Gia đình văn hóa năm {year}: {vn_number(families)}/"
                             f"{vn_number(women)} gia đình nữ CBCCVC, NLĐ ({share} %)")
    return "\n".join(lines)
