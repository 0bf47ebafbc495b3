"""People lists in Vietnamese order, in the database (SQLite and PostgreSQL) as in Python."""

from __future__ import annotations

import datetime as dt

from thidua.people.models import Person, by_name
from thidua.people.selectors import roster
from thidua.platform.collation import vn_name_key
from thidua.testing import make_person

NAMES = ["Nguyễn Văn Đức", "Nguyễn Văn Dũng", "Lê Văn Dung", "Trần Văn Dụng", "Phạm Văn Duy"]


def test_roster_sorts_dung_before_duc_by_given_name(world):
    for name in NAMES:
        make_person(world.cdcs_b, name)
    got = [e.person.full_name for e in roster(user=world.officer_above,
                                              unit_path=world.cdcs_b.path,
                                              day=dt.date(2024, 1, 1))]
    assert got == ["Lê Văn Dung", "Nguyễn Văn Dũng", "Trần Văn Dụng", "Phạm Văn Duy",
                   "Nguyễn Văn Đức"]
    assert got == sorted(NAMES, key=vn_name_key)
    # the model's default order is the same
    assert [p.full_name for p in Person.objects.filter(full_name__in=NAMES)] == got


MANY = ["Trần Thị Ánh", "trần thị ánh", "Phạm Bình", "Phạm Bình An", "Võ Ân", "Hồ An", "Lê An",
        "Lê Anh", "Nguyễn Văn A", "Nguyễn Văn A2", "Nguyễn-Văn B", "Ơn", "Ôn", "Đa", "Da",
        "Ngô Thị Ảnh", "Ngô Thị Ạnh", "Ngô Thị Ãnh", "Lý Ánh", "Hà anh", "Hà Anh", "Hà Ánh"]


def test_the_database_orders_stored_keys_as_python_orders_the_names(world):
    """`sort_name` holds `person_order_key`; both databases order it by code point (COLLATE "C"
    on PostgreSQL, BINARY on SQLite), which must be the Vietnamese order of the names."""
    ids = [make_person(world.cdcs_b, name).pk for name in MANY]
    got = [p.full_name for p in Person.objects.filter(pk__in=ids).order_by(*by_name())]
    assert got == sorted(MANY, key=vn_name_key)


def test_a_small_roster_is_sorted_a_large_one_read_along_the_name_index(world, monkeypatch):
    """A roster the kept count says is small is selected, then sorted: never a walk of every
    person in name order looking for the subtree's first page, whatever the planner thinks the
    subtree holds (3,0 s at 1.000.000 members when its path statistics lagged). The order is
    the same either way."""
    import pytest
    from django.db import connection, transaction

    from thidua.people import selectors

    if connection.vendor != "postgresql":
        pytest.skip("SQLite drives a roster from the subtree's employments either way")
    for name in NAMES:
        make_person(world.cdcs_b, name)
    day = dt.date(2024, 1, 1)

    def plan_and_names() -> tuple[str, list[str]]:
        qs = roster(user=world.officer_above, unit_path=world.cdcs_b.path, day=day)
        with transaction.atomic(), connection.cursor() as cursor:
            # make sorting look dear: the index walk is what the planner would pick then
            cursor.execute("SET LOCAL enable_sort = off")
            plan = qs[:50].explain()
        return plan, [e.person.full_name for e in qs]

    plan, small = plan_and_names()
    assert "person_order" not in plan
    monkeypatch.setattr(selectors, "SORTED_ROSTER_MAX", 0)
    monkeypatch.setattr(selectors, "_people_estimate", lambda: 0)
    plan, large = plan_and_names()
    assert "person_order" in plan
    assert small == large == sorted(NAMES, key=vn_name_key)
    # a large roster that is a small share of many people is sorted too: the walk would read
    # about 50 × people / workers entries, each dearer than a row sorted (WALK_COST)
    workers = selectors.roster_workers(unit_path=world.cdcs_b.path, day=day)
    share = workers * workers // (selectors.WALK_COST * selectors.PAGE_MATCHES)
    monkeypatch.setattr(selectors, "_people_estimate", lambda: share + 1)
    plan, sorted_ = plan_and_names()
    assert "person_order" not in plan
    monkeypatch.setattr(selectors, "_people_estimate", lambda: max(share - 1, 0))
    plan, walked = plan_and_names()
    assert "person_order" in plan
    assert sorted_ == walked == small


def test_a_search_in_a_large_roster_with_few_matches_is_sorted_not_walked(world, monkeypatch):
    """A large roster (its kept count above SORTED_ROSTER_MAX) is read along the name index;
    filtered by a search, the COUNT the page makes anyway tells how many rows match, and few
    are then selected and sorted instead of walking the index for them. Many matches still
    walk it. The order is the same."""
    import pytest
    from django.db import connection, transaction

    from thidua.people import selectors
    from thidua.people.selectors import roster_counted

    if connection.vendor != "postgresql":
        pytest.skip("SQLite drives a roster from the subtree's employments either way")
    for name in NAMES:
        make_person(world.cdcs_b, name)
    day = dt.date(2024, 1, 1)
    monkeypatch.setattr(selectors, "SORTED_ROSTER_MAX", 3)  # the roster (5 + the world) is large
    monkeypatch.setattr(selectors, "_people_estimate", lambda: 0)

    def plan_and_names(query: str, *, search: bool = False) -> tuple[int, str, list[str]]:
        qs = roster(user=world.officer_above, unit_path=world.cdcs_b.path, day=day, query=query)
        qs, total = roster_counted(qs, None, query=query if search else "")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")  # the index walk looks cheaper
            plan = qs[:50].explain()
        return total, plan, [e.person.full_name for e in qs]

    total, plan, few = plan_and_names("nguyen van")  # 2 matches
    assert total == 2 and "person_order" not in plan
    assert few == ["Nguyễn Văn Dũng", "Nguyễn Văn Đức"]
    total, plan, many = plan_and_names("van")  # 5 matches: more than SORTED_ROSTER_MAX
    assert total == 5 and "person_order" in plan
    assert many == sorted(NAMES, key=vn_name_key)
    # among many people, the walk for a page of 50 would read ~50 × 1.000 / 5 entries: sorted
    monkeypatch.setattr(selectors, "_people_estimate", lambda: 1_000)
    total, plan, many = plan_and_names("van")
    assert total == 5 and "person_order" not in plan
    assert many == sorted(NAMES, key=vn_name_key)
    # a name search of up to SORTED_SEARCH_MAX matches is sorted whatever the estimate says:
    # its matches may all sit in one stretch of the index (the given name's)
    monkeypatch.setattr(selectors, "_people_estimate", lambda: 0)
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 5)
    total, plan, many = plan_and_names("van", search=True)
    assert total == 5 and "person_order" not in plan
    assert many == sorted(NAMES, key=vn_name_key)
    monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", 4)
    total, plan, _ = plan_and_names("van", search=True)
    assert "person_order" in plan


def test_a_search_with_digits_reads_both_trigram_indexes_not_every_person(world):
    """A query holding a digit matches the folded name OR the member code: on PostgreSQL each
    side has its trigram index, so the OR is a BitmapOr of two index scans, never a scan of
    every person (193 → 100 ms for a province of 1.000.000, bench/README.md); both kinds of
    match are found."""
    import pytest
    from django.db import connection, transaction

    from thidua.people.selectors import people_search

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index; its folded-name btree serves prefixes")
    coded = make_person(world.cdcs_b, "Nguyễn Văn Mười")
    Person.objects.filter(pk=coded.pk).update(member_code="DV0000012345")
    named = make_person(world.cdcs_b, "Người Lao Động 12")
    qs = people_search(Person.objects.all(), "0000012", user=world.admin)
    assert list(qs.values_list("pk", flat=True)) == [coded.pk]
    qs = people_search(Person.objects.all(), "lao động 12", user=world.admin)
    assert list(qs.values_list("pk", flat=True)) == [named.pk]
    with transaction.atomic(), connection.cursor() as cursor:
        # a handful of rows: make the scan look dear, as it is for a province
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # no walk of a whole index either
        plan = qs.order_by().explain()
    assert "people_person_code_trgm" in plan and "people_person_name_trgm" in plan, plan
    assert "Seq Scan on people_person" not in plan, plan


def test_a_person_search_of_few_matches_is_sorted_and_of_many_walked(world, monkeypatch):
    """The picker's and the API's person search (`people_by_name`): a bounded COUNT of the
    matches decides; up to SORTED_SEARCH_MAX they are selected, then sorted (their given name
    may put them all in one late stretch of the name index), above it the index is walked.
    The order is the same either way."""
    import pytest
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction

    from thidua.people import selectors
    from thidua.people.selectors import people_by_name, people_search

    for name in NAMES:
        make_person(world.cdcs_b, name)

    def plan_and_names(limit: int) -> tuple[str, list[str]]:
        monkeypatch.setattr(selectors, "SORTED_SEARCH_MAX", limit)
        qs = people_by_name(people_search(Person.objects.all(), "van", user=AnonymousUser()),
                            "van")
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL enable_sort = off")  # the index walk looks cheaper
            plan = qs[:50].explain()
        return plan, [p.full_name for p in qs]

    sorted_plan, few = plan_and_names(5)
    walked_plan, many = plan_and_names(4)
    assert few == many == sorted(NAMES, key=vn_name_key)
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the same order; the plans are PostgreSQL's")
    assert "person_order" not in sorted_plan
    assert "person_order" in walked_plan
