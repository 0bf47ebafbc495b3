"""Services of movements, plans, deployments and registration: what they write, what they audit,
and every refusal, each with its Vietnamese message and nothing written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from thidua.accounts.services import role_grant_create
from thidua.audit.models import AuditEntry
from thidua.movements import services
from thidua.movements.models import (
    Attachment,
    Commitment,
    Deployment,
    Pledge,
    RegisteredTitle,
    Registration,
    YearKind,
)
from thidua.movements.selectors import calendar_for, registered_titles, rule_for
from thidua.movements.services import Mode, RegistrationInput
from thidua.movements.tests.helpers import LATE, ON_TIME, YEAR, deployed_plan, movement, rule
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


# --- movements --------------------------------------------------------------------------------

def test_movement_from_the_catalogue_takes_its_name_audience_and_content(world):
    m = movement(world, catalogue_code="GVNDVN")
    assert m.name == "Giỏi việc nước, đảm việc nhà"
    assert m.audience == "women" and "nữ" in m.content
    assert m.year == YEAR and m.code == f"GVNDVN-{YEAR}"
    entry = _last_audit()
    assert entry.action == "movement.create" and entry.after["name"] == m.name
    # the same catalogue movement again gets the next free code
    assert movement(world, catalogue_code="GVNDVN").code == f"GVNDVN-{YEAR}-2"


def test_own_movement_needs_a_name(world):
    with pytest.raises(ApplicationError, match="tên phong trào"):
        movement(world, catalogue_code="")
    own = movement(world, catalogue_code="", name="  Năm Kỷ cương   hành chính ")
    assert own.name == "Năm Kỷ cương hành chính" and own.code == f"PT-{YEAR}"


@pytest.mark.parametrize("kw, message", [
    ({"end_date": D(2000, 1, 1)}, "Ngày kết thúc phải sau ngày bắt đầu"),
    ({"catalogue_code": "KHONG_CO"}, "không có trong danh mục"),
    ({"code": "mã có dấu"}, "Mã phong trào"),
    ({"audience": "ai_do"}, "Đối tượng"),
    ({"year": 1800}, "Năm thi đua phải từ"),
])
def test_movement_bad_input_is_refused(world, kw, message):
    before = AuditEntry.objects.count()
    with pytest.raises(ApplicationError, match=message):
        movement(world, **kw)
    assert AuditEntry.objects.count() == before


def test_movement_code_is_unique_per_issuer(world):
    movement(world, code="LDG-X")
    with pytest.raises(ApplicationError, match="đã có phong trào mã «LDG-X»"):
        movement(world, code="ldg-x")


def test_movement_outside_scope_or_without_the_role(world):
    with pytest.raises(NotFoundError):
        services.movement_create(actor=world.outsider, issuer=world.cdvc, catalogue_code="LDG",
                                 start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    with pytest.raises(PermissionDeniedError):
        services.movement_create(actor=world.viewer, issuer=world.cdvc, catalogue_code="LDG",
                                 start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))


def test_school_year_maps_the_period_to_a_year(world):
    services.year_setting_set(actor=world.officer_above, unit=world.cdcs_b,
                              kind=YearKind.SCHOOL, start_month=9, start_day=5)
    calendar = calendar_for(world.cdcs_b)
    assert calendar.is_school and calendar.year_of(D(2017, 9, 5)) == 2018
    assert calendar.year_of(D(2017, 9, 4)) == 2017
    assert calendar.period(2018) == (D(2017, 9, 5), D(2018, 9, 5))
    assert calendar.label(2018) == "năm học 2017–2018"
    assert not calendar_for(world.cdcs_a).is_school  # a sibling keeps the calendar year
    m = services.movement_create(actor=world.officer_above, issuer=world.cdcs_b,
                                 catalogue_code="LDG", start_date=D(2017, 9, 10),
                                 end_date=D(2018, 5, 31))
    assert m.year == 2018


# --- attachments ------------------------------------------------------------------------------

def _docx_bytes(with_types: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if with_types:
            zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, content, kind", [
    ("ke hoach.pdf", b"%PDF-1.7\n%...\n", "pdf"),
    ("ke-hoach.docx", _docx_bytes(), "docx"),
    ("anh.JPG", b"\xff\xd8\xff\xe0" + b"0" * 100, "jpg"),
    ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "png"),
])
def test_allowed_documents_are_stored_under_media_root(world, settings, tmp_path, name,
                                                       content, kind):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    att = services.attachment_add(actor=world.officer_above, movement=m,
                                  upload=SimpleUploadedFile(name, content))
    assert att.kind == kind and att.size == len(content) and att.original_name == name
    stored = Path(tmp_path) / att.file.name
    assert stored.read_bytes() == content
    assert stored.parent == Path(tmp_path) / "movements" and stored.name != name


@pytest.mark.parametrize("name, content", [
    ("virus.pdf", b"MZ\x90\x00" + b"0" * 100),  # an executable named .pdf
    ("bang.docx", _docx_bytes(with_types=False)),
    ("trang.html", b"<html><script>alert(1)</script></html>"),
    ("rong.pdf", b""),
])
def test_documents_are_judged_by_their_bytes(world, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(ApplicationError):
        services.attachment_add(actor=world.officer_above, movement=m,
                                upload=SimpleUploadedFile(name, content))
    assert not Attachment.objects.exists()
    folder = Path(tmp_path) / "movements"  # nothing reaches the storage before the checks
    assert not folder.exists() or list(folder.iterdir()) == []


@override_settings(THIDUA_MAX_ATTACHMENT_BYTES=1000)
def test_documents_above_the_size_limit_are_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(ApplicationError, match="Tệp quá lớn"):
        services.attachment_add(actor=world.officer_above, movement=m,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * 2000))
    assert not Attachment.objects.exists()


def test_only_officers_of_the_issuer_attach(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    m = movement(world)
    with pytest.raises(NotFoundError):
        services.attachment_add(actor=world.officer_cdcs, movement=m,
                                upload=SimpleUploadedFile("a.pdf", b"%PDF-1"))


# --- plans, deployment, coverage --------------------------------------------------------------

def test_deploy_to_all_cdcs_then_to_the_groups(world):
    plan = deployed_plan(world)
    assert set(plan.deployments.values_list("unit__code", flat=True)) == {"CDCS-A", "CDCS-B"}
    assert plan.levels == ["cdcs"] and plan.deployed_at is not None
    assert _last_audit().action == "plan.deploy"
    # again: nobody new; then the groups
    assert services.plan_deploy(actor=world.officer_above, plan=plan, levels=["cdcs"]) == 0
    assert services.plan_deploy(actor=world.officer_above, plan=plan, levels=["to_cd"]) == 1
    plan.refresh_from_db()
    assert plan.levels == ["cdcs", "to_cd"]


def test_deploy_refusals(world):
    plan = deployed_plan(world)
    with pytest.raises(ApplicationError, match="ít nhất một cấp"):
        services.plan_deploy(actor=world.officer_above, plan=plan, levels=[])
    with pytest.raises(ApplicationError, match="Không có công đoàn bộ phận nào"):
        services.plan_deploy(actor=world.officer_above, plan=plan, levels=["cd_bo_phan"])
    with pytest.raises(NotFoundError):
        services.plan_deploy(actor=world.officer_cdcs, plan=plan, levels=["to_cd"])


def test_plan_refusals(world):
    m = movement(world)
    deployed_plan(world, movement=m)
    other = services.movement_create(actor=world.leader, issuer=world.hbt, catalogue_code="LDG",
                                     start_date=D(YEAR, 1, 1), end_date=D(YEAR, 12, 31))
    base = {"actor": world.officer_above, "issuer": world.cdvc, "date": D(YEAR, 1, 10),
            "title": "KH"}
    with pytest.raises(ApplicationError, match="đã có kế hoạch số 01/KH-CĐVC"):
        services.plan_create(number="01/KH-CĐVC", movements=[m], **base)
    with pytest.raises(ApplicationError, match="không phải đơn vị này hay đơn vị cấp trên"):
        services.plan_create(number="02/KH", movements=[other], **base)
    with pytest.raises(ApplicationError, match="Hạn triển khai"):
        services.plan_create(number="03/KH", movements=[m], deadline=D(YEAR, 1, 1), **base)
    with pytest.raises(ApplicationError, match="ít nhất một phong trào"):
        services.plan_create(number="04/KH", movements=[], **base)


def test_acknowledge_then_launch_by_the_receiving_unit(world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_a)
    services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep, note="Đã nhận")
    with pytest.raises(ApplicationError, match="đã tiếp nhận kế hoạch này ngày"):
        services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep)
    services.deployment_launch(actor=world.officer_cdcs, deployment=dep,
                               launched_on=D(YEAR, 1, 15))
    dep.refresh_from_db()
    assert dep.launched_on == D(YEAR, 1, 15) and dep.launched_by == world.officer_cdcs
    assert _last_audit().action == "deployment.launch"
    with pytest.raises(ApplicationError, match="đã báo cáo phát động ngày"):
        services.deployment_launch(actor=world.officer_cdcs, deployment=dep)


def test_launch_implies_acknowledgement_and_checks_its_date(world):
    plan = deployed_plan(world)
    dep = plan.deployments.get(unit=world.cdcs_b)
    with pytest.raises(ApplicationError, match="trước ngày ban hành"):
        services.deployment_launch(actor=world.officer_above, deployment=dep,
                                   launched_on=D(YEAR, 1, 1))
    with pytest.raises(ApplicationError, match="sau hôm nay"):
        services.deployment_launch(actor=world.officer_above, deployment=dep,
                                   launched_on=D(YEAR + 3, 1, 1))
    services.deployment_launch(actor=world.officer_above, deployment=dep)
    dep.refresh_from_db()
    assert dep.acknowledged_at is not None and dep.launched_at is not None


def test_only_officers_of_the_receiving_unit_act(world):
    plan = deployed_plan(world)
    dep_b = plan.deployments.get(unit=world.cdcs_b)
    with pytest.raises(NotFoundError):  # CDCS-A's officer cannot see CDCS-B
        services.deployment_acknowledge(actor=world.officer_cdcs, deployment=dep_b)
    with pytest.raises(PermissionDeniedError):
        services.deployment_acknowledge(actor=world.viewer, deployment=dep_b)
    assert not Deployment.objects.filter(acknowledged_at__isnull=False).exists()


# --- registration rules -----------------------------------------------------------------------

def test_rule_is_set_per_issuer_year_and_kind_and_the_nearest_wins(world):
    r = rule(world)
    assert rule_for(world.to_a1, YEAR) == r
    own = services.registration_rule_set(actor=world.officer_cdcs, issuer=world.cdcs_a,
                                         year=YEAR, deadline=D(YEAR, 1, 15),
                                         min_commitments_member=2, pledges="A\n\nA\nB")
    assert own.pledges == ["A", "B"]
    assert rule_for(world.to_a1, YEAR) == own
    assert rule_for(world.cdcs_b, YEAR) == r
    assert rule_for(world.cdcs_b, YEAR + 1) is None
    # a school-year unit follows the school rule of its issuer, not the calendar one
    services.year_setting_set(actor=world.officer_above, unit=world.cdcs_b, kind="school")
    assert rule_for(world.cdcs_b, YEAR) is None
    school = rule(world, year_kind="school", deadline=D(YEAR - 1, 10, 20))
    assert rule_for(world.cdcs_b, YEAR) == school


def test_rule_refusals(world):
    with pytest.raises(ApplicationError, match="từ 0 đến 20"):
        rule(world, min_commitments_member=50)
    with pytest.raises(ApplicationError, match="không thuộc năm"):
        rule(world, deadline=D(YEAR + 2, 1, 1))
    with pytest.raises(NotFoundError):
        services.registration_rule_set(actor=world.outsider, issuer=world.cdvc, year=YEAR)


# --- registration -----------------------------------------------------------------------------

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


# --- bulk -------------------------------------------------------------------------------------

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


# --- a member registers themself ----------------------------------------------------------------

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
