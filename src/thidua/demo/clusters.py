"""Two emulation clusters of LĐLĐ TP Hà Nội in 2017 (issue 12), made through the clusters
services after the 2017 titles and Party records exist and before the awards (`thidua.demo.year`):

- Cụm thi đua số 4: Công đoàn Viên chức thành phố Hà Nội (head in 2017) with three sector unions
  of the city; Cụm thi đua số 1: LĐLĐ quận Hai Bà Trưng (head) with three district federations.
  The union press names the clusters ("Cụm thi đua số 1 LĐLĐ Thành phố gồm 6 LĐLĐ quận: Hoàn
  Kiếm, Ba Đình, Đống Đa, Long Biên, Hai Bà Trưng và Hoàng Mai", laodongthudo.vn, 2025) but not
  their 2017 members, head, criteria or scores: the peers, their figures, the signers and the
  votes are illustrative (minh họa) and say so. The peers are units without a roster.
- The sheet follows the 2018 targets of CĐVC thành phố (shared/seeds/000: «100% công đoàn cơ sở
  phát động phong trào thi đua, … trên 75% CBCCVCLĐ đạt các danh hiệu …; trên 90% công đoàn cơ
  sở đạt vững mạnh …; có trên 200 đoàn viên ưu tú được … kết nạp vào Đảng»); CĐVC thành phố's
  own figures are the ones the system knows for 2017 (the pre-fill) and, on the lines only a
  unit can tell, what the article says of its year (the plan «Năm vì lợi ích đoàn viên» in
  100% of its CĐCS, two new contests: `ARTICLE_DECLARED`, points ours); the peers' are drawn
  from a fixed seed. CĐVC thành phố leads Cụm 4 with these figures.
- The issuer's rules are settings (no public regulation found, ADR 0023): ties broken by fewer
  penalty points then more bonus points; more than half of the delegates to pass; one unit per
  cluster for the Cờ thi đua xuất sắc, one for the Bằng khen of LĐLĐ thành phố.
- The meeting of each cluster votes; LĐLĐ thành phố turns the result into draft proposals with
  the scoring sheets attached (14/12/2017, before the January awards). Of the article's 13
  Bằng khen and Cờ thi đua xuất sắc of LĐLĐ thành phố, **one comes from the clusters: the Cờ
  thi đua xuất sắc of Công đoàn Viên chức thành phố Hà Nội, leading Cụm 4**: `demo.honours`
  (run after this step) takes that draft through LĐLĐ's council into its Cờ decision and gives
  CĐVC's own CĐCS one Cờ instead of two. The other 12 (the second Cờ, 11 Bằng khen) are CĐVC's
  proposals for its CĐCS and people. The clusters' three other proposals (Cụm 4's Bằng khen
  for a sector union, Cụm 1's Cờ and Bằng khen for district federations) stay drafts: they are
  outside the article's figures, which count CĐVC thành phố's units and people only.

Services stamp sheets with the day they run; the stamps are then moved back to December 2017,
as `demo.honours` does. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from thidua.clusters.models import Cluster, Criterion, Membership
from thidua.clusters.prefill import known_values
from thidua.clusters.services import setup, sheets, suy_ton
from thidua.councils.models import Role
from thidua.councils.services import BallotIn
from thidua.demo.builder import TRACKED_FROM, PeopleGenerator
from thidua.org.models import Unit
from thidua.org.services import unit_create
from thidua.platform.actor import Actor

D = dt.date
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2017
SEED = 2017_0412
ISSUER = "LDLD-HN"
NOTE = "Ví dụ minh họa: đơn vị cùng cụm thi đua năm 2017 (không có danh sách đoàn viên)."
EXAMPLE = "(minh họa)"
ARTICLE_000 = "Chỉ tiêu năm 2018 của CĐVC thành phố Hà Nội (báo cáo tổng kết năm 2017)"
PLACE = "Hà Nội"
RULES_SOURCE = ("Cài đặt của LĐLĐ Thành phố (dữ liệu mẫu): chưa tìm thấy quy chế cụm thi đua "
                "công khai của LĐLĐ Thành phố; cụm trưởng, giao ước, chấm điểm, suy tôn theo "
                "khái niệm của QĐ 1306/QĐ-UBND tỉnh Hòa Bình năm 2015")


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    short_name: str


CLUSTERS = {
    4: ("CDVC-HN", [Peer("CDN-GD-HN", "Công đoàn ngành Giáo dục Hà Nội", "CĐN Giáo dục HN"),
                    Peer("CDN-YT-HN", "Công đoàn ngành Y tế Hà Nội", "CĐN Y tế HN"),
                    Peer("CDN-XD-HN", "Công đoàn ngành Xây dựng Hà Nội", "CĐN Xây dựng HN")]),
    1: ("LDLD-HBT", [Peer("LDLD-HK", "Liên đoàn Lao động quận Hoàn Kiếm", "LĐLĐ quận Hoàn Kiếm"),
                     Peer("LDLD-BD", "Liên đoàn Lao động quận Ba Đình", "LĐLĐ quận Ba Đình"),
                     Peer("LDLD-DD", "Liên đoàn Lao động quận Đống Đa", "LĐLĐ quận Đống Đa")]),
}

PLEDGE = [
    "1. 100% công đoàn cơ sở phát động phong trào thi đua, đăng ký các danh hiệu thi đua.",
    "2. Trên 75% CBCCVCLĐ đạt các danh hiệu «Lao động tiên tiến», «Chiến sĩ thi đua», «Người "
    "tốt, việc tốt».",
    "3. Trên 90% công đoàn cơ sở đạt vững mạnh, không có công đoàn cơ sở xếp loại yếu.",
    "4. Giới thiệu đoàn viên ưu tú để Đảng xem xét kết nạp.",
    "5. Chăm lo, bảo vệ quyền lợi của đoàn viên; gửi báo cáo, bảng điểm đúng thời hạn.",
]

# (code, name, kind, max, parent code, target, unit label, source)
SHEET = [
    ("I", "Tổ chức các phong trào thi đua", "nhom", 50, None, None, "", ""),
    ("1", "Công đoàn cơ sở phát động phong trào thi đua", "chi_tieu", 15, "I", 100, "%",
     "cdcs_phat_dong"),
    ("2", "Công đoàn cơ sở đăng ký danh hiệu thi đua", "chi_tieu", 10, "I", 100, "%",
     "cdcs_dang_ky"),
    ("3", "CBCCVCLĐ đạt danh hiệu Lao động tiên tiến, Chiến sĩ thi đua, Người tốt, việc tốt",
     "chi_tieu", 15, "I", 75, "%", "nld_danh_hieu"),
    ("4", "Ký giao ước thi đua, gửi báo cáo đúng thời hạn", "co_khong", 10, "I", None, "", ""),
    ("II", "Xây dựng tổ chức công đoàn vững mạnh", "nhom", 30, None, None, "", ""),
    ("5", "Công đoàn cơ sở xếp loại vững mạnh", "chi_tieu", 20, "II", 90, "%",
     "cdcs_vung_manh"),
    ("6", "Đoàn viên ưu tú được kết nạp vào Đảng", "chi_tieu", 10, "II", 100, "người",
     "dang_ket_nap"),
    ("III", "Chăm lo đời sống, bảo vệ quyền lợi đoàn viên", "nhom", 20, None, None, "", ""),
    ("7", "Công tác chăm lo, hỗ trợ đoàn viên, người lao động", "tu_cham", 20, "III", None,
     "", ""),
    ("8", "Mô hình mới, cách làm hay được cấp trên ghi nhận", "thuong", 5, None, None, "", ""),
    ("9", "Chậm báo cáo, bảng điểm; vụ việc phức tạp không báo cáo kịp thời", "tru", 5, None,
     None, "", ""),
]
# a unit's own Party target (CĐVC thành phố: «trên 200»)
PARTY_TARGETS = {"CDVC-HN": 200}
# the only member whose 2017 records the demo holds: the others' figures are drawn (a zero the
# system would compute from no records is not a figure)
RECORDED = {"CDVC-HN"}
# what CĐVC thành phố declares on the lines the system cannot know, from the article (the
# points are ours; the facts the notes quote are shared/seeds/000's)
ARTICLE_DECLARED = {"CDVC-HN": {
    "4": (1, "Ký giao ước ngày 24/02/2017; báo cáo tổng kết năm 2017 gửi đúng hạn."),
    "7": (19, "«Ban Thường vụ Công đoàn Viên chức Thành phố đã xây dựng Kế hoạch thực hiện … "
              "“Năm vì lợi ích đoàn viên Công đoàn” triển khai tới 100% Công đoàn cơ sở trực "
              "thuộc» (báo cáo tổng kết năm 2017)."),
    "8": (2, "«Công đoàn Cơ quan Đảng ủy Khối các Cơ quan Thành phố tổ chức Hội thi tìm hiểu về "
             "Bộ quy tắc ứng xử …; Công đoàn Sở Tư pháp Thành phố tổ chức Hội thi “Nét đẹp công "
             "sở”» (báo cáo tổng kết năm 2017)."),
    "9": (0, "Không có vi phạm."),
}}


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def demo_clusters(*, actor: Actor) -> None:
    """The two clusters of 2017, scored, ranked, voted and put forward (after demo_reports)."""
    issuer = Unit.objects.filter(code=ISSUER).first()
    if issuer is None or Cluster.objects.filter(issuer=issuer, year=YEAR).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["canbo.ldld", "canbo.cdvc", "canbo.quan"])}
    ldld: Actor = users.get("canbo.ldld", actor)
    officers: dict[str, Actor] = {"CDVC-HN": users.get("canbo.cdvc", actor),
                                  "LDLD-HBT": users.get("canbo.quan", actor)}
    rng = random.Random(SEED)
    gen = PeopleGenerator(SEED)
    with transaction.atomic():
        setup.rules_set(actor=ldld, issuer=issuer, year=YEAR,
                        tie_breaks=["it_diem_tru", "nhieu_diem_thuong"], flag_count=1,
                        merit_count=1, source=RULES_SOURCE)
        first: Cluster | None = None
        for number, (head_code, peers) in CLUSTERS.items():
            head = Unit.objects.get(code=head_code)
            units = [head] + [_peer(actor, issuer, p) for p in peers]
            cluster = setup.cluster_create(actor=ldld, issuer=issuer, year=YEAR, number=number,
                                           pledge_text="\n".join(PLEDGE))
            for i, u in enumerate(units):
                setup.member_add(actor=ldld, cluster=cluster, unit=u,
                                 role="truong" if i == 0 else ("pho" if i == 1 else "thanh_vien"))
            if first is None:
                _sheet(ldld, cluster)
                first = cluster
            else:
                setup.criteria_copy(actor=ldld, cluster=cluster, source=first)
            _targets(ldld, cluster, rng)
            sheets.pledge_set(actor=ldld, cluster=cluster, text="\n".join(PLEDGE), place=PLACE,
                              signed_on=D(YEAR, 2, 24))
            chairs = {}
            for m in cluster.memberships.select_related("unit", "cluster"):
                who = officers.get(m.unit.code, actor)
                chairs[m.unit_id] = gen.name(female=rng.random() < 0.4)
                sheets.pledge_sign(actor=who, membership=m, signer_name=chairs[m.unit_id],
                                   signer_title="Chủ tịch", signed_on=D(YEAR, 2, 24))
                _fill(who, m, rng)
            head_actor = officers.get(head_code, actor)
            for m in cluster.memberships.select_related("unit", "cluster"):
                sheets.sheet_check(actor=head_actor, membership=m,
                                   note="Đã đối chiếu minh chứng tại hội nghị tổng kết cụm.")
            _meeting(head_actor, ldld, cluster, chairs)
        _backdate()


def _peer(actor: Actor, issuer: Unit, p: Peer) -> Unit:
    unit = Unit.objects.filter(code=p.code).first()
    return unit or unit_create(actor=actor, code=p.code, name=p.name, short_name=p.short_name,
                               type="cap_tren_co_so", parent=issuer, valid_from=TRACKED_FROM,
                               founded_on=None, note=NOTE)


def _sheet(actor: Actor, cluster: Cluster) -> None:
    made: dict[str, Criterion] = {}
    for code, name, kind, top, parent, target, label, source in SHEET:
        made[code] = setup.criterion_add(
            actor=actor, cluster=cluster, code=code, name=name, kind=kind, max_points=top,
            parent=made[parent] if parent else None, target=target, unit_label=label,
            source=source)


def _targets(actor: Actor, cluster: Cluster, rng: random.Random) -> None:
    party = cluster.criteria.get(code="6")
    for m in cluster.memberships.select_related("unit"):
        value = PARTY_TARGETS.get(m.unit.code, rng.choice([20, 25, 30, 40]))
        setup.target_set(actor=actor, criterion=party, unit=m.unit, value=value)


def _fill(actor: Actor, m: Membership, rng: random.Random) -> None:
    """The known figures where the system has them (CĐVC thành phố's CĐCS and roster), figures
    drawn from the seed elsewhere (minh họa)."""
    known = known_values(m.unit, YEAR) if m.unit.code in RECORDED else {}
    target = {t.criterion_id: t.value for t in
              m.cluster.criteria.get(code="6").targets.filter(unit=m.unit)}
    entries = []
    for c in m.cluster.criteria.exclude(kind="nhom").order_by("code"):
        value: object = known.get(c.source) if c.source else None
        note = "Số liệu hệ thống." if value is not None else f"Đơn vị tự kê khai {EXAMPLE}."
        if value is None:
            if c.kind == "chi_tieu" and c.code == "6":
                goal = target.get(c.pk, Decimal(30))
                value = int(goal * Decimal(rng.choice([0.8, 0.9, 1.0, 1.1, 1.2])))
            elif c.kind == "chi_tieu":
                assert c.target is not None
                value = min(100, round(float(c.target) * rng.uniform(0.88, 1.1), 1))
            elif c.kind == "co_khong":
                value = 1 if rng.random() < 0.85 else 0
            elif c.kind == "tu_cham":
                value = rng.choice([16, 17, 17.5, 18, 18.5, 19])
            elif c.kind == "thuong":
                value = rng.choice([0, 0, 1, 2, 3])
            else:
                value = rng.choice([0, 0, 0, 1, 2])
        declared = ARTICLE_DECLARED.get(m.unit.code, {}).get(c.code)
        if declared is not None:  # drawn above all the same: the other units' draws stay
            value, note = declared
        entries.append(sheets.Entry(c.pk, value, note))
    sheets.sheet_save(actor=actor, membership=m, entries=entries, known=known)
    sheets.sheet_submit(actor=actor, membership=m)


def _meeting(head: Actor, issuer_officer: Actor, cluster: Cluster, chairs: dict[int, str]
             ) -> None:
    members = list(cluster.memberships.select_related("unit").order_by("order"))
    delegates = [suy_ton.Delegate(chairs[m.unit_id], f"Chủ tịch {m.unit.name}",
                                  Role.CHU_TICH if i == 0 else Role.UY_VIEN)
                 for i, m in enumerate(members)]
    suy_ton.meeting_open(actor=head, cluster=cluster, meeting_date=D(YEAR, 12, 14),
                         place=f"Trụ sở {members[0].unit.name}", delegates=delegates)
    nominations = suy_ton.nominate(actor=head, cluster=cluster)
    cluster.refresh_from_db()
    assert cluster.council is not None
    seats = list(cluster.council.members.order_by("order"))
    # units level in the ranking for one form: one delegate votes against the one listed later,
    # so the meeting decides between them (illustrative votes)
    level = {n.pk for n in nominations for o in nominations
             if o.pk < n.pk and (o.form, o.rank) == (n.form, n.rank)}
    ballots = [BallotIn(n.subject_id, s.pk,
                        "khong_dong_y" if n.pk in level and s == seats[-1] else "dong_y")
               for n in nominations if n.subject_id is not None for s in seats]
    suy_ton.votes_record(actor=head, cluster=cluster, ballots=ballots)
    suy_ton.vote_close(actor=head, cluster=cluster)
    suy_ton.put_forward(actor=issuer_officer, cluster=cluster)


def _backdate() -> None:
    """The sheets were sent and checked in December 2017."""
    rows = Membership.objects.filter(cluster__year=YEAR, cluster__issuer__code=ISSUER)
    rows.update(submitted_at=_at(D(YEAR, 12, 8)), checked_at=_at(D(YEAR, 12, 12)))
