"""Ratings, titles and reviews of the demo, built through the services. Call after
`thidua.demo.builder.demo_build` and `thidua.demo.movements.demo_movements` (registrations).

- CĐVC thành phố Hà Nội, 2017: every one of its 10.159 workers is rated (most «hoàn thành tốt»,
  about 15 % «xuất sắc», a few «hoàn thành»); some outstanding people have an initiative
  recognised; the rules engine decides the titles (LĐTT, and CSTĐ cơ sở within the 15 % quota of
  NĐ 91/2017); the CĐCS are graded by the union (TTLĐTT and TTLĐXS are the agencies' titles,
  decided by their heads, and are not recorded for a CĐCS); the year is then locked.
- Công đoàn cơ quan UBND quận Hai Bà Trưng, 2022: held on paper and entered afterwards, then
  locked.
- Công đoàn cơ quan UBND quận Hai Bà Trưng, 2023: its people are rated, its initiatives
  recorded (among them the one-stop desk's «Ngày thứ tư tốc ký», recognised by the city), and
  a full review is held: the engine's list, the officer's adjustments with reasons, a council
  of seven (one absent, counted in the total), the votes and the results — more than 97 % of
  its women reach «Giỏi việc nước, đảm việc nhà», as the article says.

The ratings are drawn from a fixed seed over people sorted by CCCD, so every run and every
database gives the same data. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from thidua.councils.models import Role
from thidua.evaluation import services
from thidua.evaluation.engine import quota_limit
from thidua.evaluation.facts import _default_initiatives, build_person_facts
from thidua.evaluation.models import (
    DecidedBy,
    EvaluationSetting,
    InitiativeLevel,
    Rating,
    RatingCode,
    Review,
    ReviewStatus,
    UnitRating,
    YearLock,
    year_end,
)
from thidua.evaluation.services.settings import setting_set
from thidua.org.models import Unit, UnitVersion, alive_at
from thidua.people.models import Employment, Membership, Person
from thidua.platform.actor import Actor

SEED = 2017_2023_12
CDVC, CDVC_YEAR = "CDVC-HN", 2017
HBT, HBT_YEAR = "CD-UBND-HBT", 2023

INITIATIVES = [
    "Số hóa quy trình tiếp nhận và trả kết quả hồ sơ",
    "Cải tiến mẫu biểu báo cáo thống kê hằng tháng",
    "Ứng dụng bảng tính theo dõi tiến độ công việc của phòng",
    "Sắp xếp lại kho lưu trữ hồ sơ theo mã vạch",
    "Quy trình phối hợp giải quyết đơn thư giữa các bộ phận",
    "Tổ chức lớp bồi dưỡng tin học văn phòng cho viên chức",
    "Mô hình «Nhóm Zalo hỗ trợ người dân» tại bộ phận một cửa",
    "Giải pháp tiết kiệm điện tại trụ sở cơ quan",
]
CITY_INITIATIVE = "«Ngày thứ tư tốc ký» tại bộ phận một cửa"


def _roster(unit: Unit, year: int) -> list[tuple[int, str, str, int]]:
    """(person id, gender, CCCD, home unit id) of the unit's subtree on 31/12, by CCCD."""
    day = year_end(year)
    version = UnitVersion.objects.at(day).get(unit=unit)
    units = UnitVersion.objects.at(day).subtree(version.path).values("unit_id")
    return [(pid, gender, cccd or "", uid) for pid, gender, cccd, uid in
            Employment.objects.filter(alive_at(day), unit_id__in=units)
            .order_by("person__cccd")
            .values_list("person_id", "person__gender", "person__cccd", "unit_id")]


def _recognised_elsewhere(rows: list[tuple[int, str, str, int]], year: int) -> bool:
    """The initiatives app's demo may already hold this roster's recognised initiatives; the
    stand-in records of this app are then not needed (and would count them twice)."""
    return bool(_default_initiatives(person_ids=[r[0] for r in rows], years=[year]))


def _rating(rng: random.Random, female: bool, share_xs: float, share_ht: float
            ) -> tuple[str, int, int]:
    """(rating, days absent besides maternity, maternity days)."""
    roll = rng.random()
    if roll < share_xs:
        code = RatingCode.HTXSNV
    elif roll < 1 - share_ht:
        code = RatingCode.HTTNV
    else:
        code = RatingCode.HTNV
    absent = rng.choice([0, 0, 0, 1, 2, 3, 5, 7, 10])
    if rng.random() < 0.006:
        absent = rng.randint(40, 70)  # a long sick leave: no title that year
    maternity = rng.randint(120, 180) if female and rng.random() < 0.04 else 0
    return code, absent, maternity


def _by_cdcs(cdvc: Unit, rows: list[tuple[int, str, str, int]], year: int
             ) -> dict[int, list[tuple[int, str, str, int]]]:
    """The roster split by the CĐCS directly under CĐVC Hà Nội (tổ included in their CĐCS)."""
    day = year_end(year)
    version = UnitVersion.objects.at(day).get(unit=cdvc)
    paths = dict(UnitVersion.objects.at(day).subtree(version.path)
                 .values_list("unit_id", "path"))
    top = {p: uid for uid, p in paths.items() if len(p) == len(version.path) + Unit.steplen}
    out: dict[int, list[tuple[int, str, str, int]]] = defaultdict(list)
    for row in rows:
        path = paths[row[3]]
        out[top[path[:len(version.path) + Unit.steplen]]].append(row)
    return out


def _cdvc_2017(actor: Actor) -> None:
    cdvc = Unit.objects.get(code=CDVC)
    year = CDVC_YEAR
    if YearLock.objects.filter(unit=cdvc, year=year).exists():
        return
    rng = random.Random(SEED)
    groups = _by_cdcs(cdvc, _roster(cdvc, year), year)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(groups))}
    for uid in sorted(groups, key=lambda u: units[u].code):
        unit = units[uid]
        rows: list[services.RatingRow] = []
        initiatives: list[tuple[int, str, str, str]] = []
        for pid, gender, _cccd, _home in groups[uid]:
            code, absent, maternity = _rating(rng, gender == "nu", 0.15, 0.035)
            rows.append(services.RatingRow(person_id=pid, code=code, absence_days=absent,
                                           maternity_days=maternity,
                                           family_ok=True if gender == "nu" else None))
            if code == RatingCode.HTXSNV and rng.random() < 0.5:
                initiatives.append((pid, InitiativeLevel.CO_SO.value, rng.choice(INITIATIVES),
                                    f"Quyết định công nhận sáng kiến năm {year} của "
                                    f"{unit.name} (dữ liệu mẫu)"))
        services.ratings_save(actor=actor, unit=unit, year=year, rows=rows, source="demo")
        if initiatives and not _recognised_elsewhere(groups[uid], year):
            services.initiatives_import(actor=actor, unit=unit, year=year, rows=initiatives)
        services.results_from_engine(actor=actor, unit=unit, year=year)
        if not UnitRating.objects.filter(unit=unit, year=year).exists():
            roll = rng.random()
            code = (RatingCode.HTXSNV if roll < 0.25 else RatingCode.HTNV if roll > 0.97
                    else RatingCode.HTTNV)
            services.unit_rating_set(actor=actor, unit=unit, year=year, code=code,
                                     note="Dữ liệu mẫu")
    services.unit_results_from_engine(actor=actor, unit=cdvc, year=year)
    services.year_lock(actor=actor, unit=cdvc, year=year,
                       note="Dữ liệu mẫu: số liệu thi đua năm 2017 đã chốt.")


def _hbt_settings(actor: Actor) -> None:
    """The agency's own CSTĐ cơ sở vote share before 2024: NĐ 91/2017 Điều 45 khoản 8 leaves it
    to each council, and this one's regulation asks 80 % of all members (as NĐ 98/2023 later
    did for every body)."""
    cq = Unit.objects.get(code=HBT)
    if not EvaluationSetting.objects.filter(unit=cq, key="vote_percent_CSTDCS").exists():
        setting_set(actor=actor, unit=cq, key="vote_percent_CSTDCS", year_from=2017,
                    year_to=2023, value=80,
                    source="Quy chế làm việc của Hội đồng thi đua – khen thưởng cơ quan UBND "
                           "quận Hai Bà Trưng (dữ liệu mẫu)",
                    note="Mỗi Hội đồng tự quy định theo NĐ 91/2017/NĐ-CP, Điều 45 khoản 8.")


def _hbt_2022(actor: Actor) -> None:
    """The year before the demo's full review: held on paper, entered afterwards. Ratings, the
    engine's titles for members who registered, the «Giỏi việc nước, đảm việc nhà» of the women
    who are not members (decided by the council on paper: entered from its minutes), the tổ CĐ
    gradings and their departments' TTLĐTT, then the year is locked — «hằng năm, trên 97 % nữ
    … đạt danh hiệu Giỏi việc nước, đảm việc nhà» holds for 2022 too."""
    cq = Unit.objects.get(code=HBT)
    year = HBT_YEAR - 1
    if YearLock.objects.filter(unit=cq, year=year).exists():
        return
    rng = random.Random(SEED + year)
    roster = _roster(cq, year)
    rows: list[services.RatingRow] = []
    for pid, gender, _cccd, _home in roster:
        female = gender == "nu"
        code, absent, maternity = _rating(rng, female, 0.2, 0.012 if female else 0.03)
        # the "đảm việc nhà" half of GVNĐVN confirmed for the women (issue 8 §2)
        rows.append(services.RatingRow(person_id=pid, code=code, absence_days=absent,
                                       maternity_days=maternity,
                                       family_ok=True if female else None))
    services.ratings_save(actor=actor, unit=cq, year=year, rows=rows, source="demo")
    services.results_from_engine(actor=actor, unit=cq, year=year)
    members = set(Membership.objects.filter(alive_at(year_end(year)),
                                            person_id__in=[r[0] for r in roster])
                  .values_list("person_id", flat=True))
    good = set(Rating.objects.filter(year=year, code__in=[RatingCode.HTXSNV, RatingCode.HTTNV],
                                     person_id__in=[r[0] for r in roster])
               .values_list("person_id", flat=True))
    women = [pid for pid, gender, *_ in roster
             if gender == "nu" and pid not in members and pid in good]
    if women:
        services.results_import(
            actor=actor, unit=cq, year=year, title="GVNDVN", person_ids=women,
            how=DecidedBy.COUNCIL,
            note="Biên bản họp Hội đồng thi đua – khen thưởng năm 2022 (trên giấy): lao động "
                 "nữ chưa là đoàn viên, đăng ký với Ban Nữ công (dữ liệu mẫu).")
    for group in Unit.objects.filter(pk__in={r[3] for r in roster}).exclude(pk=cq.pk):
        if not UnitRating.objects.filter(unit=group, year=year).exists():
            services.unit_rating_set(actor=actor, unit=group, year=year,
                                     code=RatingCode.HTXSNV if rng.random() < 0.3
                                     else RatingCode.HTTNV, note="Dữ liệu mẫu")
    services.unit_results_from_engine(actor=actor, unit=cq, year=year)
    services.year_lock(actor=actor, unit=cq, year=year,
                       note="Dữ liệu mẫu: số liệu thi đua năm 2022 nhập từ hồ sơ giấy, đã chốt.")


COUNCIL = [
    (Role.CHU_TICH, "Chủ tịch Công đoàn cơ quan"),
    (Role.PHO_CHU_TICH, "Phó Chủ tịch Công đoàn cơ quan"),
    (Role.THU_KY, "Ủy viên Ban Chấp hành, phụ trách thi đua"),
    (Role.UY_VIEN, "Ủy viên Ban Chấp hành"),
    (Role.UY_VIEN, "Ủy viên Ban Chấp hành"),
    (Role.UY_VIEN, "Tổ trưởng tổ công đoàn"),
    (Role.UY_VIEN, "Tổ trưởng tổ công đoàn"),
]


def _hbt_2023(actor: Actor) -> None:
    cq = Unit.objects.get(code=HBT)
    year = HBT_YEAR
    review = Review.objects.filter(unit=cq, year=year).first()
    if review is not None and review.status == ReviewStatus.CLOSED:
        return
    rng = random.Random(SEED + year)
    roster = _roster(cq, year)
    if review is None:
        rows: list[services.RatingRow] = []
        initiatives: list[tuple[int, str, str, str]] = []
        for pid, gender, _cccd, _home in roster:
            female = gender == "nu"
            code, absent, maternity = _rating(rng, female, 0.2, 0.012 if female else 0.03)
            rows.append(services.RatingRow(person_id=pid, code=code, absence_days=absent,
                                           maternity_days=maternity,
                                           family_ok=True if female else None))
            if code == RatingCode.HTXSNV and rng.random() < 0.45:
                initiatives.append((pid, InitiativeLevel.CO_SO.value, rng.choice(INITIATIVES),
                                    "Quyết định công nhận sáng kiến của UBND quận (dữ liệu mẫu)"))
        for n, i in enumerate(range(min(4, len(initiatives)))):
            pid = initiatives[i][0]
            initiatives[i] = (pid, InitiativeLevel.TINH.value, CITY_INITIATIVE if n == 0
                              else initiatives[i][2], "Quyết định công nhận sáng kiến của "
                              "UBND Thành phố Hà Nội (dữ liệu mẫu)")
        services.ratings_save(actor=actor, unit=cq, year=year, rows=rows, source="demo")
        if not _recognised_elsewhere(roster, year):
            services.initiatives_import(actor=actor, unit=cq, year=year, rows=initiatives)
        review = services.review_open(actor=actor, unit=cq, year=year)
    if review.status == ReviewStatus.DRAFT:
        _prepare(actor, review, roster, rng)
        services.review_transition(actor=actor, review=review, to=ReviewStatus.VOTING)
    review.refresh_from_db()
    members = list(review.council.members.order_by("pk"))
    against = review.candidates.filter(included=True, title="CSTDCS").order_by("pk").first()
    if against is not None:
        # one member's doubt is enough to sink a CSTĐ cơ sở proposal at 80 % of seven
        services.votes_record(actor=actor, review=review, votes=[
            services.VoteIn(against.pk, members[3].pk, "khong_dong_y",
                            "Chưa thấy hiệu quả áp dụng của sáng kiến ngoài phòng."),
            services.VoteIn(against.pk, members[4].pk, "khong_dong_y",
                            "Đề nghị xem xét năm sau.")])
    for m in members:
        services.votes_fill(actor=actor, review=review, member=m,
                            choice="dong_y" if m.present else "vang")
    services.review_transition(actor=actor, review=review, to=ReviewStatus.CLOSED)


def _prepare(actor: Actor, review: Review, roster: list[tuple[int, str, str, int]],
             rng: random.Random) -> None:
    """The officer's part before the vote: trim a list over its quota, one adjustment with its
    reason, the council and the meeting."""
    year = review.year
    included = review.candidates.filter(included=True, person__isnull=False)
    n_ldtt = included.filter(title="LDTT").count()
    cstdcs = [(c, c.person_id) for c in included.filter(title="CSTDCS")
              if c.person_id is not None]
    limit = quota_limit("CSTDCS", n_ldtt, year)
    if limit is not None and len(cstdcs) > limit:
        facts = build_person_facts(person_ids=[pid for _, pid in cstdcs], year=year)
        cstdcs.sort(key=lambda cp: services.quota_order(facts[cp[1]], year, cp[1]))
        for c, _pid in cstdcs[limit:]:
            services.candidate_remove(
                actor=actor, candidate=c,
                reason="Vượt chỉ tiêu CSTĐ cơ sở (không quá 15% số người đạt LĐTT, NĐ 91/2017 "
                       "Điều 9 khoản 3); Hội đồng ưu tiên người có xếp loại, sáng kiến cao hơn.")
    men = included.filter(title="LDTT", person__gender="nam").order_by("pk")
    one = men[rng.randrange(men.count())] if men.exists() else None
    if one is not None:
        services.candidate_remove(
            actor=actor, candidate=one,
            reason="Tổ công đoàn đề nghị không xét: chưa thực hiện việc làm cụ thể đã đăng ký "
                   "(dữ liệu mẫu).")
    # women workers who are not members registered on paper with the women's committee: the
    # officer puts them on the «Giỏi việc nước, đảm việc nhà» list, with that reason
    listed = set(review.candidates.filter(title="GVNDVN").values_list("person_id", flat=True))
    good = set(Rating.objects.filter(year=year, code__in=[RatingCode.HTXSNV, RatingCode.HTTNV])
               .values_list("person_id", flat=True))

    for person in Person.objects.filter(
            pk__in=[pid for pid, gender, *_ in roster if gender == "nu" and pid not in listed
                    and pid in good]).order_by("cccd"):
        services.candidate_add(
            actor=actor, review=review, person=person, title="GVNDVN",
            reason="Lao động nữ chưa là đoàn viên, đã đăng ký phong trào bằng văn bản với Ban "
                   "Nữ công công đoàn cơ quan (dữ liệu mẫu).")
    if not review.council.members.exists():
        people = [pid for pid, *_ in roster][:len(COUNCIL)]
        persons = {p.pk: p for p in Person.objects.filter(pk__in=people)}
        for pid, (role, position) in zip(people, COUNCIL, strict=True):
            services.council_member_add(actor=actor, review=review, role=role,
                                        person=persons[pid], position=position)
    members = list(review.council.members.order_by("pk"))
    services.council_presence_set(actor=actor, review=review,
                                  present_ids=[m.pk for m in members[:-1]])
    services.review_meeting_set(actor=actor, review=review, meeting_date=dt.date(2023, 12, 15),
                                meeting_time=dt.time(14, 0), meeting_end_time=dt.time(16, 30),
                                meeting_place="Hội trường UBND quận Hai Bà Trưng",
                                place_name="Hà Nội")


def demo_evaluation(*, actor: Actor) -> None:
    """Build (or complete) the ratings, titles and reviews of the demo; idempotent."""
    with transaction.atomic():
        _cdvc_2017(actor)
        # 2022 first: its titles are facts of 2023 (consecutive years)
        _hbt_settings(actor)
        _hbt_2022(actor)
        _hbt_2023(actor)
