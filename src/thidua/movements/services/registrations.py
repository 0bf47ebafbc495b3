"""Registering for emulation: many rows at once (the grid, an import), one subject (the API), a
unit's own registration, and a member's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from thidua.movements.models import Registration, Source
from thidua.movements.permissions import require_manage
from thidua.movements.selectors import (
    home_unit_of,
    person_of,
    registrations_by_person,
    rule_for,
)
from thidua.movements.services.common import check_emulation_year, today
from thidua.movements.services.registrar import (
    COL_COMMITMENTS,
    COL_PLEDGES,
    COL_TITLES,
    BulkResult,
    Mode,
    Registrar,
    RegistrationInput,
    run,
)
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError


def registrations_bulk_create(
    *, actor: Actor, unit: Unit, year: int, rows: Sequence[RegistrationInput],
    mode: str = Mode.MERGE, registered_on: dt.date | None = None, source: str = Source.GRID,
    late_reason: str = "", valid_only: bool = False, dry_run: bool = False,
) -> BulkResult:
    """Register many people and units of `unit`'s subtree for `year` at once: every row is
    checked (roster that year, title kinds, minimum commitments, deadline, duplicates), then
    everything is written in one transaction with bulk inserts and one audit entry. Any invalid
    row means nothing is written, unless `valid_only`. `mode`: MERGE adds to what each subject
    registered (re-running is a no-op), REPLACE makes each row the whole registration (an empty
    row withdraws it), CREATE refuses a subject that already registered."""
    require_manage(actor, unit.path)
    year = check_emulation_year(year)
    now = today()
    on = registered_on or now
    if on > now:
        raise ApplicationError("Ngày đăng ký không thể sau hôm nay.", field="registered_on")
    registrar = Registrar(actor=actor, root=unit, year=year, today=now, registered_on=on,
                          mode=mode, late_reason=late_reason, self_person=None, source=source)
    return run(registrar, rows, valid_only=valid_only, dry_run=dry_run)


def _single(result: BulkResult) -> Registration | None:
    if result.errors:
        first = result.errors[0]
        raise ApplicationError(first.message, field={
            COL_TITLES: "titles", COL_COMMITMENTS: "commitments", COL_PLEDGES: "pledges",
        }.get(first.column))
    return result.registrations[0] if result.registrations else None


def registration_create(
    *, actor: Actor, year: int, person: Person | None = None, unit: Unit | None = None,
    via_unit: Unit | None = None, titles: Sequence[str] = (), commitments: Sequence[str] = (),
    pledges: Sequence[str] = (), late_reason: str = "", source: str = Source.WEB,
    registered_on: dt.date | None = None,
) -> Registration:
    """Register a person (through `via_unit`, whose roster they are on) or a unit for `year`.
    A subject that already registered that year is refused: its registration is edited instead."""
    if (person is None) == (unit is None):
        raise ApplicationError("Bản đăng ký phải là của một người hoặc của một đơn vị.")
    scope = unit if unit is not None else via_unit
    if scope is None:
        raise ApplicationError("Hãy chọn đơn vị của người đăng ký.", field="unit")
    label = person.full_name if person is not None else scope.name
    row = RegistrationInput(person_id=person.pk if person else None,
                            unit_id=unit.pk if unit else None, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1,
                            label=label)
    result = registrations_bulk_create(actor=actor, unit=scope, year=year, rows=[row],
                                       mode=Mode.CREATE, registered_on=registered_on,
                                       source=source, late_reason=late_reason)
    reg = _single(result)
    assert reg is not None
    return reg


def registration_update(
    *, actor: Actor, registration: Registration, titles: Sequence[str],
    commitments: Sequence[str], pledges: Sequence[str] = (), late_reason: str = "",
    source: str = Source.WEB,
) -> Registration | None:
    """Replace a registration's titles, commitments and pledges; all empty withdraws it (None)."""
    reg = Registration.objects.select_related("home_unit", "unit").get(pk=registration.pk)
    scope = reg.unit if reg.unit is not None else reg.home_unit
    row = RegistrationInput(person_id=reg.person_id, unit_id=reg.unit_id, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1)
    result = registrations_bulk_create(actor=actor, unit=scope, year=reg.year, rows=[row],
                                       mode=Mode.REPLACE, source=source, late_reason=late_reason)
    written = _single(result)
    if result.created or result.updated:
        return written
    return None if result.deleted else reg


def self_registration_save(
    *, actor: Actor, year: int, titles: Sequence[str], commitments: Sequence[str],
    pledges: Sequence[str] = (),
) -> Registration | None:
    """A member registers (or changes, or withdraws with everything empty) their own titles and
    commitments for `year`, through the roster they are on that year."""
    person = person_of(actor)
    if person is None:
        raise ApplicationError("Tài khoản của bạn chưa gắn với hồ sơ người lao động nào; hãy "
                               "đề nghị cán bộ công đoàn gắn tài khoản với hồ sơ của bạn.")
    year = check_emulation_year(year)
    home = home_unit_of(person, year)
    if home is None:
        raise ApplicationError(f"Bạn không có trong danh sách người lao động của đơn vị nào "
                               f"năm {year}.")
    now = today()
    registrar = Registrar(actor=actor, root=home, year=year, today=now, registered_on=now,
                          mode=Mode.REPLACE, late_reason="", self_person=person,
                          source=Source.SELF)
    row = RegistrationInput(person_id=person.pk, titles=list(titles),
                            commitments=list(commitments), pledges=list(pledges), row=1,
                            label=person.full_name)
    result = run(registrar, [row], valid_only=False, dry_run=False)
    written = _single(result)
    if result.created or result.updated:
        return written
    return None if result.deleted else Registration.objects.filter(
        person=person, year=year).first()


def unit_registration_save(
    *, actor: Actor, unit: Unit, year: int, titles: Sequence[str], commitments: Sequence[str],
    pledges: Sequence[str] = (), late_reason: str = "",
) -> Registration | None:
    """The unit's own registration as its officer types it on the registration page: it becomes
    exactly what is typed (all empty withdraws it). The first refusal of the row is raised."""
    row = RegistrationInput(unit_id=unit.pk, titles=list(titles), commitments=list(commitments),
                            pledges=list(pledges), row=1, label=unit.name)
    result = registrations_bulk_create(actor=actor, unit=unit, year=year, rows=[row],
                                       mode=Mode.REPLACE, source=Source.WEB,
                                       late_reason=late_reason)
    if result.errors:
        raise ApplicationError(result.errors[0].message)
    return result.registrations[0] if result.registrations else None


@dataclass
class GridRow:
    """One person's line of the registration grid: the titles ticked, the commitments typed one
    per line, and whether the rule's pledges are signed."""

    person_id: int
    titles: Sequence[str] = ()
    commitments: str = ""
    pledged: bool = False


def registrations_grid_save(
    *, actor: Actor, unit: Unit, year: int, rows: Sequence[GridRow], late_reason: str = "",
) -> BulkResult:
    """Save a page of the registration grid: each line becomes that person's whole registration
    (an empty line withdraws it). Ticking "pledged" signs the pledges already signed, or else the
    rule's; unticking withdraws them. Error rows are numbered as the lines (1, 2, …)."""
    rule = rule_for(unit, year)
    rule_pledges = list(rule.pledges) if rule else []
    ids = [r.person_id for r in rows]
    existing = registrations_by_person(person_ids=ids, year=year)
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "full_name"))
    inputs = []
    for n, r in enumerate(rows, start=1):
        old = existing.get(r.person_id)
        old_pledges = list(old.pledges) if old else []
        if rule_pledges:
            pledges = (old_pledges or rule_pledges) if r.pledged else []
        else:
            pledges = old_pledges
        inputs.append(RegistrationInput(
            person_id=r.person_id, titles=sorted(r.titles), commitments=r.commitments.splitlines(),
            pledges=pledges, row=n, label=names.get(r.person_id, "")))
    return registrations_bulk_create(actor=actor, unit=unit, year=year, rows=inputs,
                                     mode=Mode.REPLACE, source=Source.GRID,
                                     late_reason=late_reason)
