"""Movements (phong trào thi đua), the plans that deploy them down the tree, and the yearly
registration (đăng ký thi đua) of titles, concrete commitments and pledges."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from thidua.movements.catalogue import Audience
from thidua.platform.files import FileRules


class YearKind(models.TextChoices):
    CALENDAR = "calendar", "Năm dương lịch"
    SCHOOL = "school", "Năm học"


class YearSetting(models.Model):
    """How a unit and the units below it count their emulation year. A school year starting on
    `start_month`/`start_day` of year Y-1 is emulation year Y (2017–2018 is 2018)."""

    unit = models.OneToOneField("org.Unit", on_delete=models.CASCADE, related_name="year_setting")
    kind = models.CharField("cách tính năm", max_length=10, choices=YearKind.choices,
                            default=YearKind.CALENDAR)
    start_month = models.PositiveSmallIntegerField("tháng bắt đầu năm học", default=9)
    start_day = models.PositiveSmallIntegerField("ngày bắt đầu năm học", default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(start_month__gte=1, start_month__lte=12),
                                   name="yearsetting_month"),
            models.CheckConstraint(condition=Q(start_day__gte=1, start_day__lte=28),
                                   name="yearsetting_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.kind}"


class Movement(models.Model):
    """A movement launched by `issuer`; `catalogue_code` names the standard movement it follows."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="movements")
    code = models.CharField("mã phong trào", max_length=40)
    name = models.CharField("tên phong trào", max_length=255)
    catalogue_code = models.CharField(max_length=40, blank=True)
    year = models.PositiveIntegerField("năm thi đua")
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    audience = models.CharField("đối tượng", max_length=20, choices=Audience.CHOICES,
                                default=Audience.ALL)
    content = models.TextField("nội dung", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "code"], name="movement_issuer_code"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                   name="movement_period"),
        ]
        indexes = [models.Index(fields=["year"], name="movement_year")]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A plan (kế hoạch) of `issuer` carrying one or more movements down its subtree."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="plans")
    number = models.CharField("số kế hoạch", max_length=60)
    date = models.DateField("ngày ban hành")
    year = models.PositiveIntegerField("năm thi đua")
    title = models.CharField("trích yếu", max_length=500)
    movements = models.ManyToManyField(Movement, related_name="plans")
    deadline = models.DateField("hạn triển khai", null=True, blank=True)
    levels = models.JSONField("cấp nhận triển khai", default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deployed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "number"], name="plan_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Deployment(models.Model):
    """The plan as received by one unit below the issuer: acknowledged, then launched there."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deployments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="deployments")
    unit_type = models.CharField(max_length=20)  # the unit's type when deployed (coverage groups)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    launched_on = models.DateField("ngày phát động", null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    launched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="deployment_plan_unit"),
        ]
        indexes = [models.Index(fields=["unit"], name="deployment_unit")]

    def __str__(self) -> str:
        return f"{self.plan_id}→{self.unit_id}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"movements/{instance.stored_name}"


class Attachment(models.Model):
    """A document attached to a movement or to a plan (exactly one of the two)."""

    movement = models.ForeignKey(Movement, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=255)  # relative to storage
    stored_name = models.CharField(max_length=80)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)  # pdf, docx, xlsx, jpg, png — from the bytes
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    rules: ClassVar[FileRules] = FileRules(folder="movements",
                                           kinds=("pdf", "docx", "xlsx", "jpg", "png"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(movement__isnull=False, plan__isnull=True)
                           | Q(movement__isnull=True, plan__isnull=False)),
                name="attachment_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class RegistrationRule(models.Model):
    """What `issuer` asks of the units and people below it for `year`, per kind of year (a
    district sets 25/01 for offices and 20/10 for schools): the deadline, the minimum number of
    concrete commitments, and the pledges to sign."""

    issuer = models.ForeignKey("org.Unit", on_delete=models.CASCADE,
                               related_name="registration_rules")
    year = models.PositiveIntegerField("năm thi đua")
    year_kind = models.CharField("cách tính năm", max_length=10, choices=YearKind.choices,
                                 default=YearKind.CALENDAR)
    deadline = models.DateField("hạn đăng ký", null=True, blank=True)
    min_commitments_unit = models.PositiveSmallIntegerField(
        "số việc làm cụ thể tối thiểu mỗi tập thể", default=0)
    min_commitments_member = models.PositiveSmallIntegerField(
        "số việc làm cụ thể tối thiểu mỗi đoàn viên", default=0)
    pledges = models.JSONField("nội dung cam kết", default=list, blank=True)
    note = models.TextField("ghi chú", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "year_kind"],
                                    name="registrationrule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.year} {self.year_kind}"


class Source(models.TextChoices):
    WEB = "web", "Trang đăng ký"
    GRID = "grid", "Bảng đăng ký của đơn vị"
    IMPORT = "import", "Nhập từ Excel"
    SELF = "self", "Tự đăng ký"
    API = "api", "API"
    DEMO = "demo", "Dữ liệu mẫu"


class Registration(models.Model):
    """A subject's registration for one year: a person or a unit (exactly one), its titles,
    commitments and pledges. `home_unit` is the unit whose roster the person was on (for a unit
    subject: the unit itself); lists by unit go through its path."""

    year = models.PositiveIntegerField("năm thi đua")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="registrations")
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="registrations")
    home_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    commitment_count = models.PositiveSmallIntegerField(default=0)
    registered_on = models.DateField("ngày đăng ký")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    late = models.BooleanField(default=False)
    late_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, unit__isnull=True)
                           | Q(person__isnull=True, unit__isnull=False)),
                name="registration_one_subject",
            ),
            models.UniqueConstraint(fields=["person", "year"], condition=Q(person__isnull=False),
                                    name="registration_person_year"),
            models.UniqueConstraint(fields=["unit", "year"], condition=Q(unit__isnull=False),
                                    name="registration_unit_year"),
        ]
        indexes = [
            models.Index(fields=["home_unit", "year"], name="registration_home_year"),
            models.Index(fields=["year", "person"], name="registration_year_person"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.person_id or ''}{self.unit_id or ''}"


class RegisteredTitle(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="titles")
    code = models.CharField(max_length=40)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "code"],
                                    name="registeredtitle_unique"),
        ]

    def __str__(self) -> str:
        return self.code


class Commitment(models.Model):
    """A concrete commitment (việc làm cụ thể), free text."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="commitments")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Pledge(models.Model):
    """A signed pledge, e.g. to follow the code of conduct of the city's public servants."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE,
                                     related_name="pledges")
    text = models.CharField(max_length=255)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "text"], name="pledge_unique"),
        ]

    def __str__(self) -> str:
        return self.text
