"""Search cannot be used to read a masked CCCD (issue 10 §2): a viewer who fishes digit by digit
through every search path learns nothing; an officer who may read the number still searches by
a fragment of it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.evaluation.selectors import roster_search
from thidua.people.permissions import mask_cccd
from thidua.testing import make_person


def _paths(user):
    """Each search path a user can type into: (name, function of the query -> found?)."""
    client = Client()
    client.force_login(user)

    def api(q: str, target) -> bool:
        body = client.get("/api/people", {"q": q}).json()
        return any(r["id"] == target.pk for r in body["items"])

    def api_unit(q: str, target) -> bool:
        body = client.get("/api/people", {"q": q, "unit": "CDCS-A"}).json()
        return any(r["id"] == target.pk for r in body["items"])

    def roster_page(q: str, target) -> bool:
        html = client.get(reverse("people:list"), {"q": q, "don_vi": "CDCS-A"}).content.decode()
        return target.full_name in html

    def picker(q: str, target) -> bool:
        return f'data-id="{target.pk}"' in client.get(reverse("people:search"), {"q": q}).content.decode()

    def year_roster(q: str, target) -> bool:
        return roster_search(target.employments.first().unit, 2024, q, user=user).filter(
            person=target).exists()

    return {"api": api, "api_unit": api_unit, "roster": roster_page, "picker": picker,
            "evaluation": year_roster}


def test_a_viewer_fishing_digit_by_digit_learns_nothing(world):
    # not a member: no member code whose digits could match instead of the CCCD
    target = make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", member=False)
    for name, found in _paths(world.viewer).items():
        known = ""
        for _ in range(2):
            hits = [d for d in "0123456789" if found(known + d, target)]
            assert hits == [], (name, known, hits)
            known += target.cccd[len(known)]  # even handed the right prefix, nothing more
        # a suffix, the usual way to recover the rest of a masked "*********345"
        assert not found(target.cccd[-5:], target), name
        assert found(target.cccd, target), name  # the whole number still finds the person


def test_the_mask_keeps_only_the_last_three_digits():
    # the birth date and gender shown beside it give digits 4–6: with the province code too,
    # only 3 digits would be left to try (1.000 whole-number searches)
    assert mask_cccd("001085012345") == "*********345"
    assert mask_cccd(None) == mask_cccd("") == ""


def test_an_officer_who_may_read_the_number_searches_by_a_fragment(world):
    target = make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", member=False)
    for user in (world.officer_cdcs, world.officer_above, world.admin):
        for name, found in _paths(user).items():
            assert found(target.cccd[-6:], target), (user, name)


def test_a_member_finds_their_own_number_by_a_fragment_and_nobody_elses(world):
    other = make_person(world.to_a1, "Phạm Thị Hoa", gender="nu", member=False)
    client = Client()
    client.force_login(world.member_user)
    mine = client.get("/api/people", {"q": world.member.cccd[-6:]}).json()
    assert [r["id"] for r in mine["items"]] == [world.member.pk]
    theirs = client.get("/api/people", {"q": other.cccd[-6:]}).json()
    assert theirs["items"] == []


def test_whole_number_look_ups_by_a_viewer_are_audited_and_rationed(world, settings):
    """With the mask and the birth date shown, ~1.000 whole-number guesses would find a number:
    such look-ups are counted, and past the allowance they find nobody — like a wrong guess."""
    settings.THIDUA_CCCD_LOOKUPS_PER_DAY = 3
    target = make_person(world.cdcs_a, "Phạm Thị Hoa", gender="nu", member=False)
    found = _paths(world.viewer)["api"]
    wrong = [target.cccd[:-1] + d for d in "0123456789" if target.cccd[:-1] + d != target.cccd]
    assert not found(wrong[0], target) and not found(wrong[1], target)
    assert found(target.cccd, target)  # the third: still within the allowance
    assert not found(target.cccd, target)  # the fourth finds nobody, as a wrong guess would
    entries = AuditEntry.objects.filter(action="person.cccd_lookup", actor=world.viewer)
    assert entries.count() == 3
    # an officer typing the number of someone they manage spends nothing
    assert _paths(world.officer_cdcs)["api"](target.cccd, target)
    assert not AuditEntry.objects.filter(action="person.cccd_lookup",
                                         actor=world.officer_cdcs).exists()
