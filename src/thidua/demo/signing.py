"""The demo's signing keys and its first printed certificates: each issuing body of the demo
gets a self-signed test key (PKCS#12 under THIDUA_SIGNING_DIR, mode 0600, its passphrase beside
it), so the decisions and certificates the demo prints carry a PAdES signature that pdfsig and
the verification page check. A real installation uses each body's key from a licensed CA or a
remote-signing service (docs/signing.md). The small 2017 decisions (TLĐ, LĐLĐ Hà Nội, CĐVC Việt
Nam) are printed; the 138 Giấy khen are left for an officer to print from the decision's page."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings

from thidua.honours.models import Certificate, Decision
from thidua.honours.services.certificates import certificates_render
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.signing import make_pkcs12

ISSUERS = ("TLD", "LDLD-HN", "CDVC-VN", "CDVC-HN", "LDLD-HBT")
PRINTED = ("TLD", "LDLD-HN", "CDVC-VN")


def demo_signing(*, actor: Actor) -> None:
    """Keys for the demo's issuers (kept when present), then the small decisions printed once."""
    folder = Path(settings.THIDUA_SIGNING_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for unit in Unit.objects.filter(code__in=ISSUERS):
        key, secret = folder / f"{unit.code}.p12", folder / f"{unit.code}.pass"
        if key.exists():
            continue
        passphrase = secrets.token_urlsafe(18)
        # a certificate's common name holds at most 64 characters
        name = unit.name if len(unit.name) <= 64 else (unit.short_name or unit.code)
        make_pkcs12(key, common_name=name[:64], organisation="Thi Đua — dữ liệu mẫu (thử nghiệm)",
                    passphrase=passphrase.encode())
        secret.unlink(missing_ok=True)
        secret.touch(mode=0o600)
        secret.write_text(passphrase, encoding="utf-8")
    waiting = (Decision.objects.filter(issuer__code__in=PRINTED, kind="khen_thuong")
               .exclude(pk__in=Certificate.objects.exclude(file="")
                        .values("award__decision_id")).order_by("date", "pk"))
    for decision in waiting:
        certificates_render(actor=actor, decision=decision)
