"""The award rows folded as the report's rule says, in Python, row by row: the oracle the
database's grouping (`award_counts(group_over=…)`) is compared with. The issuers strictly below
the unit of a type with more than `NAMED_ISSUERS_MAX` of them become one row per type and form,
where the first of them stood; the others stay as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from thidua.movements.catalogue import UNIT_TYPE_NOUNS
from thidua.platform.text import vn_number
from thidua.reports.compose import NAMED_ISSUERS_MAX


def fold(f: Mapping[str, Any]) -> list[dict[str, Any]]:
    """`f`'s award rows (every issuer's: `year_figures` without `grouped`) as `award_groups`
    shows the database's groups."""
    rows = [r for r in f.get("awards") or []
            if int(r.get("collectives") or 0) + int(r.get("individuals") or 0)]
    issuers: dict[str, set[str]] = {}
    for r in rows:
        if r.get("issuer_below"):
            issuers.setdefault(r.get("issuer_type") or "", set()).add(r["issuer"])
    grouped = {t for t, codes in issuers.items() if len(codes) > NAMED_ISSUERS_MAX}
    out: list[dict[str, Any]] = []
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        kind = r.get("issuer_type") or ""
        if not (r.get("issuer_below") and kind in grouped):
            out.append(dict(r))
            continue
        group = groups.get((kind, r["form"]))
        if group is None:
            noun = UNIT_TYPE_NOUNS.get(kind, "đơn vị")
            group = groups[kind, r["form"]] = {
                **r, "issuer": f"*{kind}", "collectives": 0, "individuals": 0,
                "issuer_name": f"{vn_number(len(issuers[kind]))} {noun}", "issuers": 0,
                "issuer_noun": noun}
            out.append(group)
        group["collectives"] += int(r.get("collectives") or 0)
        group["individuals"] += int(r.get("individuals") or 0)
        group["issuers"] += 1
    return out
