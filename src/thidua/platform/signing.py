"""Digital signatures on PDF documents (PAdES, pyHanko), and their verification.

One interface, `PdfSigner`, hides where the issuer's key lives: a PKCS#12 file on the server
(`Pkcs12Signer`) or a remote signing service that holds the key and signs a digest
(`RemotePdfSigner` over a `RemoteSigningClient`, the way Vietnamese CAs' remote signing works).
`signer_for(issuer_code)` picks the issuer's signer from the settings; `verify_pdf` says whether
a signed PDF is intact. docs/signing.md tells an administrator how to configure both kinds."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import logging
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils.module_loading import import_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from thidua.platform.errors import ApplicationError
from thidua.platform.text import vn_date

T = TypeVar("T")

_ISSUER_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_DIGEST = "sha256"
# Without configured trust roots every chain is "untrusted", which SignatureCheck reports; the
# validator would also log a warning with a traceback for each signature it checks.
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)


@runtime_checkable
class PdfSigner(Protocol):
    """Signs a PDF as one issuer. Implementations: `Pkcs12Signer`, `RemotePdfSigner`."""

    @property
    def signer_name(self) -> str: ...

    def sign(self, pdf: bytes, *, reason: str, location: str = "",
             field_name: str = "Signature1") -> bytes: ...


def _common_name(cert: asn1_x509.Certificate) -> str:
    name = cert.subject.native
    return str(name.get("common_name") or cert.subject.human_friendly)


def _outside_loop(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call one of pyHanko's synchronous entry points, which run `asyncio.run` inside: from a
    thread that already runs an event loop (an async view, a browser driver's loop) that would
    fail, so the call moves to a short-lived worker thread there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


class _PyHankoPdfSigner:
    """A `PdfSigner` over any pyHanko `Signer`: an invisible PAdES signature (B-B level) added
    as an incremental update, so the signed bytes are the document as rendered."""

    def __init__(self, signer: signers.Signer) -> None:
        self._signer = signer

    @property
    def signer_name(self) -> str:
        cert = self._signer.signing_cert
        return _common_name(cert) if cert is not None else ""

    def sign(self, pdf: bytes, *, reason: str, location: str = "",
             field_name: str = "Signature1") -> bytes:
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        except Exception as exc:  # pyHanko's parser raises several kinds on a broken file
            raise ApplicationError("Không ký được: tệp PDF bị hỏng hoặc không đọc được.") from exc
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, reason=reason or None, location=location or None,
            name=self.signer_name or None, subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm=_DIGEST,
        )
        try:
            out = _outside_loop(signers.sign_pdf, writer, meta, signer=self._signer)
        except ApplicationError:
            raise
        except Exception as exc:
            raise ApplicationError(f"Không ký được tài liệu: {exc}") from exc
        data = out.getvalue()
        assert isinstance(data, bytes)
        return data


class Pkcs12Signer(_PyHankoPdfSigner):
    """The issuer's key and certificate from a PKCS#12 file (.p12 / .pfx)."""

    def __init__(self, path: str | os.PathLike[str], passphrase: bytes | None) -> None:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ApplicationError(
                f"Không đọc được tệp khóa ký số «{path.name}»: tệp không tồn tại hoặc không có "
                "quyền đọc.") from exc
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=(),
                                                           passphrase=passphrase)
        except (ValueError, TypeError) as exc:
            # cryptography gives one error for a wrong passphrase and for a damaged file
            raise ApplicationError(
                f"Không mở được tệp khóa ký số «{path.name}»: sai mật khẩu, hoặc tệp không "
                "phải PKCS#12 (.p12/.pfx) còn nguyên vẹn.") from exc
        cert = signer.signing_cert
        assert cert is not None
        not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        if not_after < dt.datetime.now(dt.UTC):
            raise ApplicationError(
                f"Chứng thư số «{_common_name(cert)}» đã hết hạn từ ngày "
                f"{vn_date(not_after.date())}: cần chứng thư số mới để ký.")
        super().__init__(signer)


class RemoteSigningClient(Protocol):
    """A signing service that keeps the key (a CA's remote signing API, an HSM gateway).

    `certificate_chain()`: the signer's certificate first, then the intermediate CAs, each DER.
    `sign_digest(digest, algorithm)`: the raw signature of an already computed digest
    (`algorithm` is "sha256"): for RSA the PKCS#1 v1.5 signature bytes, for ECDSA the DER
    `ECDSA-Sig-Value`. The service never sees the document, only the digest of its signed
    attributes."""

    def certificate_chain(self) -> list[bytes]: ...

    def sign_digest(self, digest: bytes, algorithm: str) -> bytes: ...


class RemoteSigner(signers.Signer):
    """A pyHanko `Signer` whose raw signature comes from a `RemoteSigningClient`: pyHanko builds
    the CMS (PAdES signed attributes, certificates), this class hashes the signed attributes
    and sends only that digest."""

    def __init__(self, client: RemoteSigningClient) -> None:
        chain = [asn1_x509.Certificate.load(der) for der in client.certificate_chain()]
        if not chain:
            raise ApplicationError("Dịch vụ ký số từ xa không trả về chứng thư số của người ký.")
        algorithm = chain[0].public_key.algorithm
        if algorithm not in ("rsa", "ec"):
            raise ApplicationError(
                f"Dịch vụ ký số từ xa dùng khóa {algorithm}: chỉ hỗ trợ RSA và ECDSA.")
        self._client = client
        registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
        for cert in chain[1:]:
            registry.register(cert)
        super().__init__(signing_cert=chain[0], cert_registry=registry)

    def _placeholder_size(self) -> int:
        cert = self.signing_cert
        assert cert is not None
        bits = int(cert.public_key.bit_size)
        if cert.public_key.algorithm == "rsa":
            return (bits + 7) // 8
        return 2 * ((bits + 7) // 8) + 9  # DER SEQUENCE of two INTEGERs, at most

    async def async_sign_raw(self, data: bytes, digest_algorithm: str,
                             dry_run: bool = False) -> bytes:
        if dry_run:  # pyHanko sizes the space for the signature first: no call to the service
            return bytes(self._placeholder_size())
        digest = hashlib.new(digest_algorithm, data).digest()
        try:
            signature = self._client.sign_digest(digest, digest_algorithm)
        except ApplicationError:
            raise
        except Exception as exc:
            raise ApplicationError(f"Dịch vụ ký số từ xa không ký được: {exc}") from exc
        if not signature:
            raise ApplicationError("Dịch vụ ký số từ xa trả về chữ ký rỗng.")
        return signature


class RemotePdfSigner(_PyHankoPdfSigner):
    """A `PdfSigner` for a key held by a remote signing service."""

    def __init__(self, client: RemoteSigningClient) -> None:
        super().__init__(RemoteSigner(client))


def _private_file(path: Path) -> Path:
    """`path`, refused when others than its owner may read it (a key or its passphrase)."""
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise ApplicationError(
            f"Tệp «{path}» để người khác đọc được: chỉ chủ sở hữu được đọc tệp khóa ký số và "
            f"mật khẩu của nó (chmod 600 {path}).")
    return path


def _passphrase(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        value = _private_file(path).read_bytes().rstrip(b"\r\n")
    except OSError as exc:
        raise ApplicationError(f"Không đọc được tệp mật khẩu khóa ký số «{path}».") from exc
    return value or None


def signer_for(issuer_code: str) -> PdfSigner | None:
    """The signer of the issuer `issuer_code` (a unit code), or None when it has no key: the
    caller then prints an unsigned PDF and says so.

    `settings.THIDUA_SIGNING_KEYS[code]` is either {"pkcs12": path, "passphrase_file": path}
    or {"remote": "dotted.path.Factory", "options": {…}} (the factory is called with
    `issuer_code=` and the options, and returns a `RemoteSigningClient`); without an entry,
    `<THIDUA_SIGNING_DIR>/<code>.p12` with its passphrase in `<code>.pass`, both mode 0600."""
    if not _ISSUER_CODE.fullmatch(issuer_code):
        raise ApplicationError(f"Mã đơn vị ban hành không hợp lệ: «{issuer_code}».")
    configured: dict[str, Any] | None = getattr(settings, "THIDUA_SIGNING_KEYS", {}).get(
        issuer_code)
    if configured is not None:
        if "remote" in configured:
            factory = import_string(configured["remote"])
            client = factory(issuer_code=issuer_code, **configured.get("options", {}))
            return RemotePdfSigner(client)
        if "pkcs12" in configured:
            pass_file = configured.get("passphrase_file")
            return Pkcs12Signer(configured["pkcs12"],
                                _passphrase(Path(pass_file) if pass_file else None))
        raise ApplicationError(
            f"Cấu hình khóa ký số của «{issuer_code}» cần «pkcs12» hoặc «remote».")
    directory = Path(settings.THIDUA_SIGNING_DIR)
    key = directory / f"{issuer_code}.p12"
    if not key.is_file():
        return None
    pass_file = directory / f"{issuer_code}.pass"
    return Pkcs12Signer(_private_file(key),
                        _passphrase(pass_file if pass_file.exists() else None))


def make_pkcs12(path: str | os.PathLike[str], *, common_name: str, organisation: str,
                passphrase: bytes, days: int = 3650) -> Path:
    """A new RSA key and a self-signed certificate for it, written as PKCS#12 to `path` (mode
    0600), for tests and the demo. A real issuer's certificate comes from a licensed CA."""
    path = Path(path)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase
        else serialization.NoEncryption())
    data = pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, cert, None, encryption)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(data)
    return path


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool
    covers_whole_file: bool
    signer: str
    signed_at: dt.datetime | None
    trusted: bool
    summary_vi: str


_UNREADABLE = SignatureCheck(False, False, False, "", None, False,
                             "Không đọc được tệp: tài liệu bị hỏng hoặc không phải PDF.")
_UNSIGNED = SignatureCheck(False, False, False, "", None, False,
                           "Tài liệu không có chữ ký số.")


def _summary(*, intact: bool, whole: bool, trusted: bool, signer: str) -> str:
    if not intact:
        return "Tài liệu đã bị sửa sau khi ký: chữ ký không còn giá trị."
    if not whole:
        text = (f"Chữ ký số còn nguyên vẹn (người ký: {signer}), nhưng tệp có phần được thêm "
                "vào sau khi ký: hãy đối chiếu với bản do đơn vị ban hành cấp.")
    else:
        text = (f"Chữ ký số hợp lệ, tài liệu không bị sửa sau khi ký (người ký: {signer}).")
    if trusted:
        return text + " Chứng thư số của người ký do tổ chức chứng thực tin cậy cấp."
    return text + " Chứng thư số chưa được đối chiếu với tổ chức chứng thực được tin cậy."


def verify_pdf(pdf: bytes, *, trust_roots: Sequence[bytes] = ()) -> SignatureCheck:
    """Whether `pdf` carries signatures and each is intact (the signed bytes unchanged since
    signing), whether the last one covers the whole file, and whether the signer's certificate
    chains to one of `trust_roots` (DER; none given: `trusted` is False). Never raises on a
    broken file: it answers signed=False, intact=False."""
    try:
        signatures = list(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
    except Exception:  # any parse failure of a hostile or truncated file
        return _UNREADABLE
    if not signatures:
        return _UNSIGNED
    try:
        roots = [asn1_x509.Certificate.load(der) for der in trust_roots]
    except ValueError as exc:
        raise ApplicationError("Chứng thư gốc tin cậy không đọc được (cần dạng DER).") from exc
    statuses: list[PdfSignatureStatus | None] = []
    for embedded in signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        try:
            statuses.append(_outside_loop(validate_pdf_signature, embedded, context))
        except Exception:  # a damaged signature dictionary or CMS blob
            statuses.append(None)
    intact = all(s is not None and s.intact and s.valid for s in statuses)
    last, last_embedded = statuses[-1], signatures[-1]
    whole = last is not None and last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    trusted = intact and all(s is not None and s.trusted for s in statuses)
    names = list(dict.fromkeys(_common_name(s.signing_cert) for s in statuses if s is not None))
    signer = ", ".join(names)
    try:
        signed_at = (last.signer_reported_dt if last is not None else None) \
            or last_embedded.self_reported_timestamp
    except Exception:  # a malformed /M date
        signed_at = None
    return SignatureCheck(
        signed=True, intact=intact, covers_whole_file=whole, signer=signer,
        signed_at=signed_at, trusted=trusted,
        summary_vi=_summary(intact=intact, whole=whole, trusted=trusted, signer=signer),
    )
