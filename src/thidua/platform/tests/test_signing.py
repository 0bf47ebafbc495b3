from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.generic import NameObject, TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from thidua.platform.errors import ApplicationError
from thidua.platform.pdf import render_pdf
from thidua.platform.signing import (
    PdfSigner,
    Pkcs12Signer,
    RemotePdfSigner,
    make_pkcs12,
    signer_for,
    verify_pdf,
)
from thidua.platform.tests.tools import pdfsig

SIGNER = "Nguyễn Thị Hà — Chủ tịch LĐLĐ TP Hà Nội"
ORG = "Liên đoàn Lao động Thành phố Hà Nội"
PASS = "mật khẩu bí mật".encode()
VALID = "Signature is Valid"
HTML = ('<html><head><style>@page { size: A4 landscape }</style></head><body>'
        "<h1>BẰNG KHEN</h1><p>Tặng Công đoàn Trường THCS Ngô Sĩ Liên</p>"
        "<p>Quyết định số 123/QĐ-LĐLĐ ngày 05 tháng 12 năm 2017</p></body></html>")


@pytest.fixture(scope="module")
def document() -> bytes:
    return render_pdf(HTML)


@pytest.fixture(scope="module")
def key_file(tmp_path_factory) -> Path:
    return make_pkcs12(tmp_path_factory.mktemp("keys") / "LDLD-HN.p12", common_name=SIGNER,
                       organisation=ORG, passphrase=PASS)


@pytest.fixture(scope="module")
def signed(document, key_file) -> bytes:
    return Pkcs12Signer(key_file, PASS).sign(document, reason="Ký ban hành bằng khen",
                                             location="Hà Nội")


def _certificate_der(key_file: Path) -> bytes:
    _, cert, _ = pkcs12.load_key_and_certificates(key_file.read_bytes(), PASS)
    assert cert is not None
    return cert.public_bytes(Encoding.DER)


def _flip_inside_signed_range(pdf: bytes) -> bytes:
    """One bit of one byte of the first page's content stream, well inside the first signed
    byte range (the range ends where the signature's /Contents starts)."""
    first_range_end = pdf.index(b"/Contents <")
    position = pdf.index(b"stream", pdf.index(b"/Filter")) + 40
    assert position < first_range_end
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


def test_make_pkcs12_is_readable_by_its_owner_only(key_file) -> None:
    assert os.stat(key_file).st_mode & 0o777 == 0o600
    signer = Pkcs12Signer(key_file, PASS)
    assert isinstance(signer, PdfSigner)
    assert signer.signer_name == SIGNER


def test_signed_pdf_is_valid_for_pdfsig_and_for_verify_pdf(tmp_path, document, signed) -> None:
    assert signed.startswith(document)  # an incremental update: the rendered bytes untouched
    report = pdfsig(signed, tmp_path)
    assert VALID in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    assert "Total document signed" in report
    check = verify_pdf(signed)
    assert (check.signed, check.intact, check.covers_whole_file) == (True, True, True)
    assert check.signer == SIGNER
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert check.trusted is False  # no trust roots configured
    assert check.summary_vi.startswith(
        f"Chữ ký số hợp lệ, tài liệu không bị sửa sau khi ký (người ký: {SIGNER}).")


def test_one_changed_byte_breaks_the_signature(tmp_path, signed) -> None:
    changed = _flip_inside_signed_range(signed)
    assert sum(a != b for a, b in zip(changed, signed, strict=True)) == 1
    check = verify_pdf(changed)
    assert (check.signed, check.intact) == (True, False)
    assert check.summary_vi == "Tài liệu đã bị sửa sau khi ký: chữ ký không còn giá trị."
    report = pdfsig(changed, tmp_path, "changed.pdf")
    assert "Signature #1" in report and VALID not in report


def test_trust_root_given_makes_the_signer_trusted(key_file, signed) -> None:
    check = verify_pdf(signed, trust_roots=[_certificate_der(key_file)])
    assert check.intact and check.trusted
    assert "tổ chức chứng thực tin cậy cấp" in check.summary_vi
    other = make_pkcs12(key_file.parent / "other.p12", common_name="Khác", organisation=ORG,
                        passphrase=PASS)
    assert verify_pdf(signed, trust_roots=[_certificate_der(other)]).trusted is False


def test_content_added_after_signing_is_reported(signed) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer.root[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    check = verify_pdf(out.getvalue())
    assert check.intact and not check.covers_whole_file
    assert "thêm vào sau khi ký" in check.summary_vi


def test_unsigned_and_broken_files_answer_without_raising(document, signed) -> None:
    unsigned = verify_pdf(document)
    assert (unsigned.signed, unsigned.intact, unsigned.summary_vi) == (
        False, False, "Tài liệu không có chữ ký số.")
    for broken in (b"", b"not a pdf", b"%PDF-1.7\n%%EOF", signed[: len(signed) // 2],
                   signed.replace(b"/ByteRange", b"/ByteRangX"), signed[:-300]):
        check = verify_pdf(broken)
        assert check.intact is False
        assert check.summary_vi


def test_second_signature_keeps_the_first_valid(tmp_path, signed, key_file) -> None:
    second = make_pkcs12(key_file.parent / "second.p12", common_name="Trần Văn Bình",
                         organisation=ORG, passphrase=b"")
    twice = Pkcs12Signer(second, None).sign(signed, reason="Ký nháy", field_name="Signature2")
    assert pdfsig(twice, tmp_path).count(VALID) == 2
    check = verify_pdf(twice)
    assert check.intact and check.covers_whole_file
    assert check.signer == f"{SIGNER}, Trần Văn Bình"


def test_wrong_passphrase_missing_file_and_expired_certificate(tmp_path, key_file) -> None:
    with pytest.raises(ApplicationError, match="sai mật khẩu"):
        Pkcs12Signer(key_file, b"wrong")
    with pytest.raises(ApplicationError, match="sai mật khẩu"):
        Pkcs12Signer(key_file, None)
    with pytest.raises(ApplicationError, match="không tồn tại"):
        Pkcs12Signer(tmp_path / "missing.p12", PASS)
    garbage = tmp_path / "garbage.p12"
    garbage.write_bytes(b"\x30\x82garbage")
    with pytest.raises(ApplicationError, match="PKCS#12"):
        Pkcs12Signer(garbage, PASS)
    expired = make_pkcs12(tmp_path / "expired.p12", common_name="Hết hạn", organisation=ORG,
                          passphrase=PASS, days=0)
    with pytest.raises(ApplicationError, match="đã hết hạn"):
        Pkcs12Signer(expired, PASS)


def test_signing_a_broken_pdf_is_a_clear_error(key_file) -> None:
    with pytest.raises(ApplicationError, match="PDF bị hỏng"):
        Pkcs12Signer(key_file, PASS).sign(b"not a pdf", reason="x")


# --- a remote signing service, faked in process with a local key: a real signature ---

def _self_signed(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, name: str,
                 ca: bool = False) -> bytes:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30)))
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0),
                                        critical=True)
    cert = builder.sign(key, hashes.SHA256())
    return cert.public_bytes(Encoding.DER)


class FakeCAClient:
    """What a CA's HTTP API does: holds the key, returns its certificate, signs a digest."""

    def __init__(self, kind: str = "rsa", name: str = "CA ký số từ xa — Ký thử") -> None:
        self.key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048) if kind == "rsa"
            else ec.generate_private_key(ec.SECP256R1()))
        self.cert = _self_signed(self.key, name)
        self.requests: list[tuple[bytes, str]] = []

    def certificate_chain(self) -> list[bytes]:
        return [self.cert]

    def sign_digest(self, digest: bytes, algorithm: str) -> bytes:
        self.requests.append((digest, algorithm))
        prehashed = utils.Prehashed(hashes.SHA256())
        if isinstance(self.key, rsa.RSAPrivateKey):
            return self.key.sign(digest, padding.PKCS1v15(), prehashed)
        return self.key.sign(digest, ec.ECDSA(prehashed))


def fake_ca_factory(*, issuer_code: str, kind: str = "rsa") -> FakeCAClient:
    return FakeCAClient(kind, name=f"Ký từ xa {issuer_code}")


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_remote_signer_sends_only_a_digest_and_pdfsig_validates(tmp_path, document,
                                                                kind) -> None:
    client = FakeCAClient(kind)
    signer = RemotePdfSigner(client)
    assert signer.signer_name == "CA ký số từ xa — Ký thử"
    pdf = signer.sign(document, reason="Ký ban hành")
    assert [(len(d), a) for d, a in client.requests] == [(32, "sha256")]  # one call, no dry run
    assert VALID in pdfsig(pdf, tmp_path)
    check = verify_pdf(pdf)
    assert check.intact and check.covers_whole_file and check.signer == signer.signer_name
    assert verify_pdf(_flip_inside_signed_range(pdf)).intact is False


class ChainedCAClient(FakeCAClient):
    """A CA service whose signer's certificate is issued by the CA's root, sent alongside."""

    def __init__(self) -> None:
        super().__init__("rsa")
        self.root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.root = _self_signed(self.root_key, "CA gốc thử nghiệm", ca=True)
        root_name = x509.load_der_x509_certificate(self.root).subject
        now = dt.datetime.now(dt.UTC)
        usage = x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False,
            crl_sign=False, encipher_only=False, decipher_only=False)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Người ký")]))
            .issuer_name(root_name).public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(usage, critical=True)
            .sign(self.root_key, hashes.SHA256())).public_bytes(Encoding.DER)

    def certificate_chain(self) -> list[bytes]:
        return [self.cert, self.root]


def test_remote_chain_to_a_configured_root_is_trusted(document) -> None:
    client = ChainedCAClient()
    pdf = RemotePdfSigner(client).sign(document, reason="Ký ban hành")
    assert verify_pdf(pdf, trust_roots=[client.root]).trusted is True
    assert verify_pdf(pdf).trusted is False
    assert verify_pdf(pdf, trust_roots=[client.cert]).intact is True


def test_remote_service_failure_is_an_application_error(document) -> None:
    client = FakeCAClient()

    def down(digest: bytes, algorithm: str) -> bytes:
        raise ConnectionError("503 Service Unavailable")

    client.sign_digest = down  # type: ignore[method-assign]
    with pytest.raises(ApplicationError, match="từ xa không ký được: 503"):
        RemotePdfSigner(client).sign(document, reason="x")


# --- signer_for: settings, then the signing folder, then none ---

def test_signer_for_reads_the_signing_folder_and_refuses_loose_modes(tmp_path, settings,
                                                                     document) -> None:
    settings.THIDUA_SIGNING_DIR = tmp_path
    settings.THIDUA_SIGNING_KEYS = {}
    assert signer_for("CDVC-HN") is None
    make_pkcs12(tmp_path / "CDVC-HN.p12", common_name="Công đoàn Viên chức TP Hà Nội",
                organisation=ORG, passphrase=PASS)
    with pytest.raises(ApplicationError, match="sai mật khẩu"):
        signer_for("CDVC-HN")  # no passphrase file yet
    pass_file = tmp_path / "CDVC-HN.pass"
    pass_file.write_bytes(PASS + b"\n")
    pass_file.chmod(0o644)
    with pytest.raises(ApplicationError, match="chmod 600"):
        signer_for("CDVC-HN")
    pass_file.chmod(0o600)
    signer = signer_for("CDVC-HN")
    assert signer is not None and signer.signer_name == "Công đoàn Viên chức TP Hà Nội"
    assert verify_pdf(signer.sign(document, reason="x")).intact
    (tmp_path / "CDVC-HN.p12").chmod(0o640)
    with pytest.raises(ApplicationError, match="chmod 600"):
        signer_for("CDVC-HN")
    for bad in ("../CDVC-HN", "a/b", "", ".hidden"):
        with pytest.raises(ApplicationError, match="không hợp lệ"):
            signer_for(bad)


def test_signer_for_uses_settings_first(tmp_path, settings, key_file, document) -> None:
    pass_file = tmp_path / "ldld.pass"
    pass_file.write_bytes(PASS)
    pass_file.chmod(0o600)
    settings.THIDUA_SIGNING_DIR = tmp_path / "empty"
    settings.THIDUA_SIGNING_KEYS = {
        "LDLD-HN": {"pkcs12": str(key_file), "passphrase_file": str(pass_file)},
        "TLD": {"remote": "thidua.platform.tests.test_signing.fake_ca_factory",
                "options": {"kind": "ec"}},
        "BROKEN": {"p12": "x"},
    }
    local = signer_for("LDLD-HN")
    assert isinstance(local, Pkcs12Signer) and local.signer_name == SIGNER
    remote = signer_for("TLD")
    assert isinstance(remote, RemotePdfSigner) and remote.signer_name == "Ký từ xa TLD"
    assert verify_pdf(remote.sign(document, reason="x")).intact
    with pytest.raises(ApplicationError, match="cần «pkcs12» hoặc «remote»"):
        signer_for("BROKEN")
    assert signer_for("OTHER") is None


def test_signing_and_checking_work_inside_a_running_event_loop(document, key_file) -> None:
    """pyHanko's synchronous calls run asyncio.run inside; called from a thread that already
    runs a loop (an async view, a browser driver) they move to a worker thread."""
    import asyncio  # noqa: PLC0415

    async def inside() -> tuple[bytes, bool]:
        data = Pkcs12Signer(key_file, PASS).sign(document, reason="Ký trong vòng lặp")
        return data, verify_pdf(data).intact

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        data, intact = asyncio.run(inside())
    else:  # a browser test's loop already runs here: the signing calls below are inside it
        data = Pkcs12Signer(key_file, PASS).sign(document, reason="Ký trong vòng lặp")
        intact = verify_pdf(data).intact
    assert data.startswith(document) and intact
