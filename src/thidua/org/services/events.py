"""Changes to the union tree. Each is one transaction, refused whole with a Vietnamese message when
it would break the tree, and leaves a UnitEvent plus an audit entry.

Events are applied in date order: an event may not be dated before the current version of any
unit it touches (a correction of the past is made by undoing later events first). This keeps the
versions valid at any date a consistent copy of the tree as it stood on that date.

Who may: a leader (or higher) over every unit the event touches, including the parent a unit
is created or moved under; a new root only an installation-wide administrator. The command line
and the demo builder act as the installation (actor None)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from thidua.audit.services import audit_record
from thidua.org.dated import dated_end, dated_move
from thidua.org.figures import ancestors, figures_end, figures_move, units_figures_add
from thidua.org.models import Unit, UnitEvent, UnitEventKind, UnitType, UnitVersion
from thidua.org.permissions import require_new_root, require_tree_change
from thidua.org.rollups import rolled_end, rolled_move
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date


@dataclass(frozen=True)
class UnitSpec:
    """What is needed to create a unit (used by create, merge into a new unit, split)."""

    code: str
    name: str
    type: str
    short_name: str = ""


class _AtStart:
    """`founded_on` default of `unit_create`: the unit is founded on the day it is created."""

    def __repr__(self) -> str:
        return "AT_START"


AT_START = _AtStart()


def _check_code(code: str) -> str:
    code = code.strip().upper()
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_." for c in code):
        raise ApplicationError(
            f"Mã đơn vị «{code}» không hợp lệ: chỉ dùng chữ không dấu, số và dấu gạch (tối đa 40 ký tự).",
            field="code",
        )
    if Unit.objects.filter(code=code).exists():
        raise ApplicationError(f"Mã đơn vị «{code}» đã được dùng cho đơn vị khác.", field="code")
    return code


def _check_type(type_: str) -> str:
    if type_ not in UnitType.values:
        raise ApplicationError(f"Loại đơn vị «{type_}» không có trong danh mục.", field="type")
    return type_


def _check_alive(unit: Unit, day: dt.date, what: str = "Đơn vị") -> None:
    if day < unit.valid_from:
        raise ApplicationError(
            f"{what} «{unit.name}» thành lập ngày {vn_date(unit.valid_from)}; "
            f"không thể ghi sự kiện ngày {vn_date(day)}.",
            field="date",
        )
    if unit.valid_to is not None and day >= unit.valid_to:
        raise ApplicationError(
            f"{what} «{unit.name}» đã chấm dứt hoạt động từ ngày {vn_date(unit.valid_to)}.",
            field="date",
        )


def current_version(unit: Unit) -> UnitVersion:
    return unit.versions.order_by("-valid_from").first()  # type: ignore[return-value]


def _check_chronology(units: Iterable[Unit], day: dt.date) -> None:
    ids = [u.pk for u in units]
    latest = (
        UnitVersion.objects.filter(unit_id__in=ids, valid_from__gt=day)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
    if latest:
        raise ApplicationError(
            f"Đơn vị «{latest.unit.name}» đã có thay đổi ghi ngày {vn_date(latest.valid_from)}, "
            f"sau ngày {vn_date(day)}. Hãy ghi các sự kiện theo thứ tự thời gian.",
            field="date",
        )


def _reversion(units: Sequence[Unit], day: dt.date, **overrides: Any) -> None:
    """Close each unit's open version at `day` and open a new one from the unit's current row.
    A version opened the same day is rewritten in place instead (same-day corrections)."""
    by_unit = {
        v.unit_id: v
        for v in UnitVersion.objects.filter(unit__in=units, valid_to__isnull=True)
    }
    to_close, to_update, to_create = [], [], []
    for unit in units:
        old = by_unit.get(unit.pk)
        parent = Unit.objects.get_parent(unit, update=True)
        fields = {
            "parent": parent,
            "name": overrides.get("name", unit.name),
            "short_name": overrides.get("short_name", unit.short_name),
            "path": unit.path,
            "depth": unit.depth,
        }
        if old is not None and old.valid_from == day:
            for key, value in fields.items():
                setattr(old, key, value)
            to_update.append(old)
            continue
        if old is not None:
            old.valid_to = day
            to_close.append(old)
        to_create.append(UnitVersion(unit=unit, valid_from=day, **fields))
    UnitVersion.objects.bulk_update(to_close, ["valid_to"])
    UnitVersion.objects.bulk_update(to_update, ["parent", "name", "short_name", "path", "depth"])
    UnitVersion.objects.bulk_create(to_create)


def _live_subtree(unit: Unit) -> list[Unit]:
    """The unit and its descendants that have not ended."""
    return list(
        Unit.objects.filter(path__startswith=unit.path, valid_to__isnull=True).order_by("path")
    )


def _event(
    *, kind: str, day: dt.date, actor: Actor | None, before: Sequence[Unit], after: Sequence[Unit],
    note: str = "", decision: str = "", extra: dict[str, Any] | None = None,
) -> UnitEvent:
    event = UnitEvent.objects.create(
        kind=kind, date=day, note=note, decision=decision,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event.units_before.set(before)
    event.units_after.set(after)
    audit_record(
        actor=actor,
        action=f"unit.{kind}",
        object_type="unit_event",
        object_id=event.pk,
        unit_id=(after or before)[0].pk if (after or before) else None,
        after={
            "date": day,
            "before": [u.code for u in before],
            "after": [u.code for u in after],
            "note": note,
            "decision": decision,
        } | (extra or {}),
    )
    return event


def _insert(spec: UnitSpec, parent: Unit | None, day: dt.date,
            founded_on: dt.date | None | _AtStart = AT_START) -> Unit:
    code = _check_code(spec.code)
    _check_type(spec.type)
    name = spec.name.strip()
    if not name:
        raise ApplicationError("Tên đơn vị không được để trống.", field="name")
    fields = {
        "code": code, "name": name, "short_name": spec.short_name.strip(),
        "type": spec.type, "valid_from": day,
        "founded_on": day if isinstance(founded_on, _AtStart) else founded_on,
    }
    try:
        with transaction.atomic():
            unit: Unit = (
                Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
            )
    except IntegrityError as exc:  # a concurrent insert of the same code
        raise ApplicationError(f"Mã đơn vị «{code}» đã được dùng cho đơn vị khác.") from exc
    version = UnitVersion.objects.create(
        unit=unit, parent=parent, name=unit.name, short_name=unit.short_name,
        path=unit.path, depth=unit.depth, valid_from=day,
    )
    units_figures_add([version.pk])  # the new unit counts in its own and its ancestors' figures
    return unit


@transaction.atomic
def unit_create(
    *, actor: Actor | None, code: str, name: str, type: str, valid_from: dt.date,
    parent: Unit | None = None, short_name: str = "", note: str = "", decision: str = "",
    founded_on: dt.date | None | _AtStart = AT_START,
) -> Unit:
    """A new unit, in the tree from `valid_from`. `founded_on` is its founding date: by default
    `valid_from`; `None` when it is not known (a unit already running when the system starts
    tracking it: `valid_from` is then only the start of its tracked history)."""
    if isinstance(founded_on, dt.date) and founded_on > valid_from:
        raise ApplicationError("Ngày thành lập không được sau ngày bắt đầu theo dõi đơn vị.",
                               field="founded_on")
    if parent is None:
        require_new_root(actor)
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        require_tree_change(actor, parent.path)
        _check_alive(parent, valid_from, "Đơn vị cấp trên")
        _check_chronology([parent], valid_from)
    unit = _insert(UnitSpec(code, name, type, short_name), parent, valid_from, founded_on)
    _event(kind=UnitEventKind.CREATE, day=valid_from, actor=actor, before=[], after=[unit],
           note=note, decision=decision, extra={"founded_on": unit.founded_on})
    return unit


@transaction.atomic
def unit_rename(
    *, actor: Actor | None, unit: Unit, name: str, date: dt.date, short_name: str | None = None,
    note: str = "", decision: str = "",
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_tree_change(actor, unit.path)
    _check_alive(unit, date)
    _check_chronology([unit], date)
    name = name.strip()
    if not name:
        raise ApplicationError("Tên mới không được để trống.", field="name")
    unit.name = name
    if short_name is not None:
        unit.short_name = short_name.strip()
    unit.save(update_fields=["name", "short_name"])
    _reversion([unit], date)
    _event(kind=UnitEventKind.RENAME, day=date, actor=actor, before=[unit], after=[unit],
           note=note, decision=decision)
    return unit


def _move(unit: Unit, new_parent: Unit, day: dt.date) -> None:
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ApplicationError(
            f"Không thể chuyển «{unit.name}» vào chính nó hoặc vào một đơn vị trực thuộc nó.",
            field="parent",
        )
    _check_alive(new_parent, day, "Đơn vị cấp trên mới")
    subtree = _live_subtree(unit)
    _check_chronology([*subtree, new_parent], day)
    old_ancestors = ancestors(unit)
    Unit.objects.move(unit, new_parent, pos="last-child")
    moved = list(Unit.objects.filter(pk__in=[u.pk for u in subtree]).order_by("path"))
    _reversion(moved, day)
    unit.refresh_from_db()
    new_ancestors = ancestors(unit)
    figures_move(unit, day, old=old_ancestors, new=new_ancestors)
    rolled_move(unit, day, old=old_ancestors, new=new_ancestors)
    dated_move(unit, day, old=old_ancestors, new=new_ancestors)


@transaction.atomic
def unit_move(
    *, actor: Actor | None, unit: Unit, new_parent: Unit, date: dt.date, note: str = "", decision: str = "",
) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_tree_change(actor, unit.path)
    require_tree_change(actor, new_parent.path)
    _check_alive(unit, date)
    current_parent = Unit.objects.get_parent(unit)
    if current_parent is not None and current_parent.pk == new_parent.pk:
        raise ApplicationError(f"«{unit.name}» đã trực thuộc «{new_parent.name}».", field="parent")
    _move(unit, new_parent, date)
    unit.refresh_from_db()
    _event(kind=UnitEventKind.MOVE, day=date, actor=actor, before=[unit], after=[unit],
           note=note, decision=decision)
    return unit


def _end(unit: Unit, day: dt.date) -> None:
    figures_end(unit, day)
    above = ancestors(unit)
    rolled_end(unit, day, ancestors=above)
    dated_end(unit, day, ancestors=above)
    unit.valid_to = day
    unit.save(update_fields=["valid_to"])
    UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day)


@transaction.atomic
def unit_dissolve(
    *, actor: Actor | None, unit: Unit, date: dt.date, note: str = "", decision: str = ""
) -> Unit:
    """End a unit that has no live child unit left (its roster is checked by
    `people.services.unit_dissolve_with_roster`)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_tree_change(actor, unit.path)
    _check_alive(unit, date)
    _check_chronology([unit], date)
    children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1,
                                   valid_to__isnull=True).count()
    if children:
        raise ApplicationError(
            f"«{unit.name}» còn {children} đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể "
            "các đơn vị đó trước."
        )
    _end(unit, date)
    _event(kind=UnitEventKind.DISSOLVE, day=date, actor=actor, before=[unit], after=[],
           note=note, decision=decision)
    return unit


@transaction.atomic
def unit_merge(
    *, actor: Actor | None, sources: Sequence[Unit], date: dt.date, into: Unit | None = None,
    new_unit: UnitSpec | None = None, parent: Unit | None = None, note: str = "",
    decision: str = "",
) -> Unit:
    """Merge `sources` into an existing unit `into`, or into a new unit `new_unit` under `parent`.
    Their child units move to the merged unit on `date`; their people are the roster's side
    (`people.services.unit_merge_with_roster`)."""
    if (into is None) == (new_unit is None):
        raise ApplicationError("Hãy chọn hoặc đơn vị nhận sáp nhập, hoặc thông tin đơn vị mới.")
    sources = list(Unit.objects.select_for_update().filter(pk__in=[s.pk for s in sources]))
    if len(sources) < (1 if into else 2):
        raise ApplicationError("Cần ít nhất hai đơn vị để hợp nhất.")
    for s in sources:
        require_tree_change(actor, s.path)
    for s in sources:
        _check_alive(s, date)
    _check_chronology(sources, date)
    if into is not None:
        into = Unit.objects.select_for_update().get(pk=into.pk)
        require_tree_change(actor, into.path)
        if into.pk in {s.pk for s in sources}:
            raise ApplicationError("Đơn vị nhận sáp nhập không được nằm trong danh sách bị sáp nhập.")
        _check_alive(into, date, "Đơn vị nhận sáp nhập")
        if any(into.path.startswith(s.path) for s in sources):
            raise ApplicationError("Đơn vị nhận sáp nhập không được trực thuộc đơn vị bị sáp nhập.")
        target = into
    else:
        assert new_unit is not None
        if parent is None:
            parent = Unit.objects.get_parent(sources[0])
        if parent is None:
            require_new_root(actor)
        else:
            require_tree_change(actor, parent.path)
            _check_alive(parent, date, "Đơn vị cấp trên")
            if any(parent.path.startswith(s.path) for s in sources):
                raise ApplicationError("Đơn vị cấp trên mới không được trực thuộc đơn vị bị hợp nhất.")
        target = _insert(new_unit, parent, date)
    for source in sources:
        source.refresh_from_db()
        for child in Unit.objects.filter(path__startswith=source.path, depth=source.depth + 1,
                                         valid_to__isnull=True).order_by("path"):
            _move(child, target, date)
            target.refresh_from_db()
        source.refresh_from_db()
        _end(source, date)
    _event(kind=UnitEventKind.MERGE, day=date, actor=actor, before=sources, after=[target],
           note=note, decision=decision)
    return target


@transaction.atomic
def unit_split(
    *, actor: Actor | None, source: Unit, date: dt.date, parts: Sequence[UnitSpec],
    children: dict[int, str] | None = None, note: str = "", decision: str = "",
) -> list[Unit]:
    """Split `source` into new units `parts` (returned in that order). `children` maps each live
    child unit's id to a part's code; the roster is the people side
    (`people.services.unit_split_with_roster`)."""
    children = children or {}
    source = Unit.objects.select_for_update().get(pk=source.pk)
    parent = Unit.objects.get_parent(source)
    require_tree_change(actor, source.path)
    if parent is None:
        require_new_root(actor)
    else:
        require_tree_change(actor, parent.path)
    _check_alive(source, date)
    _check_chronology(_live_subtree(source), date)
    if len(parts) < 2:
        raise ApplicationError("Chia tách cần ít nhất hai đơn vị mới.")
    codes = [p.code.strip().upper() for p in parts]
    if len(set(codes)) != len(codes):
        raise ApplicationError("Các đơn vị mới phải có mã khác nhau.")
    unknown = {c for c in children.values() if c.strip().upper() not in codes}
    if unknown:
        raise ApplicationError(f"Mã đơn vị không thuộc các đơn vị mới: {', '.join(sorted(unknown))}.")
    live_children = list(Unit.objects.filter(path__startswith=source.path, depth=source.depth + 1,
                                             valid_to__isnull=True))
    unassigned = [c.name for c in live_children if c.pk not in children]
    if unassigned:
        raise ApplicationError(
            "Các đơn vị trực thuộc chưa được phân về đơn vị mới: " + ", ".join(unassigned) + "."
        )
    new_units = {spec.code.strip().upper(): _insert(spec, parent, date) for spec in parts}
    for child in live_children:
        target = new_units[children[child.pk].strip().upper()]
        _move(child, target, date)
    source.refresh_from_db()
    _end(source, date)
    _event(kind=UnitEventKind.SPLIT, day=date, actor=actor, before=[source],
           after=list(new_units.values()), note=note, decision=decision)
    return list(new_units.values())
