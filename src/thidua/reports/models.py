"""Targets (chỉ tiêu), welfare (chăm lo), Party development and the family culture title per
year: the records the year-end report and the dashboard read beside the roster, ratings,
titles, initiatives and awards of the apps below (issue 11).

The agency culture title (Cơ quan, đơn vị văn hóa) is not here: it is the title `CQ_VAN_HOA` of
the one catalogue (rules/titles.toml, group van_hoa), recorded per unit and year as a
`evaluation.TitleResult` like every collective title."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Comparison(models.TextChoices):
    """How a target's value is read: "trên 75 %" is `gt`, "100 %" is `ge`, "không có … yếu"
    is `le` 0, "85–90 %" is `range` (value to value_max)."""

    AT_LEAST = "ge", "Ít nhất (≥)"
    ABOVE = "gt", "Trên (>)"
    AT_MOST = "le", "Không quá (≤)"
    EQUAL = "eq", "Bằng (=)"
    RANGE = "range", "Trong khoảng (từ … đến)"


COMPARISON_SIGN = {"ge": "≥", "gt": ">", "le": "≤", "eq": "=", "range": "–"}


class Target(models.Model):
    """A unit's target for a year on one measure of the catalogue (reports/measures.toml). A
    level's targets apply to the units below it unless one of them sets its own on the same
    measure (`selectors.targets_in_force`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("năm")
    measure = models.CharField("chỉ tiêu", max_length=40)
    comparison = models.CharField("so sánh", max_length=5, choices=Comparison.choices,
                                  default=Comparison.AT_LEAST)
    value = models.DecimalField("mức", max_digits=12, decimal_places=2)
    value_max = models.DecimalField("đến mức", max_digits=12, decimal_places=2, null=True,
                                    blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    source = models.CharField("căn cứ", max_length=255, blank=True,
                              help_text="Văn bản đặt chỉ tiêu (kế hoạch, nghị quyết…)")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["year", "measure"]
        constraints = [
            # two officers setting the same target at once: one row wins. Its index also serves
            # "targets of these units in year Y" (targets_in_force: unit IN chain AND year = Y)
            models.UniqueConstraint(fields=["unit", "year", "measure"], name="target_unit_year_measure"),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_positive"),
            models.CheckConstraint(
                condition=(Q(comparison="range") & Q(value_max__isnull=False)
                           & Q(value_max__gte=F("value")))
                | (~Q(comparison="range") & Q(value_max__isnull=True)),
                name="target_range_bounds"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.measure}"


class FamilyCultureTitle(models.Model):
    """A worker's family recognised "Gia đình văn hóa" for a year (awarded by the commune's
    People's Committee chair, Law on Emulation and Commendation 2022 Art. 80.3; the union records
    it, domain.md). `unit`: the unit that recorded it, whose officers manage the row."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="family_culture_titles")
    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "gia đình văn hóa"
        verbose_name_plural = "gia đình văn hóa"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="familytitle_person_year"),
        ]
        # "families recognised in the subtree's units in year Y" (family_title_count)
        indexes = [models.Index(fields=["unit", "year"], name="familytitle_unit_year")]

    def __str__(self) -> str:
        return f"GĐVH {self.person_id}/{self.year}"


class WelfareOccasion(models.TextChoices):
    """The occasions of welfare (chăm lo) named in the seed articles (shared/seeds/001_…txt:
    "Quốc tế Phụ nữ 8/3, Phụ nữ Việt Nam 20/10, Quốc tế Nam giới 19/11, Gia đình Việt Nam 28/6",
    Tết, health checks) and in the unions' welfare work (illness, hardship)."""

    WOMEN_8_3 = "8_3", "Quốc tế Phụ nữ 8/3"
    WOMEN_20_10 = "20_10", "Phụ nữ Việt Nam 20/10"
    MEN_19_11 = "19_11", "Quốc tế Nam giới 19/11"
    FAMILY_28_6 = "28_6", "Gia đình Việt Nam 28/6"
    TET = "TET", "Tết"
    ILLNESS = "OM_DAU", "Thăm hỏi ốm đau"
    HARDSHIP = "KHO_KHAN", "Hỗ trợ hoàn cảnh khó khăn"
    HEALTH_CHECK = "KHAM_SK", "Hỗ trợ khám sức khỏe"
    OTHER = "KHAC", "Dịp khác"


class FundingSource(models.TextChoices):
    UNION = "kp_cong_doan", "Kinh phí công đoàn cơ sở"
    UNION_ABOVE = "cd_cap_tren", "Công đoàn cấp trên hỗ trợ"
    AGENCY = "co_quan_dv", "Cơ quan, đơn vị"
    SPONSOR = "tai_tro", "Tài trợ, xã hội hóa"
    OTHER = "nguon_khac", "Nguồn khác"


class GiftKind(models.TextChoices):
    CASH = "tien_mat", "Tiền mặt"
    IN_KIND = "hien_vat", "Hiện vật"


class WelfareActivity(models.Model):
    """One welfare activity of a unit: an occasion on a day, paid from one funding source, with
    its beneficiaries. `year` is the day's year, kept for the per-year figures."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="welfare_activities")
    year = models.PositiveSmallIntegerField("năm")
    date = models.DateField("ngày")
    occasion = models.CharField("dịp", max_length=10, choices=WelfareOccasion.choices)
    funding = models.CharField("nguồn kinh phí", max_length=15, choices=FundingSource.choices,
                               default=FundingSource.UNION)
    title = models.CharField("nội dung", max_length=255, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hoạt động chăm lo"
        verbose_name_plural = "hoạt động chăm lo"
        ordering = ["-date", "-pk"]
        # "a unit's (a subtree's units') activities in year Y" (welfare list, welfare_counts)
        indexes = [models.Index(fields=["unit", "year"], name="welfare_unit_year")]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.date}"


class Beneficiary(models.Model):
    """Who received what from a welfare activity: a person of the roster, or only a name (a
    retired member, a worker's child); the amount in đồng (the value of a gift in kind)."""

    activity = models.ForeignKey(WelfareActivity, on_delete=models.CASCADE,
                                 related_name="beneficiaries")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    name = models.CharField("họ và tên", max_length=150)
    amount = models.PositiveBigIntegerField("số tiền (đồng)", default=0)
    gift = models.CharField("hình thức", max_length=10, choices=GiftKind.choices,
                            default=GiftKind.CASH)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "người được chăm lo"
        verbose_name_plural = "người được chăm lo"
        ordering = ["pk"]
        constraints = [
            # the same person twice in one activity (two officers importing one file)
            models.UniqueConstraint(fields=["activity", "person"], condition=Q(person__isnull=False),
                                    name="beneficiary_once_per_activity"),
            models.CheckConstraint(condition=~Q(name=""), name="beneficiary_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class PartyCandidate(models.Model):
    """An outstanding member introduced by the union for Party admission (giới thiệu đoàn viên ưu
    tú), and admitted on `admitted_on` once the Party cell has admitted them."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE,
                               related_name="party_candidacies")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="party_candidates",
                             help_text="Công đoàn đã giới thiệu")
    introduced_on = models.DateField("ngày giới thiệu")
    admitted_on = models.DateField("ngày kết nạp", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đoàn viên ưu tú giới thiệu kết nạp Đảng"
        verbose_name_plural = "đoàn viên ưu tú giới thiệu kết nạp Đảng"
        ordering = ["-introduced_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "introduced_on"],
                                    name="partycandidate_person_introduced"),
            models.CheckConstraint(condition=Q(admitted_on__isnull=True)
                                   | Q(admitted_on__gte=F("introduced_on")),
                                   name="partycandidate_admitted_after"),
        ]
        indexes = [
            # "introduced in the subtree's units in [Y0-01-01, Y1-12-31]" (party_counts, lists)
            models.Index(fields=["unit", "introduced_on"], name="partycand_unit_introduced"),
            # "admitted in the subtree's units in [Y0-01-01, Y1-12-31]" (party_counts)
            models.Index(fields=["unit", "admitted_on"], name="partycand_unit_admitted"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.introduced_on}"

    @property
    def year(self) -> int:
        day: dt.date = self.introduced_on
        return day.year


class RecipientKind(models.TextChoices):
    BOTH = "ca_hai", "Tập thể và cá nhân"
    COLLECTIVE = "tap_the", "Tập thể"
    INDIVIDUAL = "ca_nhan", "Cá nhân"


class StatisticsReport(models.Model):
    """A statistics report an officer configured and saved for a unit: which awards of the
    register it counts (issuer levels or one issuer, forms, recipients, years, the subtree as it
    stood on 31/12 of each year) and how it lays them out (`reports.statistics`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                             related_name="statistics_reports", verbose_name="đơn vị")
    name = models.CharField("tên báo cáo", max_length=150)
    subtree = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                verbose_name="tính cho đơn vị (và các đơn vị trực thuộc)")
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")
    issuer_levels = models.JSONField("cấp khen thưởng", default=list, blank=True)
    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name="đơn vị khen thưởng")
    forms = models.JSONField("hình thức khen thưởng", default=list, blank=True)
    family = models.CharField("loại hình thức", max_length=12, blank=True)
    recipients = models.CharField("đối tượng", max_length=10, choices=RecipientKind.choices,
                                  default=RecipientKind.BOTH)
    rows = models.CharField("dòng theo", max_length=10)
    columns = models.CharField("cột theo", max_length=10, blank=True)
    values = models.JSONField("số liệu", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "báo cáo thống kê"
        verbose_name_plural = "báo cáo thống kê"
        ordering = ["name", "pk"]
        constraints = [
            # two officers saving the same name at once: one wins, the other is told
            models.UniqueConstraint(fields=["unit", "name"], name="statreport_unit_name"),
            models.CheckConstraint(condition=Q(year_from__lte=F("year_to")),
                                   name="statreport_years_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class YearFigure(models.Model):
    """A figure of the year-end report kept per unit and year (ADR 0032): the families
    recognised "Gia đình văn hóa" (and of them the women workers'), the members introduced for
    and admitted to the Party, and per welfare occasion the activities, beneficiaries and
    amount, each counted at the unit that recorded it. Reports and the dashboard sum a subtree's
    rows. Kept by `reports.kept`; `figures-check` recomputes it."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # a subtree's figures: WHERE year = Y AND unit_id IN (the subtree's units) AND key IN
            # (…) GROUP BY key (a range scan per unit), and the upsert's conflict target
            models.UniqueConstraint(fields=["year", "unit", "key"], name="yearfigure_year_unit_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.key}: {self.value}"
