"""The national generator (issue 13 §4) at a small scale: what it says it wrote is what the
database holds, the 2025 provincial merger is in the tree's history, and a seed gives one data
set. The test command uses 0,0002 (2.260 people, 83 CĐCS, the whole tree's shape): 0,01 runs by hand
(bench/README.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count

from thidua.demo.national.fingerprint import fingerprint
from thidua.demo.national.generate import NationalReport, national_generate
from thidua.demo.national.shape import MERGERS
from thidua.honours.models import Award, Decision
from thidua.org.models import Unit
from thidua.people.figures import DEPENDENTS, figures_differences
from thidua.people.models import Employment, Membership, Person
from thidua.people.stats import unit_stats
from thidua.platform.errors import ApplicationError

SCALE = 0.0002
BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def _run(seed: int, check: bool = False) -> tuple[NationalReport, str]:
    """Generate, fingerprint, and roll back: the next run starts from an empty database again."""
    point = transaction.savepoint()
    try:
        report = national_generate(scale=SCALE, seed=seed, say=lambda _: None)
        if check:
            _check_counts_and_merger(report)
        return report, fingerprint()
    finally:
        transaction.savepoint_rollback(point)


def _check_counts_and_merger(report: NationalReport) -> None:
    by_type = dict(Unit.objects.order_by().values_list("type").annotate(n=Count("id")))
    assert by_type == report.units_by_type
    assert by_type["ldld_tinh"] == 63 and by_type["cd_nganh_tw"] + by_type["cd_tong_cong_ty"] == 20
    assert Person.objects.count() == report.persons == round(11_300_000 * SCALE)
    assert Person.objects.filter(member_code__isnull=False).count() == report.members
    assert Employment.objects.count() == report.persons + report.transfers
    assert 0 < Membership.objects.filter(opened_by="transfer").count() <= report.transfers
    assert Award.objects.count() == report.awards == sum(report.awards_by_form.values()) > 0
    assert report.rows["honours_award"] == report.awards
    assert not Award.objects.filter(decision__in=Decision.objects.filter(awards=None)).exists()
    assert report.database_bytes > 0

    provinces = Unit.objects.filter(type="ldld_tinh")
    assert provinces.alive_at(BEFORE).count() == 63
    assert provinces.alive_at(AFTER).count() == 34
    survivor, absorbed = "LDLD-PTO", MERGERS["LDLD-PTO"]
    workers_before = sum(unit_stats(Unit.objects.get(code=c), BEFORE)["workers"]
                         for c in [survivor, *absorbed])
    merged = Unit.objects.get(code=survivor)
    assert unit_stats(merged, AFTER)["workers"] == workers_before > 0
    for code in absorbed:
        gone = Unit.objects.get(code=code)
        assert gone.valid_to == AFTER and gone.numchild == 0
    # the pages read kept figures: after the bulk writes they equal the records
    assert figures_differences() == []
    assert [row for dependent in DEPENDENTS for row in dependent.differences()] == []


@pytest.mark.django_db
def test_the_generator_writes_what_it_reports_and_one_seed_gives_one_data_set():
    first, print_a = _run(7, check=True)
    again, print_b = _run(7)
    _, print_c = _run(8)
    assert print_a == print_b and first.rows == again.rows
    assert print_c != print_a


def test_the_generator_refuses_a_database_that_has_units(world):
    units = Unit.objects.count()
    with pytest.raises(ApplicationError, match="cơ sở dữ liệu trống"):
        national_generate(scale=SCALE, seed=1, say=lambda _: None)
    assert Unit.objects.count() == units > 0
