"""Facts for the rules tests: a person who meets every LĐTT condition, changed per case."""

from __future__ import annotations

from typing import Any

from thidua.rules import evaluate
from thidua.rules.engine import Evaluation, Outcome


def person(year: int, **changes: Any) -> dict[str, Any]:
    """A registered worker rated HTTNV, 12 months of service, no absence, no discipline."""
    data: dict[str, Any] = {
        "year": year,
        "person": {"gender": "nam", "birth_date": "1985-05-17"},
        "ratings": {str(year): "HTTNV"},
        "registered": {str(year): ["LDTT"]},
        "titles": {},
        "initiatives": [],
        "discipline": [],
        "absence_days": {str(year): 0},
        "service_months": {str(year): 12},
    }
    data.update(changes)
    return data


def unit(year: int, **changes: Any) -> dict[str, Any]:
    """A CĐCS of 40 members, rated HTXSNV, registered for TTLĐXS."""
    data: dict[str, Any] = {
        "kind": "unit",
        "year": year,
        "unit": {"code": "CDCS-A", "type": "cdcs", "operating_months": 60},
        "ratings": {str(year): "HTXSNV"},
        "registered": {str(year): ["TTLDXS"]},
        "titles": {},
        "roster": {"members": 40, "ldtt": 30, "cstdcs": 2, "completed_tasks": 40},
        "grading": {"C1": 36, "C2": 31, "C3": 22},
    }
    data.update(changes)
    return data


def judge(data: dict[str, Any], rule_set: str | None = None) -> Evaluation:
    return evaluate(data, rule_set)


def outcome(data: dict[str, Any], code: str, rule_set: str | None = None) -> Outcome:
    return evaluate(data, rule_set).titles[code]


def reason(o: Outcome, rule_id: str):  # type: ignore[no-untyped-def]
    found = [r for r in o.reasons if r.rule_id == rule_id]
    assert found, f"no reason {rule_id} in {[r.rule_id for r in o.reasons]}"
    return found[0]


def failed(o: Outcome) -> list[str]:
    return [r.rule_id for r in o.reasons if not r.passed]
