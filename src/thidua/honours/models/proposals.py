"""Proposals (hồ sơ đề nghị khen thưởng): what a unit sends to the level that decides or
forwards, the candidates on it, the dossier, and the deadlines of each receiving level.

A proposal climbs one level at a time: the sender (`unit`) sends it to `recipient`; the
recipient reviews it and either decides (it issues the form: a decision), refuses, returns it,
or forwards the candidates it supports in a new proposal of its own (`forwarded_from`) with its
own tờ trình to the level above. Forms decided above the union (Chủ tịch nước, Thủ tướng) leave
the system as a submitted proposal; their outcome is recorded when it comes back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProposalKind(models.TextChoices):
    NAM = "nam", "Tổng kết năm"
    CHUYEN_DE = "chuyen_de", "Chuyên đề"
    DOT_XUAT = "dot_xuat", "Đột xuất"


class ProposalStatus(models.TextChoices):
    DRAFT = "du_thao", "Dự thảo"
    SUBMITTED = "da_gui", "Đã gửi"
    RECEIVED = "da_nhan", "Đã tiếp nhận"
    REVIEWING = "dang_xet", "Đang xét tại Hội đồng"
    RETURNED = "tra_lai", "Trả lại để bổ sung"
    VOTED = "da_bieu_quyet", "Hội đồng đã biểu quyết"
    FORWARDED = "da_chuyen", "Đã trình cấp trên"
    SENT_OUT = "da_trinh_ngoai", "Đã trình cấp ngoài Công đoàn"
    DECIDED = "da_quyet_dinh", "Đã có quyết định"
    REFUSED = "khong_khen", "Không khen thưởng"


#: States after which nothing on the proposal changes.
FINAL = frozenset({ProposalStatus.DECIDED, ProposalStatus.REFUSED, ProposalStatus.FORWARDED})
#: States in which the sender may still edit the list and the dossier.
EDITABLE = frozenset({ProposalStatus.DRAFT})


class Proposal(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="proposals_sent",
                             verbose_name="đơn vị đề nghị")
    recipient = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                  related_name="proposals_received", verbose_name="gửi đến")
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại", max_length=12, choices=ProposalKind.choices)
    form = models.CharField("hình thức khen thưởng", max_length=40)
    topic = models.CharField("chủ đề, sự việc", max_length=255, blank=True)
    title = models.CharField("trích yếu", max_length=255)
    status = models.CharField("trạng thái", max_length=16, choices=ProposalStatus.choices,
                              default=ProposalStatus.DRAFT)
    forwarded_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="forwarded_as")
    council = models.ForeignKey("councils.Council", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="proposals")
    signer_name = models.CharField("người ký tờ trình", max_length=150, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=150, blank=True)
    submitted_on = models.DateField("ngày gửi", null=True, blank=True)
    outcome_note = models.TextField("kết quả từ cấp trên", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hồ sơ đề nghị khen thưởng"
        verbose_name_plural = "hồ sơ đề nghị khen thưởng"
        ordering = ["-year", "-id"]
        indexes = [
            # the sender's list: proposals of a unit for a year
            models.Index(fields=["unit", "year"], name="proposal_unit_year"),
            # the receiving level's inbox: what waits for it, by state
            models.Index(fields=["recipient", "status"], name="proposal_recipient_status"),
            # the proposals list, newest first (ORDER BY year DESC, id DESC LIMIT 20): read
            # backwards from its end rather than sorting every proposal of the nation
            models.Index(fields=["year", "id"], name="proposal_year_id"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def final(self) -> bool:
        return self.status in FINAL


class Candidate(models.Model):
    """One person or one unit on a proposal (exactly one of the two), with the achievement and
    what the system knew when the candidate was put on the list: the rules' verdict, the
    registration check, the other awards of the same achievement."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="honour_candidacies")
    subject_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="honour_candidacies")
    display_name = models.CharField("tên", max_length=255)
    position = models.CharField("chức vụ, đơn vị công tác", max_length=255, blank=True)
    achievement = models.TextField("thành tích", blank=True)
    basis_title = models.CharField("danh hiệu làm căn cứ", max_length=20, blank=True)
    checks = models.JSONField("kiểm tra", default=list, blank=True)
    initiative = models.ForeignKey("initiatives.Initiative", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="honour_candidacies")
    origin = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="forwarded_as")
    subject = models.OneToOneField("councils.Subject", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="honour_candidate")
    passed = models.BooleanField("được Hội đồng thông qua", null=True, blank=True)
    votes = models.JSONField(default=dict, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "người, tập thể được đề nghị"
        verbose_name_plural = "người, tập thể được đề nghị"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(subject_unit__isnull=True))
                | (Q(person__isnull=True) & Q(subject_unit__isnull=False)),
                name="honours_candidate_person_xor_unit"),
            models.UniqueConstraint(fields=["proposal", "person"],
                                    condition=Q(person__isnull=False),
                                    name="honours_candidate_person_once"),
            models.UniqueConstraint(fields=["proposal", "subject_unit"],
                                    condition=Q(subject_unit__isnull=False),
                                    name="honours_candidate_unit_once"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_person(self) -> bool:
        return self.person_id is not None


class DossierKind(models.TextChoices):
    TO_TRINH = "to_trinh", "Tờ trình"
    BAO_CAO = "bao_cao", "Báo cáo thành tích"
    BIEN_BAN = "bien_ban", "Biên bản họp Hội đồng"
    MINH_CHUNG = "minh_chung", "Tài liệu minh chứng"


class DossierItem(models.Model):
    """A file of the dossier the sender attaches (a signed scan of the tờ trình, a báo cáo
    thành tích, the minutes, evidence). The generated documents are rendered on demand and
    need no row; an uploaded one replaces the generated one of its kind (and candidate)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="dossier")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="dossier")
    kind = models.CharField("loại tài liệu", max_length=12, choices=DossierKind.choices)
    file = models.FileField(max_length=255)
    original_name = models.CharField(max_length=255)
    file_kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu hồ sơ"
        verbose_name_plural = "tài liệu hồ sơ"
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.original_name


class Deadline(models.Model):
    """The last day a receiving level takes proposals of a kind for a year (its guidance, e.g.
    "hồ sơ gửi về trước ngày 15/12")."""

    recipient = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                                  related_name="proposal_deadlines")
    year = models.PositiveSmallIntegerField("năm")
    kind = models.CharField("loại", max_length=12, choices=ProposalKind.choices)
    last_day = models.DateField("hạn cuối")
    note = models.CharField("văn bản hướng dẫn", max_length=255, blank=True)

    class Meta:
        verbose_name = "hạn nộp hồ sơ"
        verbose_name_plural = "hạn nộp hồ sơ"
        constraints = [models.UniqueConstraint(fields=["recipient", "year", "kind"],
                                               name="honours_deadline_once")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.year} {self.kind}: {self.last_day}"
