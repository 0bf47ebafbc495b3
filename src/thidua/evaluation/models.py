"""What a year of work leaves behind: ratings and facts per person and unit, the titles decided
(by the rules engine, a council, old records or a correction) with their reasons, the year-end
review (bình xét) — its council and votes live in the councils app —, and the lock that closes a year.

Periods follow the project rule: `valid_from` inclusive, `valid_to` exclusive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.rules import titles as catalogue
from thidua.rules.titles import title_name


def year_end(year: int) -> dt.date:
    """The day whose roster a year's evaluation is about (calendar-year sectors)."""
    return dt.date(year, 12, 31)


class RatingCode(models.TextChoices):
    """Annual rating of a person or a unit (NĐ 90/2020 wording; domain.md §1, Design 2)."""

    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"


# a better rating has a higher rank
RATING_RANK = {RatingCode.KHTNV: 0, RatingCode.HTNV: 1, RatingCode.HTTNV: 2, RatingCode.HTXSNV: 3}

RATING_SHORT = {
    RatingCode.HTXSNV: "Xuất sắc",
    RatingCode.HTTNV: "Tốt",
    RatingCode.HTNV: "Hoàn thành",
    RatingCode.KHTNV: "Không hoàn thành",
}


# Titles judged in the year-end review, from the one catalogue (rules/titles.toml). Stored as
# text: a later rule set may add codes without a migration.
TitleCode = models.TextChoices(  # type: ignore[call-overload]
    "TitleCode",
    [(c, (c, title_name(c))) for c in catalogue.codes(group="danh_hieu")],
)
INDIVIDUAL_TITLES = catalogue.codes(group="danh_hieu", subject=catalogue.INDIVIDUAL)
COLLECTIVE_TITLES = catalogue.codes(group="danh_hieu", subject=catalogue.COLLECTIVE)


class Rating(models.Model):
    """A person's rating and working-time facts for one year, entered by the unit where the person
    is on the roster at year end. Maternity leave is kept apart from other absence because it
    counts as working time (NĐ 152/2025 Art. 4)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="evaluation_ratings")
    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             help_text="Đơn vị của người này cuối năm, nơi đánh giá")
    code = models.CharField("xếp loại", max_length=6, choices=RatingCode.choices, blank=True)
    absence_days = models.PositiveSmallIntegerField("số ngày nghỉ (không kể nghỉ thai sản)",
                                                    default=0)
    maternity_days = models.PositiveSmallIntegerField("số ngày nghỉ thai sản", default=0)
    service_months = models.PositiveSmallIntegerField(
        "số tháng công tác trong năm", null=True, blank=True,
        help_text="Để trống: tính từ quá trình công tác")
    family_ok = models.BooleanField(
        "đảm việc nhà", null=True, blank=True,
        help_text="Nửa «đảm việc nhà» của danh hiệu Giỏi việc nước, đảm việc nhà (theo tiêu chí "
                  "của LĐLĐ): có, không, hoặc để trống khi chưa xác nhận")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "xếp loại cá nhân"
        verbose_name_plural = "xếp loại cá nhân"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="rating_person_year"),
            models.CheckConstraint(condition=Q(service_months__isnull=True)
                                   | Q(service_months__lte=12), name="rating_service_months"),
            models.CheckConstraint(condition=Q(absence_days__lte=366) & Q(maternity_days__lte=366),
                                   name="rating_days"),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="rating_unit_year")]

    def __str__(self) -> str:
        return f"{self.person_id}/{self.year}: {self.code or '—'}"


class DisciplineForm(models.TextChoices):
    KHIEN_TRACH = "khien_trach", "Khiển trách"
    CANH_CAO = "canh_cao", "Cảnh cáo"
    HA_BAC_LUONG = "ha_bac_luong", "Hạ bậc lương"
    GIANG_CHUC = "giang_chuc", "Giáng chức"
    CACH_CHUC = "cach_chuc", "Cách chức"
    BUOC_THOI_VIEC = "buoc_thoi_viec", "Buộc thôi việc"
    SA_THAI = "sa_thai", "Sa thải"


class Discipline(models.Model):
    """A disciplinary measure in force during [valid_from, valid_to)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="disciplines")
    form = models.CharField("hình thức", max_length=20, choices=DisciplineForm.choices)
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến ngày (không tính)", null=True, blank=True)
    decision = models.CharField("số quyết định", max_length=80, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="discipline_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.form} {self.valid_from}"


class PendingKind(models.TextChoices):
    """Matters that hold a person's review until they end (NĐ 152/2025 Điều 4 khoản 4); the
    codes are the rules engine's (`thidua.rules.facts.PENDING_KINDS`)."""

    XEM_XET_KY_LUAT = "xem_xet_ky_luat", "Đang bị xem xét kỷ luật"
    THANH_TRA = "thanh_tra", "Đang bị thanh tra"
    KIEM_TRA = "kiem_tra", "Đang bị kiểm tra"
    KHIEU_NAI_TO_CAO = "khieu_nai_to_cao", "Có đơn thư khiếu nại, tố cáo đang giải quyết"


class PendingMatter(models.Model):
    """A discipline review, inspection or complaint under way from `valid_from`; `valid_to` is
    the day it ended (empty while open). While open it holds the person's review (tạm hoãn
    xét)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="pending_matters")
    kind = models.CharField("việc đang giải quyết", max_length=20, choices=PendingKind.choices)
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("kết thúc ngày", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "việc đang xem xét (tạm hoãn xét)"
        verbose_name_plural = "việc đang xem xét (tạm hoãn xét)"
        ordering = ["valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="pending_matter_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.valid_from}"


class InitiativeLevel(models.TextChoices):
    CO_SO = "co_so", "Cấp cơ sở"
    TINH = "tinh", "Cấp bộ, ngành, tỉnh"
    TOAN_QUOC = "toan_quoc", "Toàn quốc"


class RecognizedInitiative(models.Model):
    """An initiative (sáng kiến) recognised at a level, as a fact for the titles that need one.

    A stand-in: the initiatives issue brings the full record (application, authors, council,
    recognition); its records will replace these, which officers enter by hand meanwhile."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="recognized_initiatives")
    year = models.PositiveSmallIntegerField("năm công nhận")
    level = models.CharField("cấp công nhận", max_length=12, choices=InitiativeLevel.choices)
    name = models.CharField("tên sáng kiến", max_length=255)
    decision = models.CharField("quyết định công nhận", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sáng kiến được công nhận"
        verbose_name_plural = "sáng kiến được công nhận"
        ordering = ["year", "id"]

    def __str__(self) -> str:
        return self.name


class UnitRating(models.Model):
    """A unit's own rating for a year (the collective titles start from it)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="ratings")
    year = models.PositiveSmallIntegerField("năm")
    code = models.CharField("xếp loại", max_length=6, choices=RatingCode.choices)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "xếp loại tập thể"
        verbose_name_plural = "xếp loại tập thể"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unitrating_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.code}"


# --- grading of grassroots unions (xếp loại CĐCS) --------------------------------------------


class GradingScale(models.TextChoices):
    OLD = "cu", "Thang cũ: vững mạnh, khá, trung bình, yếu"
    NEW = "moi", "Thang mới: HTXSNV, HTTNV, HTNV, KHTNV"


class GradingLabel(models.TextChoices):
    VUNG_MANH = "vung_manh", "Vững mạnh"
    KHA = "kha", "Khá"
    TRUNG_BINH = "trung_binh", "Trung bình"
    YEU = "yeu", "Yếu"
    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"


SCALE_LABELS = {
    GradingScale.OLD: [GradingLabel.VUNG_MANH, GradingLabel.KHA, GradingLabel.TRUNG_BINH,
                       GradingLabel.YEU],
    GradingScale.NEW: [GradingLabel.HTXSNV, GradingLabel.HTTNV, GradingLabel.HTNV,
                       GradingLabel.KHTNV],
}


class GradingTemplate(models.Model):
    """A scoring sheet an issuer uses for a year: criteria with maximum points and the bands
    (`thresholds`: best label first, [{"label", "min_points", "min_criterion_share"}]). The bands
    are data because they differ per issuer and year and the current ones are not known
    (domain.md Design 13: old bands [C], new ones [G])."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                               related_name="grading_templates")
    year = models.PositiveSmallIntegerField("năm")
    name = models.CharField("tên bảng chấm điểm", max_length=255)
    scale = models.CharField("thang xếp loại", max_length=3, choices=GradingScale.choices)
    thresholds = models.JSONField("ngưỡng xếp loại", default=list)
    source = models.CharField("căn cứ", max_length=255, blank=True)
    confidence = models.CharField("mức tin cậy", max_length=1, default="G")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bảng chấm điểm xếp loại"
        verbose_name_plural = "bảng chấm điểm xếp loại"
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["issuer", "year", "name"],
                                               name="gradingtemplate_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class GradingCriterion(models.Model):
    template = models.ForeignKey(GradingTemplate, on_delete=models.CASCADE,
                                 related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField("mã tiêu chí", max_length=20,
                            help_text="Mã mà quy tắc xếp loại đọc (ví dụ C1, C2, C3)")
    group = models.CharField("nhóm tiêu chí", max_length=255, blank=True)
    text = models.CharField("tiêu chí", max_length=500)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Grading(models.Model):
    """A unit's filled-in scoring sheet for a year; `label` and `reasons` come from the rules
    engine's grading rule applied to the answers and the template's bands."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="gradings")
    year = models.PositiveSmallIntegerField("năm")
    template = models.ForeignKey(GradingTemplate, on_delete=models.PROTECT,
                                 related_name="gradings")
    total = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal(0))
    label = models.CharField(max_length=12, choices=GradingLabel.choices, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    rule_set = models.CharField(max_length=80, blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    graded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kết quả chấm điểm xếp loại"
        verbose_name_plural = "kết quả chấm điểm xếp loại"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="grading_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.label}"


class GradingAnswer(models.Model):
    grading = models.ForeignKey(Grading, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(GradingCriterion, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grading", "criterion"],
                                               name="gradinganswer_unique")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


# --- titles decided ---------------------------------------------------------------------------


class DecidedBy(models.TextChoices):
    ENGINE = "engine", "Tính theo quy tắc"
    COUNCIL = "council", "Hội đồng bình xét"
    IMPORTED = "imported", "Dữ liệu các năm trước"
    CORRECTION = "correction", "Đính chính"


class TitleResult(models.Model):
    """A title a person (or a unit: `subject_unit`) holds for a year, with how it was decided and
    the reasons. Earlier years' rows feed the streak rules (3 consecutive CSTĐ cơ sở…). A row is
    never deleted: a correction revokes it (`revoked`) and logs the before and after."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="title_results")
    subject_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="title_results")
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("danh hiệu", max_length=20)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             help_text="Đơn vị đã bình xét, quyết định")
    how = models.CharField("cách quyết định", max_length=12, choices=DecidedBy.choices)
    reasons = models.JSONField(default=list, blank=True)
    rule_set = models.CharField(max_length=80, blank=True)
    review = models.ForeignKey("Review", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="results")
    votes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=255, blank=True)
    revoked = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "danh hiệu đạt được"
        verbose_name_plural = "danh hiệu đạt được"
        ordering = ["year", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(person__isnull=True) & Q(subject_unit__isnull=False)),
                name="titleresult_one_subject"),
            models.UniqueConstraint(fields=["person", "year", "title"],
                                    condition=Q(person__isnull=False, revoked=False),
                                    name="titleresult_person_unique"),
            models.UniqueConstraint(fields=["subject_unit", "year", "title"],
                                    condition=Q(subject_unit__isnull=False, revoked=False),
                                    name="titleresult_unit_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "year"], name="titleresult_unit_year"),
            models.Index(fields=["person", "year"], name="titleresult_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.year} ({self.person_id or self.subject_unit_id})"


class CorrectionKind(models.TextChoices):
    TITLE_ADD = "title_add", "Bổ sung danh hiệu"
    TITLE_REVOKE = "title_revoke", "Hủy danh hiệu"
    RATING = "rating", "Sửa xếp loại"


class Correction(models.Model):
    """A change to a decided year (locked or not), with the reason and the before/after."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=CorrectionKind.choices)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    subject_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    title = models.CharField(max_length=20, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField("lý do")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "đính chính"
        verbose_name_plural = "đính chính"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="correction_unit_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}"


# --- the year-end review (bình xét) -----------------------------------------------------------


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Lập danh sách đề nghị"
    VOTING = "voting", "Hội đồng bỏ phiếu"
    CLOSED = "closed", "Đã có kết quả"


class Review(models.Model):
    """The year-end review at a unit: the engine's proposal, the officer's adjustments, the
    council's votes and the results. Status changes only through the workflow (workflow.py)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField(max_length=8, choices=ReviewStatus.choices,
                              default=ReviewStatus.DRAFT)
    rule_set = models.CharField(max_length=80, blank=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    # members, meeting and votes; set up when the review opens
    council = models.OneToOneField("councils.Council", on_delete=models.PROTECT,
                                   related_name="review")
    place_name = models.CharField("địa danh", max_length=80, blank=True, default="Hà Nội")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bình xét"
        verbose_name_plural = "bình xét"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="review_unit_year")]

    def __str__(self) -> str:
        return f"Bình xét {self.year} — {self.unit_id}"


class CandidateSource(models.TextChoices):
    ENGINE = "engine", "Theo quy tắc"
    OFFICER = "officer", "Cán bộ bổ sung"


class Outcome(models.TextChoices):
    PASSED = "passed", "Đạt"
    FAILED = "failed", "Không đạt"


class Candidate(models.Model):
    """One (person or unit, title) on the review's list. Removing keeps the row (`included`
    False) with the reason; the engine's reasons are kept as they were when proposed."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+")
    subject_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    title = models.CharField(max_length=20)
    source = models.CharField(max_length=8, choices=CandidateSource.choices)
    included = models.BooleanField(default=True)
    eligible = models.BooleanField(default=True, help_text="Theo quy tắc khi lập danh sách")
    reasons = models.JSONField(default=list, blank=True)
    missing = models.JSONField(default=list, blank=True)
    added_reason = models.TextField(blank=True)
    removed_reason = models.TextField(blank=True)
    # what the council votes on; created when the list goes to the vote
    subject = models.OneToOneField("councils.Subject", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="candidate")
    outcome = models.CharField(max_length=6, choices=Outcome.choices, blank=True)
    # the tally frozen when the review closes
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_absent = models.PositiveSmallIntegerField(default=0)
    council_size = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(person__isnull=True) & Q(subject_unit__isnull=False)),
                name="candidate_one_subject"),
            models.UniqueConstraint(fields=["review", "person", "title"],
                                    condition=Q(person__isnull=False),
                                    name="candidate_person_unique"),
            models.UniqueConstraint(fields=["review", "subject_unit", "title"],
                                    condition=Q(subject_unit__isnull=False),
                                    name="candidate_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.person_id or self.subject_unit_id}"


class ReviewEvent(models.Model):
    """The review's own log (shown on its page); each entry also has an audit record."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=30)
    text = models.TextField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text


class VoteThreshold(models.Model):
    """The share of ALL council members whose "for" a title needs. Rows here override the
    defaults in `thresholds.DEFAULTS` (which carry the sources); a blank title is the default
    for titles without a row. `strict`: more than `share` (a majority) rather than at least."""

    title = models.CharField("danh hiệu", max_length=20, blank=True)
    share = models.DecimalField("tỷ lệ", max_digits=5, decimal_places=4)
    strict = models.BooleanField("phải lớn hơn (không tính bằng)", default=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField("căn cứ", max_length=255)
    confidence = models.CharField("mức tin cậy", max_length=1)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "ngưỡng biểu quyết"
        verbose_name_plural = "ngưỡng biểu quyết"
        ordering = ["title", "valid_from"]

    def __str__(self) -> str:
        return f"{self.title or '*'} {self.share}"


class YearLock(models.Model):
    """The year is closed for the unit and its subtree: from now on only corrections change it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="year_locks")
    year = models.PositiveSmallIntegerField("năm")
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = "khóa số liệu năm"
        verbose_name_plural = "khóa số liệu năm"
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="yearlock_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}"


class EvaluationSetting(models.Model):
    """An issuer's own value for a setting of the rule sets (a parameter marked `setting =
    true`: registration as a condition, the 10-month and 40-day exclusions, the council's share
    for CSTĐ cơ sở before 2024…), for a range of years. "Issuer": the unit whose body decides
    (the CĐCS, the agency); its value holds for its subtree unless a unit below sets its own.
    `source` names the unit's own decision; the rules cite it as "Thực tiễn địa phương, …"."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                             related_name="evaluation_settings")
    key = models.CharField("cài đặt", max_length=60)
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    value = models.JSONField("giá trị")
    source = models.CharField("căn cứ", max_length=255)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "cài đặt bình xét"
        verbose_name_plural = "cài đặt bình xét"
        ordering = ["key", "year_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "key", "year_from"],
                                               name="evalsetting_unit_key_from")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.key}/{self.year_from}"

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class TitleFigure(models.Model):
    """How many people on `unit`'s own roster on 31/12 of `year` hold `title` that year (not
    revoked); title "*": those holding any worker title, once (ADR 0031). Reports sum a
    subtree's rows. Kept by `evaluation.figures`; `figures-check` recomputes it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=20)
    holders = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # a subtree's figures: WHERE year = Y AND unit_id IN (the subtree's units) GROUP BY
            # title (a range scan per unit), and the upsert's conflict target
            models.UniqueConstraint(fields=["year", "unit", "title"],
                                    name="titlefigure_year_unit_title"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.title}: {self.holders}"
