"""Retention (issue 10 §2, NĐ 13/2023): people who left more than N years ago lose their CCCD,
phone, e-mail, date of birth and ethnicity — listed first, removed with --apply, one audit entry
per run —; their name and periods stay for the decisions and award registers that name them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from thidua.audit.models import AuditEntry
from thidua.people.models import Person
from thidua.people.services import person_leave_unit, person_update
from thidua.testing import make_person


def _left(world, name: str, years_ago: int) -> Person:
    person = make_person(world.cdcs_a, name)
    person_update(actor=world.admin, person=person, expected_version=person.version,
                  phone="0912 345 678", email="a@example.vn")
    day = timezone.localdate().replace(month=1, day=1) - dt.timedelta(days=365 * years_ago)
    person_leave_unit(actor=world.admin, person=person, date=day)
    return Person.objects.get(pk=person.pk)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("people_retention", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_lists_and_changes_nothing_then_apply_anonymises(world, settings):
    settings.THIDUA_RETENTION_YEARS_AFTER_LEAVING = 5
    old = _left(world, "Lê Văn Cũ", years_ago=7)
    recent = _left(world, "Lê Văn Mới", years_ago=2)
    before = AuditEntry.objects.count()
    listing = _run()
    assert "Lê Văn Cũ" in listing and "Lê Văn Mới" not in listing
    assert "1 người" in listing and "--apply" in listing
    assert Person.objects.get(pk=old.pk).cccd == old.cccd
    assert AuditEntry.objects.count() == before  # a dry run writes nothing

    assert "1 người" in _run("--apply")
    gone = Person.objects.get(pk=old.pk)
    assert (gone.cccd, gone.phone, gone.email, gone.birth_date, gone.ethnicity) == (
        None, "", "", None, "")
    assert gone.full_name == "Lê Văn Cũ" and gone.member_code == old.member_code  # public records
    assert gone.employments.count() == 1 and gone.version == old.version + 1
    kept = Person.objects.get(pk=recent.pk)
    assert kept.cccd == recent.cccd and kept.phone == "0912 345 678"
    [entry] = AuditEntry.objects.filter(seq__gt=before)
    assert entry.action == "person.anonymise" and entry.after["people"] == [old.pk]
    assert entry.after["years"] == 5
    # nothing left to do: the next run finds no one (and still leaves its one entry)
    assert "0 người" in _run("--apply")


def test_people_still_on_a_roster_are_never_touched(world, settings):
    settings.THIDUA_RETENTION_YEARS_AFTER_LEAVING = 0
    _run("--apply")
    assert Person.objects.get(pk=world.member.pk).cccd  # still in TO-A1
    # --years overrides the setting
    old = _left(world, "Lê Văn Cũ", years_ago=3)
    assert "Lê Văn Cũ" not in _run("--years", "10")
    assert "Lê Văn Cũ" in _run("--years", "1")
    assert Person.objects.get(pk=old.pk).cccd == old.cccd
