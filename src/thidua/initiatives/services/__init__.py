"""Initiative actions. Each is one transaction, refused whole with a Vietnamese message, and leaves
an audit entry. One module per family of actions:

- `applications`: the application with its authors, trial participants and attachments;
- `workflow`: the transition table (WORKFLOW) and its one guard, `initiative_transition`;
- `councils`: councils, their members (never the authors) and scoring sheets, the threshold;
- `reviews`: a council's review of one initiative: scores, votes, tally, closing;
- `recognition`: the recognition at a level with its certificate, and uses in award dossiers.

Callers use `from thidua.initiatives import services` and `services.<action>(…)`."""

from thidua.initiatives.services.applications import (
    APPLICATION_FIELDS,
    MAX_AUTHORS,
    MAX_PARTICIPANTS,
    AuthorInput,
    ParticipantInput,
    attachment_add,
    initiative_create,
    initiative_update,
)
from thidua.initiatives.services.councils import (
    DEFAULT_CRITERIA,
    DEFAULT_THRESHOLD,
    THRESHOLD_SOURCE,
    council_create,
    council_criteria_set,
    council_member_add,
    council_member_remove,
    council_threshold,
    vote_threshold,
)
from thidua.initiatives.services.recognition import (
    UseResult,
    initiative_use_record,
    recognition_create,
)
from thidua.initiatives.services.reviews import (
    average_score,
    review_close,
    review_open,
    scores_record,
    tally,
    votes_record,
)
from thidua.initiatives.services.workflow import (
    WORKFLOW,
    allowed_transitions,
    initiative_transition,
)

__all__ = [
    "APPLICATION_FIELDS",
    "DEFAULT_CRITERIA",
    "DEFAULT_THRESHOLD",
    "MAX_AUTHORS",
    "MAX_PARTICIPANTS",
    "THRESHOLD_SOURCE",
    "WORKFLOW",
    "AuthorInput",
    "ParticipantInput",
    "UseResult",
    "allowed_transitions",
    "attachment_add",
    "average_score",
    "council_create",
    "council_criteria_set",
    "council_member_add",
    "council_member_remove",
    "council_threshold",
    "initiative_create",
    "initiative_transition",
    "initiative_update",
    "initiative_use_record",
    "recognition_create",
    "review_close",
    "review_open",
    "scores_record",
    "tally",
    "votes_record",
    "vote_threshold",
]
