"""Applications through the services: authors and their shares, trial participants,
the fields, drafts with a version check, and attachments (issue 4 §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.audit.models import AuditEntry
from thidua.initiatives import services
from thidua.initiatives.models import Attachment, Initiative, Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests.helpers import application, new_initiative, recognised
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.testing import make_person

pytestmark = pytest.mark.django_db
D = dt.date


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
