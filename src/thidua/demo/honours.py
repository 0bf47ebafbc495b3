"""The 2017 awards of the Hà Nội article, made through the honours workflow (proposal → receiving
level's council → vote → decision, or forward to the level above), after the 2017 titles exist
(`thidua.demo.evaluation`).

«… 01 tập thể được Tổng Liên đoàn Lao động Việt Nam tặng Bằng khen; 9 tập thể, cá nhân được
Công đoàn Viên chức Việt Nam tặng Bằng khen; 13 tập thể, cá nhân được Liên đoàn Lao động TP Hà
Nội tặng Bằng khen và Cờ thi đua xuất sắc; 138 tập thể, cá nhân được Công đoàn Viên chức thành
phố tặng Giấy khen.» (Công đoàn Viên chức thành phố Hà Nội, tổng kết năm 2017)

- 138 Giấy khen of CĐVC thành phố: each CĐCS sends its CSTĐ cơ sở of 2017 (from the titles, in
  bulk), itself when it was rated at least «hoàn thành tốt», and, where needed to reach the
  article's count, its tổ công đoàn; the council of CĐVC thành phố turns down two tổ; one decision.
- 13 of LĐLĐ thành phố, 9 of CĐVC Việt Nam (over the award line CĐVC HN → CĐVC VN): proposals of
  CĐVC thành phố with the strongest CĐCS and CSTĐ cơ sở (who are then not on the Giấy khen list:
  one achievement, one award). One of LĐLĐ thành phố's two Cờ thi đua xuất sắc comes from its
  Cụm thi đua số 4 instead (`demo.clusters`, run before this step): CĐVC thành phố leads the
  cluster, the cluster meeting puts it forward (suy tôn), and LĐLĐ thành phố's draft proposal
  goes through LĐLĐ's council and into the same Cờ decision as CĐVC's own proposal for one
  CĐCS. Without the clusters (a demo built without that step) both Cờ are CĐVC's proposals:
  the total stays 13 either way.
- 1 Bằng khen of TLĐ: proposed by CĐVC thành phố to LĐLĐ thành phố, voted there and forwarded,
  voted and decided by TLĐ.

The article gives no names, numbers or dates: people, councils, signers and decision numbers are
generated (numbers come from each issuer's sequence); decisions are dated January 2018. The
services stamp submissions with the day they run; as in `demo.initiatives`, the steps' stamps
are then moved back to the dates the demo tells. The receiving levels' 2017 deadlines are set
after the submissions: the workflow checks them against today's date. Running it again changes
nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from thidua.clusters.models import Nomination
from thidua.councils.models import Council, Kind, Role
from thidua.councils.services import BallotIn
from thidua.demo.builder import PeopleGenerator
from thidua.evaluation.models import RatingCode, TitleResult, UnitRating
from thidua.honours import services
from thidua.honours.models import Candidate, Proposal, ProposalStatus
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.models import TransitionEvent

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2017
SEED = 2017_0138
PLACE = "Hà Nội"
CDVC, LDLD, CDVC_VN, TLD = "CDVC-HN", "LDLD-HN", "CDVC-VN", "TLD"
GK, BK, CO_XS, BK_TLD = "GK_CAP_TREN", "BK_LDLD", "CO_TD_XS_LDLD", "BK_TLD_TOAN_DIEN"
GK_AWARDS, GK_TURNED_DOWN = 138, 2
# The article counts «13 tập thể, cá nhân … Bằng khen và Cờ thi đua xuất sắc» of LĐLĐ thành phố
# together. The Cờ thi đua xuất sắc goes to collectives only and to few of them (the leading
# units of an emulation bloc), so the demo gives 2 Cờ and 11 Bằng khen (4 collectives, 7
# people); the split is ours, not the article's.
LDLD_COLLECTIVES, LDLD_PEOPLE, LDLD_FLAGS = 4, 7, 2
CLUSTER_SENT = D(2017, 12, 18)  # LĐLĐ's officer submits the clusters' suy tôn to its council
CDVC_VN_COLLECTIVES, CDVC_VN_PEOPLE = 3, 6  # «9 tập thể, cá nhân»
UPPER_PEOPLE = LDLD_PEOPLE + CDVC_VN_PEOPLE
COUNCIL_MARK = "Hội đồng Thi đua – Khen thưởng {name} năm 2017"

# The officer acting for each level (demo.builder.ACCOUNTS); the CĐCS have no accounts in the
# demo: their proposals are entered by the administrator from their paper dossiers.
OFFICERS = {CDVC: "canbo.cdvc", LDLD: "canbo.ldld", CDVC_VN: "canbo.cdvcvn", TLD: "canbo.tld"}

SEATS = {
    CDVC: [(Role.CHU_TICH, "Chủ tịch Công đoàn Viên chức thành phố"),
           (Role.PHO_CHU_TICH, "Phó Chủ tịch Công đoàn Viên chức thành phố"),
           (Role.THU_KY, "Trưởng ban Tổ chức – Kiểm tra"),
           (Role.UY_VIEN, "Ủy viên Ban Thường vụ"), (Role.UY_VIEN, "Ủy viên Ban Thường vụ"),
           (Role.UY_VIEN, "Trưởng ban Tuyên giáo – Nữ công"),
           (Role.UY_VIEN, "Chánh Văn phòng")],
    LDLD: [(Role.CHU_TICH, "Chủ tịch LĐLĐ thành phố"),
           (Role.PHO_CHU_TICH, "Phó Chủ tịch Thường trực LĐLĐ thành phố"),
           (Role.THU_KY, "Trưởng ban Tuyên giáo, phụ trách thi đua – khen thưởng"),
           (Role.UY_VIEN, "Phó Chủ tịch LĐLĐ thành phố"),
           (Role.UY_VIEN, "Trưởng ban Tổ chức"), (Role.UY_VIEN, "Chánh Văn phòng"),
           (Role.UY_VIEN, "Chủ nhiệm Ủy ban Kiểm tra"),
           (Role.UY_VIEN, "Trưởng ban Chính sách – Pháp luật"),
           (Role.UY_VIEN, "Trưởng ban Nữ công")],
    CDVC_VN: [(Role.CHU_TICH, "Chủ tịch Công đoàn Viên chức Việt Nam"),
              (Role.PHO_CHU_TICH, "Phó Chủ tịch Công đoàn Viên chức Việt Nam"),
              (Role.THU_KY, "Trưởng ban Tuyên giáo – Thi đua"),
              (Role.UY_VIEN, "Trưởng ban Tổ chức"), (Role.UY_VIEN, "Chánh Văn phòng"),
              (Role.UY_VIEN, "Trưởng ban Chính sách – Pháp luật"),
              (Role.UY_VIEN, "Trưởng ban Nữ công")],
    TLD: [(Role.CHU_TICH, "Phó Chủ tịch Tổng Liên đoàn, Chủ tịch Hội đồng"),
          (Role.PHO_CHU_TICH, "Trưởng ban Tuyên giáo"),
          (Role.THU_KY, "Phó Trưởng ban Tuyên giáo, phụ trách thi đua – khen thưởng"),
          (Role.UY_VIEN, "Trưởng ban Tổ chức"), (Role.UY_VIEN, "Chánh Văn phòng"),
          (Role.UY_VIEN, "Trưởng ban Chính sách – Pháp luật"),
          (Role.UY_VIEN, "Trưởng ban Nữ công"), (Role.UY_VIEN, "Trưởng ban Tài chính"),
          (Role.UY_VIEN, "Chủ nhiệm Ủy ban Kiểm tra")],
}
# (council set up, meeting, decision signed, signer's title)
CALENDAR = {
    CDVC: (D(2017, 3, 1), D(2018, 1, 5), D(2018, 1, 12), "Chủ tịch"),
    LDLD: (D(2017, 2, 20), D(2018, 1, 9), D(2018, 1, 26), "Phó Chủ tịch Thường trực"),
    CDVC_VN: (D(2017, 2, 15), D(2018, 1, 10), D(2018, 1, 19), "Chủ tịch"),
    TLD: (D(2017, 1, 20), D(2018, 1, 24), D(2018, 2, 2), "Phó Chủ tịch"),
}
COUNCIL_DECISIONS = {CDVC: 18, LDLD: 35, CDVC_VN: 21, TLD: 142}
DEADLINES = {CDVC: D(2017, 12, 15), LDLD: D(2017, 12, 22), CDVC_VN: D(2017, 12, 22),
             TLD: D(2018, 1, 20)}
BASIS = ("Căn cứ Luật Thi đua, Khen thưởng; Quy chế khen thưởng của tổ chức Công đoàn; "
         "xét đề nghị của Hội đồng Thi đua – Khen thưởng.")


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


@dataclass
class _Ctx:
    admin: Actor
    officers: dict[str, Actor]
    units: dict[str, Unit]
    gen: PeopleGenerator
    stamps: dict[int, dict[str, dt.date]] = field(default_factory=dict)
    signers: dict[str, str] = field(default_factory=dict)


def demo_honours(*, actor: Actor) -> None:
    """Build the 2017 awards (after demo_evaluation); a second run changes nothing."""
    cdvc = Unit.objects.filter(code=CDVC).first()
    if cdvc is None or Council.objects.filter(
            unit=cdvc, kind=Kind.HONOURS, year=YEAR,
            name=COUNCIL_MARK.format(name="Công đoàn Viên chức thành phố Hà Nội")).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=list(OFFICERS.values()))}
    ctx = _Ctx(admin=actor, officers={code: users.get(name, actor)
                                      for code, name in OFFICERS.items()},
               units={u.code: u for u in Unit.objects.filter(
                   code__in=[CDVC, LDLD, CDVC_VN, TLD])},
               gen=PeopleGenerator(SEED))
    with transaction.atomic():
        councils = {code: _council(ctx, code) for code in (CDVC, LDLD, CDVC_VN, TLD)}
        from_clusters = cluster_flags(cdvc)
        flags = LDLD_FLAGS - sum(p.candidates.count() for p in from_clusters)
        upper_units, upper_people, gk_plan = _plan(cdvc, flags)
        _giay_khen(ctx, councils[CDVC], gk_plan)
        _upper(ctx, councils, upper_units, upper_people, flags, from_clusters)
        for code, last_day in DEADLINES.items():
            services.deadline_set(actor=ctx.officers[code], recipient=ctx.units[code], year=YEAR,
                                  kind="nam", last_day=last_day,
                                  note="Hạn nộp hồ sơ đề nghị khen thưởng tổng kết năm 2017")
        backdate(ctx.stamps)


# ---------------------------------------------------------------------------------------------
# Who gets what: decided from the 2017 titles and ratings before anything is written.


@dataclass
class _GkProposal:
    cdcs: Unit
    reserved: set[int]  # CSTĐ cơ sở proposed higher up: removed from this list
    collectives: list[Unit]
    people: int  # CSTĐ cơ sở left on it


def cluster_flags(cdvc: Unit) -> list[Proposal]:
    """LĐLĐ thành phố's draft proposals of its Cờ thi đua xuất sắc made by its 2017 clusters'
    suy tôn (`clusters.services.suy_ton.put_forward`) for units of CĐVC thành phố: the article
    counts these among its 13. The clusters' other proposals (Bằng khen, units outside CĐVC
    thành phố) are outside the article's figures and stay drafts."""
    passed = Nomination.objects.filter(
        cluster__issuer__code=LDLD, cluster__year=YEAR, passed=True, form=CO_XS,
        membership__unit__path__startswith=cdvc.path, proposal__status=ProposalStatus.DRAFT)
    return list(Proposal.objects.filter(pk__in=passed.values("proposal_id")).order_by("pk"))


def _plan(cdvc: Unit, flags: int) -> tuple[list[Unit], list[Person], list[_GkProposal]]:
    cdcs = list(Unit.objects.filter(path__startswith=cdvc.path, depth=cdvc.depth + 1,
                                    type="cdcs").order_by("code"))
    rating = dict(UnitRating.objects.filter(year=YEAR, unit__in=cdcs)
                  .values_list("unit_id", "code"))
    excellent = [u for u in cdcs if rating.get(u.pk) == RatingCode.HTXSNV]
    n_upper = 1 + flags + LDLD_COLLECTIVES + CDVC_VN_COLLECTIVES
    if len(excellent) < n_upper:
        raise RuntimeError("the 2017 demo needs more CĐCS rated «hoàn thành xuất sắc»")
    upper_units = excellent[:n_upper]
    holders: dict[int, list[TitleResult]] = defaultdict(list)
    for r in (TitleResult.objects.filter(year=YEAR, title="CSTDCS", revoked=False,
                                         person__isnull=False, unit__in=cdcs)
              .select_related("person").order_by("person__cccd")):
        holders[r.unit_id].append(r)
    # the CSTĐ cơ sở of as many CĐCS as possible go higher: one per CĐCS, in code order
    upper_people: list[Person] = []
    for u in cdcs:
        first = holders[u.pk][0].person if holders[u.pk] else None
        if first is not None and len(upper_people) < UPPER_PEOPLE:
            upper_people.append(first)
    reserved = {p.pk for p in upper_people}
    people = sum(1 for rows in holders.values() for r in rows if r.person_id not in reserved)
    wanted = GK_AWARDS + GK_TURNED_DOWN - people
    taken = {u.pk for u in upper_units}
    good = [u for u in cdcs if u.pk not in taken
            and rating.get(u.pk) in (RatingCode.HTXSNV, RatingCode.HTTNV)]
    groups = list(Unit.objects.filter(path__startswith=cdvc.path, depth=cdvc.depth + 2,
                                      type="to_cd").order_by("code"))
    collectives = (good + groups)[:wanted]
    if len(collectives) < wanted:
        raise RuntimeError("the 2017 demo has too few collectives for 138 Giấy khen")
    chosen = {u.pk for u in collectives}
    plan = []
    for u in cdcs:
        mine = [c for c in collectives if c.pk == u.pk or
                (c.pk in chosen and c.path.startswith(u.path) and c.pk != u.pk)]
        left = sum(1 for r in holders[u.pk] if r.person_id not in reserved)
        if mine or left:
            plan.append(_GkProposal(u, reserved & {r.person_id for r in holders[u.pk]},
                                    mine, left))
    return upper_units, upper_people, plan


# ---------------------------------------------------------------------------------------------
# Councils, proposals, votes, decisions.


def _council(ctx: _Ctx, code: str) -> Council:
    unit = ctx.units[code]
    established, meeting, _, _ = CALENDAR[code]
    council = services.honours_council_create(
        actor=ctx.officers[code], unit=unit, year=YEAR, name=COUNCIL_MARK.format(name=unit.name),
        decision_no=f"{COUNCIL_DECISIONS[code]}/QĐ-{_symbol(unit)}", established_on=established,
        meeting_date=meeting, meeting_place=f"Trụ sở {unit.name}")
    for i, (role, position) in enumerate(SEATS[code]):
        services.honours_council_member_add(
            actor=ctx.officers[code], council=council, role=role,
            full_name=ctx.gen.name(female=i % 3 == 2), position=position)
    return council


def _symbol(unit: Unit) -> str:
    return {"tld": "TLĐ", "ldld_tinh": "LĐLĐ", "cd_nganh_tw": "CĐVC"}.get(unit.type, "CĐVC")


def _signed(ctx: _Ctx, code: str) -> services.Signed:
    """The same signer for every decision of an issuer."""
    _, _, day, title = CALENDAR[code]
    if code not in ctx.signers:
        ctx.signers[code] = ctx.gen.name(female=False)
    return services.Signed(day, ctx.signers[code], title, PLACE)


def _stamp(ctx: _Ctx, proposal: Proposal, **days: dt.date) -> None:
    ctx.stamps.setdefault(proposal.pk, {}).update(days)


def _through_council(ctx: _Ctx, proposal: Proposal, council: Council, *,
                     against: frozenset[int] | set[int] = frozenset(), submitted: dt.date,
                     sender: Actor | None = None) -> None:
    """Submit, receive, put to the council, every member votes (candidates in `against`: most
    vote against), close the vote."""
    code = proposal.recipient.code
    officer = ctx.officers[code]
    services.proposal_step(actor=sender or ctx.admin, proposal=proposal, action="submit")
    services.proposal_step(actor=officer, proposal=proposal, action="receive")
    services.proposal_council_set(actor=officer, proposal=proposal, council=council)
    services.proposal_step(actor=officer, proposal=proposal, action="review")
    members = list(council.members.order_by("order", "pk"))
    ballots = []
    for c in proposal.candidates.order_by("order", "pk"):
        assert c.subject_id is not None
        for i, m in enumerate(members):
            no = c.pk in against and i >= 2
            ballots.append(BallotIn(c.subject_id, m.pk, "khong_dong_y" if no else "dong_y",
                                    "Thành tích chưa nổi bật so với các tập thể khác."
                                    if no else ""))
    services.proposal_votes_record(actor=officer, proposal=proposal, ballots=ballots)
    services.proposal_step(actor=officer, proposal=proposal, action="close_vote")
    meeting = CALENDAR[code][1]
    _stamp(ctx, proposal, submit=submitted, receive=submitted + dt.timedelta(days=2),
           review=meeting, close_vote=meeting)


def _achievement_unit(unit: Unit) -> str:
    return (f"Đã có thành tích xuất sắc trong phong trào thi đua và xây dựng tổ chức Công đoàn "
            f"năm {YEAR}; {unit.name} được xếp loại hoàn thành tốt nhiệm vụ trở lên.")


def _giay_khen(ctx: _Ctx, council: Council, plan: list[_GkProposal]) -> None:
    cdvc = ctx.units[CDVC]
    proposals = []
    turned_down: set[int] = set()
    for n, item in enumerate(plan):
        p = services.proposal_create(
            actor=ctx.admin, unit=item.cdcs, recipient=cdvc, year=YEAR, kind="nam", form=GK,
            title=f"Đề nghị tặng Giấy khen của Công đoàn Viên chức thành phố năm {YEAR}",
            signer_name=ctx.gen.name(female=n % 2 == 0), signer_title="Chủ tịch Công đoàn")
        if item.people or item.reserved:
            services.candidates_from_titles(
                actor=ctx.admin, proposal=p, titles=["CSTDCS"],
                achievement=f"Đạt danh hiệu Chiến sĩ thi đua cơ sở năm {YEAR}; hoàn thành "
                            "xuất sắc nhiệm vụ được giao.")
            for c in Candidate.objects.filter(proposal=p, person_id__in=item.reserved):
                services.candidate_remove(actor=ctx.admin, candidate=c)
        for unit in item.collectives:
            c = services.candidate_add(actor=ctx.admin, proposal=p, subject_unit=unit,
                                       achievement=_achievement_unit(unit))
            if unit.type == "to_cd" and len(turned_down) < GK_TURNED_DOWN and n % 7 == 3:
                turned_down.add(c.pk)
        proposals.append(p)
    if len(turned_down) < GK_TURNED_DOWN:  # the plan's last tổ, if the spread missed them
        extra = (Candidate.objects.filter(proposal__in=proposals, subject_unit__type="to_cd")
                 .exclude(pk__in=turned_down).order_by("-pk"))
        turned_down |= set(extra.values_list("pk", flat=True)[:GK_TURNED_DOWN - len(turned_down)])
    for n, p in enumerate(proposals):
        _through_council(ctx, p, council, against=turned_down,
                         submitted=D(2017, 12, 4) + dt.timedelta(days=n % 10))
    decision = services.decision_issue(
        actor=ctx.officers[CDVC], issuer=cdvc, proposals=proposals, signed=_signed(ctx, CDVC),
        title=f"Về việc tặng Giấy khen cho các tập thể, cá nhân có thành tích xuất sắc trong "
              f"phong trào thi đua năm {YEAR}", basis=BASIS)
    for p in proposals:
        _stamp(ctx, p, decide=decision.date)
    if decision.awards.count() != GK_AWARDS:
        raise RuntimeError(f"the demo's Giấy khen decision has {decision.awards.count()} awards, "
                           f"the article {GK_AWARDS}")


def _proposal(ctx: _Ctx, recipient: str, form: str, units: list[Unit], people: list[Person],
              title: str) -> Proposal:
    cdvc = ctx.units[CDVC]
    p = services.proposal_create(actor=ctx.officers[CDVC], unit=cdvc,
                                 recipient=ctx.units[recipient], year=YEAR, kind="nam",
                                 form=form, title=title, signer_name=ctx.gen.name(female=False),
                                 signer_title="Chủ tịch")
    for u in units:
        services.candidate_add(actor=ctx.officers[CDVC], proposal=p, subject_unit=u,
                               achievement=_achievement_unit(u))
    for person in people:
        services.candidate_add(
            actor=ctx.officers[CDVC], proposal=p, person=person, basis_title="CSTDCS",
            achievement=f"Chiến sĩ thi đua cơ sở năm {YEAR}; có sáng kiến được công nhận, "
                        "hoàn thành xuất sắc nhiệm vụ, tích cực trong hoạt động Công đoàn.")
    return p


def _decide(ctx: _Ctx, code: str, proposals: list[Proposal], title: str) -> None:
    decision = services.decision_issue(actor=ctx.officers[code], issuer=ctx.units[code],
                                       proposals=proposals, signed=_signed(ctx, code),
                                       title=title, basis=BASIS)
    for p in proposals:
        _stamp(ctx, p, decide=decision.date)


def _upper(ctx: _Ctx, councils: dict[str, Council], units: list[Unit], people: list[Person],
           n_flags: int, from_clusters: list[Proposal]) -> None:
    tld_unit, flags = units[0], units[1:1 + n_flags]
    ldld_units = units[1 + n_flags:1 + n_flags + LDLD_COLLECTIVES]
    vn_units = units[1 + n_flags + LDLD_COLLECTIVES:]
    sent = D(2017, 12, 20)
    bk = _proposal(ctx, LDLD, BK, ldld_units, people[:LDLD_PEOPLE],
                   f"Đề nghị tặng Bằng khen của Ban Chấp hành LĐLĐ thành phố năm {YEAR}")
    co = [_proposal(ctx, LDLD, CO_XS, flags, [],
                    f"Đề nghị tặng Cờ thi đua xuất sắc của LĐLĐ thành phố năm {YEAR}")
          ] if flags else []
    to_tld = _proposal(ctx, LDLD, BK_TLD, [tld_unit], [],
                       f"Đề nghị LĐLĐ thành phố trình Tổng Liên đoàn tặng Bằng khen năm {YEAR}")
    vn = _proposal(ctx, CDVC_VN, BK, vn_units, people[LDLD_PEOPLE:],
                   f"Đề nghị tặng Bằng khen của Công đoàn Viên chức Việt Nam năm {YEAR}")
    sender = ctx.officers[CDVC]
    for p in (bk, *co, to_tld):
        _through_council(ctx, p, councils[LDLD], submitted=sent, sender=sender)
    for p in from_clusters:  # LĐLĐ's own draft: its officer submits it to its council
        _through_council(ctx, p, councils[LDLD], submitted=CLUSTER_SENT,
                         sender=ctx.officers[LDLD])
    _through_council(ctx, vn, councils[CDVC_VN], submitted=sent, sender=sender)
    _decide(ctx, LDLD, [bk], f"Về việc tặng Bằng khen cho các tập thể, cá nhân có thành tích "
                             f"xuất sắc trong phong trào thi đua năm {YEAR}")
    _decide(ctx, LDLD, [*co, *from_clusters], f"Về việc tặng Cờ thi đua xuất sắc năm {YEAR}")
    _decide(ctx, CDVC_VN, [vn], f"Về việc tặng Bằng khen cho các tập thể, cá nhân thuộc Công "
                                f"đoàn Viên chức thành phố Hà Nội năm {YEAR}")
    forwarded = CALENDAR[LDLD][1] + dt.timedelta(days=3)
    upper = services.proposal_forward(
        actor=ctx.officers[LDLD], proposal=to_tld, recipient=ctx.units[TLD],
        title=f"Đề nghị tặng Bằng khen của Ban Chấp hành Tổng Liên đoàn năm {YEAR}")
    _stamp(ctx, to_tld, forward=forwarded)
    _through_council(ctx, upper, councils[TLD], submitted=forwarded,
                     sender=ctx.officers[LDLD])
    _decide(ctx, TLD, [upper], f"Về việc tặng Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao "
                               f"động Việt Nam năm {YEAR}")


def backdate(stamps: dict[int, dict[str, dt.date]]) -> None:
    """Move the steps' time stamps back to the days the demo tells (see the module's note)."""
    ct = ContentType.objects.get_for_model(Proposal)
    by_step: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for pk, days in stamps.items():
        for action, day in days.items():
            by_step[(action, day)].append(str(pk))
    for (action, day), ids in by_step.items():
        TransitionEvent.objects.filter(content_type=ct, workflow="proposal", action=action,
                                       object_id__in=ids).update(at=_at(day))
        if action == "submit":
            Proposal.objects.filter(pk__in=[int(i) for i in ids]).update(submitted_on=day)
