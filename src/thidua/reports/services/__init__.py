"""The services of targets, welfare, Party development and family titles: typed, keyword-only,
one transaction and one audit entry per change."""

from thidua.reports.services.family import (
    FamilySaved,
    family_title_delete,
    family_title_set,
    family_titles_save,
)
from thidua.reports.services.party import (
    CandidateRow,
    PartySaved,
    party_candidate_create,
    party_candidate_delete,
    party_candidate_update,
    party_candidates_save,
)
from thidua.reports.services.targets import target_delete, target_set
from thidua.reports.services.welfare import (
    BeneficiaryRow,
    beneficiaries_add,
    beneficiary_remove,
    welfare_create,
    welfare_delete,
)

__all__ = [
    "BeneficiaryRow",
    "CandidateRow",
    "FamilySaved",
    "PartySaved",
    "beneficiaries_add",
    "beneficiary_remove",
    "family_title_delete",
    "family_title_set",
    "family_titles_save",
    "party_candidate_create",
    "party_candidate_delete",
    "party_candidate_update",
    "party_candidates_save",
    "target_delete",
    "target_set",
    "welfare_create",
    "welfare_delete",
]
