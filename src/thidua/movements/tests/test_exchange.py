"""Registrations in the exchange format (version 6): a subtree's registrations travel with it,
loaded under another unit with their subtree sums, and a wrong row is refused in Vietnamese
with its file and line before anything is written."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from thidua.movements import figures as registration_figures
from thidua.movements import services
from thidua.movements.models import Attachment, Pledge, RegisteredTitle, Registration
from thidua.movements.tests.helpers import LATE, ON_TIME, YEAR, deployed_plan, rule
from thidua.org.models import Unit
from thidua.org.rollups import rolled_sums
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.testing import make_unit, make_world

pytestmark = pytest.mark.django_db
PLEDGES = ["Quy tắc ứng xử", "Văn hóa công sở"]


def _dump(out: Path) -> None:
    """The test world with registrations of two CĐCS of CDVC-HN, of a member through TO-A1 and
    of a CĐCS elsewhere; CDVC-HN's subtree dumped, then everything rolled back: the database is
    empty again."""
    point = transaction.savepoint()
    try:
        world = make_world()
        rule(world, pledges=PLEDGES)
        for unit, titles in ((world.cdcs_a, ["TTLDTT", "CQ_VAN_HOA"]), (world.cdcs_b, ["TTLDXS"])):
            services.registration_create(actor=world.officer_above, year=YEAR, unit=unit,
                                         titles=titles, commitments=["Việc một", "Việc hai"],
                                         registered_on=ON_TIME)
        services.registration_create(actor=world.officer_cdcs, year=YEAR, person=world.member,
                                     via_unit=world.cdcs_a, titles=["LDTT"],
                                     commitments=["Không đi muộn"], pledges=PLEDGES,
                                     registered_on=ON_TIME)
        services.registration_create(actor=world.outsider, year=YEAR, unit=world.cdcs_c,
                                     titles=["TTLDTT"], commitments=["Việc một", "Việc hai"],
                                     registered_on=ON_TIME)
        exchange_dump(actor=None, unit=world.cdvc, out=out)
    finally:
        transaction.savepoint_rollback(point)
    assert not Unit.objects.exists() and not Registration.objects.exists()


def _rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))




def _line(rows: list[dict[str, str]], **match: str) -> int:
    """The file line (the header is line 1) of the first row with these values."""
    return next(i for i, r in enumerate(rows, start=2)
                if all(r[k] == v for k, v in match.items()))


def test_the_registrations_of_a_subtree_load_under_another_unit_with_their_sums(tmp_path):
    _dump(tmp_path / "cdvc")
    rows = _rows(tmp_path / "cdvc", "registrations")
    assert len(rows) == 3  # CDCS-C's is another subtree's
    assert len(_rows(tmp_path / "cdvc", "registration_pledges")) == 2
    under = make_unit("LDLD-DN", "ldld_tinh", name="Liên đoàn Lao động thành phố Đà Nẵng")

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=under)

    assert (counts["registrations"], counts["registration_titles"],
            counts["registration_commitments"], counts["registration_pledges"]) == (3, 4, 5, 2)
    member = Registration.objects.get(person__isnull=False)
    assert member.home_unit.code == "TO-A1" and member.registered_by is None
    assert sorted(Pledge.objects.filter(registration=member).values_list("text", flat=True)) == (
        PLEDGES)
    assert set(RegisteredTitle.objects.filter(registration__unit__code="CDCS-A")
               .values_list("code", flat=True)) == {"TTLDTT", "CQ_VAN_HOA"}
    # the CĐCS' registrations are in the subtree sums of the unit they were loaded under
    assert registration_figures.differences() == []
    keys = [registration_figures.REGISTERED, registration_figures.CULTURE_REGISTERED]
    assert rolled_sums(registration_figures.SUMS, unit_ids=[under.pk], years=[YEAR],
                       keys=keys) == {(under.pk, YEAR, keys[0]): 2, (under.pk, YEAR, keys[1]): 1}


def test_a_registration_of_both_a_person_and_a_unit_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    rows = _rows(folder, "registrations")
    line = _line(rows, unit_id="")
    edit_dumped_cell(folder, "registrations", line, "unit_id", rows[0]["home_unit_id"])

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert (f"registrations.csv, dòng {line}: mỗi bản đăng ký thuộc đúng một người (person_id) "
            "hoặc một đơn vị (unit_id).") in message
    assert "chưa ghi gì" in message
    assert not Unit.objects.exists() and not Registration.objects.exists()


def test_a_unit_registered_twice_in_a_year_is_refused_with_its_line(tmp_path):
    _dump(tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    rows = _rows(folder, "registrations")
    units = [r for r in rows if r["unit_id"]]
    first, second = _line(rows, id=units[0]["id"]), _line(rows, id=units[1]["id"])
    edit_dumped_cell(folder, "registrations", second, "unit_id", units[0]["unit_id"])
    edit_dumped_cell(folder, "registrations", second, "home_unit_id", units[0]["unit_id"])

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    assert (f"registrations.csv, dòng {second}: đơn vị {units[0]['unit_id']} đã có bản đăng "
            f"ký năm {YEAR} ở dòng {first}.") in caught.value.message
    assert not Unit.objects.exists() and not Registration.objects.exists()


def test_a_title_of_a_registration_absent_from_the_dump_is_refused(tmp_path):
    _dump(tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    edit_dumped_cell(folder, "registration_titles", 3, "registration_id", "999999999")
    edit_dumped_cell(folder, "registration_titles", 2, "code", "KHONG_CO")
    pledge = _rows(folder, "registration_pledges")[0]
    edit_dumped_cell(folder, "registration_pledges", 2, "text", "x" * 256)

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert "registration_titles.csv, dòng 2: cột «code» có giá trị không hợp lệ «KHONG_CO»." \
        in message
    assert "registration_pledges.csv, dòng 2: cột «text» dài quá 255 ký tự." in message
    assert not Unit.objects.exists()
    # the rows read, their references
    edit_dumped_cell(folder, "registration_titles", 2, "code", "TTLDTT")
    edit_dumped_cell(folder, "registration_pledges", 2, "text", pledge["text"])
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    assert ("registration_titles.csv, dòng 3: mã tham chiếu 999999999 (cột «registration_id») "
            "không có trong tệp.") in caught.value.message
    assert not Unit.objects.exists() and not RegisteredTitle.objects.exists()


def test_a_title_or_a_pledge_twice_in_one_registration_is_refused(tmp_path):
    _dump(tmp_path / "cdvc")
    folder = tmp_path / "cdvc"
    titles = _rows(folder, "registration_titles")
    assert titles[0]["registration_id"] == titles[1]["registration_id"]  # CDCS-A's two
    edit_dumped_cell(folder, "registration_titles", 3, "code", titles[0]["code"])
    pledges = _rows(folder, "registration_pledges")
    edit_dumped_cell(folder, "registration_pledges", 3, "text", pledges[0]["text"])

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert (f"registration_titles.csv, dòng 3: danh hiệu {titles[0]['code']} đã có trong bản "
            f"đăng ký {titles[0]['registration_id']} ở dòng 2.") in message
    assert (f"registration_pledges.csv, dòng 3: cam kết «{pledges[0]['text']}» đã có trong bản "
            f"đăng ký {pledges[0]['registration_id']} ở dòng 2.") in message
    assert not Unit.objects.exists() and not Pledge.objects.exists()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PLAN_DOC = "Kế hoạch.pdf"


def test_the_documents_of_a_dumped_movement_and_plan_go_with_them(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    point = transaction.savepoint()
    try:
        world = make_world()
        plan = deployed_plan(world)
        launched = plan.movements.get()
        services.attachment_add(actor=world.officer_above, movement=launched,
                                upload=SimpleUploadedFile("Phát động.pdf", PDF))
        services.attachment_add(actor=world.officer_above, plan=plan,
                                upload=SimpleUploadedFile(PLAN_DOC, PDF + b"%plan"))
        # a movement of the province above the dump: its document stays with the province
        above = services.movement_create(actor=world.leader, issuer=world.hn, name="Của tỉnh",
                                         start_date=ON_TIME, end_date=LATE)
        services.attachment_add(actor=world.leader, movement=above,
                                upload=SimpleUploadedFile("tinh.pdf", PDF + b"%tinh"))
        exchange_dump(actor=None, unit=world.cdvc, out=tmp_path / "cdvc")
    finally:
        transaction.savepoint_rollback(point)
    rows = _rows(tmp_path / "cdvc", "movement_attachments")
    assert sorted(r["original_name"] for r in rows) == [PLAN_DOC, "Phát động.pdf"]
    assert len(list((tmp_path / "cdvc" / "files").iterdir())) == 2
    settings.MEDIA_ROOT = tmp_path / "target-media"
    under = make_unit("LDLD-DN", "ldld_tinh", name="Liên đoàn Lao động thành phố Đà Nẵng")

    counts = exchange_load(actor=None, source=tmp_path / "cdvc", under=under)

    assert counts["movement_attachments"] == 2
    on_movement = Attachment.objects.get(movement__isnull=False)
    on_plan = Attachment.objects.get(plan__isnull=False)
    assert (on_movement.original_name, on_movement.movement.issuer.code) == (
        "Phát động.pdf", "CDVC-HN")
    assert (on_plan.original_name, on_plan.plan.number) == (PLAN_DOC, "01/KH-CĐVC")
    assert on_plan.file.name == f"movements/{on_plan.stored_name}"
    assert (tmp_path / "target-media" / on_plan.file.name).read_bytes() == PDF + b"%plan"
    assert on_plan.sha256 == hashlib.sha256(PDF + b"%plan").hexdigest()


def test_a_document_of_both_or_neither_owner_is_refused_with_its_line(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    point = transaction.savepoint()
    try:
        world = make_world()
        plan = deployed_plan(world)
        services.attachment_add(actor=world.officer_above, plan=plan,
                                upload=SimpleUploadedFile("kh.pdf", PDF))
        exchange_dump(actor=None, unit=world.cdvc, out=tmp_path / "cdvc")
    finally:
        transaction.savepoint_rollback(point)
    movement_id = _rows(tmp_path / "cdvc", "movements")[0]["id"]
    edit_dumped_cell(tmp_path / "cdvc", "movement_attachments", 2, "movement_id", movement_id)

    with pytest.raises(ApplicationError, match="movement_attachments.csv, dòng 2: mỗi tài liệu "
                                               "gắn với đúng một phong trào"):
        exchange_load(actor=None, source=tmp_path / "cdvc")
    assert not Attachment.objects.exists()
