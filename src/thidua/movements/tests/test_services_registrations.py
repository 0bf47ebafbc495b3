"""Registering for emulation: one subject, many rows at once, a member on their own; what is
written and audited, and every refusal, each with its Vietnamese message and nothing written."""

from __future__ import annotations

import datetime as dt

import pytest

from thidua.accounts.services import role_grant_create
from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import (
    Commitment,
    Pledge,
    RegisteredTitle,
    Registration,
)
from thidua.movements.selectors import registered_titles
from thidua.movements.services import Mode, RegistrationInput
from thidua.movements.tests.helpers import LATE, ON_TIME, YEAR, rule
from thidua.people.services import person_leave_unit
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import make_person, make_user

pytestmark = pytest.mark.django_db
D = dt.date


def _counts() -> tuple[int, ...]:
    return (Registration.objects.count(), RegisteredTitle.objects.count(),
            Commitment.objects.count(), Pledge.objects.count())


def _last_audit() -> AuditEntry:
    return AuditEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


def _register(world, **kw):
    fields = {"actor": world.officer_cdcs, "year": YEAR, "person": world.member,
              "via_unit": world.cdcs_a, "titles": ["LDTT"], "commitments": ["Không đi muộn"],
              "registered_on": ON_TIME}
    fields.update(kw)
    return services.registration_create(**fields)


def test_a_member_is_registered_with_titles_commitments_pledges(world):
    rule(world, pledges=["Quy tắc ứng xử"])
    reg = _register(world, titles=["LDTT", "GVNDVN"],
                    commitments=["  Không đi muộn ", "", "Tiết kiệm điện"],
                    pledges=["Quy tắc ứng xử"])
    assert reg.home_unit == world.to_a1 and reg.commitment_count == 2
    assert [c.text for c in reg.commitments.all()] == ["Không đi muộn", "Tiết kiệm điện"]
    assert registered_titles(person_ids=[world.member.pk], years=[YEAR]) == {
        (world.member.pk, YEAR): {"LDTT", "GVNDVN"}}
    entry = _last_audit()
    assert entry.action == "registration.create" and entry.object_id == str(reg.pk)
    assert entry.after["titles"] == ["LDTT", "GVNDVN"]


def test_registering_the_same_title_twice_is_refused(world):
    _register(world)
    before = _counts()
    with pytest.raises(ApplicationError, match="đã đăng ký danh hiệu «Lao động tiên tiến» năm"):
        _register(world)
    with pytest.raises(ApplicationError, match="đã có bản đăng ký thi đua năm"):
        _register(world, titles=["CSTDCS"])
    with pytest.raises(ApplicationError, match="được ghi hai lần"):
        _register(world, person=make_person(world.cdcs_a, actor=world.admin),
                  titles=["LDTT", "ldtt"])
    assert _counts() == before


def test_after_the_deadline_is_refused_unless_a_leader_accepts_it_with_a_reason(world):
    rule(world)
    with pytest.raises(ApplicationError) as exc:
        _register(world, registered_on=LATE)
    assert f"hạn cuối là 25/01/{YEAR}" in exc.value.message
    assert "Công đoàn Viên chức thành phố Hà Nội" in exc.value.message
    with pytest.raises(PermissionDeniedError, match="Lãnh đạo"):
        _register(world, registered_on=LATE, late_reason="Đi công tác dài ngày")
    assert not Registration.objects.exists()
    reg = _register(world, actor=world.leader, registered_on=LATE,
                    late_reason="Đi công tác dài ngày")
    assert reg.late and reg.late_reason == "Đi công tác dài ngày"
    assert _last_audit().after["late_reason"] == "Đi công tác dài ngày"


@pytest.mark.parametrize("kw, message", [
    ({"titles": ["TTLDTT"]}, "là danh hiệu tập thể, không đăng ký cho cá nhân"),
    ({"titles": ["KHONG_CO"]}, "không có trong danh mục"),
    ({"titles": [], "commitments": []}, "Chưa ghi danh hiệu hay việc làm cụ thể"),
    ({"commitments": ["x" * 501]}, "dài quá 500"),
])
def test_bad_titles_and_commitments_are_refused(world, kw, message):
    with pytest.raises(ApplicationError, match=message):
        _register(world, **kw)
    assert _counts() == (0, 0, 0, 0)


def test_women_only_title_for_a_man_is_refused(world):
    man = make_person(world.cdcs_a, "Lê Văn Nam", actor=world.admin)
    with pytest.raises(ApplicationError, match="dành cho nữ"):
        _register(world, person=man, titles=["GVNDVN"])


def test_unit_titles_must_be_collective_and_fit_the_unit_type(world):
    with pytest.raises(ApplicationError, match="là danh hiệu cá nhân, không đăng ký cho đơn vị"):
        services.registration_create(actor=world.officer_cdcs, year=YEAR, unit=world.cdcs_a,
                                     titles=["LDTT"], commitments=["a", "b"],
                                     registered_on=ON_TIME)
    with pytest.raises(ApplicationError, match="chỉ dành cho công đoàn cơ sở"):
        services.registration_create(actor=world.officer_cdcs, year=YEAR, unit=world.to_a1,
                                     titles=["CDCS_VUNG_MANH"], commitments=["a", "b"],
                                     registered_on=ON_TIME)
    reg = services.registration_create(actor=world.officer_cdcs, year=YEAR, unit=world.to_a1,
                                       titles=["TO_CD_VUNG_MANH", "TTLDTT"],
                                       commitments=["a", "b"], registered_on=ON_TIME)
    assert reg.unit == world.to_a1 and reg.person is None and reg.home_unit == world.to_a1


def test_minimum_commitments_per_member_and_per_unit(world):
    rule(world)  # ≥2 per unit, ≥1 per member
    with pytest.raises(ApplicationError, match="ít nhất 1 việc làm cụ thể"):
        _register(world, commitments=[])
    with pytest.raises(ApplicationError, match="ít nhất 2 việc làm cụ thể"):
        services.registration_create(actor=world.officer_cdcs, year=YEAR, unit=world.cdcs_a,
                                     titles=["TTLDTT"], commitments=["một việc"],
                                     registered_on=ON_TIME)
    # a worker who is not a member may register a title alone
    worker = make_person(world.cdcs_a, "Hoàng Văn Hợp", member=False, actor=world.admin)
    assert _register(world, person=worker, commitments=[]).commitment_count == 0


def test_person_not_on_the_units_roster_that_year(world):
    other = make_person(world.cdcs_b, "Lê Thị Mai", gender="nu", actor=world.admin)
    with pytest.raises(ApplicationError, match="không có trong danh sách của «Công đoàn Sở Tư pháp»"):
        _register(world, person=other)
    left = make_person(world.cdcs_a, "Phạm Văn Đi", actor=world.admin)
    person_leave_unit(actor=world.admin, person=left, date=D(YEAR - 1, 6, 1))
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        _register(world, person=left)
    hired_later = make_person(world.cdcs_a, "Vũ Thị Mới", gender="nu", actor=world.admin,
                              start=D(YEAR + 1, 1, 1))
    with pytest.raises(ApplicationError, match="không có trong danh sách"):
        _register(world, person=hired_later)
    assert not Registration.objects.exists()


def test_registering_outside_ones_scope_is_not_found(world):
    with pytest.raises(NotFoundError):
        _register(world, actor=world.outsider)
    with pytest.raises(NotFoundError):
        services.registration_create(actor=world.outsider, year=YEAR, unit=world.cdcs_a,
                                     titles=["TTLDTT"], commitments=["a", "b"])
    with pytest.raises(PermissionDeniedError):
        _register(world, actor=world.viewer)
    anonymous = make_user("khach")
    with pytest.raises(NotFoundError):
        _register(world, actor=anonymous)


def test_a_year_not_yet_open_and_a_future_date_are_refused(world):
    with pytest.raises(ApplicationError, match="Năm thi đua phải từ"):
        _register(world, year=YEAR + 5, registered_on=None)
    with pytest.raises(ApplicationError, match="sau hôm nay"):
        _register(world, registered_on=D(YEAR + 3, 1, 1))


def test_update_replaces_and_empty_withdraws(world):
    reg = _register(world)
    updated = services.registration_update(actor=world.officer_cdcs, registration=reg,
                                           titles=["CSTDCS", "LDTT"],
                                           commitments=["Một", "Hai"])
    assert updated is not None and updated.commitment_count == 2
    assert {t.code for t in updated.titles.all()} == {"LDTT", "CSTDCS"}
    assert _last_audit().action == "registration.update"
    assert _last_audit().before["titles"] == ["LDTT"]
    assert services.registration_update(actor=world.officer_cdcs, registration=reg, titles=[],
                                        commitments=[]) is None
    assert _counts() == (0, 0, 0, 0)
    assert _last_audit().action == "registration.delete"


def test_update_after_the_deadline_is_refused(world):
    reg = _register(world)
    rule(world, deadline=D(YEAR, 1, 10))  # the deadline has passed by now
    with pytest.raises(ApplicationError, match="Đã hết hạn đăng ký"):
        services.registration_update(actor=world.officer_cdcs, registration=reg,
                                     titles=["CSTDCS"], commitments=["x"])


def _people(world, n: int):
    return [make_person(world.to_a1, f"Nguyễn Văn Số {i}", actor=world.admin) for i in range(n)]


def test_bulk_writes_everything_in_one_transaction_with_one_audit_entry(world):
    people = _people(world, 3)
    rows = [RegistrationInput(person_id=p.pk, titles=["LDTT"], commitments=["Việc A"], row=i)
            for i, p in enumerate(people, 1)]
    rows.append(RegistrationInput(unit_id=world.cdcs_a.pk, titles=["TTLDTT"],
                                  commitments=["Một", "Hai"], row=4))
    before = AuditEntry.objects.count()
    result = services.registrations_bulk_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                                year=YEAR, rows=rows, registered_on=ON_TIME)
    assert result.written and result.created == 4 and not result.errors
    assert AuditEntry.objects.count() == before + 1
    entry = _last_audit()
    assert entry.action == "registration.bulk" and entry.after["create"] == 4
    # merging the same rows again is a no-op, not an error, and not audited
    again = services.registrations_bulk_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                               year=YEAR, rows=rows, registered_on=ON_TIME)
    assert again.unchanged == 4 and again.created == again.updated == 0
    assert AuditEntry.objects.count() == before + 1


def test_bulk_one_bad_row_writes_nothing_unless_valid_only(world):
    people = _people(world, 2)
    outsider_person = make_person(world.cdcs_c, actor=world.admin)
    rows = [RegistrationInput(person_id=people[0].pk, titles=["LDTT"], commitments=["A"], row=2),
            RegistrationInput(person_id=people[1].pk, titles=["TTLDXS"], commitments=["A"],
                              row=3),
            RegistrationInput(person_id=outsider_person.pk, titles=["LDTT"], commitments=["A"],
                              row=4, label="Người ngoài")]
    result = services.registrations_bulk_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                                year=YEAR, rows=rows, registered_on=ON_TIME)
    assert not result.written and result.skipped == 2
    assert [e.row for e in result.errors] == [3, 4]
    assert _counts() == (0, 0, 0, 0)
    result = services.registrations_bulk_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                                year=YEAR, rows=rows, registered_on=ON_TIME,
                                                valid_only=True)
    assert result.written and result.created == 1
    assert list(Registration.objects.values_list("person_id", flat=True)) == [people[0].pk]


def test_bulk_the_same_person_twice_is_an_error_on_both_rows(world):
    p = _people(world, 1)[0]
    rows = [RegistrationInput(person_id=p.pk, titles=["LDTT"], row=5, label=p.full_name),
            RegistrationInput(person_id=p.pk, titles=["CSTDCS"], row=9, label=p.full_name)]
    result = services.registrations_bulk_create(actor=world.officer_cdcs, unit=world.cdcs_a,
                                                year=YEAR, rows=rows, registered_on=ON_TIME)
    assert [(e.row, "dòng 9" in e.message or "dòng 5" in e.message) for e in result.errors] == [
        (5, True), (9, True)]


def test_bulk_replace_mode_withdraws_empty_rows_and_skips_untouched_ones(world):
    people = _people(world, 2)
    services.registrations_bulk_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(person_id=p.pk, titles=["LDTT"], row=1) for p in people])
    result = services.registrations_bulk_create(
        actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR, mode=Mode.REPLACE,
        registered_on=ON_TIME,
        rows=[RegistrationInput(person_id=people[0].pk, row=1),
              RegistrationInput(person_id=people[1].pk, titles=["LDTT"], row=2),
              RegistrationInput(person_id=world.member.pk, row=3)])
    assert (result.deleted, result.unchanged, result.created) == (1, 1, 0)
    assert list(Registration.objects.values_list("person_id", flat=True)) == [people[1].pk]


def test_officer_above_registers_the_whole_subtree(world):
    p_b = make_person(world.cdcs_b, "Lê Thị Mai", gender="nu", actor=world.admin)
    result = services.registrations_bulk_create(
        actor=world.officer_above, unit=world.cdvc, year=YEAR, registered_on=ON_TIME,
        rows=[RegistrationInput(person_id=world.member.pk, titles=["LDTT"], row=1),
              RegistrationInput(person_id=p_b.pk, titles=["GVNDVN"], row=2),
              RegistrationInput(unit_id=world.cdcs_b.pk, titles=["TTLDTT"], row=3)])
    assert result.created == 3
    assert dict(Registration.objects.filter(person__isnull=False)
                .values_list("person_id", "home_unit__code")) == {
        world.member.pk: "TO-A1", p_b.pk: "CDCS-B"}


def test_a_member_registers_changes_and_withdraws_themself(world):
    reg = services.self_registration_save(actor=world.member_user, year=YEAR,
                                          titles=["LDTT", "GVNDVN"],
                                          commitments=["Không đi muộn"])
    assert reg is not None and reg.source == "self" and reg.person == world.member
    assert reg.registered_by == world.member_user
    assert _last_audit().action == "registration.create"
    reg = services.self_registration_save(actor=world.member_user, year=YEAR, titles=["LDTT"],
                                          commitments=["Không đi muộn"])
    assert [t.code for t in reg.titles.all()] == ["LDTT"]
    assert services.self_registration_save(actor=world.member_user, year=YEAR, titles=[],
                                           commitments=[]) is None
    assert not Registration.objects.exists()


def test_self_registration_refusals(world):
    rule(world)  # deadline 25/01 of last year: passed
    with pytest.raises(ApplicationError, match="Đã hết hạn đăng ký"):
        services.self_registration_save(actor=world.member_user, year=YEAR, titles=["LDTT"],
                                        commitments=["A"])
    with pytest.raises(ApplicationError, match="chưa gắn với hồ sơ"):
        services.self_registration_save(actor=world.officer_cdcs, year=YEAR, titles=["LDTT"],
                                        commitments=["A"])
    with pytest.raises(ApplicationError, match="không có trong danh sách người lao động"):
        services.self_registration_save(actor=world.member_user, year=2005, titles=["LDTT"],
                                        commitments=["A"])
    with pytest.raises(ApplicationError, match="là danh hiệu tập thể"):
        services.self_registration_save(actor=world.member_user, year=YEAR + 1,
                                        titles=["TTLDXS"], commitments=["A"])
    assert not Registration.objects.exists()


def test_leader_role_is_needed_only_for_late_acceptance(world):
    rule(world)
    lead = make_user("lanhdao_cdcs")
    role_grant_create(actor=None, user=lead, unit=world.cdcs_a, role="leader")
    reg = _register(world, actor=lead, registered_on=LATE, late_reason="Ốm dài ngày")
    assert reg.late


def test_grid_lines_sign_the_rules_pledges_or_withdraw_them(world):
    rule(world, deadline=None, pledges=["Quy tắc ứng xử", "Tiết kiệm"])
    a, b = _people(world, 2)
    rows = [services.GridRow(person_id=a.pk, titles=["LDTT"], commitments="Một\n\nHai",
                             pledged=True),
            services.GridRow(person_id=b.pk, titles=["LDTT"], commitments="Một")]
    result = services.registrations_grid_save(actor=world.officer_cdcs, unit=world.cdcs_a,
                                              year=YEAR, rows=rows)
    assert result.written and result.created == 2
    reg_a = Registration.objects.get(person=a)
    assert sorted(p.text for p in reg_a.pledges.all()) == ["Quy tắc ứng xử", "Tiết kiệm"]
    assert [c.text for c in reg_a.commitments.order_by("position")] == ["Một", "Hai"]
    assert not Registration.objects.get(person=b).pledges.exists()
    # unticking withdraws the pledges; an empty line withdraws the registration
    rows = [services.GridRow(person_id=a.pk, titles=["LDTT"], commitments="Một"),
            services.GridRow(person_id=b.pk)]
    result = services.registrations_grid_save(actor=world.officer_cdcs, unit=world.cdcs_a,
                                              year=YEAR, rows=rows)
    assert result.updated == 1 and result.deleted == 1
    assert not Registration.objects.get(person=a).pledges.exists()
    assert not Registration.objects.filter(person=b).exists()
    # errors are numbered by line
    rows = [services.GridRow(person_id=a.pk, titles=["LDTT"], commitments="Một"),
            services.GridRow(person_id=b.pk, titles=["KHONG_CO"], commitments="Một")]
    result = services.registrations_grid_save(actor=world.officer_cdcs, unit=world.cdcs_a,
                                              year=YEAR, rows=rows)
    assert not result.written and [e.row for e in result.errors] == [2]


def test_unit_registration_is_what_was_typed_and_its_first_refusal_is_raised(world):
    rule(world, deadline=None)  # ≥2 commitments per unit
    with pytest.raises(ApplicationError, match="ít nhất 2 việc làm cụ thể"):
        services.unit_registration_save(actor=world.officer_cdcs, unit=world.cdcs_a, year=YEAR,
                                        titles=["TTLDTT"], commitments=["Một"])
    reg = services.unit_registration_save(actor=world.officer_cdcs, unit=world.cdcs_a,
                                          year=YEAR, titles=["TTLDTT"],
                                          commitments=["Một", "Hai"])
    assert reg is not None and reg.unit == world.cdcs_a and reg.source == "web"
    assert services.unit_registration_save(actor=world.officer_cdcs, unit=world.cdcs_a,
                                           year=YEAR, titles=[], commitments=[]) is None
    assert not Registration.objects.filter(unit=world.cdcs_a).exists()
    with pytest.raises(NotFoundError):
        services.unit_registration_save(actor=world.outsider, unit=world.cdcs_a, year=YEAR,
                                        titles=["TTLDTT"], commitments=["Một", "Hai"])
