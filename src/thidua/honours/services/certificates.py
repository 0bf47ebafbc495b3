"""Printing a decision's certificates as one signed PDF, and one member's certificate alone.

`certificates_render`: every award of the decision that still stands, one page each, printed in
ONE WeasyPrint pass, then signed once with the issuer's key (`signer_for`); without a key the
PDF is kept unsigned and the Certificate rows say so. The PDF goes to the storage (folder
"certificates") and every printed Certificate row points to it with its digest: the public
check verifies that file.

`certificate_pdf`: the single page of one award, signed on its own, for the member (or an
officer) to download. It is cached in the storage under the digest of its HTML, so asking again
costs a read, and a correction of the award (a new text) prints afresh."""

from __future__ import annotations

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from thidua.audit.services import audit_record
from thidua.honours.certificates import certificate_pages, certificates_html, decision_awards
from thidua.honours.models import Award, Certificate, Decision
from thidua.honours.permissions import require_issuer
from thidua.honours.selectors import access_award
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import open_stored, remove_stored, storage
from thidua.platform.pdf import render_pdf
from thidua.platform.signing import PdfSigner, signer_for

FOLDER = "certificates"
REASON = "Bằng, giấy khen theo Quyết định số {number}"


def _sign(pdf: bytes, decision: Decision, signer: PdfSigner | None) -> tuple[bytes, bool]:
    if signer is None:
        return pdf, False
    return signer.sign(pdf, reason=REASON.format(number=decision.number),
                       location=decision.place), True


def _remove_unused(names: set[str]) -> None:
    """Earlier prints of the decision that no certificate points to any more."""
    still = set(Certificate.objects.filter(file__in=names).values_list("file", flat=True))
    for old in names - still:
        remove_stored(old)


def certificates_render(*, actor: Actor, decision: Decision) -> bytes:
    """The decision's certificates as one PDF (signed when the issuer has a key), stored, and
    each printed certificate's row pointing to it. Printing happens before the transaction, so
    a long print never holds the database's write lock."""
    decision = Decision.objects.select_related("issuer").get(pk=decision.pk)
    require_issuer(actor, decision.issuer)
    awards = decision_awards(decision)
    if not awards:
        raise ApplicationError("Quyết định không còn khen thưởng nào để in bằng, giấy khen.",
                               field="decision")
    signer = signer_for(decision.issuer.code)  # a broken key fails before the long print
    pdf, signed = _sign(render_pdf(certificates_html(certificate_pages(decision, awards))),
                        decision, signer)
    digest = hashlib.sha256(pdf).hexdigest()
    name = storage().save(f"{FOLDER}/qd-{decision.pk}-{uuid.uuid4().hex}.pdf", ContentFile(pdf))
    printed = Certificate.objects.filter(award__decision=decision, award__revoked=False)
    try:
        with transaction.atomic():
            earlier = set(printed.exclude(file="").values_list("file", flat=True))
            count = printed.update(file=name, sha256=digest, signed=signed)
            transaction.on_commit(lambda: _remove_unused(earlier))
            audit_record(actor=actor, action="certificate.render", object_type="decision",
                         object_id=decision.pk, unit_id=decision.issuer_id,
                         after={"number": decision.number, "certificates": count,
                                "signed": signed, "file": name, "sha256": digest})
    except Exception:
        remove_stored(name)
        raise
    return pdf


def certificate_pdf(*, actor: Actor, award: Award) -> bytes:
    """One award's certificate, a single signed page, for whoever may see the award (the
    member themself, their unit's and the issuer's officers). A revoked award prints nothing."""
    award = access_award(actor, award.pk)
    if award.revoked:
        raise ApplicationError("Khen thưởng này đã bị thu hồi: không in bằng, giấy khen.")
    award = (Award.objects.select_related("person", "home_unit", "certificate",
                                          "decision__issuer").get(pk=award.pk))
    try:
        award.certificate  # noqa: B018 — the reverse one-to-one raises when missing
    except Certificate.DoesNotExist:
        raise ApplicationError("Khen thưởng này chưa có mã bằng, giấy khen.") from None
    html = certificates_html(certificate_pages(award.decision, [award]))
    signer = signer_for(award.decision.issuer.code)
    # keyed by the text and by whether a key signs it: a key configured later signs afresh
    name = (f"{FOLDER}/mot/{award.certificate.code}-"
            f"{hashlib.sha256(html.encode()).hexdigest()[:16]}-{'s' if signer else 'u'}.pdf")
    if storage().exists(name):
        with open_stored(name) as handle:
            return bytes(handle.read())
    pdf, _signed = _sign(render_pdf(html), award.decision, signer)
    storage().save(name, ContentFile(pdf))
    return pdf
