"""Emulation clusters and blocks (cụm, khối thi đua) of an issuer for a year (issue 12).

An issuer (LĐLĐ TP Hà Nội) groups the units below it into clusters for a year; each year has its
own clusters, members, head (cụm trưởng) and deputy (cụm phó), so a change of membership or the
yearly rotation of the head never rewrites a past year. A cluster signs a pledge (giao ước thi
đua), scores its members on its criteria sheet (a tree of criteria with maximum points), ranks
them, and at its year-end meeting votes whom to put forward (suy tôn) for the issuer's flag and
certificate of merit; the issuer turns the result into proposals of the honours workflow.

The issuer's own rules (how ties are broken, the vote's threshold, how many units are put
forward) are `ClusterRules`: no public regulation of a union federation on them was found, so
they are settings (docs/decisions/0023-clusters-above-reports.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    CUM = "cum", "Cụm thi đua"
    KHOI = "khoi", "Khối thi đua"


class MemberRole(models.TextChoices):
    HEAD = "truong", "Cụm trưởng"
    DEPUTY = "pho", "Cụm phó"
    MEMBER = "thanh_vien", "Thành viên"


class SheetStatus(models.TextChoices):
    DRAFT = "nhap", "Đang tự chấm"
    SUBMITTED = "da_gui", "Đã gửi cụm trưởng"
    RETURNED = "tra_lai", "Cụm trưởng trả lại để sửa"
    CHECKED = "da_kiem_tra", "Cụm trưởng đã kiểm tra"


class CriterionKind(models.TextChoices):
    """How a criterion's points are reached (`thidua.clusters.scoring`)."""

    GROUP = "nhom", "Nhóm tiêu chí (cộng các tiêu chí con)"
    TARGET = "chi_tieu", "Số liệu so với chỉ tiêu"
    YES_NO = "co_khong", "Có / không"
    POINTS = "tu_cham", "Chấm điểm trực tiếp"
    BONUS = "thuong", "Điểm thưởng"
    PENALTY = "tru", "Điểm trừ"


class TieBreak(models.TextChoices):
    """The issuer's tie-break rules, applied in the order it lists them; units still level share
    the rank and the cluster meeting's vote decides between them."""

    FEWER_PENALTY = "it_diem_tru", "Ít điểm trừ hơn"
    MORE_BONUS = "nhieu_diem_thuong", "Nhiều điểm thưởng hơn"
    FIRST_GROUP = "nhom_dau", "Điểm nhóm tiêu chí thứ nhất cao hơn"
    CHECKED_FIRST = "gui_som", "Gửi bảng điểm sớm hơn"


class ClusterRules(models.Model):
    """The issuer's cluster rules for a year. `tie_breaks`: TieBreak codes, comma-separated, in
    order. The vote passes a unit with more than `vote_num`/`vote_den` of the delegates
    (absent ones count against, as in every council: councils.tally)."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    tie_breaks = models.CharField("quy tắc xếp hạng khi bằng điểm", max_length=120, blank=True)
    vote_num = models.PositiveSmallIntegerField(default=1)
    vote_den = models.PositiveSmallIntegerField(default=2)
    flag_form = models.CharField("hình thức cho đơn vị dẫn đầu", max_length=40, blank=True)
    flag_count = models.PositiveSmallIntegerField("số đơn vị dẫn đầu mỗi cụm", default=1)
    merit_form = models.CharField("hình thức cho đơn vị tiếp theo", max_length=40, blank=True)
    merit_count = models.PositiveSmallIntegerField("số đơn vị tiếp theo mỗi cụm", default=1)
    source = models.CharField("căn cứ", max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quy định cụm, khối thi đua"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="clusterrules_issuer_year"),
            models.CheckConstraint(condition=Q(vote_den__gt=0)
                                   & Q(vote_num__lte=models.F("vote_den")),
                                   name="clusterrules_vote_fraction"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.year}"

    @property
    def tie_break_list(self) -> list[str]:
        return [c for c in self.tie_breaks.split(",") if c]


class Cluster(models.Model):
    """A cluster (or block) of `issuer` in `year`: "Cụm thi đua số 4". The pledge is its text;
    each member's signature is on its membership. `council`: the year-end meeting that votes
    the suy tôn (a council of the head unit)."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="clusters")
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại", max_length=5, choices=Kind.choices, default=Kind.CUM)
    number = models.PositiveSmallIntegerField("số")
    name = models.CharField("tên", max_length=255, blank=True)
    pledge_text = models.TextField("nội dung giao ước thi đua", blank=True)
    pledge_place = models.CharField("nơi ký giao ước", max_length=120, blank=True)
    pledge_date = models.DateField("ngày ký giao ước", null=True, blank=True)
    council = models.OneToOneField("councils.Council", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="cluster")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cụm, khối thi đua"
        verbose_name_plural = "cụm, khối thi đua"
        ordering = ["year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "kind", "number"],
                                    name="cluster_issuer_year_number"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        base = f"{self.get_kind_display()} số {self.number}"
        return f"{base} – {self.name}" if self.name else base


class Membership(models.Model):
    """A unit in a cluster for the cluster's year, with its role, its pledge signature and the
    state of its scoring sheet."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    role = models.CharField("vai trò", max_length=12, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    order = models.PositiveSmallIntegerField(default=1)
    signed_on = models.DateField("ngày ký giao ước", null=True, blank=True)
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=150, blank=True)
    sheet_status = models.CharField("bảng điểm", max_length=12, choices=SheetStatus.choices,
                                    default=SheetStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    check_note = models.TextField("nhận xét của cụm trưởng", blank=True)
    # units still level after the issuer's tie-break rules, put in order by hand (the head unit
    # or the issuer, with the reason): 1 first; only read between units still level
    tie_position = models.PositiveSmallIntegerField("thứ tự khi đồng hạng", null=True, blank=True)
    tie_reason = models.CharField("lý do xếp thứ tự khi đồng hạng", max_length=500, blank=True)

    class Meta:
        verbose_name = "thành viên cụm"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_membership_once"),
            models.UniqueConstraint(fields=["cluster"], condition=Q(role="truong"),
                                    name="cluster_membership_one_head"),
            models.UniqueConstraint(fields=["cluster"], condition=Q(role="pho"),
                                    name="cluster_membership_one_deputy"),
        ]
        indexes = [models.Index(fields=["unit"], name="cluster_membership_unit")]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.unit_id}"


class Criterion(models.Model):
    """One line of the cluster's scoring sheet. `target`: the default target of a TARGET
    criterion (a unit may have its own, `UnitTarget`); `source`: the figure the system already
    knows for it (`thidua.clusters.prefill`), blank when only the unit can tell."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    code = models.CharField("số thứ tự", max_length=12)
    order = models.PositiveSmallIntegerField(default=1)
    name = models.CharField("tiêu chí", max_length=500)
    kind = models.CharField("cách chấm", max_length=10, choices=CriterionKind.choices)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)
    target = models.DecimalField("chỉ tiêu", max_digits=12, decimal_places=2, null=True,
                                 blank=True)
    unit_label = models.CharField("đơn vị tính", max_length=30, blank=True)
    source = models.CharField("số liệu hệ thống", max_length=40, blank=True)

    class Meta:
        verbose_name = "tiêu chí chấm điểm"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "code"], name="cluster_criterion_code_once"),
            models.CheckConstraint(condition=Q(max_points__gte=0), name="cluster_criterion_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class UnitTarget(models.Model):
    """A member unit's own target on a TARGET criterion (the issuer assigns it)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField("chỉ tiêu", max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="cluster_unittarget_once"),
            models.CheckConstraint(condition=Q(value__gte=0), name="cluster_unittarget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}/{self.unit_id}: {self.value}"


class Score(models.Model):
    """A member's entry on one criterion: the value it declares (a figure, 1/0 for yes/no, or
    points), what the system knew when the sheet was filled (`known`), its evidence (a note and
    a file), the points that follow, and the head's correction when it checks the sheet."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("số liệu tự chấm", max_digits=12, decimal_places=2, null=True,
                                blank=True)
    known = models.DecimalField("số liệu hệ thống", max_digits=12, decimal_places=2,
                                null=True, blank=True)
    points = models.DecimalField("điểm tự chấm", max_digits=6, decimal_places=2, null=True,
                                 blank=True)
    checked_points = models.DecimalField("điểm cụm trưởng chấm", max_digits=6,
                                         decimal_places=2, null=True, blank=True)
    note = models.TextField("giải trình, minh chứng", blank=True)
    check_note = models.CharField("ý kiến cụm trưởng", max_length=500, blank=True)
    file = models.FileField(max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    file_kind = models.CharField(max_length=8, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "criterion"], name="cluster_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id}/{self.criterion_id}"

    @property
    def final_points(self) -> object:
        return self.checked_points if self.checked_points is not None else self.points


class Nomination(models.Model):
    """A member put to the cluster meeting's vote for an award form (suy tôn): its rank, the
    council's subject, whether the vote passed it, and the proposal it became."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="nominations")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE,
                                   related_name="nominations")
    form = models.CharField("hình thức", max_length=40)
    rank = models.PositiveSmallIntegerField("xếp hạng")
    total = models.DecimalField("tổng điểm", max_digits=7, decimal_places=2)
    subject = models.OneToOneField("councils.Subject", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="cluster_nomination")
    passed = models.BooleanField(null=True, blank=True)
    proposal = models.ForeignKey("honours.Proposal", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "membership"], name="cluster_nomination_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cluster_id}/{self.membership_id}: {self.form}"
