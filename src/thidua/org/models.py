"""The union tree. `Unit` is the tree as it stands today (treebeard materialised path);
`UnitVersion` keeps one row per period of a unit's name and place, so any date's tree can be read."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from thidua.accounts.models import Role
from thidua.org.permissions import restrict_queryset
from thidua.platform.actor import Visitor


class UnitType(models.TextChoices):
    TLD = "tld", "Tổng Liên đoàn Lao động Việt Nam"
    LDLD_TINH = "ldld_tinh", "LĐLĐ tỉnh, thành phố"
    CD_NGANH_TW = "cd_nganh_tw", "Công đoàn ngành Trung ương"
    CD_TONG_CONG_TY = "cd_tong_cong_ty", "Công đoàn tổng công ty"
    CAP_TREN_CO_SO = "cap_tren_co_so", "Công đoàn cấp trên trực tiếp cơ sở"
    CDCS = "cdcs", "Công đoàn cơ sở"
    CDCS_THANH_VIEN = "cdcs_thanh_vien", "Công đoàn cơ sở thành viên"
    CD_BO_PHAN = "cd_bo_phan", "Công đoàn bộ phận"
    TO_CD = "to_cd", "Tổ công đoàn"


def alive_at(day: dt.date, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to) period contains `day`; valid_to is the first day not valid."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


class UnitQuerySet(MP_NodeQuerySet):
    def alive_at(self, day: dt.date) -> UnitQuerySet:
        return self.filter(alive_at(day))

    def within(self, paths: list[str]) -> UnitQuerySet:
        """Units in the current subtrees rooted at these paths."""
        if not paths:
            return self.none()
        q = Q()
        for path in paths:
            q |= Q(path__startswith=path)
        return self.filter(q)

    def restrict(self, user: Visitor, role: str = Role.VIEWER) -> UnitQuerySet:
        """Units in the user's subtrees for `role` (as the tree stands today)."""
        return restrict_queryset(self, user, field="path", role=role)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):  # type: ignore[misc]
    def get_queryset(self) -> UnitQuerySet:
        # treebeard's manager builds a plain MP_NodeQuerySet; ours keeps its ordering and methods
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """A union organisation with a stable code; its name and place over time live in UnitVersion."""

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=80, blank=True)
    type = models.CharField("loại đơn vị", max_length=20, choices=UnitType.choices)
    # Start of the unit's first period in the system (history needs one); not always its
    # founding: when that is unknown, `founded_on` is empty and the pages say so.
    valid_from = models.DateField("hoạt động trên hệ thống từ ngày")
    valid_to = models.DateField("chấm dứt từ ngày", null=True, blank=True)
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    node_order_by: list[str] = []
    objects: ClassVar[UnitManager] = UnitManager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        indexes = [
            # "the tree's roots" (`depth=1`: whether a scope holds every root, in
            # honours.selectors._scoped, twice a decisions page; who may edit the catalogue):
            # without it a scan of every unit, 13 ms a query at a tenth of the nation
            models.Index(fields=["path"], condition=Q(depth=1), name="unit_roots"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_period",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_alive(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class UnitVersionQuerySet(models.QuerySet["UnitVersion"]):
    def at(self, day: dt.date) -> UnitVersionQuerySet:
        return self.filter(alive_at(day))

    def subtree(self, path: str) -> UnitVersionQuerySet:
        return self.filter(path__startswith=path)

    def children_of(self, version: UnitVersion) -> UnitVersionQuerySet:
        """The versions one level below `version` (with `at(day)`: its children that day). By
        the parent's id, which its index finds at once; the path and depth say the same and
        stay as a guard. By path and depth alone the root's children read every version of the
        tree (all paths start with the root's: 62.000 rows, 9 ms a query at a tenth of the
        nation)."""
        return self.filter(parent_id=version.unit_id, path__startswith=version.path,
                           depth=version.depth + 1)


class UnitVersion(models.Model):
    """One period of a unit's name and position. At any date the versions valid then form a tree."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    parent = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="child_versions"
    )
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=80, blank=True)
    path = models.CharField(max_length=255)
    depth = models.PositiveIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    objects = UnitVersionQuerySet.as_manager()

    class Meta:
        indexes = [
            # "subtree of P as of D": path LIKE 'P%' AND valid_from <= D AND (valid_to > D ...)
            models.Index(fields=["path", "valid_from"], name="unitversion_path_from"),
            # "the version of unit U at D"
            models.Index(fields=["unit", "valid_from"], name="unitversion_unit_from"),
            # "the children of P at D in tree order, a page of them and their number"
            # (`kept_children_page`, `children_at`): without it PostgreSQL walked the path
            # index from the tree's start for a page of a cấp trên's 1.446 children, filtering
            # 615.000 versions (98 ms → 1,3 ms at the nation's size)
            models.Index(fields=["parent", "path"], name="unitversion_parent_path"),
            # "the tree's roots at D in tree order" (`tree_roots` for a user granted them all)
            models.Index(fields=["path"], condition=Q(depth=1), name="unitversion_roots"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="unitversion_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitversion_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from}–{self.valid_to or ''})"


class UnitEventKind(models.TextChoices):
    CREATE = "create", "Thành lập"
    RENAME = "rename", "Đổi tên"
    MOVE = "move", "Chuyển đơn vị cấp trên"
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"
    DISSOLVE = "dissolve", "Giải thể"


class UnitEvent(models.Model):
    """A dated change to the tree, with the units before and after it."""

    kind = models.CharField(max_length=20, choices=UnitEventKind.choices)
    date = models.DateField()
    note = models.TextField(blank=True)
    decision = models.CharField("số quyết định", max_length=80, blank=True)
    units_before = models.ManyToManyField(Unit, related_name="events_as_before", blank=True)
    units_after = models.ManyToManyField(Unit, related_name="events_as_after", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["date"], name="unitevent_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class AwardLine(models.Model):
    """An issuer above the unit other than its tree ancestors (e.g. CĐVC Việt Nam for CĐVC Hà Nội)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="award_lines")
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="award_line_units")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "issuer", "valid_from"], name="awardline_unique_start"
            ),
            models.CheckConstraint(condition=~Q(unit=models.F("issuer")), name="awardline_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ← {self.issuer}"


class KeptCounts(models.Model):
    """The figures kept for a subtree (ADR 0025, 0035), in the order of `org.figures.KEYS`."""

    workers = models.IntegerField(default=0)
    women = models.IntegerField(default=0)
    members = models.IntegerField(default=0)
    women_members = models.IntegerField(default=0)
    members_active = models.IntegerField(default=0)
    members_suspended = models.IntegerField(default=0)
    # the units of each type in the subtree, its root included (ADR 0035): the unit page's
    # "đơn vị trực thuộc" and the report's units read them instead of counting the versions
    units_tld = models.IntegerField(default=0)
    units_ldld_tinh = models.IntegerField(default=0)
    units_cd_nganh_tw = models.IntegerField(default=0)
    units_cd_tong_cong_ty = models.IntegerField(default=0)
    units_cap_tren_co_so = models.IntegerField(default=0)
    units_cdcs = models.IntegerField(default=0)
    units_cdcs_thanh_vien = models.IntegerField(default=0)
    units_cd_bo_phan = models.IntegerField(default=0)
    units_to_cd = models.IntegerField(default=0)

    class Meta:
        abstract = True


class FigureDelta(KeptCounts):
    """How the people and unit figures of `unit`'s subtree change on `day` (ADR 0025, 0035):
    the subtree's figures at D, as the tree stood at D, are the sums of the unit's rows with
    day <= D. One row per unit and day. The roster's services (people.figures) write the
    changes of periods, a new unit its own count (org.figures); the tree events here move a
    subtree's rows between ancestors (org.figures). `figures_check` recomputes them from the
    periods and the versions."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            # the figures of U at D: SUM(...) WHERE unit_id = U AND day <= D (a range scan of
            # this index), and the upsert's conflict target
            models.UniqueConstraint(fields=["unit", "day"], name="figuredelta_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"


class FigureYear(KeptCounts):
    """The sum of `unit`'s `FigureDelta` rows whose day falls in `year`: the figures at D are
    this table's rows before D's year plus the day rows of D's year up to D, so a read takes
    at most one row a year and a year's days, not one row for every day on which anything
    changed below the unit since the records began (the TLĐ's children: 153.000 rows at a
    tenth of the nation, bench/README.md). Written with the day rows by `figures_add`;
    `figures_check` compares it with them."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.IntegerField()

    class Meta:
        constraints = [
            # the figures of U before year Y: SUM(...) WHERE unit_id = U AND year < Y (a range
            # scan of this index), and the upsert's conflict target
            models.UniqueConstraint(fields=["unit", "year"], name="figureyear_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class SubtreeFigure(models.Model):
    """The sum over `unit`'s subtree, as the tree stood on 31/12 of `year`, of a table kept per
    unit and year (ADR 0036): `key` is "<source>:<the source's key>" (`org.rollups.Rolled`),
    the source being the title, award or report figures. The dashboard's children and the
    year-end report read a unit's row instead of summing its subtree's rows (47.000 units at a
    tenth of the nation). Written with the source's rows (`org.rollups.rolled_add`), moved
    with a subtree (`rolled_move`); `figures-check` compares it with the source."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=100)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # the children's sums: WHERE year = Y AND unit_id IN (the children) AND key … (a
            # range scan per child), and the upsert's conflict target
            models.UniqueConstraint(fields=["year", "unit", "key"], name="subtreefigure_year_unit_key"),
        ]
        indexes = [
            # a moved subtree's rows: WHERE unit_id = S AND year >= Y
            models.Index(fields=["unit", "year"], name="subtreefigure_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.key}: {self.value}"


class DatedFigure(models.Model):
    """A figure of `unit`'s subtree kept as dated deltas under a string key, for figures that
    are counted at a day (not on 31/12) and that only a higher app can count: the figure at D
    is `SUM(value) WHERE unit_id = U AND key = K AND day <= D`, with the tree as it stood at D
    (ADR 0037: the people registered for a year, counted where they are on the roster on the
    registration page's day). Written by the app that owns the key (`org.dated.dated_add`),
    moved with a subtree by the tree events (`dated_move`, `dated_end`), checked by
    `figures-check`."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)
    day = models.DateField()
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # a page's figures at D: WHERE unit_id IN (the unit and its children) AND key LIKE
            # 'dk:Y:%' AND day <= D (a range scan per unit); a moved unit's rows (WHERE
            # unit_id = S); the upsert's conflict target
            models.UniqueConstraint(fields=["unit", "key", "day"], name="datedfigure_unit_key_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.key} {self.day}: {self.value}"
