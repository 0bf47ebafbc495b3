"""Applications, the workflow guard, councils, thresholds, recognition once per level and the
one-commendation rule — through the services, with the refusals of issue 4 §5."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.audit.models import AuditEntry
from thidua.initiatives import services
from thidua.initiatives.models import (
    Attachment,
    Initiative,
    InitiativeUse,
    Level,
    Outcome,
    Recognition,
    Status,
    StatusChange,
    UseKind,
)
from thidua.initiatives.selectors import initiative_counts, recognized_initiatives
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import (
    application,
    council,
    new_initiative,
    recognised,
    submitted,
    vote,
)
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


# --- applications --------------------------------------------------------------------------------


def test_create_fills_author_from_roster_and_audits(world):
    ini = new_initiative(world)
    author = ini.authors.get()
    assert author.full_name == "Trần Thị Ánh"
    assert author.birth_date == D(1990, 3, 8)
    assert author.workplace == "Tổ công đoàn Văn phòng"
    assert author.contribution == Decimal("100.00")
    assert ini.status == Status.DRAFT
    assert ini.benefit_expected_vnd == Decimal(120_000_000)
    assert ini.title_folded == "so chung thuc dien tu tai bo phan mot cua"
    assert AuditEntry.objects.filter(action="initiative.create", object_id=str(ini.pk)).exists()


@pytest.mark.parametrize("shares, shown", [
    (["60", "30"], "90%"),
    (["60", "50"], "110%"),
    (["33.33", "33.33", "33.33"], "99,99%"),
])
def test_contributions_must_sum_to_exactly_100(world, shares, shown):
    authors = [AuthorInput(full_name=f"Tác Giả {i}", contribution=s) for i, s in enumerate(shares)]
    with pytest.raises(ApplicationError) as exc:
        new_initiative(world, authors=authors)
    assert exc.value.field == "authors"
    assert f"đang là {shown}" in exc.value.message
    assert not Initiative.objects.exists()


def test_shares_like_33_33_33_34_are_exact(world):
    authors = [AuthorInput(full_name="Tác Giả A", contribution="33,33"),
               AuthorInput(full_name="Tác Giả B", contribution="33.33"),
               AuthorInput(full_name="Tác Giả C", contribution=Decimal("33.34"))]
    ini = new_initiative(world, authors=authors)
    assert sum(a.contribution for a in ini.authors.all()) == Decimal(100)


@pytest.mark.parametrize("share", ["0", "-5", "100.001", "abc", "150"])
def test_a_bad_share_is_refused(world, share):
    with pytest.raises(ApplicationError) as exc:
        new_initiative(world, authors=[AuthorInput(full_name="A", contribution=share)])
    assert exc.value.field == "authors"


def test_an_author_outside_the_scope_is_refused(world):
    stranger = make_person(world.cdcs_c, "Lý Văn Ngoài", actor=world.admin)
    authors = [AuthorInput(person_id=world.member.pk, contribution=50),
               AuthorInput(person_id=stranger.pk, contribution=50)]
    with pytest.raises(ApplicationError) as exc:
        new_initiative(world, authors=authors)
    assert "không tìm thấy người này" in exc.value.message
    assert not Initiative.objects.exists()
    # the same words for a person who does not exist: nothing tells them apart
    with pytest.raises(ApplicationError) as missing:
        new_initiative(world, authors=[AuthorInput(person_id=987654, contribution=100)])
    assert missing.value.message == exc.value.message.replace("thứ 2", "thứ 1")


def test_the_same_person_twice_is_refused(world):
    authors = [AuthorInput(person_id=world.member.pk, contribution=50),
               AuthorInput(person_id=world.member.pk, contribution=50)]
    with pytest.raises(ApplicationError, match="hai lần"):
        new_initiative(world, authors=authors)


def test_a_member_files_for_themself_with_a_free_name_coauthor(world):
    authors = [AuthorInput(person_id=world.member.pk, contribution=70),
               AuthorInput(full_name="Nguyễn Văn Cộng", contribution=30)]
    ini = new_initiative(world, actor=world.member_user, unit=world.to_a1, authors=authors)
    assert ini.created_by == world.member_user
    services.initiative_transition(actor=world.member_user, initiative=ini, to=Status.SUBMITTED)
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED


def test_a_member_may_not_file_for_someone_else(world):
    with pytest.raises(PermissionDeniedError):
        new_initiative(world, actor=world.member_user, unit=world.to_a1,
                       authors=[AuthorInput(full_name="Người Khác", contribution=100)])


def test_a_member_may_not_file_at_another_unit(world):
    with pytest.raises(PermissionDeniedError, match="đang công tác"):
        new_initiative(world, actor=world.member_user, unit=world.cdcs_b)


def test_required_fields(world):
    with pytest.raises(ApplicationError) as exc:
        services.initiative_create(actor=world.officer_cdcs, unit=world.cdcs_a, year=2023,
                                   authors=[AuthorInput(person_id=world.member.pk,
                                                        contribution=100)],
                                   **application(description="  "))
    assert exc.value.field == "description"


def test_update_checks_the_version_and_the_status(world):
    ini = new_initiative(world)
    ini = services.initiative_update(actor=world.officer_cdcs, initiative=ini,
                                     expected_version=1, title="Sổ chứng thực số")
    assert ini.version == 2 and ini.title_folded == "so chung thuc so"
    with pytest.raises(ApplicationError) as exc:
        services.initiative_update(actor=world.officer_cdcs, initiative=ini,
                                   expected_version=1, title="Cũ")
    assert exc.value.field == "version"
    services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.SUBMITTED)
    with pytest.raises(ApplicationError, match="bản nháp"):
        services.initiative_update(actor=world.officer_cdcs, initiative=ini,
                                   expected_version=2, title="Muộn")


# --- workflow ------------------------------------------------------------------------------------


def test_submit_is_logged_and_audited(world):
    ini = submitted(world)
    assert ini.status == Status.SUBMITTED and ini.submitted_at is not None
    change = StatusChange.objects.get(initiative=ini)
    assert (change.from_status, change.to_status) == (Status.DRAFT, Status.SUBMITTED)
    assert AuditEntry.objects.filter(action="initiative.submit", object_id=str(ini.pk)).exists()


def test_a_duplicate_submission_is_refused(world):
    first = submitted(world)
    again = new_initiative(world)  # a second draft with the same title, author, unit and year
    with pytest.raises(ApplicationError) as exc:
        services.initiative_transition(actor=world.officer_cdcs, initiative=again,
                                       to=Status.SUBMITTED)
    assert exc.value.extra["duplicate_of"] == first.pk
    assert "Không nộp lại một đơn hai lần" in exc.value.message
    # folding: the same title typed without diacritics is the same title
    plain = new_initiative(world, title="so chung thuc dien tu tai bo phan mot cua")
    with pytest.raises(ApplicationError):
        services.initiative_transition(actor=world.officer_cdcs, initiative=plain,
                                       to=Status.SUBMITTED)
    # another year, or other authors, is another application
    other_year = new_initiative(world, year=2024)
    services.initiative_transition(actor=world.officer_cdcs, initiative=other_year,
                                   to=Status.SUBMITTED)
    co = new_initiative(world, authors=[AuthorInput(person_id=world.member.pk, contribution=50),
                                        AuthorInput(full_name="Phạm Văn Hai", contribution=50)])
    services.initiative_transition(actor=world.officer_cdcs, initiative=co, to=Status.SUBMITTED)


def test_submitting_twice_is_refused(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="Không thể chuyển"):
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini,
                                       to=Status.SUBMITTED)


def test_guard_refuses_skipping_steps(world):
    ini = new_initiative(world)
    for target in (Status.UNDER_REVIEW, Status.RECOGNIZED, Status.NOT_RECOGNIZED, "bogus"):
        with pytest.raises(ApplicationError):
            services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=target)
    ini = submitted(world, title="Khác hẳn")
    with pytest.raises(ApplicationError, match="Hội đồng"):  # no council assigned
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini,
                                       to=Status.UNDER_REVIEW)
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED


def test_return_needs_a_reason_and_an_officer(world):
    ini = submitted(world, actor=world.member_user, unit=world.to_a1)
    with pytest.raises(PermissionDeniedError):
        services.initiative_transition(actor=world.member_user, initiative=ini, to=Status.DRAFT,
                                       reason="tự rút")
    with pytest.raises(ApplicationError, match="lý do"):
        services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.DRAFT)
    services.initiative_transition(actor=world.officer_cdcs, initiative=ini, to=Status.DRAFT,
                                   reason="Bổ sung số liệu làm lợi")
    assert StatusChange.objects.filter(initiative=ini, to_status=Status.DRAFT,
                                       reason="Bổ sung số liệu làm lợi").exists()


def test_outsiders_cannot_move_it(world):
    ini = submitted(world)
    with pytest.raises(NotFoundError):
        services.initiative_transition(actor=world.outsider, initiative=ini, to=Status.DRAFT,
                                       reason="x")
    with pytest.raises(PermissionDeniedError):
        services.initiative_transition(actor=world.viewer, initiative=ini, to=Status.DRAFT,
                                       reason="x")


# --- councils ------------------------------------------------------------------------------------


def test_an_author_cannot_sit_on_the_council_that_judges_it(world):
    ini = submitted(world)
    c, _ = council(world)
    services.council_member_add(actor=world.officer_cdcs, council=c, person=world.member,
                                role="uy_vien")
    with pytest.raises(ApplicationError) as exc:
        services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    assert "Trần Thị Ánh là tác giả" in exc.value.message
    assert Initiative.objects.get(pk=ini.pk).status == Status.SUBMITTED
    assert not ini.reviews.exists()


def test_an_author_cannot_join_a_council_already_judging_it(world):
    ini = submitted(world)
    c, _ = council(world)
    services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(ApplicationError, match="tác giả không được là thành viên"):
        services.council_member_add(actor=world.officer_cdcs, council=c, person=world.member,
                                    role="uy_vien")
    # a free-name author is matched by name too
    co = submitted(world, title="Phần mềm nhắc hạn hồ sơ",
                   authors=[AuthorInput(full_name="Đỗ Minh Khoa", contribution=100)])
    services.review_open(actor=world.officer_cdcs, council=c, initiative=co)
    with pytest.raises(ApplicationError, match="Đỗ Minh Khoa là tác giả"):
        services.council_member_add(actor=world.officer_cdcs, council=c,
                                    full_name="do minh khoa", role="chuyen_gia")


def test_council_composition_rules(world):
    c, _ = council(world, size=1)  # a chair only
    with pytest.raises(ApplicationError, match="đã có Chủ tịch"):
        services.council_member_add(actor=world.officer_cdcs, council=c, full_name="Ai Đó",
                                    role="chu_tich")
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="đại diện tổ chức công đoàn"):
        services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(NotFoundError):
        services.council_create(actor=world.outsider, unit=world.cdcs_a, year=2023, name="X")


def test_a_council_reviews_only_inside_its_unit(world):
    c, _ = council(world, unit=world.cdcs_b, actor=world.officer_above)
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="ngoài phạm vi"):
        services.review_open(actor=world.officer_above, council=c, initiative=ini)


@pytest.mark.parametrize("size, n_for, n_against, passed", [
    (3, 2, 1, True),     # 2 ≥ ⌈3·2/3⌉ = 2
    (3, 1, 0, False),
    (6, 3, 0, False),    # 3 of 6 present all agree: still short of 4
    (6, 4, 2, True),
    (5, 3, 0, False),    # ⌈10/3⌉ = 4
    (5, 4, 1, True),
    (9, 6, 0, True),
    (9, 5, 4, False),
])
def test_threshold_counts_all_members(world, size, n_for, n_against, passed):
    ini = submitted(world)
    c, _ = council(world, size=size)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, n_for, n_against)
    review = services.review_close(actor=world.officer_cdcs, review=review)
    assert review.members_total == size
    assert (review.outcome == Outcome.PASSED) is passed
    ini.refresh_from_db()
    assert ini.status == (Status.UNDER_REVIEW if passed else Status.NOT_RECOGNIZED)


def test_threshold_is_a_setting_kept_per_council(world, settings):
    settings.THIDUA_INITIATIVE_VOTE_THRESHOLD = "3/4"
    c, _ = council(world, size=4)
    assert (c.threshold_num, c.threshold_den) == (3, 4)
    assert "THIDUA_INITIATIVE_VOTE_THRESHOLD" in c.threshold_source
    ini = submitted(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 2)
    settings.THIDUA_INITIATIVE_VOTE_THRESHOLD = "1/2"  # a later change does not apply
    assert services.review_close(actor=world.officer_cdcs, review=review).outcome == "failed"


def test_default_threshold_cites_its_source():
    num, den, source = services.vote_threshold()
    assert (num, den) == (2, 3)
    assert "Thông tư 18/2013/TT-BKHCN, Điều 8" in source


def test_scores_within_maximum_and_frozen_after_closing(world):
    ini = submitted(world)
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    criteria = list(c.criteria.all())
    assert [x.max_points for x in criteria] == [30, 40, 30]
    members = list(c.members.all())
    with pytest.raises(ApplicationError, match="từ 0 đến 30"):
        services.scores_record(actor=world.officer_cdcs, review=review, member=members[0],
                               points={criteria[0].pk: 31})
    for m, pts in zip(members, ([25, 35, 28], [20, 30, 20], [30, 40, 30]), strict=True):
        services.scores_record(actor=world.officer_cdcs, review=review, member=m,
                               points={c_.pk: p for c_, p in zip(criteria, pts, strict=True)})
    assert services.average_score(review) == Decimal("86.00")
    vote(world, review, 3)
    closed = services.review_close(actor=world.officer_cdcs, review=review)
    assert closed.average_score == Decimal("86.00")
    with pytest.raises(ApplicationError, match="đã kết thúc"):
        services.votes_record(actor=world.officer_cdcs, review=review,
                              votes={members[0].pk: "khong_dong_y"})
    with pytest.raises(ApplicationError, match="không sửa phiếu"):
        services.council_criteria_set(actor=world.officer_cdcs, council=c, criteria=[("X", 10)])


def test_votes_only_from_members(world):
    ini = submitted(world)
    c, _ = council(world)
    other, _ = council(world, year=2024)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    outsider_member = other.members.first()
    with pytest.raises(ApplicationError, match="không phải thành viên"):
        services.votes_record(actor=world.officer_cdcs, review=review,
                              votes={outsider_member.pk: "dong_y"})
    with pytest.raises(ApplicationError, match="Chưa có phiếu"):
        services.review_close(actor=world.officer_cdcs, review=review)


# --- recognition ---------------------------------------------------------------------------------


def test_recognised_once_per_level(world):
    ini = recognised(world)
    assert ini.status == Status.RECOGNIZED
    rec = ini.recognitions.get()
    assert rec.certificate_no.endswith("/GCN-SK") and rec.review is not None
    with pytest.raises(ApplicationError) as exc:
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2024, 1, 5), decision_no="2/QĐ",
                                    issuer="Giám đốc Sở")
    assert "một lần ở mỗi cấp" in exc.value.message and "45/QĐ-STP" in exc.value.message
    city = services.recognition_create(
        actor=world.officer_cdcs, initiative=ini, level=Level.TINH, decided_on=D(2024, 3, 1),
        decision_no="1234/QĐ-UBND", issuer="Chủ tịch UBND thành phố Hà Nội",
        certificate_no="SKTĐ-2024-015")
    assert city.year == 2024 and city.certificate_no == "SKTĐ-2024-015"
    assert Recognition.objects.filter(initiative=ini).count() == 2


def test_recognition_needs_the_council_pass_at_its_level(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="Hội đồng sáng kiến"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    with pytest.raises(ApplicationError, match="biểu quyết thông qua"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    vote(world, review, 3)
    services.review_close(actor=world.officer_cdcs, review=review)
    with pytest.raises(ApplicationError, match="hãy chọn đúng cấp"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.TINH,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    with pytest.raises(ApplicationError, match="tương lai"):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2099, 5, 1), decision_no="1", issuer="X")
    with pytest.raises(NotFoundError):
        services.recognition_create(actor=world.outsider, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")


def test_a_failed_initiative_cannot_be_recognised(world):
    ini = submitted(world)
    c, _ = council(world)
    review = services.review_open(actor=world.officer_cdcs, council=c, initiative=ini)
    vote(world, review, 1, 2)
    services.review_close(actor=world.officer_cdcs, review=review)
    with pytest.raises(ApplicationError):
        services.recognition_create(actor=world.officer_cdcs, initiative=ini, level=Level.CO_SO,
                                    decided_on=D(2023, 5, 1), decision_no="1", issuer="X")
    assert StatusChange.objects.filter(initiative=ini, to_status=Status.NOT_RECOGNIZED,
                                       reason__contains="1/3 thành viên đồng ý").exists()


# --- uses ----------------------------------------------------------------------------------------


def test_one_initiative_backs_one_commendation(world):
    ini = recognised(world)
    first = services.initiative_use_record(
        actor=world.officer_cdcs, initiative=ini, kind=UseKind.COMMENDATION,
        reference="Bằng khen của Chủ tịch UBND Thành phố năm 2023", year=2023, person=world.member)
    assert first.warnings == []
    with pytest.raises(ApplicationError) as exc:
        services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                       kind=UseKind.COMMENDATION,
                                       reference="Giấy khen của LĐLĐ quận", year=2024)
    assert "5007/BNV-TĐKT" in exc.value.message and exc.value.extra["used_for"] == first.use.pk
    reused = services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                            kind=UseKind.TITLE, reference="CSTĐ cơ sở 2024",
                                            year=2024)
    assert len(reused.warnings) == 1 and "Bằng khen" in reused.warnings[0]
    assert reused.use.warning == reused.warnings[0]
    assert InitiativeUse.objects.filter(initiative=ini).count() == 2


def test_a_commendation_after_a_title_warns(world):
    ini = recognised(world)
    services.initiative_use_record(actor=world.officer_cdcs, initiative=ini, kind=UseKind.TITLE,
                                   reference="CSTĐ cơ sở 2023", year=2023)
    result = services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                            kind=UseKind.COMMENDATION,
                                            reference="Bằng khen LĐLĐ TP", year=2024)
    assert result.warnings and "CSTĐ cơ sở 2023" in result.warnings[0]


def test_only_recognised_initiatives_and_their_authors_are_used(world):
    ini = submitted(world)
    with pytest.raises(ApplicationError, match="đã được công nhận"):
        services.initiative_use_record(actor=world.officer_cdcs, initiative=ini,
                                       kind=UseKind.TITLE, reference="x", year=2023)
    done = recognised(world, title="Một sáng kiến khác")
    stranger = make_person(world.cdcs_a, "Hoàng Văn Lạ", actor=world.admin)
    with pytest.raises(ApplicationError, match="không phải tác giả"):
        services.initiative_use_record(actor=world.officer_cdcs, initiative=done,
                                       kind=UseKind.TITLE, reference="x", year=2023,
                                       person=stranger)


# --- attachments ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def test_attachment_is_judged_by_its_bytes(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ini = new_initiative(world)
    with pytest.raises(ApplicationError, match="nội dung tệp") as exc:
        services.attachment_add(actor=world.officer_cdcs, initiative=ini,
                                upload=SimpleUploadedFile("ban-ve.pdf", EXE))
    assert exc.value.field == "file"
    att = services.attachment_add(actor=world.officer_cdcs, initiative=ini,
                                  upload=SimpleUploadedFile("ban ve/..\\so lieu.pdf", PDF))
    assert att.kind == "pdf" and att.original_name == "so lieu.pdf"
    assert (tmp_path / att.file.name).read_bytes() == PDF
    assert att.file.name.startswith("initiatives/") and att.file.name.endswith(".pdf")
    # nothing of the refused upload is left behind
    assert sorted(p.name for p in (tmp_path / "initiatives").iterdir()) == [
        att.file.name.split("/")[-1]]


def test_an_oversized_attachment_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THIDUA_MAX_ATTACHMENT_BYTES = 1024
    ini = new_initiative(world)
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000)
    with pytest.raises(ApplicationError, match="Tệp quá lớn"):
        services.attachment_add(actor=world.officer_cdcs, initiative=ini, upload=big)
    assert not Attachment.objects.exists()


def test_attachments_stop_once_decided(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ini = recognised(world)
    with pytest.raises(ApplicationError, match="kết luận"):
        services.attachment_add(actor=world.officer_cdcs, initiative=ini,
                                upload=SimpleUploadedFile("a.pdf", PDF))
    with pytest.raises(PermissionDeniedError):
        services.attachment_add(actor=world.viewer, initiative=new_initiative(world, title="Y"),
                                upload=SimpleUploadedFile("a.pdf", PDF))


# --- facts and counts ----------------------------------------------------------------------------


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
