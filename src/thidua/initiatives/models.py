"""Initiatives (sáng kiến): the application of Thông tư 18/2013/TT-BKHCN Phụ lục I with its authors
and their share, the councils' work on them (Hội đồng sáng kiến, TT 18/2013 Art. 8: the council,
its members and votes are in the councils app; the scoring sheets are here), recognition at a level with a certificate, and the uses of a recognised
initiative in award dossiers (Công văn 5007/BNV-TĐKT: one initiative backs one commendation)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# a recognition level is the deciding council's (re-exported: initiatives speak of it too)
from thidua.councils.models import Level as Level
from thidua.platform.files import FileRules


class InitiativeType(models.TextChoices):
    """TT 18/2013 Art. 3 / NĐ 13/2012 Art. 3: the four kinds of solution."""

    KY_THUAT = "ky_thuat", "Giải pháp kỹ thuật"
    QUAN_LY = "quan_ly", "Giải pháp quản lý"
    TAC_NGHIEP = "tac_nghiep", "Giải pháp tác nghiệp"
    UNG_DUNG = "ung_dung", "Giải pháp ứng dụng tiến bộ kỹ thuật"


class Status(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã nộp"
    UNDER_REVIEW = "under_review", "Hội đồng đang xét"
    RECOGNIZED = "recognized", "Được công nhận"
    NOT_RECOGNIZED = "not_recognized", "Không được công nhận"


LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


class Initiative(models.Model):
    """One application (đơn yêu cầu công nhận sáng kiến) and where it stands."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="initiatives",
                             verbose_name="đơn vị áp dụng")
    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên sáng kiến", max_length=300)
    title_folded = models.CharField(max_length=300, editable=False, db_index=True)
    addressee = models.CharField("kính gửi", max_length=255, blank=True)
    investor = models.CharField("chủ đầu tư tạo ra sáng kiến", max_length=255, blank=True)
    field = models.CharField("lĩnh vực áp dụng", max_length=255)
    kind = models.CharField("loại giải pháp", max_length=12, choices=InitiativeType.choices)
    first_applied_on = models.DateField("ngày áp dụng lần đầu hoặc áp dụng thử", null=True,
                                        blank=True)
    description = models.TextField("mô tả bản chất của sáng kiến")
    confidential = models.TextField("thông tin cần được bảo mật", blank=True)
    conditions = models.TextField("điều kiện cần thiết để áp dụng", blank=True)
    benefit_author = models.TextField("lợi ích theo ý kiến của tác giả", blank=True)
    benefit_others = models.TextField("lợi ích theo ý kiến của tổ chức, cá nhân áp dụng thử",
                                      blank=True)
    benefit_expected_vnd = models.DecimalField("giá trị làm lợi dự kiến (đồng)", max_digits=16,
                                               decimal_places=0, null=True, blank=True)
    benefit_measured_vnd = models.DecimalField("giá trị làm lợi đã đo được (đồng)",
                                               max_digits=16, decimal_places=0, null=True,
                                               blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "sáng kiến"
        verbose_name_plural = "sáng kiến"
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["unit", "year"], name="initiative_unit_year"),
            models.Index(fields=["year", "status"], name="initiative_year_status"),
        ]

    def __str__(self) -> str:
        return self.title


class Author(models.Model):
    """An author (or co-author) as the form lists them; `person` links the roster when known."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="authors")
    order = models.PositiveSmallIntegerField(default=1)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="initiative_authorships")
    full_name = models.CharField("họ và tên", max_length=150)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    workplace = models.CharField("nơi công tác", max_length=255, blank=True)
    job_title = models.CharField("chức danh", max_length=150, blank=True)
    qualification = models.CharField("trình độ chuyên môn", max_length=150, blank=True)
    contribution = models.DecimalField(
        "tỷ lệ đóng góp (%)", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))])

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"],
                                    condition=Q(person__isnull=False),
                                    name="initiative_author_once"),
            models.CheckConstraint(condition=Q(contribution__gt=0) & Q(contribution__lte=100),
                                   name="initiative_author_share"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.contribution}%)"


class TrialParticipant(models.Model):
    """Someone who took part in the first or trial application (last table of the form)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="participants")
    order = models.PositiveSmallIntegerField(default=1)
    full_name = models.CharField("họ và tên", max_length=150)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    workplace = models.CharField("nơi công tác", max_length=255, blank=True)
    job_title = models.CharField("chức danh", max_length=150, blank=True)
    qualification = models.CharField("trình độ chuyên môn", max_length=150, blank=True)
    task = models.CharField("nội dung công việc hỗ trợ", max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.full_name


class Attachment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="attachments")
    file = models.FileField(max_length=255)  # relative to the storage root
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    rules: ClassVar[FileRules] = FileRules(folder="initiatives")  # every kind platform knows

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class StatusChange(models.Model):
    """One step of the workflow, as the detail page lists it (the audit trail has it too)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_status} → {self.to_status}"


class Criterion(models.Model):
    """A line of the council's scoring sheet with its maximum points."""

    council = models.ForeignKey("councils.Council", on_delete=models.CASCADE,
                                related_name="criteria")
    name = models.CharField("tiêu chí", max_length=255)
    max_points = models.PositiveSmallIntegerField("điểm tối đa")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_positive_max"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class Outcome(models.TextChoices):
    PASSED = "passed", "Hội đồng thông qua"
    FAILED = "failed", "Hội đồng không thông qua"


class Review(models.Model):
    """A council's consideration of one initiative: scores, votes, then the result."""

    council = models.ForeignKey("councils.Council", on_delete=models.PROTECT,
                                related_name="reviews")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reviews")
    # what the council votes on: the initiative before this council
    subject = models.OneToOneField("councils.Subject", on_delete=models.PROTECT,
                                   related_name="initiative_review")
    opened_at = models.DateTimeField()
    meeting_date = models.DateField("ngày họp", null=True, blank=True)
    meeting_time = models.TimeField("giờ họp", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    # frozen at closing: later changes to the council do not rewrite a result
    members_total = models.PositiveSmallIntegerField(default=0)
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    average_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "initiative"], name="review_once"),
        ]

    def __str__(self) -> str:
        return f"{self.council} — {self.initiative}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey("councils.Member", on_delete=models.PROTECT,
                               related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "member", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}/{self.criterion_id}: {self.points}"


class Recognition(models.Model):
    """An initiative recognised at a level, with its certificate. Once per level."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE,
                                   related_name="recognitions")
    level = models.CharField("cấp công nhận", max_length=12, choices=Level.choices)
    year = models.PositiveSmallIntegerField("năm công nhận")
    decided_on = models.DateField("ngày quyết định")
    decision_no = models.CharField("số quyết định", max_length=80)
    issuer = models.CharField("cơ quan, người công nhận", max_length=255)
    certificate_no = models.CharField("số giấy chứng nhận", max_length=80, blank=True)
    scope_note = models.TextField("phạm vi ảnh hưởng, hiệu quả", blank=True)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="recognitions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "công nhận sáng kiến"
        verbose_name_plural = "công nhận sáng kiến"
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "level"], name="recognition_once_per_level"),
        ]
        indexes = [models.Index(fields=["year", "level"], name="recognition_year_level")]

    def __str__(self) -> str:
        return f"{self.initiative} — {self.get_level_display()} {self.year}"


class UseKind(models.TextChoices):
    COMMENDATION = "commendation", "Hình thức khen thưởng (Bằng khen, Giấy khen…)"
    TITLE = "title", "Danh hiệu thi đua"


class InitiativeUse(models.Model):
    """A recognised initiative put forward as the basis of an award in a dossier."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(max_length=14, choices=UseKind.choices)
    reference = models.CharField("hồ sơ, hình thức khen thưởng", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="initiative_uses")
    warning = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "id"]
        constraints = [
            # Công văn 5007/BNV-TĐKT (2023): an initiative backs at most one commendation
            models.UniqueConstraint(fields=["initiative"], condition=Q(kind="commendation"),
                                    name="initiative_one_commendation"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.kind} {self.year}"


class NoveltyState(models.Model):
    """The shared version of the novelty index (one row, ADR 0029). Every service that moves an
    initiative into, out of or within the index bumps it in its own transaction; the row lock
    it takes until commit makes versions commit in order, so a process that reads version V
    knows every change up to V is visible and applies only those after the version it holds."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"novelty index v{self.version}"


class NoveltyChange(models.Model):
    """The latest version at which an initiative changed for the novelty index: a process
    holding version V re-reads the initiatives whose change is newer than V, and only them."""

    # no foreign key: the change must outlive a deleted initiative (it then says "remove")
    initiative_id = models.BigIntegerField(unique=True)
    version = models.BigIntegerField()

    class Meta:
        # serves novelty.SharedIndex.sync: WHERE version > %s (the delta since a process's
        # version)
        indexes = [models.Index(fields=["version"], name="novelty_change_version")]

    def __str__(self) -> str:
        return f"initiative {self.initiative_id} at v{self.version}"
