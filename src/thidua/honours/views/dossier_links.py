"""The generated documents of a proposal's dossier (tờ trình, báo cáo thành tích, biên bản) as
links on the proposal's page. The documents helper fills this hook with its .docx endpoints;
until then a proposal lists only the files its sender uploaded."""

from __future__ import annotations

from typing import TypedDict

from thidua.honours.models import Proposal


class DocumentLink(TypedDict):
    label: str  # "Tờ trình (.docx)"
    url: str


def dossier_documents(proposal: Proposal) -> list[DocumentLink]:
    """Links to the documents generated for `proposal`, in dossier order."""
    return []
