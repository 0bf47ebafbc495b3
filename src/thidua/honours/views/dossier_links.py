"""The generated documents of a proposal's dossier (tờ trình, báo cáo thành tích, biên bản, the
decisions) as links on the proposal's page; an uploaded file of the same kind replaces the
generated one (`honours.dossier`)."""

from __future__ import annotations

from typing import TypedDict

from thidua.honours import dossier
from thidua.honours.models import Proposal


class DocumentLink(TypedDict):
    label: str  # "Tờ trình (.docx)"
    url: str


def dossier_documents(proposal: Proposal) -> list[DocumentLink]:
    """Links to the documents generated for `proposal`, in dossier order."""
    return [{"label": label, "url": url} for label, url in dossier.dossier_documents(proposal)]
