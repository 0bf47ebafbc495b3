"""Every generated .docx, converted by LibreOffice headless as a union's office would open it:
page size and count, and the key lines read back from the PDF (pdftotext).

Without `soffice` the module is skipped with its reason, except under CI=true where a missing
LibreOffice fails (scripts/test.sh installs libreoffice-writer-nogui and poppler-utils)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from thidua.councils.models import Council
from thidua.evaluation import services
from thidua.evaluation.documents import UNION, minutes_docx
from thidua.evaluation.tests.conftest import YEAR, no_units
from thidua.initiatives import documents as ini_docs
from thidua.initiatives import selectors as ini_selectors
from thidua.initiatives.tests.helpers import recognised
from thidua.platform.documents import WORKING_NOTES
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None or shutil.which("pdftotext") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true: LibreOffice (soffice) and pdftotext must be installed "
                           "(scripts/test.sh installs libreoffice-writer-nogui, poppler-utils).")
    pytest.skip("LibreOffice (soffice) or pdftotext is not installed; ./run.sh test installs "
                "them", allow_module_level=True)

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
PEOPLE = 400


def to_pdf(data: bytes, tmp_path: Path, name: str) -> tuple[int, list[str], str]:
    """(page count, the text of each page, pdfinfo) of `data` converted by LibreOffice."""
    source = tmp_path / f"{name}.docx"
    source.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / f"{name}.pdf"
    keep = os.environ.get("THIDUA_KEEP_PDF")  # a folder to look at the pages (pdftoppm -r 50)
    if keep:
        shutil.copy(pdf, Path(keep) / pdf.name)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return count, pages, info


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def assert_a4(info: str) -> None:
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size, info
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (595, 842), info


def assert_no_working_notes(text: str) -> None:
    for note in WORKING_NOTES:
        assert note.casefold() not in text.casefold(), note
    assert not re.search(r"(?<![\w/])[CLG](?![\w/])\)", text)  # no "(… ; G)" confidence marks


def big_review(world: World) -> object:
    """A closed review of `PEOPLE` people of the tổ công đoàn, each proposed for LĐTT and ĐVCĐ
    xuất sắc, voted by a council of five; the meeting on 15/12/2024 from 08:30."""
    officer = world.officer_cdcs
    people = [make_person(world.to_a1, f"Nguyễn Văn Người Thứ {i:03d}",
                          birth=dt.date(1980, 1, 1) + dt.timedelta(days=i), actor=world.admin)
              for i in range(PEOPLE)]
    services.ratings_save(actor=officer, unit=world.cdcs_a, year=YEAR, rows=[
        services.RatingRow(person_id=p.pk, code="HTTNV") for p in people])
    registered = {(p.pk, YEAR): {"LDTT", "DVXS"} for p in people}

    def registrations(*, person_ids: list[int], years: list[int]) -> dict:
        return {k: v for k, v in registered.items() if k[0] in person_ids and k[1] in years}

    review = services.review_open(actor=officer, unit=world.cdcs_a, year=YEAR,
                                  registrations=registrations, unit_registrations=no_units)
    roles = ["chu_tich", "thu_ky", "uy_vien", "uy_vien", "uy_vien"]
    members = [services.council_member_add(actor=officer, review=review, role=role,
                                           name=f"Thành viên {i + 1}", position="Ủy viên BCH")
               for i, role in enumerate(roles)]
    Council.objects.filter(pk=review.council_id).update(meeting_date=dt.date(2024, 12, 15),
                                                        meeting_time=dt.time(8, 30))
    services.review_transition(actor=officer, review=review, to="voting")
    for m in members:
        services.votes_fill(actor=officer, review=review, member=m, choice="dong_y")
    services.review_transition(actor=officer, review=review, to="closed")
    return review


def test_minutes_of_a_large_review_lay_out_on_a4_with_an_annex(world, tmp_path):
    review = big_review(world)
    data = minutes_docx(review)
    assert_no_working_notes(docx_text(data))
    count, pages, info = to_pdf(data, tmp_path, "bien-ban")
    assert_a4(info)
    annex = next(i for i, p in enumerate(pages) if "PHỤ LỤC" in p)
    assert annex <= 3, f"the body takes {annex + 1} pages"  # body: counts per title, ≤ 3 pages
    rows = 2 * PEOPLE  # LĐTT and ĐVCĐ xuất sắc for each
    assert rows / 45 <= count - annex <= rows / 12, count  # the annex grows with the list
    first = pages[0]
    assert any(QUOC_HIEU in line for line in first.splitlines()), first  # on one line
    assert "Số:" in first and "/BB-HĐTĐKT" in first
    assert "ngày 15 tháng 12 năm 2024" in first
    assert "bắt đầu lúc 08 giờ 30 phút" in first
    body = "\n".join(pages[:annex + 1])
    assert "kết thúc lúc" in body and "giờ" in body
    assert "Thủ trưởng cơ quan, đơn vị quyết định" in body and "Điều 80" in body
    assert "Thứ 399" not in "\n".join(pages[:annex])  # names are in the annex
    for page in pages[annex + 1:]:
        assert "Họ và tên / Tập thể" in page  # the header row repeats on every page
    assert "Thứ 399" in pages[-1]
    assert_no_working_notes("\n".join(pages))

    union = minutes_docx(review, UNION)
    text = docx_text(union)
    assert "TM. BAN CHẤP HÀNH" in text and "CÔNG ĐOÀN SỞ TƯ PHÁP" in text
    assert "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG" not in text and "Lao động tiên tiến" not in text
    count, pages, info = to_pdf(union, tmp_path, "bien-ban-cong-doan")
    assert_a4(info)
    first = pages[0]
    assert "CÔNG ĐOÀN VIÊN CHỨC" in first and "CÔNG ĐOÀN SỞ TƯ PHÁP" in first
    assert re.search(r"/BB-CĐCS(?![-\w])", first)  # the level's abbreviation, not a code
    assert any(QUOC_HIEU in line for line in first.splitlines())
    assert count <= 3 + PEOPLE / 12


def test_initiative_application_and_certificate_print_on_a4(world, tmp_path):
    ini = recognised(world)
    rec = ini.recognitions.get()
    application = ini_docs.application_docx(ini)
    certificate = ini_docs.certificate_docx(rec, ini_selectors.authors(ini))
    for data in (application, certificate):
        assert_no_working_notes(docx_text(data))
    count, pages, info = to_pdf(application, tmp_path, "don")
    assert_a4(info)
    assert count <= 3
    assert any(QUOC_HIEU in line for line in pages[0].splitlines())
    assert "ĐƠN YÊU CẦU CÔNG NHẬN SÁNG KIẾN" in pages[0]
    count, pages, info = to_pdf(certificate, tmp_path, "giay-chung-nhan")
    assert_a4(info)
    assert count == 1
    assert "GIẤY CHỨNG NHẬN" in pages[0] and rec.certificate_no in pages[0]
    assert "ngày 20 tháng 11 năm 2023" in pages[0]  # NĐ 30/2020: no zero before 11
    assert "45/QĐ-STP" in pages[0]
