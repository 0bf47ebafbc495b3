"""Evaluation actions, one module per family: ratings and working-time facts (`ratings`), a
person's discipline and initiatives (`person_facts`), units' ratings and grading (`grading`),
titles decided by the rules (`titles`), the year-end review (`review`) with its council and vote
(`council`), the year lock and corrections (`corrections`). Each action is one transaction with
an audit entry; a refusal raises ApplicationError with a Vietnamese message and writes nothing.

Callers keep `from thidua.evaluation import services` and `services.<action>(…)`."""

from thidua.evaluation.services.common import (
    ensure_open,
    locked_message,
    subject_name,
)
from thidua.evaluation.services.corrections import rating_correct, title_correct, year_lock
from thidua.evaluation.services.council import (
    VoteIn,
    candidate_counts_record,
    candidate_tally,
    council_ballot_set,
    council_member_add,
    council_member_remove,
    council_presence_set,
    review_meeting_set,
    votes_fill,
    votes_record,
)
from thidua.evaluation.services.grading import (
    grade,
    grading_label_text,
    grading_ruleset,
    grading_submit,
    grading_template_create,
    new_scale_from_year,
    points_text,
    scale_for_year,
    unit_rating_set,
)
from thidua.evaluation.services.person_facts import (
    discipline_record,
    initiative_record,
    initiatives_import,
    pending_close,
    pending_record,
)
from thidua.evaluation.services.ratings import (
    RatingRow,
    RatingsResult,
    rating_row_problems,
    ratings_save,
)
from thidua.evaluation.services.review import (
    candidate_add,
    candidate_remove,
    review_open,
    review_propose,
    review_transition,
)
from thidua.evaluation.services.settings import (
    overrides_for,
    setting_delete,
    setting_set,
)
from thidua.evaluation.services.titles import (
    apply_quotas,
    evaluate_child_units,
    evaluate_roster,
    quota_order,
    results_from_engine,
    results_import,
    unit_results_from_engine,
)
from thidua.evaluation.workflow import WORKFLOW

__all__ = [
    "overrides_for", "setting_delete", "setting_set",
    "WORKFLOW",
    "RatingRow",
    "RatingsResult",
    "VoteIn",
    "apply_quotas",
    "candidate_add",
    "candidate_counts_record",
    "candidate_remove",
    "candidate_tally",
    "council_ballot_set",
    "council_member_add",
    "council_member_remove",
    "council_presence_set",
    "discipline_record",
    "pending_close",
    "pending_record",
    "ensure_open",
    "evaluate_child_units",
    "evaluate_roster",
    "grade",
    "grading_label_text",
    "grading_ruleset",
    "grading_submit",
    "grading_template_create",
    "initiative_record",
    "initiatives_import",
    "locked_message",
    "new_scale_from_year",
    "points_text",
    "scale_for_year",
    "quota_order",
    "rating_correct",
    "rating_row_problems",
    "ratings_save",
    "results_from_engine",
    "results_import",
    "review_meeting_set",
    "review_open",
    "review_propose",
    "review_transition",
    "subject_name",
    "title_correct",
    "unit_rating_set",
    "unit_results_from_engine",
    "votes_fill",
    "votes_record",
    "year_lock",
]
