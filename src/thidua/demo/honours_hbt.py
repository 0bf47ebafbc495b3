"""«16 sáng kiến, sáng tạo được đề nghị làm hồ sơ khen thưởng» (Công đoàn cơ quan UBND quận Hai
Bà Trưng, 2022–2023), as real proposals: each year the CĐCS proposes the Giấy khen of LĐLĐ quận
Hai Bà Trưng (its level above) for the authors of that year's initiatives put forward, one
candidate per initiative with the initiative as its basis (its first author not yet on the list,
else the tổ công đoàn where it was made); LĐLĐ quận's council votes and its decision follows in
January. Each initiative's use for a commendation is recorded with the proposal as reference
(Công văn 5007/BNV-TĐKT: one initiative, one commendation).

Called by `demo.initiatives` at the point where it chose the 16 (the honours services refuse an
initiative whose commendation use is already recorded, so the proposal comes first)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth import get_user_model

from thidua.councils.models import Role
from thidua.councils.services import BallotIn
from thidua.demo.builder import PeopleGenerator
from thidua.demo.honours import backdate
from thidua.honours import services
from thidua.honours.models import Proposal
from thidua.initiatives import services as initiatives
from thidua.initiatives.models import Initiative, UseKind
from thidua.org.models import Unit
from thidua.platform.actor import Actor

D = dt.date
HBT, QUAN = "CD-UBND-HBT", "LDLD-HBT"
FORM = "GK_CAP_TREN"
SEED = 2022_0016
SEATS = [(Role.CHU_TICH, "Chủ tịch LĐLĐ quận"), (Role.PHO_CHU_TICH, "Phó Chủ tịch LĐLĐ quận"),
         (Role.THU_KY, "Trưởng ban Tuyên giáo – Nữ công"), (Role.UY_VIEN, "Trưởng ban Tổ chức"),
         (Role.UY_VIEN, "Chủ nhiệm Ủy ban Kiểm tra")]


def hbt_award_dossiers(*, actor: Actor, dossiers: Sequence[tuple[Initiative, int]]) -> None:
    """`dossiers`: (initiative, year) of the recognised initiatives put forward for awards."""
    units = {u.code: u for u in Unit.objects.filter(code__in=[HBT, QUAN])}
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["canbo.cdcs", "canbo.quan"])}
    sender, officer = users.get("canbo.cdcs", actor), users.get("canbo.quan", actor)
    gen = PeopleGenerator(SEED)
    chair = gen.name(female=False)
    for year in sorted({y for _, y in dossiers}):
        mine = [ini for ini, y in dossiers if y == year]
        p = services.proposal_create(
            actor=sender, unit=units[HBT], recipient=units[QUAN], year=year, kind="chuyen_de",
            form=FORM, topic=f"Phong trào thi đua «Sáng kiến, sáng tạo» năm {year}",
            title=f"Đề nghị tặng Giấy khen của LĐLĐ quận Hai Bà Trưng cho tác giả sáng kiến, "
                  f"sáng tạo năm {year}",
            signer_name=gen.name(female=True), signer_title="Chủ tịch Công đoàn cơ quan")
        _candidates(sender, p, mine, year)
        council = services.honours_council_create(
            actor=officer, unit=units[QUAN], year=year,
            name=f"Hội đồng Thi đua – Khen thưởng LĐLĐ quận Hai Bà Trưng năm {year}",
            decision_no=f"{7 + year % 10}/QĐ-LĐLĐ", established_on=D(year, 2, 15),
            meeting_date=D(year + 1, 1, 6), meeting_place="Trụ sở LĐLĐ quận Hai Bà Trưng")
        for i, (role, position) in enumerate(SEATS):
            services.honours_council_member_add(actor=officer, council=council, role=role,
                                                full_name=chair if i == 0 else
                                                gen.name(female=i % 2 == 0), position=position)
        services.proposal_step(actor=sender, proposal=p, action="submit")
        services.proposal_step(actor=officer, proposal=p, action="receive")
        services.proposal_council_set(actor=officer, proposal=p, council=council)
        services.proposal_step(actor=officer, proposal=p, action="review")
        members = list(council.members.order_by("order", "pk"))
        services.proposal_votes_record(actor=officer, proposal=p, ballots=[
            BallotIn(c.subject_id, m.pk, "dong_y")
            for c in p.candidates.order_by("order", "pk") if c.subject_id is not None
            for m in members])
        services.proposal_step(actor=officer, proposal=p, action="close_vote")
        decided = D(year + 1, 1, 12)
        services.decision_issue(
            actor=officer, issuer=units[QUAN], proposals=[p],
            signed=services.Signed(decided, chair, "Chủ tịch", "Hà Nội"),
            title=f"Về việc tặng Giấy khen cho tác giả sáng kiến, sáng tạo năm {year}",
            basis="Căn cứ kết quả công nhận sáng kiến của Hội đồng sáng kiến quận Hai Bà Trưng; "
                  "xét đề nghị của Hội đồng Thi đua – Khen thưởng LĐLĐ quận.")
        backdate({p.pk: {"submit": D(year, 12, 26), "receive": D(year, 12, 28),
                         "review": D(year + 1, 1, 6), "close_vote": D(year + 1, 1, 6),
                         "decide": decided}})


def _candidates(actor: Actor, proposal: Proposal, inis: list[Initiative], year: int) -> None:
    people: set[int] = set()
    units: set[int] = set()
    for ini in inis:
        authors = [a.person for a in ini.authors.select_related("person").order_by("order")
                   if a.person is not None]
        person = next((a for a in authors if a.pk not in people), None)
        achievement = (f"Tác giả sáng kiến «{ini.title}», được Hội đồng sáng kiến quận công "
                       f"nhận năm {year}, áp dụng có hiệu quả tại cơ quan.")
        if person is not None:
            people.add(person.pk)
            services.candidate_add(actor=actor, proposal=proposal, person=person,
                                   initiative=ini, achievement=achievement)
        elif ini.unit_id not in units:
            units.add(ini.unit_id)
            services.candidate_add(actor=actor, proposal=proposal, subject_unit=ini.unit,
                                   initiative=ini, achievement=achievement.replace(
                                       "Tác giả", "Tập thể tác giả"))
        else:
            raise RuntimeError(f"no candidate left for the initiative «{ini.title}»")
        initiatives.initiative_use_record(
            actor=actor, initiative=ini, kind=UseKind.COMMENDATION, year=year,
            reference=f"{proposal.title} (Công đoàn cơ quan UBND quận)"[:255], person=person)
