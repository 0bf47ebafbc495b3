"""The demo's movements, plans and registrations: the coverage and the registration figures of
the seed articles, built on top of the base demo, and a second run that changes nothing."""

import datetime as dt

import pytest

from thidua.audit.models import AuditEntry
from thidua.demo.movements import demo_movements
from thidua.movements.models import (
    Commitment,
    Deployment,
    Plan,
    RegisteredTitle,
    Registration,
)
from thidua.movements.selectors import plan_coverage
from thidua.movements.selectors_progress import registration_progress
from thidua.org.models import Unit, alive_at
from thidua.people.models import Membership

D = dt.date


@pytest.fixture
def built(demo, db):
    return {"admin": demo.admin()}


def test_cdvc_plan_reaches_every_cdcs(built):
    plan = Plan.objects.get(issuer__code="CDVC-HN", year=2017)
    coverage = plan_coverage(plan)
    assert coverage.phrase() == "65/65 công đoàn cơ sở"
    assert coverage.phrase("percent") == "100% công đoàn cơ sở"
    assert coverage.acknowledged == coverage.launched == 65
    assert plan.movements.get().name == "Năm Kỷ cương hành chính 2017"
    # launched in 2017, not on the day the demo was built
    assert not Deployment.objects.filter(plan=plan).exclude(launched_on__year=2017).exists()


def test_hbt_plan_reaches_19_groups(built):
    plan = Plan.objects.get(issuer__code="CD-UBND-HBT", year=2023)
    assert plan_coverage(plan).phrase() == "19/19 tổ công đoàn"
    assert {m.name for m in plan.movements.all()} == {
        "Lao động giỏi", "Sáng kiến, sáng tạo", "Sửa đổi lề lối làm việc"}


def _members(code: str, day: dt.date) -> set[int]:
    unit = Unit.objects.get(code=code)
    ids = Unit.objects.filter(path__startswith=unit.path).values("pk")
    return set(Membership.objects.filter(alive_at(day), unit_id__in=ids)
               .values_list("person_id", flat=True))


def test_every_cdvc_member_registered_at_least_one_commitment(built):
    members = _members("CDVC-HN", D(2017, 3, 1))
    assert len(members) == 10_141
    regs = dict(Registration.objects.filter(year=2017, person_id__in=members)
                .values_list("person_id", "commitment_count"))
    assert set(regs) == members
    assert min(regs.values()) >= 1
    # the counters agree with the rows
    assert Commitment.objects.filter(registration__year=2017,
                                     registration__person__isnull=False).count() == sum(
        regs.values())


def test_every_cdcs_registered_at_least_two_commitments(built):
    cdvc = Unit.objects.get(code="CDVC-HN")
    cdcs = Unit.objects.filter(path__startswith=cdvc.path, type="cdcs")
    assert cdcs.count() == 65
    counts = dict(Registration.objects.filter(year=2017, unit__in=cdcs)
                  .values_list("unit_id", "commitment_count"))
    assert len(counts) == 65 and min(counts.values()) >= 2
    progress = registration_progress(unit=cdvc, year=2017, today=D(2026, 1, 1))
    assert progress.members == progress.members_registered == progress.members_enough == 10_141
    assert progress.banner() == ""
    line = next(x for x in progress.units_by_type if x.unit_type == "cdcs")
    assert line.launched_phrase == "65/65 công đoàn cơ sở"


def test_titles_most_ldtt_some_cstdcs(built):
    members = _members("CDVC-HN", D(2017, 3, 1))
    ldtt = RegisteredTitle.objects.filter(registration__year=2017, code="LDTT",
                                          registration__person_id__in=members).count()
    cstdcs = RegisteredTitle.objects.filter(registration__year=2017, code="CSTDCS").count()
    assert ldtt > 0.85 * len(members)
    assert 0 < cstdcs < 0.2 * len(members)


def test_hbt_members_and_women(built):
    members = _members("CD-UBND-HBT", D(2023, 1, 20))
    assert len(members) == 393
    regs = Registration.objects.filter(year=2023, person_id__in=members)
    assert regs.count() == 393
    women = regs.filter(person__gender="nu")
    assert women.exists()
    assert women.filter(titles__code="GVNDVN").count() == women.count()
    assert not regs.filter(person__gender="nam", titles__code="GVNDVN").exists()


def test_a_second_run_changes_nothing(built):
    before = (Registration.objects.count(), RegisteredTitle.objects.count(),
              Commitment.objects.count(), Deployment.objects.count(), Plan.objects.count())
    audit_before = AuditEntry.objects.count()
    demo_movements(actor=built["admin"])
    after = (Registration.objects.count(), RegisteredTitle.objects.count(),
             Commitment.objects.count(), Deployment.objects.count(), Plan.objects.count())
    assert after == before
    assert AuditEntry.objects.count() == audit_before
