"""The honours services: building proposals, their workflow, the receiving level's council,
decisions and the awards they record, the catalogue's edits."""

from thidua.honours.services.council import (
    honours_council_create,
    honours_council_member_add,
    proposal_council_set,
    proposal_counts_record,
    proposal_votes_record,
)
from thidua.honours.services.decisions import (
    Signed,
    decision_correct,
    decision_issue,
    decision_revoke,
    outcome_record,
    proposal_forward,
)
from thidua.honours.services.proposals import (
    candidate_add,
    candidate_remove,
    candidate_update,
    candidates_from_titles,
    deadline_set,
    dossier_attach,
    dossier_remove,
    proposal_create,
    proposal_update,
)
from thidua.honours.services.workflow import WORKFLOW, proposal_step

__all__ = [
    "WORKFLOW", "Signed", "candidate_add", "candidate_remove", "candidate_update",
    "candidates_from_titles", "deadline_set", "decision_correct", "decision_issue",
    "decision_revoke", "dossier_attach", "dossier_remove", "honours_council_create",
    "honours_council_member_add", "outcome_record", "proposal_council_set",
    "proposal_counts_record", "proposal_create", "proposal_forward", "proposal_step",
    "proposal_update", "proposal_votes_record",
]
