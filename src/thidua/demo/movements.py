"""Movements, plans and registrations of the demo, from the seed articles, built through the
services (so the demo proves the workflow). Call after `thidua.demo.builder.demo_build`.

- CĐVC thành phố Hà Nội, 2017: the plan for «Năm Kỷ cương hành chính 2017» reaches 100 % of its
  65 CĐCS, each acknowledges and launches it; every CĐCS (and tổ) registers at least 2 concrete
  commitments and every member at least 1, most members Lao động tiên tiến, some Chiến sĩ thi đua
  cơ sở, and they sign the two codes of conduct the article names.
- Công đoàn cơ quan UBND quận Hai Bà Trưng, 2023: «Lao động giỏi», «Sáng kiến, sáng tạo» and
  «Sửa đổi lề lối làm việc» deployed to its 19 tổ công đoàn, all of them launching them
  (19/19); its 393 members register, the women «Giỏi việc nước, đảm việc nhà».

The plan numbers, dates and the deadlines are illustrative (the articles give none for these
documents); the rest is as the articles say. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from thidua.movements.models import Movement, Plan, RegistrationRule, Source
from thidua.movements.services import (
    Mode,
    RegistrationInput,
    deployment_acknowledge,
    deployment_launch,
    movement_create,
    plan_create,
    plan_deploy,
    registration_rule_set,
    registrations_bulk_create,
)
from thidua.org.models import Unit, UnitType, UnitVersion, alive_at
from thidua.people.models import Gender, Membership
from thidua.platform.actor import Actor

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 2017_2023

CODES_OF_CONDUCT = [
    "Quy tắc ứng xử của cán bộ, công chức, viên chức, người lao động làm việc trong các cơ quan "
    "thuộc thành phố Hà Nội",
    "Quy tắc ứng xử nơi công cộng trên địa bàn thành phố Hà Nội",
]

UNIT_COMMITMENTS_2017 = [
    "Niêm yết công khai thủ tục hành chính, giải quyết hồ sơ đúng hẹn",
    "Thực hiện nghiêm giờ làm việc, không đi muộn, về sớm",
    "Tổ chức hội thi tìm hiểu Bộ quy tắc ứng xử của CBCCVCLĐ",
    "100% đoàn viên ký cam kết thực hiện Quy tắc ứng xử",
    "Xây dựng công sở xanh – sạch – đẹp, văn minh",
    "Thực hành tiết kiệm, chống lãng phí trong sử dụng điện, nước, văn phòng phẩm",
    "Đăng ký ít nhất một sáng kiến cải tiến thủ tục hành chính",
]
MEMBER_COMMITMENTS_2017 = [
    "Không đi muộn, về sớm; không làm việc riêng trong giờ làm việc",
    "Giải quyết hồ sơ, công việc được giao đúng hạn, không để tồn đọng",
    "Thái độ văn minh, lịch sự khi tiếp công dân và giao tiếp qua điện thoại",
    "Mặc trang phục công sở, đeo thẻ công chức, viên chức khi làm việc",
    "Không hút thuốc lá, không uống rượu bia trong giờ làm việc",
    "Tiết kiệm điện, nước, văn phòng phẩm tại phòng làm việc",
    "Tự học nâng cao trình độ chuyên môn, tin học, ngoại ngữ",
    "Tham gia đầy đủ các hoạt động của Công đoàn cơ sở",
]
UNIT_COMMITMENTS_2023 = [
    "100% CBCCVC, NLĐ hoàn thành nhiệm vụ được giao đúng hạn",
    "Đề xuất ít nhất một sáng kiến, giải pháp cải tiến trong năm",
    "Rút ngắn thời gian giải quyết thủ tục hành chính so với quy định",
    "Tổ chức sinh hoạt tổ công đoàn đều đặn hằng tháng",
    "Không có đoàn viên vi phạm kỷ luật, kỷ cương hành chính",
]
MEMBER_COMMITMENTS_2023 = [
    "Hoàn thành xuất sắc nhiệm vụ chuyên môn được giao",
    "Đề xuất ít nhất một sáng kiến, cải tiến trong công việc",
    "Tự học nâng cao trình độ chuyên môn, nghiệp vụ",
    "Thực hiện nghiêm kỷ luật, kỷ cương hành chính, văn hóa công sở",
    "Nâng cao chất lượng phục vụ người dân, doanh nghiệp",
    "Tích cực tham gia các phong trào thi đua do Công đoàn phát động",
]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _movement(actor: Actor, issuer: Unit, code: str, **fields: Any) -> Movement:
    found = Movement.objects.filter(issuer=issuer, code=code).first()
    return found or movement_create(actor=actor, issuer=issuer, code=code, **fields)


def _plan(actor: Actor, issuer: Unit, *, number: str, date: dt.date, year: int, title: str,
          movements: list[Movement], deadline: dt.date, levels: list[str]) -> Plan:
    plan = Plan.objects.filter(issuer=issuer, year=year, number=number).first()
    if plan is None:
        plan = plan_create(actor=actor, issuer=issuer, number=number, date=date, title=title,
                           movements=movements, deadline=deadline, year=year)
    if not plan.deployments.exists():
        plan_deploy(actor=actor, plan=plan, levels=levels, day=date)
    deployments = list(plan.deployments.select_related("unit").order_by("unit__path"))
    for i, dep in enumerate(deployments):
        if dep.acknowledged_at is None:
            received = date + dt.timedelta(days=1 + i % 3)
            dep = deployment_acknowledge(actor=actor, deployment=dep, at=_at(received))
        if dep.launched_at is None:
            launched = date + dt.timedelta(days=4 + i % 10)
            deployment_launch(actor=actor, deployment=dep, launched_on=launched,
                              at=_at(launched, 15))
    return plan


def _rule(actor: Actor, issuer: Unit, year: int, **fields: Any) -> None:
    if not RegistrationRule.objects.filter(issuer=issuer, year=year).exists():
        registration_rule_set(actor=actor, issuer=issuer, year=year, **fields)


def _subtree(unit: Unit, day: dt.date) -> tuple[list[UnitVersion], list[tuple[int, str]]]:
    """Versions of the units strictly below `unit` at `day`, and its members then (by CCCD
    order, so the random choices below fall the same way on every database)."""
    version = UnitVersion.objects.at(day).get(unit=unit)
    below = list(UnitVersion.objects.at(day).filter(path__startswith=version.path,
                                                    depth__gt=version.depth)
                 .select_related("unit").order_by("path"))
    ids = [unit.pk, *(v.unit_id for v in below)]
    members: list[tuple[int, str]] = list(
        Membership.objects.filter(alive_at(day), unit_id__in=ids)
        .order_by("person__cccd").values_list("person_id", "person__gender"))
    return below, members


def _picks(rng: random.Random, pool: list[str], low: int, high: int) -> list[str]:
    return rng.sample(pool, rng.randint(low, high))


def _register(actor: Actor, unit: Unit, year: int, rows: list[RegistrationInput],
              on: dt.date) -> None:
    result = registrations_bulk_create(actor=actor, unit=unit, year=year, rows=rows,
                                       mode=Mode.MERGE, registered_on=on, source=Source.DEMO)
    if result.errors or not result.written:
        # generated rows are valid by construction: a refusal is a bug, not a user error
        raise RuntimeError(f"demo registrations of {unit.code} {year} were refused: "
                           f"{[str(e) for e in result.errors[:3]]}")


def _cdvc_2017(actor: Actor, rng: random.Random) -> None:
    cdvc = Unit.objects.get(code="CDVC-HN")
    year, day = 2017, D(2017, 3, 1)
    movement = _movement(
        actor, cdvc, "NKCHC-2017", name="Năm Kỷ cương hành chính 2017",
        start_date=D(2017, 2, 15), end_date=D(2017, 12, 31), year=year,
        content="Thực hiện Chỉ thị số 01-CT/UBND ngày 03/02/2017 của UBND Thành phố về tổ chức "
        "thực hiện «Năm Kỷ cương hành chính 2017», gắn với «Năm vì lợi ích đoàn viên Công đoàn» "
        "(Kế hoạch số 04/KH-LĐLĐ ngày 20/01/2017 của LĐLĐ Thành phố): CBCCVCLĐ ký cam kết thực "
        "hiện Quy tắc ứng xử; mỗi CĐCS, công đoàn bộ phận, tổ công đoàn đăng ký ít nhất 2 việc "
        "làm cụ thể, mỗi đoàn viên ít nhất 1 việc làm cụ thể.")
    _plan(actor, cdvc, number="01/KH-CĐVC", date=D(2017, 2, 15), year=year,
          title="Kế hoạch thực hiện «Năm Kỷ cương hành chính 2017» và «Năm vì lợi ích đoàn viên "
          "Công đoàn»", movements=[movement], deadline=D(2017, 3, 15), levels=[UnitType.CDCS])
    _rule(actor, cdvc, year, deadline=D(2017, 3, 31), min_commitments_unit=2,
          min_commitments_member=1, pledges=CODES_OF_CONDUCT,
          note="Theo kế hoạch thực hiện «Năm Kỷ cương hành chính 2017» của CĐVC Thành phố.")
    below, members = _subtree(cdvc, day)
    rows: list[RegistrationInput] = []
    for n, v in enumerate(below, 1):
        if v.unit.type == UnitType.CDCS:
            # the union's grading only: TTLĐTT and TTLĐXS belong to the agency's collectives
            # and are decided by its head (Luật 06/2022 Điều 80), not to the CĐCS; the draw is
            # kept so that the rest of the generated data stays as it was
            rng.random()
            titles = ["CDCS_VUNG_MANH"]
        else:
            titles = ["TO_CD_VUNG_MANH"]
        rows.append(RegistrationInput(unit_id=v.unit_id, titles=titles,
                                      commitments=_picks(rng, UNIT_COMMITMENTS_2017, 2, 3),
                                      row=n, label=v.name))
    for n, (pid, gender) in enumerate(members, len(rows) + 1):
        titles = ["LDTT"] if rng.random() < 0.92 else []
        if titles and rng.random() < 0.1:
            titles.append("CSTDCS")
        if gender == Gender.FEMALE and rng.random() < 0.9:
            titles.append("GVNDVN")
        rows.append(RegistrationInput(person_id=pid, titles=titles,
                                      commitments=_picks(rng, MEMBER_COMMITMENTS_2017, 1, 2),
                                      pledges=CODES_OF_CONDUCT, row=n))
    _register(actor, cdvc, year, rows, D(2017, 3, 10))


def _hbt(actor: Actor, rng: random.Random, year: int) -> None:
    """Công đoàn cơ quan UBND quận Hai Bà Trưng, one year (2022 and 2023: the article speaks of
    both). TTLĐTT and TTLĐXS are titles of the agency's departments, decided by the agency head
    (Luật 06/2022 Điều 80), not of the CĐCS — each tổ CĐ here is the union group of one phòng,
    ban or đơn vị, and registers TTLĐTT for its department."""
    cq = Unit.objects.get(code="CD-UBND-HBT")
    day = D(year, 1, 20)
    movements = [
        _movement(actor, cq, f"{code}-{year}", catalogue_code=code, start_date=D(year, 1, 1),
                  end_date=D(year, 12, 31), year=year)
        for code in ("LDG", "SKST", "SDLLLV")
    ]
    _plan(actor, cq, number="01/KH-CĐCQ", date=D(year, 1, 10), year=year,
          title="Kế hoạch phát động phong trào thi đua «Lao động giỏi», «Sáng kiến, sáng tạo», "
          f"«Sửa đổi lề lối làm việc» năm {year}", movements=movements,
          deadline=D(year, 2, 15), levels=[UnitType.TO_CD])
    _rule(actor, cq, year, deadline=D(year, 1, 31), min_commitments_unit=2,
          min_commitments_member=1)
    below, members = _subtree(cq, day)
    # from 2019 the union grades its CĐCS and tổ CĐ by score sheet on the labels of HD 1294/HD-TLĐ
    # (nothing to register); the CĐCS registers its commitments
    rows = [RegistrationInput(unit_id=cq.pk, titles=[],
                              commitments=UNIT_COMMITMENTS_2023[:3], row=1, label=cq.name)]
    for v in below:
        rows.append(RegistrationInput(unit_id=v.unit_id, titles=["TTLDTT"],
                                      commitments=_picks(rng, UNIT_COMMITMENTS_2023, 2, 3),
                                      row=len(rows) + 1, label=v.name))
    for pid, gender in members:
        titles = ["LDTT"]
        if rng.random() < 0.12:
            titles.append("CSTDCS")
        if gender == Gender.FEMALE:
            titles.append("GVNDVN")
        rows.append(RegistrationInput(person_id=pid, titles=titles,
                                      commitments=_picks(rng, MEMBER_COMMITMENTS_2023, 1, 2),
                                      row=len(rows) + 1))
    _register(actor, cq, year, rows, day)


def demo_movements(*, actor: Actor) -> None:
    """Build (or complete) the movements, plans and registrations of the demo; idempotent."""
    rng = random.Random(SEED)
    with transaction.atomic():
        _cdvc_2017(actor, rng)
        _hbt(actor, rng, 2023)
        # its own generator: adding 2022 leaves the 2017 and 2023 draws as they were
        _hbt(actor, random.Random(SEED + 2022), 2022)
