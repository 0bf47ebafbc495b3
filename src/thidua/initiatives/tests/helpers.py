"""Builders for the initiative tests: everything goes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from thidua.councils.models import Council, Role
from thidua.initiatives import services
from thidua.initiatives.models import Initiative, Level, Status
from thidua.initiatives.services import AuthorInput
from thidua.people.models import Person
from thidua.testing import World, make_person

D = dt.date

DESCRIPTION = (
    "Trước đây hồ sơ chứng thực bản sao được ghi sổ bằng tay, mỗi ngày mất nhiều giờ đối chiếu. "
    "Sáng kiến xây dựng sổ chứng thực điện tử trên bảng tính dùng chung, tự đánh số và tra cứu "
    "theo tên người yêu cầu, rút ngắn thời gian trả kết quả."
)


def application(**over: Any) -> dict[str, Any]:
    data = {
        "title": "Sổ chứng thực điện tử tại bộ phận một cửa",
        "field": "Cải cách hành chính",
        "kind": "tac_nghiep",
        "description": DESCRIPTION,
        "first_applied_on": D(2023, 3, 1),
        "benefit_author": "Rút ngắn thời gian trả kết quả từ 2 ngày xuống 4 giờ.",
        "benefit_expected_vnd": "120.000.000",
    }
    data.update(over)
    return data


def new_initiative(world: World, *, actor: Any = None, unit: Any = None, year: int = 2023,
                   authors: list[AuthorInput] | None = None, **fields: Any) -> Initiative:
    return services.initiative_create(
        actor=actor or world.officer_cdcs, unit=unit or world.cdcs_a, year=year,
        authors=authors if authors is not None else [
            AuthorInput(person_id=world.member.pk, contribution=Decimal("100"))],
        **application(**fields))


def submitted(world: World, **kw: Any) -> Initiative:
    ini = new_initiative(world, **kw)
    return services.initiative_transition(actor=kw.get("actor") or world.officer_cdcs,
                                          initiative=ini, to=Status.SUBMITTED)


def council(world: World, *, size: int = 3, level: str = Level.CO_SO, unit: Any = None,
            actor: Any = None, year: int = 2023) -> tuple[Council, list[Person]]:
    """A council of `size` members: a chair, the union representative, then ordinary members."""
    unit = unit or world.cdcs_a
    actor = actor or world.officer_cdcs
    c = services.council_create(actor=actor, unit=unit, year=year, name=f"Hội đồng sáng kiến {year}",
                                level=level, decision_no="12/QĐ-CĐ")
    people = []
    roles = [Role.CHU_TICH, Role.DAI_DIEN_CD, Role.THU_KY]
    for i in range(size):
        p = make_person(unit, f"Thành Viên Số {i + 1}", birth=D(1975, 1, 1 + i), actor=world.admin)
        people.append(p)
        services.council_member_add(actor=actor, council=c, person=p,
                                    role=roles[i] if i < len(roles) else Role.UY_VIEN)
    return c, people


def vote(world: World, review: Any, n_for: int, n_against: int = 0) -> None:
    members = list(review.council.members.order_by("order"))
    votes = {}
    for i, m in enumerate(members):
        if i < n_for:
            votes[m.pk] = "dong_y"
        elif i < n_for + n_against:
            votes[m.pk] = "khong_dong_y"
    services.votes_record(actor=world.officer_cdcs, review=review, votes=votes)


def recognised(world: World, **kw: Any) -> Initiative:
    """An initiative recognised at cơ sở level by a 3-member council, unanimously."""
    ini = submitted(world, **kw)
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 3)
    services.review_close(actor=world.officer_cdcs, review=review)
    services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                decided_on=D(2023, 11, 20), decision_no="45/QĐ-STP",
                                issuer="Giám đốc Sở Tư pháp")
    ini.refresh_from_db()
    return ini


def outside_initiative(world: World) -> Initiative:
    """An initiative in the branch of the tree the test users do not reach."""
    stranger = make_person(world.cdcs_c, "Lý Văn Ngoài", actor=world.admin)
    return services.initiative_create(
        actor=world.outsider, unit=world.cdcs_c, year=2023,
        authors=[AuthorInput(person_id=stranger.pk, contribution=100)],
        title="Sáng kiến của quận", field="Hành chính", kind="quan_ly",
        description="Một sáng kiến ở nhánh khác của cây tổ chức.")


def form_data(world: World, **over: Any) -> dict[str, Any]:
    """The application form as the page posts it: two authors (60 / 40) and one participant."""
    data = {
        "don_vi": "CDCS-A", "year": "2024", "title": "Phiếu hẹn điện tử qua tin nhắn",
        "kind": "tac_nghiep", "field": "Cải cách hành chính", "first_applied_on": "01/03/2024",
        "description": "Gửi phiếu hẹn trả kết quả qua tin nhắn thay cho phiếu giấy.",
        "benefit_expected_vnd": "15.000.000",
        "tac_gia-TOTAL_FORMS": "2", "tac_gia-INITIAL_FORMS": "0",
        "tac_gia-MIN_NUM_FORMS": "0", "tac_gia-MAX_NUM_FORMS": "50",
        "tac_gia-0-person": str(world.member.pk), "tac_gia-0-contribution": "60",
        "tac_gia-1-full_name": "Nguyễn Văn Cộng", "tac_gia-1-birth_date": "02/09/1988",
        "tac_gia-1-contribution": "40",
        "ap_dung-TOTAL_FORMS": "1", "ap_dung-INITIAL_FORMS": "0",
        "ap_dung-MIN_NUM_FORMS": "0", "ap_dung-MAX_NUM_FORMS": "100",
        "ap_dung-0-full_name": "Lê Thị Thử", "ap_dung-0-task": "Gửi tin nhắn thử",
    }
    data.update(over)
    return data
