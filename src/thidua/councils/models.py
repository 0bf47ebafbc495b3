"""A council (hội đồng) of a unit: its members with their roles, what it votes on (subjects) and
the votes. One vocabulary for every kind of council:

- roles: `Role` (chu_tich, pho_chu_tich, thu_ky, uy_vien, plus the two seats an initiative council
  has by law: dai_dien_cd, chuyen_gia);
- votes: `Choice` — `dong_y` (for), `khong_dong_y` (against), `vang` (absent, no opinion). A
  member who casts nothing counts like `vang`: every threshold is a share of ALL members.

In an open ballot each member's vote is a `Vote` row. In a secret ballot (bỏ phiếu kín) who voted
how is never stored: the subject keeps only the counts the vote-counting committee announces.

The domain apps attach their things to a `Subject` (a review's candidate, an initiative under
review) with a one-to-one key, so this app imports none of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    REVIEW = "review", "Hội đồng Thi đua – Khen thưởng (bình xét)"
    INITIATIVE = "initiative", "Hội đồng sáng kiến"
    HONOURS = "honours", "Hội đồng xét khen thưởng"
    CLUSTER = "cluster", "Hội nghị cụm, khối thi đua (suy tôn)"


class Ballot(models.TextChoices):
    OPEN = "open", "Biểu quyết công khai"
    SECRET = "secret", "Bỏ phiếu kín"


class Level(models.TextChoices):
    """Where a council's decision holds (an initiative's recognition, later an award's issuer).
    Hà Nội's "Sáng kiến Thủ đô" is a city-level (tinh) honour."""

    CO_SO = "co_so", "Cấp cơ sở"
    HUYEN = "huyen", "Cấp quận, huyện"
    TINH = "tinh", "Cấp tỉnh, thành phố"
    BO_NGANH = "bo_nganh", "Cấp bộ, ngành"
    TOAN_QUOC = "toan_quoc", "Toàn quốc"


class Role(models.TextChoices):
    CHU_TICH = "chu_tich", "Chủ tịch Hội đồng"
    PHO_CHU_TICH = "pho_chu_tich", "Phó Chủ tịch Hội đồng"
    THU_KY = "thu_ky", "Thư ký Hội đồng"
    UY_VIEN = "uy_vien", "Ủy viên"
    # TT 18/2013/TT-BKHCN Art. 8: an initiative council seats the authors' union and experts
    DAI_DIEN_CD = "dai_dien_cd", "Đại diện tổ chức công đoàn của tác giả"
    CHUYEN_GIA = "chuyen_gia", "Chuyên gia"


#: The roles of a review council (the form offers these).
BASIC_ROLES = (Role.CHU_TICH, Role.PHO_CHU_TICH, Role.THU_KY, Role.UY_VIEN)
#: Roles a council has at most once.
SINGLE_ROLES = frozenset({Role.CHU_TICH, Role.THU_KY})
#: How the minutes list members: chair, deputies, members, secretary last.
ROLE_ORDER = {Role.CHU_TICH: 0, Role.PHO_CHU_TICH: 1, Role.DAI_DIEN_CD: 2, Role.CHUYEN_GIA: 2,
              Role.UY_VIEN: 2, Role.THU_KY: 3}


class Choice(models.TextChoices):
    DONG_Y = "dong_y", "Đồng ý"
    KHONG_DONG_Y = "khong_dong_y", "Không đồng ý"
    VANG = "vang", "Vắng, không có ý kiến"


class Council(models.Model):
    """A council of `unit`, for a year. `threshold_*` is the share of all members a subject needs
    when the council has one fixed threshold (an initiative council keeps the one in force when
    it was set up, so a later change of the setting does not rewrite past results); blank when
    the threshold depends on what is voted on (a review council: per title, from the rule set)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="councils")
    kind = models.CharField("loại hội đồng", max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField("năm")
    name = models.CharField("tên hội đồng", max_length=255)
    level = models.CharField("cấp công nhận", max_length=12, choices=Level.choices, blank=True)
    ballot = models.CharField("hình thức biểu quyết", max_length=8, choices=Ballot.choices,
                              default=Ballot.OPEN)
    decision_no = models.CharField("quyết định thành lập", max_length=80, blank=True)
    established_on = models.DateField("ngày thành lập", null=True, blank=True)
    meeting_date = models.DateField("ngày họp", null=True, blank=True)
    meeting_time = models.TimeField("giờ họp", null=True, blank=True)
    meeting_end_time = models.TimeField("giờ kết thúc cuộc họp", null=True, blank=True)
    meeting_place = models.CharField("địa điểm họp", max_length=255, blank=True)
    threshold_num = models.PositiveSmallIntegerField(null=True, blank=True)
    threshold_den = models.PositiveSmallIntegerField(null=True, blank=True)
    threshold_source = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hội đồng"
        verbose_name_plural = "hội đồng"
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "year", "name"],
                                    name="councils_council_unique_name"),
            models.CheckConstraint(
                condition=(Q(threshold_num__isnull=True) & Q(threshold_den__isnull=True))
                | (Q(threshold_den__gt=0) & Q(threshold_num__lte=models.F("threshold_den"))),
                name="councils_threshold_fraction"),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="councils_kind_year")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A seat on the council: a person of the roster, or a free name (a guest)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="council_seats")
    full_name = models.CharField("họ và tên", max_length=150)
    position = models.CharField("chức vụ, đơn vị", max_length=255, blank=True)
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    order = models.PositiveSmallIntegerField(default=1)
    present = models.BooleanField("có mặt tại cuộc họp", default=True)

    class Meta:
        verbose_name = "thành viên hội đồng"
        verbose_name_plural = "thành viên hội đồng"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "person"], condition=Q(person__isnull=False),
                                    name="councils_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_role_display()}"


class Subject(models.Model):
    """One thing the council votes on. The domain row points here (one to one). `count_*` are
    the announced counts of a secret ballot; an open ballot counts its `votes`."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="subjects")
    label = models.CharField(max_length=255, blank=True)
    count_for = models.PositiveSmallIntegerField(default=0)
    count_against = models.PositiveSmallIntegerField(default=0)
    count_absent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.label or f"#{self.pk}"


class Vote(models.Model):
    """A member's vote on a subject in an open ballot. A member absent from the meeting may vote
    in writing (`in_writing`, NĐ 98/2023 Art. 30.7)."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=12, choices=Choice.choices)
    in_writing = models.BooleanField("ý kiến bằng văn bản", default=False)
    opinion = models.TextField("ý kiến", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "member"],
                                               name="councils_vote_once")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.subject_id}: {self.choice}"
