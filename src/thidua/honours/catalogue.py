"""TEMPORARY shim until the catalogue-edits helper lands: the shipped catalogue only."""

from __future__ import annotations

import datetime as dt

from thidua.rules import awards as shipped
from thidua.rules.awards import AwardForm, Condition, Quota


def form(code: str) -> AwardForm:
    return shipped.form(code)


def forms_for_issuer(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    return shipped.forms_for_issuer(unit_type, day)


def forms_proposed_by(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    return shipped.forms_proposed_by(unit_type, day)


def quota(code: str) -> tuple[Quota, ...]:
    return shipped.quota(code)


def conditions(code: str) -> tuple[Condition, ...]:
    return shipped.conditions(code)


def cash_amount(code: str, day: dt.date, *, recipient: str = "") -> int | None:
    return shipped.cash_amount(code, day, recipient=recipient)
