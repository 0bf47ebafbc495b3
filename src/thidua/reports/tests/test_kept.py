"""The year-end report's kept figures (reports.kept, ADR 0032): every service that writes a
family title, a Party candidacy or a welfare activity leaves them equal to a recomputation from
the records; a person's new gender moves their family between the women's counts; a refused
change writes nothing; `figures-check` finds a wrong row and `--rebuild` repairs it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thidua.people.services import person_update
from thidua.platform.errors import ApplicationError
from thidua.reports import selectors, services
from thidua.reports.kept import FAMILY, differences, welfare_key
from thidua.reports.models import Beneficiary, YearFigure
from thidua.reports.services import BeneficiaryRow, CandidateRow
from thidua.testing import World, cccd_for, make_person

pytestmark = pytest.mark.django_db

D = dt.date
YEAR = 2023


def _kept() -> list[tuple[int, int, str, int]]:
    return sorted(YearFigure.objects.values_list("unit_id", "year", "key", "value"))


def _welfare(w: World) -> tuple[int, int, int]:
    total = selectors.welfare_counts(w.cdvc, YEAR, YEAR).total
    return total.activities, total.beneficiaries, total.amount


def test_every_service_keeps_the_figures_equal_to_the_records(world: World) -> None:
    w = world
    binh = make_person(w.cdcs_b, "Lê Văn Bình", actor=w.admin)
    cuc = make_person(w.cdcs_b, "Phạm Thị Cúc", gender="nu", actor=w.admin)
    assert _kept() == []

    services.family_title_set(actor=w.officer_cdcs, unit=w.cdcs_a, person_id=w.member.pk,
                              year=YEAR)
    services.family_titles_save(actor=w.officer_above, unit=w.cdcs_b, year=YEAR,
                                person_ids=[binh.pk, cuc.pk])
    assert differences() == []
    assert selectors.family_title_counts(w.cdvc, YEAR) == (3, 2)
    assert selectors.family_title_counts(w.cdcs_b, YEAR) == (2, 1)
    title = selectors.family_titles_list(w.officer_above, w.cdcs_b, YEAR).get(person=binh)
    services.family_title_delete(actor=w.officer_above, title=title)
    assert differences() == [] and selectors.family_title_counts(w.cdvc, YEAR) == (2, 2)

    saved = services.party_candidates_save(actor=w.officer_above, unit=w.cdcs_b, rows=[
        CandidateRow(person_id=binh.pk, introduced_on=D(YEAR - 1, 5, 1)),
        CandidateRow(person_id=cuc.pk, introduced_on=D(YEAR, 4, 1))])
    first = selectors.access_party_candidate(w.officer_above, saved.ids[0])
    services.party_candidate_update(actor=w.officer_above, candidate=first,
                                    admitted_on=D(YEAR, 6, 1))
    assert differences() == []
    counts = selectors.party_counts(w.cdvc, YEAR - 1, YEAR)
    assert counts.by_year == {YEAR - 1: (1, 0), YEAR: (1, 1)}
    services.party_candidate_update(actor=w.officer_above, candidate=first, admitted_on=None)
    services.party_candidate_delete(
        actor=w.officer_above, candidate=selectors.access_party_candidate(w.officer_above,
                                                                          saved.ids[1]))
    assert differences() == []
    assert selectors.party_counts(w.cdvc, YEAR - 1, YEAR).by_year == {YEAR - 1: (1, 0)}

    activity = services.welfare_create(
        actor=w.officer_cdcs, unit=w.to_a1, date=D(YEAR, 3, 8), occasion="8_3",
        beneficiaries=[BeneficiaryRow(person_id=w.member.pk, name="", amount=500_000),
                       BeneficiaryRow(name="Nguyễn Thị Hưu", amount=300_000)])
    empty = services.welfare_create(actor=w.officer_above, unit=w.cdcs_b, date=D(YEAR, 1, 20),
                                    occasion="TET")
    services.beneficiaries_add(actor=w.officer_above, activity=empty,
                               rows=[BeneficiaryRow(person_id=binh.pk, name="", amount=1_000_000)])
    assert differences() == [] and _welfare(w) == (2, 3, 1_800_000)
    services.beneficiary_remove(actor=w.officer_cdcs,
                                beneficiary=Beneficiary.objects.get(name="Nguyễn Thị Hưu"))
    assert differences() == [] and _welfare(w) == (2, 2, 1_500_000)
    services.welfare_delete(actor=w.officer_cdcs, activity=activity)
    assert differences() == [] and _welfare(w) == (1, 1, 1_000_000)
    # only the rows that hold something: what was removed leaves no zero behind
    assert (w.to_a1.pk, YEAR, welfare_key("8_3", "tien"), 0) not in _kept()
    assert not YearFigure.objects.filter(value=0).exists()


def test_a_new_gender_moves_the_family_between_the_womens_counts(world: World) -> None:
    w = world
    services.family_title_set(actor=w.officer_cdcs, unit=w.cdcs_a, person_id=w.member.pk,
                              year=YEAR)
    assert selectors.family_title_counts(w.cdvc, YEAR) == (1, 1)
    # a correction: the CCCD's fourth digit says the gender too
    person_update(actor=w.officer_cdcs, person=w.member, expected_version=1, gender="nam",
                  cccd=cccd_for(w.member.birth_date, "nam"))
    assert selectors.family_title_counts(w.cdvc, YEAR) == (1, 0)
    assert differences() == []


def test_a_refused_change_writes_no_figure(world: World) -> None:
    w = world
    activity = services.welfare_create(
        actor=w.officer_cdcs, unit=w.to_a1, date=D(YEAR, 3, 8), occasion="8_3",
        beneficiaries=[BeneficiaryRow(person_id=w.member.pk, name="", amount=500_000)])
    before = _kept()
    with pytest.raises(ApplicationError, match="mỗi người chỉ ghi một lần"):
        services.beneficiaries_add(actor=w.officer_cdcs, activity=activity, rows=[
            BeneficiaryRow(name="Người mới", amount=100_000),
            BeneficiaryRow(person_id=w.member.pk, name="", amount=100_000)])
    outsider = make_person(w.cdcs_c, "Đỗ Văn Giang", actor=w.admin)
    with pytest.raises(ApplicationError):
        services.family_titles_save(actor=w.officer_cdcs, unit=w.cdcs_a, year=YEAR,
                                    person_ids=[w.member.pk, outsider.pk])
    with pytest.raises(ApplicationError):
        services.welfare_create(
            actor=w.officer_cdcs, unit=w.to_a1, date=D(YEAR, 10, 20), occasion="20_10",
            beneficiaries=[BeneficiaryRow(person_id=outsider.pk, name="", amount=1)])
    assert _kept() == before and differences() == []


def test_figures_check_reports_a_wrong_row_and_rebuild_repairs_it(world: World) -> None:
    w = world
    services.family_title_set(actor=w.officer_cdcs, unit=w.cdcs_a, person_id=w.member.pk,
                              year=YEAR)
    call_command("figures_check", stdout=StringIO())
    YearFigure.objects.filter(key=FAMILY).update(value=7)
    out = StringIO()
    with pytest.raises(CommandError, match="1 chỗ"):
        call_command("figures_check", stdout=out)
    assert "gia đình văn hóa" in out.getvalue() and "đang lưu 7" in out.getvalue()
    call_command("figures_check", "--rebuild", stdout=StringIO())
    assert selectors.family_title_counts(w.cdvc, YEAR) == (1, 1) and differences() == []
