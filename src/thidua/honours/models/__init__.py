"""Commendation records: the catalogue's edits, proposals with their candidates and dossiers,
decisions, awards and certificates. One module per part; import them from here."""

from thidua.honours.models.catalogue import BaseSalaryEdit, CashRateEdit, FormEdit, QuotaEdit
from thidua.honours.models.decisions import (
    Award,
    AwardChange,
    Certificate,
    Decision,
    DecisionKind,
    NumberSequence,
)
from thidua.honours.models.figures import AwardFigure
from thidua.honours.models.proposals import (
    EDITABLE,
    FINAL,
    Candidate,
    Deadline,
    DossierItem,
    DossierKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

__all__ = [
    "EDITABLE", "FINAL", "Award", "AwardChange", "AwardFigure", "BaseSalaryEdit", "Candidate",
    "CashRateEdit", "Certificate", "Deadline", "Decision", "DecisionKind", "DossierItem",
    "DossierKind", "FormEdit", "NumberSequence", "Proposal", "ProposalKind", "ProposalStatus", "QuotaEdit",
]
