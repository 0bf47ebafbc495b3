"""Decisions (quyết định), the awards they record, and the certificates printed for them.

A decision's number is drawn from one gapless sequence per issuer and year (`NumberSequence`,
taken under a row lock in the decision's own transaction: a failed issue rolls the number back).
Each award gets the issuer's next golden-book number (số sổ vàng), a sequence that never restarts.
An award is never deleted: a revoking decision marks it, a correcting decision records what it
changed (`AwardChange`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DecisionKind(models.TextChoices):
    KHEN_THUONG = "khen_thuong", "Quyết định khen thưởng"
    THU_HOI = "thu_hoi", "Quyết định hủy bỏ, thu hồi khen thưởng"
    DINH_CHINH = "dinh_chinh", "Quyết định đính chính"


class NumberSequence(models.Model):
    """The last number used by `issuer` in `year` for documents of `symbol` ("QĐ"), or, with
    year 0 and symbol "SV", the issuer's golden book."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    symbol = models.CharField(max_length=8)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year", "symbol"],
                                               name="honours_sequence_once")]

    def __str__(self) -> str:
        return f"{self.issuer_id}/{self.year}/{self.symbol}: {self.last}"


class Decision(models.Model):
    """A decision of `issuer` (a union body in the tree), or, with `external_issuer`, one taken
    above the union (Chủ tịch nước, Thủ tướng) and recorded when it comes back."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="decisions",
                               verbose_name="cơ quan ban hành")
    external_issuer = models.CharField("cấp quyết định ngoài Công đoàn", max_length=255,
                                       blank=True)
    kind = models.CharField(max_length=12, choices=DecisionKind.choices,
                            default=DecisionKind.KHEN_THUONG)
    year = models.PositiveSmallIntegerField("năm khen thưởng")
    seq_year = models.PositiveSmallIntegerField("năm đánh số", null=True, blank=True)
    seq = models.PositiveIntegerField("số thứ tự trong năm", null=True, blank=True)
    number = models.CharField("số quyết định", max_length=60)
    date = models.DateField("ngày ký")
    form = models.CharField("hình thức khen thưởng", max_length=40, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    signer_name = models.CharField("người ký", max_length=150)
    signer_title = models.CharField("chức vụ người ký", max_length=150)
    place = models.CharField("địa danh", max_length=100, blank=True)
    basis = models.TextField("căn cứ", blank=True)
    reason = models.TextField("lý do (thu hồi, đính chính)", blank=True)
    target = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="amended_by",
                               verbose_name="quyết định bị thu hồi, đính chính")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quyết định"
        verbose_name_plural = "quyết định"
        ordering = ["-date", "-id"]
        constraints = [
            # gapless numbering: one number once per issuer and year
            models.UniqueConstraint(fields=["issuer", "seq_year", "seq"],
                                    condition=Q(seq__isnull=False),
                                    name="honours_decision_number_once"),
        ]
        indexes = [
            # the register and `decisions list`: an issuer's decisions of a year
            models.Index(fields=["issuer", "year"], name="decision_issuer_year"),
            # the decisions list, newest first (ORDER BY date DESC, id DESC LIMIT 30): read
            # backwards from its end rather than sorting every decision of the nation
            models.Index(fields=["date", "id"], name="decision_date_id"),
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"


class Award(models.Model):
    """One recipient of a decision: a person or a unit (exactly one)."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="awards")
    candidate = models.OneToOneField("honours.Candidate", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="award")
    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="awards_issued")
    form = models.CharField("hình thức khen thưởng", max_length=40)
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="awards")
    subject_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="awards")
    home_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="đơn vị của người, tập thể được khen")
    recipient_name = models.CharField("tên", max_length=255)
    position = models.CharField("chức vụ, đơn vị công tác", max_length=255, blank=True)
    achievement = models.TextField("thành tích", blank=True)
    year = models.PositiveSmallIntegerField("năm")
    golden_book_no = models.PositiveIntegerField("số sổ vàng", null=True, blank=True)
    cash_amount = models.PositiveBigIntegerField("tiền thưởng (đồng)", null=True, blank=True)
    revoked = models.BooleanField("đã thu hồi", default=False)
    revoked_by = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="revoked_awards")
    revoked_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = "khen thưởng"
        verbose_name_plural = "sổ khen thưởng"
        ordering = ["decision_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(person__isnull=True) & Q(subject_unit__isnull=False)),
                name="honours_award_person_xor_unit"),
            models.UniqueConstraint(fields=["issuer", "golden_book_no"],
                                    condition=Q(golden_book_no__isnull=False),
                                    name="honours_golden_book_once"),
        ]
        indexes = [
            # the register: by issuer and year, then form
            models.Index(fields=["issuer", "year", "form"], name="award_issuer_year_form"),
            # a unit's page and the subtree register (joined to the unit's path)
            models.Index(fields=["home_unit", "year"], name="award_home_year"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name} — {self.form} {self.year}"

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


class AwardChange(models.Model):
    """What a correcting decision (đính chính) changed on an award."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="changes")
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.award_id}.{self.field}"


class Certificate(models.Model):
    """The printed certificate of an award: its public code (≥ 80 bits, printed with the QR
    code) and, once rendered, the signed PDF in the file storage."""

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField("mã xác minh", max_length=32, unique=True)
    file = models.FileField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    signed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "bằng, giấy khen"
        verbose_name_plural = "bằng, giấy khen"

    def __str__(self) -> str:
        return self.code
