"""Reads: coverage written as the articles write it, who has not registered, scoped lists, and the
registered titles the evaluation reads."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.movements import services
from thidua.movements.selectors import (
    coverage_phrase,
    movements_for,
    pending_for_user,
    percent_text,
    plan_coverage,
    plan_pending,
    plans_for,
    registered_titles,
    registrations_for,
    unit_registered_titles,
    visible_deployments,
)
from thidua.movements.selectors_progress import registration_progress
from thidua.movements.services import RegistrationInput
from thidua.movements.tests.helpers import ON_TIME, YEAR, deployed_plan, movement, rule
from thidua.org.models import Unit
from thidua.testing import make_person, make_unit

pytestmark = pytest.mark.django_db
D = dt.date


def test_coverage_phrases_as_the_articles_write_them():
    assert coverage_phrase(19, 19, "to_cd") == "19/19 tổ công đoàn"
    assert coverage_phrase(65, 65, "cdcs", style="percent") == "100% công đoàn cơ sở"
    assert coverage_phrase(9, 19, "to_cd", two_digits=True) == "09/19 tổ công đoàn"
    assert coverage_phrase(1234, 2000, "cdcs") == "1.234/2.000 công đoàn cơ sở"
    assert percent_text(39, 40) == "97,5%"
    assert percent_text(1, 3) == "33,3%"
    assert percent_text(0, 0) == "0%"


def test_a_plan_reaching_19_groups(world):
    cq = make_unit("CQ", "cdcs", world.hbt, name="Công đoàn cơ quan")
    groups = [make_unit(f"CQ-T{i:02d}", "to_cd", cq) for i in range(1, 20)]
    m = services.movement_create(actor=world.leader, issuer=cq, catalogue_code="SKST",
                                 start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    plan = services.plan_create(actor=world.leader, issuer=cq, number="01/KH", movements=[m],
                                date=D(YEAR, 1, 5), title="KH")
    services.plan_deploy(actor=world.leader, plan=plan, levels=["to_cd"], day=D(YEAR, 1, 5))
    deployments = list(plan.deployments.order_by("unit__code"))
    for dep in deployments[:18]:
        services.deployment_launch(actor=world.leader, deployment=dep)
    coverage = plan_coverage(plan)
    assert coverage.phrase() == "18/19 tổ công đoàn"
    assert coverage.lines[0].launched_percent_phrase == "94,7% tổ công đoàn"
    assert [d.unit for d in plan_pending(plan, world.leader, step="launch")] == [groups[-1]]
    services.deployment_launch(actor=world.leader, deployment=deployments[18])
    assert plan_coverage(plan).phrase() == "19/19 tổ công đoàn"
    assert plan_coverage(plan).phrase("percent") == "100% tổ công đoàn"


def test_coverage_lines_by_unit_type_and_query_count(world, django_assert_num_queries):
    plan = deployed_plan(world, levels=("cdcs", "to_cd"))
    services.deployment_acknowledge(actor=world.officer_cdcs,
                                    deployment=plan.deployments.get(unit=world.cdcs_a))
    with django_assert_num_queries(1):
        coverage = plan_coverage(plan)
    assert [(x.unit_type, x.total, x.acknowledged, x.launched) for x in coverage.lines] == [
        ("cdcs", 2, 1, 0), ("to_cd", 1, 0, 0)]
    assert coverage.phrase() == "0/2 công đoàn cơ sở, 0/1 tổ công đoàn"


def test_receiving_officers_see_only_their_own_deployments(world):
    plan = deployed_plan(world)
    assert plan in plans_for(world.officer_cdcs)
    assert plan not in plans_for(world.outsider)
    assert list(visible_deployments(world.officer_cdcs, plan).values_list(
        "unit__code", flat=True)) == ["CDCS-A"]
    assert visible_deployments(world.officer_above, plan).count() == 2
    assert plan_coverage(plan, world.officer_cdcs).phrase() == "0/1 công đoàn cơ sở"
    assert [d.unit.code for d in pending_for_user(world.officer_cdcs)] == ["CDCS-A"]
    assert not pending_for_user(world.viewer).exists()


def test_movements_visible_by_issuer_or_by_deployment(world):
    plan = deployed_plan(world)
    m = plan.movements.get()
    own = movement(world, catalogue_code="NTVT")  # never deployed
    assert set(movements_for(world.officer_above)) == {m, own}
    assert set(movements_for(world.officer_cdcs)) == {m}
    assert set(movements_for(world.outsider)) == set()
    assert set(movements_for(world.admin)) == {m, own}


def test_progress_counts_and_the_reminder_banner(world):
    rule(world, deadline=D(YEAR, 1, 25))
    others = [make_person(world.to_a1, f"Nguyễn Văn {i}", actor=world.admin) for i in range(2)]
    make_person(world.cdcs_b, "Lê Thị Mai", gender="nu", actor=world.admin)
    make_person(world.cdcs_a, "Hoàng Văn Hợp", member=False, actor=world.admin)
    services.registrations_bulk_create(
        actor=world.officer_above, unit=world.cdvc, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(person_id=world.member.pk, titles=["LDTT"], commitments=["A"],
                                row=1),
              RegistrationInput(unit_id=world.cdcs_a.pk, titles=["TTLDTT"],
                                commitments=["A", "B"], row=2)])
    progress = registration_progress(unit=world.cdvc, year=YEAR, today=D(YEAR + 1, 3, 1))
    assert progress.day == D(YEAR, 12, 31)  # the year is over: its last day
    assert (progress.members, progress.members_registered, progress.members_enough) == (4, 1, 1)
    assert progress.workers == 5 and progress.workers_registered == 1
    assert progress.banner() == f"Còn 3 đoàn viên chưa đăng ký, hạn 25/01/{YEAR}."
    by_code = {c.code: c for c in progress.children}
    assert (by_code["CDCS-A"].members, by_code["CDCS-A"].members_registered) == (3, 1)
    assert by_code["CDCS-A"].unit_registered and not by_code["CDCS-B"].unit_registered
    assert by_code["CDCS-B"].members_missing == 1
    assert [(x.unit_type, x.launched, x.total) for x in progress.units_by_type] == [
        ("cdcs", 1, 2), ("to_cd", 0, 1)]
    assert others  # made on the roster of TO-A1, counted under CDCS-A


def test_progress_counts_the_units_below_the_children_by_type_in_the_database(world):
    """The units below the children are counted, not read: a tổ's own registration is seen
    (acknowledged), and counted as done only with the commitments the rule asks of a unit."""
    rule(world, min_commitments_unit=2)
    services.registrations_bulk_create(
        actor=world.officer_above, unit=world.cdvc, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(unit_id=world.to_a1.pk, titles=["TTLDTT"],
                                commitments=["A", "B"], row=1),
              RegistrationInput(unit_id=world.cdcs_b.pk, titles=["TTLDTT"],
                                commitments=["A", "B"], row=2)])
    day = D(YEAR + 1, 3, 1)

    def lines(unit: Unit) -> list[tuple[str, int, int, int]]:
        return [(x.unit_type, x.total, x.acknowledged, x.launched)
                for x in registration_progress(unit=unit, year=YEAR, today=day).units_by_type]

    assert lines(world.cdvc) == [("cdcs", 2, 1, 1), ("to_cd", 1, 1, 1)]
    assert lines(world.hn) == [("cap_tren_co_so", 2, 0, 0), ("cdcs", 3, 1, 1),
                               ("to_cd", 1, 1, 1)]
    rule(world, min_commitments_unit=3)  # the rule asks more afterwards
    assert lines(world.cdvc) == [("cdcs", 2, 1, 0), ("to_cd", 1, 1, 0)]


def test_progress_query_count_does_not_grow_with_the_roster(world, django_assert_num_queries):
    for i in range(5):
        make_person(world.to_a1, f"Nguyễn Văn {i}", actor=world.admin)
    with django_assert_num_queries(7):
        registration_progress(unit=world.cdvc, year=YEAR, today=D(YEAR, 6, 1))


def test_registered_titles_for_the_evaluation(world):
    worker = make_person(world.cdcs_a, "Hoàng Văn Hợp", member=False, actor=world.admin)
    services.registrations_bulk_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(person_id=world.member.pk, titles=["LDTT", "GVNDVN"], row=1),
              RegistrationInput(person_id=worker.pk, commitments=["Chỉ có việc làm"], row=2),
              RegistrationInput(unit_id=world.cdcs_a.pk, titles=["TTLDXS"], row=3)])
    got = registered_titles(person_ids=[world.member.pk, worker.pk, 999999],
                            years=[YEAR, YEAR - 1])
    assert got == {(world.member.pk, YEAR): {"LDTT", "GVNDVN"}, (worker.pk, YEAR): set()}
    assert registered_titles(person_ids=[], years=[YEAR]) == {}
    assert unit_registered_titles(unit_ids=[world.cdcs_a.pk, world.cdcs_b.pk], years=[YEAR]) == {
        (world.cdcs_a.pk, YEAR): {"TTLDXS"}}


def test_registered_titles_query_count(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        registered_titles(person_ids=list(range(1, 500)), years=[YEAR])


def test_registrations_are_scoped_by_home_unit(world):
    reg = services.registration_create(actor=world.officer_cdcs, year=YEAR, person=world.member,
                                       via_unit=world.cdcs_a, titles=["LDTT"],
                                       registered_on=ON_TIME)
    assert reg in registrations_for(world.officer_above)
    assert reg in registrations_for(world.member_user)  # their own
    assert reg not in registrations_for(world.outsider)
