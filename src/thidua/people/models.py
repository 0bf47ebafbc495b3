"""Workers (CBCCVCLĐ) and, among them, union members, each in dated periods in units."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from thidua.accounts.models import Role
from thidua.org.permissions import path_q, restrict_queryset
from thidua.platform.actor import Visitor
from thidua.platform.collation import BinaryOrder, SortedOrder


def by_name(prefix: str = "", *, indexed: bool = True) -> list[Any]:
    """ORDER BY for people lists in Vietnamese order (given name, then full name); `prefix`
    reaches the person through a relation, e.g. by_name("person__"). `indexed=False` gives the
    same order in a form no index serves: the rows are selected, then sorted."""
    order = BinaryOrder if indexed else SortedOrder
    return [order(f"{prefix}sort_name"), f"{prefix}id" if prefix else "id"]


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class PersonQuerySet(models.QuerySet["Person"]):
    def restrict(self, user: Visitor, role: str = Role.VIEWER) -> PersonQuerySet:
        """People the user may see: those ever on the roster of a unit in the user's subtrees
        (employment or membership, by the unit's current path), and the user's own record."""
        own = Q(user=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])

        def on_roster(paths: list[str]) -> Q:
            if not paths:
                return own
            employed = Employment.objects.filter(path_q(paths, "unit__path"), person=OuterRef("pk"))
            member = Membership.objects.filter(path_q(paths, "unit__path"), person=OuterRef("pk"))
            return own | Q(Exists(employed)) | Q(Exists(member))

        return restrict_queryset(self, user, field=None, role=role, also=on_roster)


class Person(models.Model):
    """A worker. `name_folded` (lower case, no diacritics) serves search; `version` guards edits."""

    full_name = models.CharField("họ và tên", max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    # the Vietnamese order key of given name then full name (`person_order_key`), ordered by code
    # point (`by_name`); written with the name by the services, the import and the exchange
    sort_name = models.CharField(max_length=1000, editable=False, default="")
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    # CCCD is text: it has leading zeros (province codes 001–096).
    cccd = models.CharField("số CCCD", max_length=12, unique=True, null=True, blank=True)
    ethnicity = models.CharField("dân tộc", max_length=50, blank=True, default="Kinh")
    position = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    member_code = models.CharField("mã đoàn viên", max_length=20, unique=True, null=True, blank=True)
    # The day the person joined the trade union (kết nạp), as their file says; it may be years
    # before their first membership period here, which starts when they join a unit's roster.
    union_joined_on = models.DateField("ngày vào Công đoàn", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "người lao động"
        verbose_name_plural = "người lao động"
        ordering = [BinaryOrder("sort_name"), "id"]
        indexes = [
            # a page of a people list: ORDER BY sort_name (code point), id LIMIT 50 — walked in
            # order for a large subtree instead of sorting its whole roster (bench/README.md)
            models.Index(BinaryOrder("sort_name"), "id", name="person_order"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Employment(models.Model):
    """The person works in (is on the roster of) `unit` during [valid_from, valid_to)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="employments")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # counts of a subtree at D: WHERE unit_id IN (...) AND valid_from <= D ...
            models.Index(fields=["unit", "valid_from"], name="employment_unit_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="employment_valid_period",
            ),
            # one open employment per person
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="employment_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.unit_id} {self.valid_from}–{self.valid_to or ''}"


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", "Đang sinh hoạt"
    SUSPENDED = "suspended", "Tạm dừng sinh hoạt"


class MembershipEvent(models.TextChoices):
    JOIN = "join", "Kết nạp"
    TRANSFER = "transfer", "Chuyển sinh hoạt"
    SUSPEND = "suspend", "Tạm dừng sinh hoạt"
    RESUME = "resume", "Sinh hoạt trở lại"
    LEAVE = "leave", "Ra khỏi tổ chức Công đoàn"
    MOVE_UNIT = "unit_change", "Đơn vị sắp xếp lại"


class Membership(models.Model):
    """A period of union membership in `unit` with one status; the event that opened it is kept."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    opened_by = models.CharField(
        max_length=12, choices=MembershipEvent.choices, default=MembershipEvent.JOIN
    )
    closed_by = models.CharField(max_length=12, choices=MembershipEvent.choices, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["valid_from", "id"]
        indexes = [
            models.Index(fields=["unit", "valid_from"], name="membership_unit_from"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="membership_valid_period",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="membership_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.unit_id} {self.status} {self.valid_from}–{self.valid_to or ''}"


class Counter(models.Model):
    """Named counters handed out in blocks under a row lock (member codes)."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang xử lý"
    DONE = "done", "Hoàn tất"
    FAILED = "failed", "Có lỗi, chưa ghi dữ liệu"


class ImportJob(models.Model):
    """One uploaded roster file and what became of it; the page polls `processed` / `total`."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="import_jobs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    # a name in the storage (platform.files), e.g. "imports/3f2a….xlsx": any app server or
    # worker sharing the storage reads it
    file = models.FileField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True)
    effective_date = models.DateField()
    valid_only = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default="queued")
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    # failed for a reason outside the file (the worker died, a system error): the same file may
    # simply be run again
    retryable = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0

