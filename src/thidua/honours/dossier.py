"""The generated documents of a proposal's dossier, as links the proposal's page shows: the tờ
trình, the council's minutes once a council is set, each candidate's báo cáo thành tích, and the
decisions that awarded its candidates (.docx and PDF). An uploaded file of the same kind (and
candidate) replaces the generated one (`DossierItem`), so it is not offered twice."""

from __future__ import annotations

from django.urls import reverse

from thidua.honours.models import Decision, DossierItem, DossierKind, Proposal
from thidua.honours.selectors import candidates_of


def dossier_documents(proposal: Proposal) -> list[tuple[str, str]]:
    uploaded = set(DossierItem.objects.filter(proposal=proposal)
                   .values_list("kind", "candidate_id"))
    pk = proposal.pk
    out: list[tuple[str, str]] = []
    if not any(kind == DossierKind.TO_TRINH for kind, _ in uploaded):
        out.append(("Tờ trình đề nghị khen thưởng (.docx)",
                    reverse("honours_docs:to_trinh", kwargs={"pk": pk})))
    if proposal.council_id and not any(kind == DossierKind.BIEN_BAN for kind, _ in uploaded):
        out.append(("Biên bản họp Hội đồng xét khen thưởng (.docx)",
                    reverse("honours_docs:bien_ban", kwargs={"pk": pk})))
    for c in candidates_of(proposal):
        if (DossierKind.BAO_CAO, c.pk) in uploaded:
            continue
        out.append((f"Báo cáo thành tích — {c.display_name} (.docx)",
                    reverse("honours_docs:bao_cao", kwargs={"pk": pk, "cid": c.pk})))
    decisions = Decision.objects.filter(awards__candidate__proposal=proposal).distinct() \
        .order_by("date", "pk")
    for d in decisions:
        out.append((f"Quyết định số {d.number} (.docx)",
                     reverse("honours_docs:decision_docx", kwargs={"pk": d.pk})))
        out.append((f"Quyết định số {d.number} (PDF)",
                     reverse("honours_docs:decision_pdf", kwargs={"pk": d.pk})))
    return out
