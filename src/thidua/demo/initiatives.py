"""The initiatives of the demo: the Hai Bà Trưng figures of the seed article, built through the
services on top of `thidua.demo.builder.demo_build` (so the demo walks the whole workflow).

Công đoàn cơ quan UBND quận Hai Bà Trưng, 2022–2023: **89** initiatives recognised at district
and city level (every one by the district's Hội đồng sáng kiến; **7** of them also recognised by
the city, among them the one-stop desk's «Ngày thứ tư tốc ký»), **16** put forward in award
dossiers (honours proposals to LĐLĐ quận, `demo.honours_hbt`). Authors come from the roster of the unit's 19 tổ công đoàn; council members are never
authors. Three 2024 applications (a draft by the member account, one submitted, one before the
council) show the workflow in progress.

Decision numbers, dates, shares and council members are illustrative (the article gives none).
The services stamp submissions and council sittings with the time they run; the demo moves those
stamps back to the dates it tells, so the pages read as 2022–2023. Running it again changes
nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from thidua.councils.models import Choice, Council, Kind, Role
from thidua.demo.honours_hbt import hbt_award_dossiers
from thidua.demo.initiatives_data import FIELDS, INITIATIVES, ONE_STOP_TITLE
from thidua.initiatives import services
from thidua.initiatives.models import (
    Initiative,
    Level,
    Review,
    Status,
    StatusChange,
)
from thidua.initiatives.services import AuthorInput
from thidua.org.models import Unit, alive_at
from thidua.people.models import Employment, Person, by_name
from thidua.platform.actor import Actor

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 2022_2023
HBT = "CD-UBND-HBT"
COUNCIL_NAME = "Hội đồng sáng kiến quận Hai Bà Trưng năm {year}"
DISTRICT_ISSUER = "Chủ tịch UBND quận Hai Bà Trưng"
CITY_ISSUER = "Chủ tịch UBND thành phố Hà Nội"
ADDRESSEE = "Hội đồng sáng kiến quận Hai Bà Trưng"
CONDITIONS = ("Cán bộ, công chức được hướng dẫn quy trình mới; máy tính kết nối mạng nội bộ và "
              "các phần mềm dùng chung sẵn có của quận.")
DOSSIERS = 16
ROSTER_DAY = D(2023, 6, 30)

# (role, position shown in the council, tổ the member is taken from)
COUNCIL_SEATS = [
    (Role.CHU_TICH, "Phó Chủ tịch UBND quận", 1),
    (Role.PHO_CHU_TICH, "Chánh Văn phòng HĐND và UBND quận", 1),
    (Role.THU_KY, "Chuyên viên Phòng Nội vụ", 5),
    (Role.DAI_DIEN_CD, "Chủ tịch Công đoàn cơ quan UBND quận", 1),
    (Role.CHUYEN_GIA, "Trưởng phòng Tư pháp", 3),
    (Role.UY_VIEN, "Trưởng phòng Tài chính – Kế hoạch", 2),
    (Role.UY_VIEN, "Trưởng phòng Quản lý đô thị", 11),
]
SHARES = [[100], [60, 40], [50, 30, 20], [70, 30], [100], [40, 35, 25]]
SCORES = [(26, 34, 27), (28, 36, 26), (27, 37, 28), (25, 33, 25), (29, 38, 27), (26, 35, 26),
          (28, 34, 28)]


@dataclass
class _Ctx:
    actor: Actor
    rng: random.Random
    groups: list[Unit]
    roster: dict[int, list[Person]]  # tổ unit id → people on its roster
    councils: dict[int, Council]
    taken: set[int]  # council members: never authors


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def demo_initiatives(*, actor: Actor) -> None:
    """Build the initiatives of CD-UBND-HBT (after demo_build); a second run changes nothing."""
    unit = Unit.objects.filter(code=HBT).first()
    if unit is None:
        raise RuntimeError(f"{HBT} is missing: run thidua.demo.builder.demo_build first")
    if Council.objects.filter(unit=unit, kind=Kind.INITIATIVE,
                              name=COUNCIL_NAME.format(year=2022)).exists():
        return
    with transaction.atomic():
        ctx = _context(actor, unit)
        seats = _seats(ctx)
        for year in (2022, 2023, 2024):
            ctx.councils[year] = _council(ctx, unit, year, seats)
        _recognised(ctx)
        _in_progress(ctx)


def _context(actor: Actor, unit: Unit) -> _Ctx:
    groups = list(Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
                  .order_by("code"))
    if len(groups) != len(INITIATIVES):
        raise RuntimeError(f"{HBT} has {len(groups)} tổ công đoàn, the demo expects "
                           f"{len(INITIATIVES)}")
    roster: dict[int, list[Person]] = {g.pk: [] for g in groups}
    for e in (Employment.objects.filter(alive_at(ROSTER_DAY), unit__in=groups)
              .select_related("person").order_by("unit_id", *by_name("person__"))):
        roster[e.unit_id].append(e.person)
    return _Ctx(actor, random.Random(SEED), groups, roster, {}, set())


def _seats(ctx: _Ctx) -> list[Person]:
    """The council's members, the same people every year: the last ones of their tổ's roster
    (never the member account), kept out of the authors."""
    people = []
    for _, _, group_no in COUNCIL_SEATS:
        pool = [p for p in ctx.roster[ctx.groups[group_no - 1].pk]
                if p.user_id is None and p.pk not in ctx.taken]
        ctx.taken.add(pool[-1].pk)
        people.append(pool[-1])
    return people


def _council(ctx: _Ctx, unit: Unit, year: int, seats: list[Person]) -> Council:
    council = services.council_create(
        actor=ctx.actor, unit=unit, year=year, name=COUNCIL_NAME.format(year=year),
        level=Level.HUYEN, decision_no=f"{15 + year % 10}/QĐ-UBND",
        established_on=D(year, 3, 10))
    for (role, position, _), person in zip(COUNCIL_SEATS, seats, strict=True):
        services.council_member_add(actor=ctx.actor, council=council, role=role, person=person,
                                    position=position)
    return council


def _authors(ctx: _Ctx, group: Unit, n: int) -> list[AuthorInput]:
    shares = {1: [100], 2: ctx.rng.choice([[60, 40], [70, 30], [50, 50]]),
              3: ctx.rng.choice([[50, 30, 20], [40, 35, 25], [34, 33, 33]])}[n]
    pool = [p for p in ctx.roster[group.pk] if p.pk not in ctx.taken and p.user_id is None]
    return [AuthorInput(person_id=p.pk, contribution=Decimal(s))
            for p, s in zip(ctx.rng.sample(pool, n), shares, strict=True)]


def _recognised(ctx: _Ctx) -> None:
    """The 89 of 2022–2023: submitted, judged by the district council, recognised; 7 by the city
    too; 16 put forward in award dossiers."""
    member = Person.objects.filter(user__username="doanvien").first()
    entries = [(g, e) for g, group in zip(ctx.groups, INITIATIVES, strict=True) for e in group]
    city = [i for i, (_, e) in enumerate(entries) if e[0].endswith("*")]
    district_dossiers = ctx.rng.sample([i for i in range(len(entries)) if i not in city],
                                       DOSSIERS - len(city))
    dossiers = set(city) | set(district_dossiers)
    serial = {2022: 0, 2023: 0}
    put_forward: list[tuple[Initiative, int]] = []
    for i, (group, (title, kind, description, benefit, vnd)) in enumerate(entries):
        year = 2022 if i % 2 == 0 else 2023
        serial[year] += 1
        is_city = i in city
        title = title.rstrip("*")
        authors = _authors(ctx, group, ctx.rng.choice([1, 1, 2, 2, 3]))
        if member is not None and title == ONE_STOP_TITLE:
            # the member account co-wrote the one-stop desk's initiative (their own page shows it)
            authors = [AuthorInput(person_id=member.pk, contribution=Decimal(40)),
                       *[AuthorInput(person_id=a.person_id, contribution=Decimal(30))
                         for a in _authors(ctx, group, 2)]]
        applied = D(year - 1, 9, 1) + dt.timedelta(days=(i * 7) % 200)
        submitted_on = D(year, 4, 1) + dt.timedelta(days=(i * 3) % 120)
        ini = services.initiative_create(
            actor=ctx.actor, unit=group, year=year, authors=authors, title=title, kind=kind,
            field=FIELDS[ctx.groups.index(group)], description=description,
            benefit_author=benefit, benefit_expected_vnd=vnd, first_applied_on=applied,
            conditions=CONDITIONS, addressee=ADDRESSEE,
            benefit_others=("Các phòng, ban và người dân tham gia áp dụng thử đánh giá giải pháp "
                            "dễ làm, tiết kiệm thời gian."))
        services.initiative_transition(actor=ctx.actor, initiative=ini, to=Status.SUBMITTED)
        meeting = D(year, 10, 20 + i % 8)
        council = ctx.councils[year]
        review = services.review_open(actor=ctx.actor, council=council, initiative=ini,
                                      meeting_date=meeting)
        members = list(council.members.order_by("order"))
        against = {members[-1].pk} if i % 5 == 3 else set()
        services.votes_record(
            actor=ctx.actor, review=review,
            votes={m.pk: Choice.KHONG_DONG_Y if m.pk in against else Choice.DONG_Y
                   for m in members},
            in_writing={members[-2].pk} if i % 4 == 1 else ())
        if i in dossiers:
            criteria = list(council.criteria.all())
            for m, pts in zip(members, SCORES, strict=True):
                services.scores_record(actor=ctx.actor, review=review, member=m,
                                       points={c.pk: p for c, p in zip(criteria, pts,
                                                                          strict=True)})
        services.review_close(actor=ctx.actor, review=review, meeting_date=meeting)
        decided = D(year, 11, 25)
        services.recognition_create(
            actor=ctx.actor, initiative=ini, level=Level.HUYEN, decided_on=decided,
            decision_no=f"{3120 + year % 10 * 100}/QĐ-UBND", issuer=DISTRICT_ISSUER,
            certificate_no=f"{serial[year]:03d}/GCN-SK-HBT-{year}",
            scope_note="Áp dụng có hiệu quả tại các phòng, ban, đơn vị thuộc UBND quận.")
        if is_city:
            services.recognition_create(
                actor=ctx.actor, initiative=ini, level=Level.TINH, decided_on=D(year, 12, 22),
                decision_no=f"{6800 + year % 10 * 10 + i % 10}/QĐ-UBND", issuer=CITY_ISSUER,
                certificate_no=f"SK-TP-{year}-{ini.pk:04d}",
                scope_note="Sáng kiến có phạm vi ảnh hưởng, hiệu quả áp dụng cấp thành phố.")
        if i in dossiers:
            put_forward.append((ini, year))
        _backdate(ini, review, submitted_on, meeting, decided)
    # the award dossiers are honours proposals, which record each initiative's use
    hbt_award_dossiers(actor=ctx.actor, dossiers=put_forward)


def _backdate(ini: Initiative, review: Review | None, submitted_on: dt.date, meeting: dt.date,
              decided: dt.date | None) -> None:
    Initiative.objects.filter(pk=ini.pk).update(submitted_at=_at(submitted_on))
    stamps: dict[str, dt.datetime] = {Status.SUBMITTED: _at(submitted_on), Status.UNDER_REVIEW: _at(meeting - dt.timedelta(
        days=14)), Status.RECOGNIZED: _at(decided or meeting, 15)}
    for change in StatusChange.objects.filter(initiative=ini):
        if change.to_status in stamps:
            StatusChange.objects.filter(pk=change.pk).update(at=stamps[change.to_status])
    if review is not None:
        Review.objects.filter(pk=review.pk).update(
            opened_at=_at(meeting - dt.timedelta(days=14)),
            closed_at=_at(meeting, 11) if decided else None)


def _in_progress(ctx: _Ctx) -> None:
    """2024: one application before the council, one submitted, and a draft of the member."""
    office, one_stop = ctx.groups[0], ctx.groups[3]
    council = ctx.councils[2024]
    before = services.initiative_create(
        actor=ctx.actor, unit=one_stop, year=2024, authors=_authors(ctx, one_stop, 2),
        title="Trợ lý ảo trả lời câu hỏi về thủ tục hành chính trên trang thông tin của quận",
        kind="ung_dung", field=FIELDS[3], addressee=ADDRESSEE, conditions=CONDITIONS,
        first_applied_on=D(2024, 3, 1),
        description=("Người dân hỏi lặp lại nhiều câu về hồ sơ, lệ phí, thời hạn giải quyết thủ "
                     "tục hành chính. Sáng kiến xây dựng trợ lý ảo trên trang thông tin của quận, "
                     "trả lời theo bộ thủ tục hành chính đã công bố, chuyển câu hỏi khó cho công "
                     "chức bộ phận «một cửa»."),
        benefit_author="Giảm khoảng 30% cuộc gọi hỏi đáp tới bộ phận «một cửa».")
    services.initiative_transition(actor=ctx.actor, initiative=before, to=Status.SUBMITTED)
    review = services.review_open(actor=ctx.actor, council=council, initiative=before,
                                  meeting_date=D(2024, 10, 24))
    members = list(council.members.order_by("order"))
    services.votes_record(actor=ctx.actor, review=review,
                          votes={m.pk: Choice.DONG_Y for m in members[:4]})
    criteria = list(council.criteria.all())
    for m, pts in zip(members[:4], SCORES, strict=False):
        services.scores_record(actor=ctx.actor, review=review, member=m,
                               points={c.pk: p for c, p in zip(criteria, pts, strict=True)})
    _backdate(before, review, D(2024, 5, 6), D(2024, 10, 24), None)

    waiting = services.initiative_create(
        actor=ctx.actor, unit=ctx.groups[11], year=2024, authors=_authors(ctx, ctx.groups[11], 1),
        title="Nhắc hạn nộp thuế khoán cho hộ kinh doanh qua tin nhắn", kind="ung_dung",
        field=FIELDS[11], addressee=ADDRESSEE, first_applied_on=D(2024, 7, 1),
        description=("Nhiều hộ kinh doanh nộp thuế khoán chậm vì quên hạn. Sáng kiến gửi tin nhắn "
                     "nhắc hạn trước 5 ngày, kèm mã QR nộp thuế điện tử."),
        benefit_author="Dự kiến giảm 50% số hộ nộp chậm.")
    services.initiative_transition(actor=ctx.actor, initiative=waiting, to=Status.SUBMITTED)
    _backdate(waiting, None, D(2024, 9, 12), D(2024, 9, 12), None)

    member = Person.objects.filter(user__username="doanvien").first()
    if member is not None:
        services.initiative_create(
            actor=ctx.actor, unit=office, year=2024,
            authors=[AuthorInput(person_id=member.pk, contribution=Decimal(100))],
            title="Mẫu công văn điện tử có sẵn trích yếu và nơi nhận theo từng loại việc",
            kind="tac_nghiep", field=FIELDS[0], addressee=ADDRESSEE,
            description=("Soạn công văn mất thời gian gõ lại trích yếu, nơi nhận. Sáng kiến xây "
                         "dựng bộ mẫu công văn điện tử cho 20 loại việc thường gặp."),
            benefit_author="Rút ngắn thời gian soạn một công văn khoảng 10 phút.")

