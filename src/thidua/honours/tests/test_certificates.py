"""Certificates as PDF: one page per award that stands, printed in one pass and signed once with
the issuer's key; the QR code decodes to the verification URL; a member's own certificate alone,
signed and cached."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from thidua.audit.models import AuditEntry
from thidua.honours import services
from thidua.honours.certificates import certificate_title, grouped_code, verification_url
from thidua.honours.models import Award, Certificate, Decision
from thidua.honours.services import certificates as cert_services
from thidua.honours.services.certificates import certificate_pdf, certificates_render
from thidua.honours.tests.conftest import SIGNED, draft, to_vote
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.pdf import page_count
from thidua.platform.signing import make_pkcs12, verify_pdf
from thidua.platform.tests.tools import pdf_text, pdfsig, require, run
from thidua.testing import World

pytestmark = pytest.mark.django_db
VALID = "Signature is Valid"
SIGNER = "Nguyễn Văn Chủ — Chủ tịch CĐVC Hà Nội"


@pytest.fixture
def storage_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def keyed(settings: Any, tmp_path: Path, storage_dir: Path) -> Path:
    """CĐVC Hà Nội (the issuer of the test decisions) has a key in THIDUA_SIGNING_DIR."""
    keys = tmp_path / "keys"
    settings.THIDUA_SIGNING_DIR = keys
    return make_pkcs12(keys / "CDVC-HN.p12", common_name=SIGNER,
                       organisation="Công đoàn Viên chức thành phố Hà Nội", passphrase=b"")


def issued(w: World, people: int = 3) -> Decision:
    p = to_vote(w, draft(w, people=people))
    return services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                   signed=SIGNED)


def test_a_decision_prints_as_one_signed_pdf_with_a_page_per_award(world: World,
                                                                     keyed: Path,
                                                                     tmp_path: Path) -> None:
    w = world
    d = issued(w)
    before = AuditEntry.objects.count()
    pdf = certificates_render(actor=w.officer_above, decision=d)
    assert page_count(pdf) == 3
    assert VALID in pdfsig(pdf, tmp_path)
    check = verify_pdf(pdf)
    assert check.intact and check.covers_whole_file and check.signer == SIGNER
    rows = list(Certificate.objects.filter(award__decision=d))
    assert {(c.file.name, c.sha256, c.signed) for c in rows} == {
        (rows[0].file.name, rows[0].sha256, True)}
    assert rows[0].file.name.startswith("certificates/")
    with rows[0].file.open("rb") as stored:
        assert stored.read() == pdf
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [e.action for e in entries] == ["certificate.render"]


def test_the_page_prints_the_award_with_vietnamese_text(world: World, keyed: Path,
                                                         tmp_path: Path) -> None:
    w = world
    d = issued(w, people=1)
    text = pdf_text(certificates_render(actor=w.officer_above, decision=d), tmp_path)
    code = Certificate.objects.get(award__decision=d).code
    flat = " ".join(text.split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "CÔNG ĐOÀN VIÊN CHỨC THÀNH PHỐ HÀ NỘI", "GIẤY KHEN", "Bà Trần Thị Ánh",
                     "Đã có thành tích hoàn thành xuất sắc nhiệm vụ năm 2024",
                     f"Quyết định số {d.number} ngày 10 tháng 01 năm 2025", "Số sổ vàng: 1",
                     "Hà Nội, ngày 10 tháng 01 năm 2025", "CHỦ TỊCH", "Nguyễn Văn Chủ",
                     grouped_code(code)[:9]):
        assert expected in flat, expected


def test_the_qr_code_decodes_to_the_verification_url(world: World, keyed: Path, settings: Any,
                                                      tmp_path: Path) -> None:
    require("pdftoppm", "zbarimg")
    settings.THIDUA_PUBLIC_URL = "https://thidua.example.vn/"
    w = world
    d = issued(w, people=2)
    pdf = certificates_render(actor=w.officer_above, decision=d)
    (tmp_path / "c.pdf").write_bytes(pdf)
    run("pdftoppm", "-r", "150", "-f", "2", "-l", "2", "-png", tmp_path / "c.pdf",
        tmp_path / "page")
    [png] = list(tmp_path.glob("page*.png"))
    decoded = run("zbarimg", "--raw", "-q", png).strip()
    second = Award.objects.filter(decision=d).order_by("golden_book_no")[1]
    assert decoded == verification_url(second.certificate.code)
    assert decoded == f"https://thidua.example.vn/xac-minh/{second.certificate.code}/"


def test_revoked_awards_are_left_out_and_no_key_prints_unsigned(world: World,
                                                                storage_dir: Path,
                                                                settings: Any,
                                                                tmp_path: Path) -> None:
    settings.THIDUA_SIGNING_DIR = tmp_path / "no-keys"
    w = world
    d = issued(w)
    first = d.awards.order_by("golden_book_no").first()
    assert first is not None
    services.decision_revoke(actor=w.officer_above, awards=[first], reason="Khai man thành tích",
                             signed=services.Signed(dt.date(2025, 3, 1), "A", "Chủ tịch"))
    pdf = certificates_render(actor=w.officer_above, decision=d)
    assert page_count(pdf) == 2
    assert verify_pdf(pdf).signed is False
    assert not Certificate.objects.get(award=first).file  # the revoked one is not printed
    assert set(Certificate.objects.filter(award__decision=d, award__revoked=False)
               .values_list("signed", flat=True)) == {False}


def test_only_the_issuers_officers_print_a_decision(world: World, storage_dir: Path) -> None:
    w = world
    d = issued(w, people=1)
    with pytest.raises(PermissionDeniedError):
        certificates_render(actor=w.viewer, decision=d)  # sees it, may not act
    with pytest.raises((NotFoundError, PermissionDeniedError)):
        certificates_render(actor=w.officer_cdcs, decision=d)
    with pytest.raises(NotFoundError):
        certificates_render(actor=w.outsider, decision=d)


def test_a_member_downloads_their_own_certificate_signed_and_cached(
        world: World, keyed: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    w = world
    d = issued(w, people=2)
    mine = Award.objects.get(decision=d, person=w.member)
    pdf = certificate_pdf(actor=w.member_user, award=mine)
    assert page_count(pdf) == 1 and VALID in pdfsig(pdf, tmp_path)
    assert mine.certificate.code in pdf_text(pdf, tmp_path).replace("-", "")

    def no_second_print(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("printed again instead of the cached copy")

    monkeypatch.setattr(cert_services, "render_pdf", no_second_print)
    assert certificate_pdf(actor=w.member_user, award=mine) == pdf
    other = Award.objects.exclude(pk=mine.pk).get(decision=d)
    with pytest.raises(NotFoundError):
        certificate_pdf(actor=w.member_user, award=other)  # another person's award
    with pytest.raises(NotFoundError):
        certificate_pdf(actor=w.outsider, award=mine)


def test_a_revoked_award_has_no_certificate_to_download(world: World, storage_dir: Path) -> None:
    w = world
    d = issued(w, people=1)
    award = d.awards.get()
    services.decision_revoke(actor=w.officer_above, awards=[award], reason="Sai đối tượng",
                             signed=services.Signed(dt.date(2025, 3, 1), "A", "Chủ tịch"))
    with pytest.raises(ApplicationError, match="thu hồi"):
        certificate_pdf(actor=w.officer_above, award=award)
    with pytest.raises(ApplicationError, match="không còn khen thưởng"):
        certificates_render(actor=w.officer_above, decision=d)


@pytest.mark.parametrize(("name", "title"), [
    ("Giấy khen của Ban Chấp hành công đoàn cấp trên trực tiếp cơ sở", "GIẤY KHEN"),
    ("Bằng khen của Ban Chấp hành Tổng Liên đoàn Lao động Việt Nam (toàn diện)", "BẰNG KHEN"),
    ("Cờ thi đua xuất sắc của Liên đoàn Lao động tỉnh/thành phố", "CỜ THI ĐUA XUẤT SẮC"),
    ("Bằng Lao động sáng tạo của Tổng Liên đoàn Lao động Việt Nam", "BẰNG LAO ĐỘNG SÁNG TẠO"),
])
def test_the_title_follows_the_forms_name(name: str, title: str) -> None:
    assert certificate_title(name) == title


def test_a_configured_emblem_is_printed_and_a_missing_one_is_refused(
        world: World, storage_dir: Path, settings: Any, tmp_path: Path) -> None:
    w = world
    d = issued(w, people=1)
    settings.THIDUA_CERTIFICATE_EMBLEM = str(tmp_path / "khong-co.png")
    with pytest.raises(ApplicationError, match="biểu trưng"):
        certificates_render(actor=w.officer_above, decision=d)
    emblem = tmp_path / "emblem.svg"
    emblem.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                      '<circle cx="5" cy="5" r="5" fill="#c00"/></svg>')
    settings.THIDUA_CERTIFICATE_EMBLEM = str(emblem)
    assert page_count(certificates_render(actor=w.officer_above, decision=d)) == 1


def test_printing_again_replaces_the_earlier_file(world: World, storage_dir: Path,
                                                  django_capture_on_commit_callbacks: Any) -> None:
    w = world
    d = issued(w, people=1)
    certificates_render(actor=w.officer_above, decision=d)
    first = Certificate.objects.get(award__decision=d).file.name
    with django_capture_on_commit_callbacks(execute=True):
        certificates_render(actor=w.officer_above, decision=d)
    second = Certificate.objects.get(award__decision=d).file.name
    assert second != first
    assert (storage_dir / second).exists() and not (storage_dir / first).exists()


def test_without_a_place_the_date_line_is_the_date_alone(world: World, storage_dir: Path,
                                                         tmp_path: Path) -> None:
    w = world
    p = to_vote(w, draft(w, people=1))
    d = services.decision_issue(actor=w.officer_above, issuer=w.cdvc, proposals=[p],
                                signed=services.Signed(SIGNED.date, "Nguyễn Văn Chủ", "Chủ tịch"))
    text = " ".join(pdf_text(certificates_render(actor=w.officer_above, decision=d),
                             tmp_path).split())
    assert "Ngày 10 tháng 01 năm 2025" in text and "Hà Nội, ngày" not in text
