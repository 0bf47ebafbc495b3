"""Reads: the facts the rules engine takes (who holds a recognised initiative) and the
counts by level, year and unit."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.initiatives import services
from thidua.initiatives.models import Level, UseKind
from thidua.initiatives.selectors import initiative_counts, recognized_initiatives
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import application, recognised, submitted
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


def test_recognized_initiatives_for_the_rules_engine(world):
    co = make_person(world.cdcs_a, "Vũ Thị Đồng", gender="nu", actor=world.admin)
    ini = recognised(world, authors=[AuthorInput(person_id=world.member.pk, contribution=80),
                                     AuthorInput(person_id=co.pk, contribution=20)])
    services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.HUYEN,
                                decided_on=D(2024, 2, 1), decision_no="9/QĐ", issuer="UBND quận")
    services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.BO_NGANH,
                                decided_on=D(2024, 6, 1), decision_no="10/QĐ", issuer="Bộ Tư pháp")
    facts = recognized_initiatives(person_ids=[world.member.pk, co.pk, 987654],
                                   years=[2023, 2024])
    expected = [{"year": 2023, "level": "co_so"}, {"year": 2024, "level": "co_so"},
                {"year": 2024, "level": "tinh"}]
    assert facts == {world.member.pk: expected, co.pk: expected}
    assert list(recognized_initiatives(person_ids=[co.pk], years=[2024])) == [co.pk]
    assert recognized_initiatives(person_ids=[world.member.pk], years=[2022]) == {}
    assert recognized_initiatives(person_ids=[], years=[2023]) == {}


def test_recognized_initiatives_is_one_query(world, django_assert_num_queries):
    recognised(world)
    with django_assert_num_queries(1):
        recognized_initiatives(person_ids=[world.member.pk], years=range(2000, 2030))


def test_counts_by_level_year_and_unit(world, django_assert_max_num_queries):
    a = recognised(world)
    services.recognition_create(actor=world.officer_cdcs, initiative=a, level=Level.TINH,
                                decided_on=D(2023, 12, 1), decision_no="7/QĐ", issuer="UBND TP")
    services.initiative_use_record(actor=world.officer_cdcs, initiative=a,
                                   kind=UseKind.COMMENDATION, reference="Bằng khen", year=2023)
    submitted(world, title="Đơn ở tổ", unit=world.to_a1)
    b_author = make_person(world.cdcs_b, "Phan Văn Bê", actor=world.admin)
    services.initiative_create(actor=world.officer_above, unit=world.cdcs_b, year=2022,
                               authors=[AuthorInput(person_id=b_author.pk, contribution=100)],
                               **application(title="Đơn ở Sở Y tế"))
    with django_assert_max_num_queries(6):
        figures = initiative_counts(unit=world.cdvc, years=[2022, 2023])
    assert figures.applications == 3
    assert figures.recognized == 1
    assert figures.by_level["co_so"] == 1 and figures.by_level["tinh"] == 1
    assert figures.at_levels(["co_so", "tinh"]) == 1
    assert figures.used_for_commendation == 1
    assert figures.by_year[2022] == {"applications": 1, "recognized": 0}
    assert figures.by_year[2023] == {"applications": 2, "recognized": 1}
    children = {c.unit.code: c for c in figures.children}
    assert children["CDCS-A"].applications == 2 and children["CDCS-A"].recognized == 1
    assert children["CDCS-B"].applications == 1 and children["CDCS-B"].recognized == 0
    only_a = initiative_counts(unit=world.cdcs_a, years=[2023])
    assert {c.unit.code: c.applications for c in only_a.children} == {"CDCS-A": 1, "TO-A1": 1}
    assert initiative_counts(unit=world.cdcs_c, years=[2023]).applications == 0
