"""Welfare, Party development and family titles: the services (scope, Vietnamese refusals, one
audit entry per change) and the figures the report reads, over the tree of each year."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.audit.models import AuditEntry
from thidua.org.permissions import forget_grants
from thidua.org.services import unit_move
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.reports import selectors, services
from thidua.reports.models import Beneficiary, PartyCandidate
from thidua.reports.services import BeneficiaryRow, CandidateRow
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db


def test_welfare_activity_with_beneficiaries_and_counts(world: World):
    other = make_person(world.cdcs_b, "Lê Văn Bình", actor=world.admin)
    a = services.welfare_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, date=dt.date(2023, 3, 8), occasion="8_3",
        title="Tặng quà nữ đoàn viên", beneficiaries=[
            BeneficiaryRow(name="", person_id=world.member.pk, amount=500_000),
            BeneficiaryRow(name="Nguyễn Thị Hưu", amount=300_000, note="nghỉ hưu")])
    assert a.year == 2023 and a.beneficiaries.count() == 2
    assert a.beneficiaries.get(person=world.member).name == "Trần Thị Ánh"
    services.welfare_create(actor=world.officer_above, unit=world.cdcs_b, date=dt.date(2023, 6, 28),
                            occasion="28_6", funding="co_quan_dv",
                            beneficiaries=[BeneficiaryRow(name="", person_id=other.pk,
                                                          amount=200_000, gift="hien_vat")])
    services.welfare_create(actor=world.outsider, unit=world.cdcs_c, date=dt.date(2023, 3, 8),
                            occasion="8_3", beneficiaries=[BeneficiaryRow(name="X", amount=1)])
    counts = selectors.welfare_counts(world.cdvc, 2023, 2023)
    assert counts.total.activities == 2 and counts.total.beneficiaries == 3
    assert counts.total.amount == 1_000_000
    assert [(code, f.beneficiaries, f.amount) for code, _, f in counts.occasions()] == [
        ("8_3", 2, 800_000), ("28_6", 1, 200_000)]
    assert selectors.welfare_counts(world.cdcs_a, 2023, 2023).total.amount == 800_000
    assert selectors.welfare_counts(world.cdvc, 2022, 2022).total.activities == 0
    assert AuditEntry.objects.filter(action="welfare.create").count() == 3
    assert AuditEntry.objects.filter(action="welfare.bulk").count() == 3


def test_welfare_refusals(world: World):
    outsider_person = make_person(world.cdcs_c, "Phạm Văn Ngoài", actor=world.admin)
    with pytest.raises(ApplicationError, match="không thuộc danh sách"):
        services.welfare_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                date=dt.date(2023, 3, 8), occasion="8_3", beneficiaries=[
                                    BeneficiaryRow(name="", person_id=outsider_person.pk)])
    with pytest.raises(ApplicationError, match="chưa đến"):
        services.welfare_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                date=dt.date.today() + dt.timedelta(days=3), occasion="TET")
    with pytest.raises(ApplicationError, match="Dịp chăm lo không hợp lệ"):
        services.welfare_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                date=dt.date(2023, 3, 8), occasion="1_5")
    a = services.welfare_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                date=dt.date(2023, 3, 8), occasion="8_3",
                                beneficiaries=[BeneficiaryRow(name="", person_id=world.member.pk)])
    with pytest.raises(ApplicationError, match="mỗi người chỉ ghi một lần"):
        services.beneficiaries_add(actor=world.officer_cdcs, activity=a, rows=[
            BeneficiaryRow(name="", person_id=world.member.pk)])
    with pytest.raises(ApplicationError, match="Số tiền phải từ 0"):
        services.beneficiaries_add(actor=world.officer_cdcs, activity=a, rows=[
            BeneficiaryRow(name="Ai đó", amount=5_000_000_000)])
    assert Beneficiary.objects.count() == 1
    with pytest.raises(NotFoundError):
        services.welfare_delete(actor=world.outsider, activity=a)
    with pytest.raises(NotFoundError):
        selectors.access_welfare(world.outsider, a.pk)
    services.welfare_delete(actor=world.officer_above, activity=a)
    assert not Beneficiary.objects.exists()


def test_party_introduced_then_admitted_counted_per_year(world: World):
    people = [make_person(world.cdcs_a, f"Đoàn Viên {i}", birth=dt.date(1990, 1, i + 1),
                          actor=world.admin) for i in range(3)]
    c_person = make_person(world.cdcs_c, "Ngô Văn Cờ", actor=world.admin)
    saved = services.party_candidates_save(actor=world.officer_cdcs, unit=world.cdcs_a, rows=[
        CandidateRow(person_id=people[0].pk, introduced_on=dt.date(2017, 3, 1),
                     admitted_on=dt.date(2017, 11, 7)),
        CandidateRow(person_id=people[1].pk, introduced_on=dt.date(2017, 5, 1),
                     admitted_on=dt.date(2018, 2, 3)),
        CandidateRow(person_id=people[2].pk, introduced_on=dt.date(2018, 5, 1))])
    assert (saved.created, saved.updated) == (3, 0)
    services.party_candidate_create(actor=world.outsider, unit=world.cdcs_c,
                                    person_id=c_person.pk, introduced_on=dt.date(2017, 4, 1),
                                    admitted_on=dt.date(2017, 12, 1))
    c2017 = selectors.party_counts(world.cdvc, 2017, 2017)
    assert (c2017.introduced, c2017.admitted) == (2, 1)
    both = selectors.party_counts(world.cdvc, 2017, 2018)
    assert (both.introduced, both.admitted) == (3, 2)
    assert both.by_year == {2017: (2, 1), 2018: (1, 1)}
    assert selectors.party_counts(world.tld, 2017, 2017).admitted == 2
    # the same person and day again updates, never doubles
    again = services.party_candidates_save(actor=world.officer_cdcs, unit=world.cdcs_a, rows=[
        CandidateRow(person_id=people[2].pk, introduced_on=dt.date(2018, 5, 1),
                     admitted_on=dt.date(2019, 1, 5))])
    assert (again.created, again.updated) == (0, 1)
    assert PartyCandidate.objects.filter(person=people[2]).count() == 1
    assert AuditEntry.objects.filter(action="party_candidate.update").count() == 1
    # CĐCS A moved away in 2020: its 2017 figures stay with CĐVC, its 2021 ones go with it
    unit_move(actor=None, unit=world.cdcs_a, new_parent=world.hbt, date=dt.date(2020, 1, 1))
    world.cdcs_a.refresh_from_db()
    world.cdvc.refresh_from_db()
    world.hbt.refresh_from_db()
    forget_grants(world.officer_cdcs)
    services.party_candidate_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                    person_id=people[0].pk, introduced_on=dt.date(2021, 3, 1))
    assert selectors.party_counts(world.cdvc, 2017, 2017).admitted == 1
    assert selectors.party_counts(world.cdvc, 2021, 2021).introduced == 0
    assert selectors.party_counts(world.hbt, 2021, 2021).introduced == 1
    assert selectors.party_counts(world.hbt, 2017, 2017).introduced == 1  # CĐCS C's only


def test_party_refusals(world: World):
    c_person = make_person(world.cdcs_c, "Ngô Văn Cờ", actor=world.admin)
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        services.party_candidate_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                        person_id=c_person.pk, introduced_on=dt.date(2017, 4, 1))
    with pytest.raises(ApplicationError, match="trước ngày giới thiệu"):
        services.party_candidate_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                        person_id=world.member.pk,
                                        introduced_on=dt.date(2017, 4, 1),
                                        admitted_on=dt.date(2017, 3, 1))
    c = services.party_candidate_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                        person_id=world.member.pk,
                                        introduced_on=dt.date(2017, 4, 1))
    with pytest.raises(ApplicationError, match="đã được ghi giới thiệu ngày 01/04/2017"):
        services.party_candidate_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                        person_id=world.member.pk,
                                        introduced_on=dt.date(2017, 4, 1))
    with pytest.raises(NotFoundError):
        services.party_candidate_update(actor=world.outsider, candidate=c,
                                        admitted_on=dt.date(2017, 9, 2))
    services.party_candidate_update(actor=world.officer_cdcs, candidate=c,
                                    admitted_on=dt.date(2017, 9, 2))
    with pytest.raises(NotFoundError):
        selectors.access_party_candidate(world.member_user, c.pk)
    services.party_candidate_delete(actor=world.officer_above, candidate=c)
    assert AuditEntry.objects.filter(action="party_candidate.delete").count() == 1


def test_family_culture_title_per_year(world: World):
    services.family_title_set(actor=world.officer_cdcs, unit=world.cdcs_a,
                              person_id=world.member.pk, year=2023)
    with pytest.raises(ApplicationError, match="đã được ghi «Gia đình văn hóa» năm 2023"):
        services.family_title_set(actor=world.officer_cdcs, unit=world.cdcs_a,
                                  person_id=world.member.pk, year=2023)
    assert selectors.family_title_count(world.cdvc, 2023) == 1
    assert selectors.family_title_count(world.hbt, 2023) == 0
    assert selectors.family_title_count(world.cdvc, 2022) == 0
    with pytest.raises(NotFoundError):
        services.family_title_set(actor=world.outsider, unit=world.cdcs_a,
                                  person_id=world.member.pk, year=2022)


def test_figures_per_child_for_the_dashboard(world: World, django_assert_num_queries):
    b_person = make_person(world.cdcs_b, "Lê Văn Bình", actor=world.admin)
    services.party_candidate_create(actor=world.officer_cdcs, unit=world.to_a1,
                                    person_id=world.member.pk, introduced_on=dt.date(2023, 3, 1),
                                    admitted_on=dt.date(2023, 9, 1))
    services.party_candidate_create(actor=world.officer_above, unit=world.cdcs_b,
                                    person_id=b_person.pk, introduced_on=dt.date(2023, 4, 1))
    services.welfare_create(actor=world.officer_cdcs, unit=world.to_a1, date=dt.date(2023, 3, 8),
                            occasion="8_3", beneficiaries=[BeneficiaryRow(name="A", amount=10),
                                                           BeneficiaryRow(name="B", amount=5)])
    services.family_title_set(actor=world.officer_above, unit=world.cdcs_b,
                              person_id=b_person.pk, year=2023)
    with django_assert_num_queries(3):
        party = selectors.party_counts_by_child(world.cdvc, 2023)
    assert party == {world.cdcs_a.pk: (1, 1), world.cdcs_b.pk: (1, 0)}
    welfare = selectors.welfare_by_child(world.cdvc, 2023)
    assert list(welfare) == [world.cdcs_a.pk]
    assert (welfare[world.cdcs_a.pk].activities, welfare[world.cdcs_a.pk].beneficiaries,
            welfare[world.cdcs_a.pk].amount) == (1, 2, 15)
    assert selectors.family_titles_by_child(world.cdvc, 2023) == {world.cdcs_b.pk: 1}
    assert selectors.party_counts_by_child(world.hn, 2023) == {world.cdvc.pk: (2, 1)}
    assert selectors.party_counts_by_child(world.cdvc, 2022) == {}
