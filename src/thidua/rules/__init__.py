"""The rules engine: titles judged from facts by versioned rule sets (TOML data files).

Pure Python — imports nothing from Django nor the rest of the project (the HTTP adapter is
`evaluation/api_rules.py`). See
README.md in this folder for the title codes, the facts format and how to write a rule set.
"""

from thidua.rules.engine import (
    Evaluation,
    Outcome,
    Reason,
    evaluate,
    evaluate_many,
    lookback_years,
    quota_limit,
)
from thidua.rules.facts import Facts, FactsError, UnitFacts, facts_from_dict
from thidua.rules.ruleset import (
    RuleSet,
    RuleSetError,
    get_ruleset,
    list_rulesets,
    load_ruleset_text,
    rulesets_for_year,
)

__all__ = [
    "Evaluation", "Facts", "FactsError", "Outcome", "Reason", "RuleSet", "RuleSetError",
    "UnitFacts", "evaluate", "evaluate_many", "facts_from_dict", "get_ruleset", "list_rulesets",
    "load_ruleset_text", "lookback_years", "quota_limit", "rulesets_for_year",
]
