"""Roster actions on a person's record and account (see `people.services`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from thidua.audit.services import audit_record
from thidua.org.models import Unit
from thidua.org.permissions import require
from thidua.people.cccd import cccd_problems, normalise_cccd
from thidua.people.figures import people_figures, people_figures_add
from thidua.people.models import (
    Counter,
    Employment,
    Gender,
    Membership,
    MembershipEvent,
    Person,
)
from thidua.people.services.privacy import CCCD_CONFLICT, cccd_conflict_guard
from thidua.platform.actor import Actor
from thidua.platform.collation import person_order_key
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, fold, vn_date

MEMBER_CODE_PREFIX = "DV"
PERSON_FIELDS = ("full_name", "birth_date", "gender", "cccd", "ethnicity", "position", "phone", "email")


def member_codes_allocate(count: int) -> list[str]:
    """Reserve `count` new member codes (DV + 10 digits), unique across the installation."""
    return list(member_codes_reserve(count))


def member_codes_reserve(count: int) -> Iterator[str]:
    """`member_codes_allocate`, the codes spelt out one by one as they are taken (an import of
    300.000 people does not hold them all)."""
    if count <= 0:
        return iter(())
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(name="member_code")
        start = counter.value + 1
        counter.value += count
        counter.save(update_fields=["value"])
    return (f"{MEMBER_CODE_PREFIX}{n:010d}" for n in range(start, start + count))


def person_snapshot(person: Person) -> dict[str, Any]:
    return {f: getattr(person, f) for f in PERSON_FIELDS} | {"member_code": person.member_code}


def person_unit_path(person: Person) -> str:
    """Tree path of the unit the person belongs to now (or last belonged to): the unit whose
    officers may edit them."""
    employments = person.employments.select_related("unit")
    period = (
        employments.filter(valid_to__isnull=True).first()
        or employments.order_by("-valid_to").first()
        or person.memberships.select_related("unit").order_by("-valid_from").first()
    )
    # "\x00" matches no grant: nobody but an installation-wide admin may edit an orphan record
    return period.unit.path if period else "\x00"


def _clean_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "full_name" in out:
        out["full_name"] = clean_spaces(out["full_name"])
        if not out["full_name"]:
            raise ApplicationError("Họ và tên không được để trống.", field="full_name")
    if "gender" in out and out["gender"] not in Gender.values:
        raise ApplicationError("Giới tính phải là Nam hoặc Nữ.", field="gender")
    if out.get("cccd"):
        out["cccd"] = normalise_cccd(out["cccd"])
        problems = cccd_problems(
            out["cccd"], birth_date=out.get("birth_date"), gender=out.get("gender")
        )
        if problems:
            raise ApplicationError(" ".join(problems), field="cccd")
    elif "cccd" in out:
        out["cccd"] = None
    for key in ("ethnicity", "position", "phone", "email"):
        if key in out:
            out[key] = clean_spaces(out[key])
    return out


def person_create(
    *,
    actor: Actor,
    unit: Unit,
    full_name: str,
    gender: str,
    start_date: dt.date,
    birth_date: dt.date | None = None,
    cccd: str | None = None,
    ethnicity: str = "Kinh",
    position: str = "",
    phone: str = "",
    email: str = "",
    is_member: bool = False,
    join_date: dt.date | None = None,
) -> Person:
    """Add a worker to `unit`'s roster from `start_date`; with `is_member`, a membership too.
    A CCCD already on record is refused before the transaction (`cccd_conflict_guard`: the
    answer about someone managed elsewhere is audited even though nothing is written)."""
    require(actor, unit.path, "officer")
    cccd_conflict_guard(actor=actor, unit_id=unit.pk,
                        cccd=normalise_cccd(cccd) if cccd else None)
    with transaction.atomic():
        return _person_create(
            actor=actor, unit=unit, full_name=full_name, gender=gender, start_date=start_date,
            birth_date=birth_date, cccd=cccd, ethnicity=ethnicity, position=position,
            phone=phone, email=email, is_member=is_member, join_date=join_date)


def _person_create(
    *, actor: Actor, unit: Unit, full_name: str, gender: str, start_date: dt.date,
    birth_date: dt.date | None, cccd: str | None, ethnicity: str, position: str, phone: str,
    email: str, is_member: bool, join_date: dt.date | None,
) -> Person:
    if not unit.is_alive(start_date):
        raise ApplicationError(f"Đơn vị «{unit.name}» không hoạt động vào ngày {vn_date(start_date)}.")
    fields = _clean_person_fields(
        {"full_name": full_name, "gender": gender, "birth_date": birth_date, "cccd": cccd,
         "ethnicity": ethnicity, "position": position, "phone": phone, "email": email}
    )
    if fields["cccd"] and Person.objects.filter(cccd=fields["cccd"]).exists():
        raise ApplicationError(CCCD_CONFLICT, field="cccd")  # added in between: no one named
    person = Person(**fields, name_folded=fold(fields["full_name"]),
                    sort_name=person_order_key(fields["full_name"]))
    if is_member:
        person.member_code = member_codes_allocate(1)[0]
        person.union_joined_on = join_date or start_date
    person.save()
    Employment.objects.create(person=person, unit=unit, valid_from=start_date)
    if is_member:
        # a member since before they came here takes part in this unit from `start_date`
        joined_here = join_date is None or join_date >= start_date
        Membership.objects.create(
            person=person, unit=unit, valid_from=max(join_date or start_date, start_date),
            opened_by=MembershipEvent.JOIN if joined_here else MembershipEvent.TRANSFER,
            note="" if joined_here or join_date is None
            else f"Vào Công đoàn ngày {vn_date(join_date)}",
        )
    people_figures_add([person.pk])
    audit_record(
        actor=actor, action="person.create", object_type="person", object_id=person.pk,
        unit_id=unit.pk, after=person_snapshot(person) | {"unit": unit.code, "member": is_member},
    )
    return person


@transaction.atomic
def person_link_user(*, actor: Actor, person: Person, user: Actor) -> Person:
    """Give a member their own account: it sees only their own record."""
    require(actor, person_unit_path(person), "officer")
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ApplicationError("Tài khoản này đã gắn với một người khác.")
    before = person.user_id
    Person.objects.filter(pk=person.pk).update(user=user)
    person.user = user
    audit_record(actor=actor, action="person.link_user", object_type="person", object_id=person.pk,
                 before={"user_id": before}, after={"username": user.get_username()})
    return person


def person_update(*, actor: Actor, person: Person, expected_version: int, **changes: Any) -> Person:
    """Change identity fields. `expected_version` is the version the editor saw: a concurrent save
    in between makes this one fail instead of silently overwriting it. A new CCCD that is
    someone else's is refused first (`cccd_conflict_guard`)."""
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ApplicationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    if changes.get("cccd") and normalise_cccd(changes["cccd"]) != person.cccd:
        require(actor, person_unit_path(person), "officer")
        cccd_conflict_guard(actor=actor, unit_id=None, cccd=normalise_cccd(changes["cccd"]),
                            exclude_pk=person.pk)
    with transaction.atomic():
        return _person_update(actor=actor, person=person, expected_version=expected_version,
                              changes=changes)


def _person_update(*, actor: Actor, person: Person, expected_version: int,
                   changes: dict[str, Any]) -> Person:
    current = Person.objects.select_for_update().get(pk=person.pk)
    require(actor, person_unit_path(current), "officer")
    merged = {f: getattr(current, f) for f in PERSON_FIELDS} | changes
    cleaned = _clean_person_fields(merged)
    if cleaned["cccd"] and Person.objects.filter(cccd=cleaned["cccd"]).exclude(pk=person.pk).exists():
        raise ApplicationError(CCCD_CONFLICT, field="cccd")  # added in between: no one named
    before = person_snapshot(current)
    # a new gender moves the person's whole history between the women's figures
    with people_figures([person.pk] if cleaned["gender"] != current.gender else []):
        # The version check is in the UPDATE itself, so two editors cannot both win.
        updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
            **cleaned, name_folded=fold(cleaned["full_name"]),
            sort_name=person_order_key(cleaned["full_name"]), version=expected_version + 1
        )
    if not updated:
        raise ApplicationError(
            "Hồ sơ vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi sửa lại.",
            field="version",
        )
    current.refresh_from_db()
    audit_record(
        actor=actor, action="person.update", object_type="person", object_id=person.pk,
        before=before, after=person_snapshot(current),
    )
    return current
