"""The national generator (issue 13 §4) at a small scale: what it says it wrote is what the
database holds, the CĐCS's yearly records (gradings, launches, registrations, recognitions of
initiatives) are there with their kept sums, the 2025 provincial merger is in the tree's
history, and a seed gives one data set. The test command uses 0,0002 (2.260 people, 83 CĐCS, the whole tree's shape): 0,01 runs by hand
(bench/README.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from thidua.demo.national.fingerprint import fingerprint
from thidua.demo.national.generate import NationalReport, national_generate
from thidua.demo.national.shape import MERGERS, REGISTRATION_YEAR, YEARS
from thidua.evaluation.models import SCALE_LABELS, Grading
from thidua.evaluation.services import scale_for_year
from thidua.honours.models import Award, Candidate, Decision, Proposal, ProposalStatus
from thidua.initiatives.models import Initiative, Recognition
from thidua.movements.models import Commitment, Deployment, Plan, Registration
from thidua.org.models import SubtreeFigure, Unit, UnitVersion
from thidua.people.figures import DEPENDENTS, figures_differences
from thidua.people.models import Employment, Membership, Person
from thidua.people.stats import unit_stats
from thidua.platform.errors import ApplicationError
from thidua.reports.compose import award_groups
from thidua.reports.figures import year_figures
from thidua.reports.summary import summary_figures
from thidua.reports.tests.award_fold import fold

SCALE = 0.0002
BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def _run(seed: int, check: bool = False) -> tuple[NationalReport, str]:
    """Generate, fingerprint, and roll back: the next run starts from an empty database again."""
    point = transaction.savepoint()
    try:
        report = national_generate(scale=SCALE, seed=seed, say=lambda _: None)
        if check:
            _check_counts_and_merger(report)
            _check_yearly_records(report)
            _check_award_groups()
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
    _check_proposals(report)

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


def _check_proposals(report: NationalReport) -> None:
    """Every award decided above the recipient's CĐCS answers a candidate of a decided
    proposal sent to its issuer that year, for its form, from a unit below the issuer, three
    weeks before the decision; a CĐCS's own Giấy khen answers none."""
    assert report.rows["honours_proposal"] > 0 and report.rows["honours_candidate"] > 0
    own = Award.objects.filter(issuer=F("home_unit"))
    assert own.exists() and not own.filter(candidate__isnull=False).exists()
    above = Award.objects.exclude(issuer=F("home_unit"))
    assert above.count() == Candidate.objects.count() == report.rows["honours_candidate"]
    paths = dict(UnitVersion.objects.at(BEFORE).values_list("unit_id", "path"))
    forms = set()
    for a in above.select_related("candidate__proposal", "decision"):
        c = a.candidate
        assert c is not None, a.pk
        p = c.proposal
        assert (p.recipient_id, p.year, p.form) == (a.issuer_id, a.year, a.form)
        assert (c.person_id, c.subject_unit_id) == (a.person_id, a.subject_unit_id)
        assert p.status == ProposalStatus.DECIDED and p.unit_id != p.recipient_id
        assert paths[p.unit_id].startswith(paths[p.recipient_id])
        assert p.submitted_on == a.decision.date - dt.timedelta(days=21)
        forms.add(a.form)
    assert {"GK_CAP_TREN", "BK_LDLD"} <= forms
    # one proposal a year per sender, issuer and form; its candidates numbered from 1
    assert not Proposal.objects.values("unit", "recipient", "year", "form").annotate(
        n=Count("id")).filter(n__gt=1).exists()
    orders = Candidate.objects.values("proposal").annotate(
        n=Count("id"), top=Max("order"), low=Min("order"))
    assert not orders.exclude(top=F("n")).exists() and not orders.exclude(low=1).exists()


GRASSROOTS = ("cdcs", "cdcs_thanh_vien")
NEW_TABLES = ("evaluation_gradingtemplate", "evaluation_grading", "movements_movement",
              "movements_plan", "movements_plan_movements", "movements_deployment",
              "movements_registration", "movements_registeredtitle", "movements_commitment",
              "initiatives_recognition")


def _check_yearly_records(report: NationalReport) -> None:
    """The CĐCS's gradings, launches and registrations and the initiatives' recognitions are
    written at realistic rates, and the dashboard's subtree sums of them are kept."""
    assert all(report.rows[table] > 0 for table in NEW_TABLES), report.rows
    cdcs_years = Unit.objects.filter(type__in=GRASSROOTS).count() * len(YEARS)
    gradings = Grading.objects.select_related("template")
    assert report.gradings == gradings.count() == report.rows["evaluation_grading"]
    assert 0.8 * cdcs_years < report.gradings <= cdcs_years
    assert not gradings.exclude(unit__type__in=GRASSROOTS).exists()
    assert not gradings.values("unit", "year").annotate(n=Count("id")).filter(n__gt=1).exists()
    for g in gradings:  # the scale in force that year, the total inside the label's band
        scale = scale_for_year(g.year)
        assert g.template.year == g.year and g.template.scale == scale
        assert g.label in SCALE_LABELS[scale]
        bands = [(b["label"], b["min_points"]) for b in g.template.thresholds]
        i = [label for label, _ in bands].index(g.label)
        assert bands[i][1] <= g.total and (i == 0 or g.total < bands[i - 1][1])
    strong = gradings.filter(label__in=["HTXSNV", "vung_manh"]).count()
    assert 0.2 < strong / report.gradings < 0.5

    launched = Deployment.objects.filter(launched_at__isnull=False, unit__type__in=GRASSROOTS)
    assert report.launched == launched.count() > 0
    assert 0.8 < report.launched / cdcs_years < 0.97
    paths = dict(UnitVersion.objects.at(BEFORE).values_list("unit_id", "path"))  # the plans' tree
    for d in Deployment.objects.select_related("plan", "unit"):
        assert d.unit_type == d.unit.type and paths[d.unit_id].startswith(paths[d.plan.issuer_id])
        if d.launched_at is not None:  # in the first quarter, received at the latest that day
            assert d.plan.date <= d.launched_on <= dt.date(d.plan.year, 3, 31)
            assert timezone.localtime(d.launched_at).date() == d.launched_on
            assert d.acknowledged_at is not None and d.acknowledged_at <= d.launched_at
    assert not Plan.objects.filter(movements=None).exists()

    registrations = Registration.objects.filter(unit__isnull=False).annotate(
        main=Count("titles", filter=Q(titles__code__in=["TTLDXS", "TTLDTT"]), distinct=True),
        commitments_n=Count("commitments", distinct=True))
    assert 0.75 < report.registrations / cdcs_years < 0.95
    assert report.registrations == registrations.count()
    assert not registrations.exclude(unit__type__in=GRASSROOTS).exists()
    assert not registrations.exclude(main=1).exists()
    assert not registrations.exclude(commitment_count=F("commitments_n")).exists()
    assert registrations.filter(titles__code="CQ_VAN_HOA").exists()
    assert Commitment.objects.filter(registration__unit__isnull=False).count() \
        >= 2 * report.registrations
    # most people registered for the year the benchmarks read, through the CĐCS whose roster they were on
    # that day, with 1–3 commitments
    people = Registration.objects.filter(person__isnull=False).annotate(
        commitments_n=Count("commitments", distinct=True))
    assert people.count() == report.registered_people
    assert 0.75 < report.registered_people / report.persons < 0.9
    assert not people.exclude(year=REGISTRATION_YEAR).exists()
    assert not people.exclude(commitment_count=F("commitments_n")).exists()
    assert not people.exclude(commitment_count__range=(1, 3)).exists()
    assert not people.exclude(home_unit__type__in=GRASSROOTS).exists()
    for r in people.select_related("person")[:200]:
        held = r.person.employments.filter(
            Q(valid_from__lte=r.registered_on)
            & (Q(valid_to__isnull=True) | Q(valid_to__gt=r.registered_on))).get()
        assert held.unit.path.startswith(r.home_unit.path)

    recognised = Initiative.objects.filter(status="recognized")
    assert recognised.exists() and Recognition.objects.count() == report.recognitions
    assert not recognised.exclude(recognitions__level="co_so").exists()
    assert not Recognition.objects.exclude(initiative__status="recognized").exists()
    assert not Recognition.objects.exclude(year=F("initiative__year")).exists()

    root = Unit.objects.get(type="tld")
    sums = {(year, key): value for year, key, value in SubtreeFigure.objects.filter(
        unit=root, key__in=["u:xep_loai", "m:phat_dong", "m:dang_ky", "i:cong_nhan"])
        .values_list("year", "key", "value")}
    for year in YEARS:  # every CĐCS is under the TLĐ on 31/12: its sums are the nation's
        assert sums[year, "u:xep_loai"] == Grading.objects.filter(year=year).count() > 0
        assert sums[year, "m:phat_dong"] == launched.filter(plan__year=year).count() > 0
        assert sums[year, "m:dang_ky"] == registrations.filter(year=year).count() > 0
    assert sum(v for (_, key), v in sums.items() if key == "i:cong_nhan") == recognised.count()
    # `figures_rebuild` rebuilds them, `figures-check` compares them (checked above)
    assert {"units", "movements", "initiatives", "registered"} <= {d.name for d in DEPENDENTS}


def _check_award_groups() -> None:
    """The pages' award rows grouped in the database (`award_counts(group_over=…)`) are
    every issuer's rows folded by the report's rule (`award_fold.fold`, in Python): for the TLĐ, whose CĐCS issuers are grouped,
    and for provinces, one of them ended by the 2025 merger; for one year and for several."""
    root = Unit.objects.get(type="tld")
    provinces = list(Unit.objects.filter(type="ldld_tinh").order_by("path")[:4])
    ended = Unit.objects.filter(type="ldld_tinh", valid_to__isnull=False).order_by("path")[:1]
    grouped_somewhere = False
    for unit in [root, *provinces, *ended]:
        for year in YEARS[-2:]:
            try:
                every = fold(year_figures(unit, year))
            except ApplicationError:  # ended before 31/12 of that year
                continue
            fast = award_groups(year_figures(unit, year, grouped=True))
            assert fast == every, (unit.code, year)
            grouped_somewhere |= any(r["issuer"].startswith("*") for r in fast)
        # several years: the kept rows of the last year's subtree summed, not its sums
        every = fold(year_figures(unit, YEARS[-2], since=YEARS[0]))
        fast = award_groups(year_figures(unit, YEARS[-2], since=YEARS[0], grouped=True))
        assert fast == every, (unit.code, "years")
    assert grouped_somewhere
    # the JSON file keeps every issuer; the page, the .docx and the .md read the groups
    year = YEARS[-1]
    assert summary_figures(root, year, fmt="json")["awards"] == year_figures(root, year)["awards"]
    docx = summary_figures(root, year, fmt="docx")["awards"]
    assert any(r["issuer"].startswith("*") for r in docx)


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


@pytest.mark.django_db
def test_the_foreign_keys_dropped_for_the_bulk_write_come_back_and_refuse_a_dangling_row(
        ) -> None:
    from django.db import IntegrityError, connection

    from thidua.demo.national.tables import foreign_keys_checked_once

    def keys() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' "
                           "AND conrelid = 'people_employment'::regclass")
            return int(cursor.fetchone()[0])

    if connection.vendor != "postgresql":
        with foreign_keys_checked_once([Employment]):  # nothing to do on SQLite
            pass
        return
    before = keys()
    assert before >= 2
    with foreign_keys_checked_once([Employment]):
        assert keys() == 0
    assert keys() == before
    with (pytest.raises(IntegrityError), transaction.atomic(),
          foreign_keys_checked_once([Employment]), connection.cursor() as cursor):
        # a person and a unit that do not exist
        cursor.execute("INSERT INTO people_employment (person_id, unit_id, valid_from) "
                       "VALUES (987654321, 987654321, '2024-01-01')")
