"""The figures the system already knows for a member unit and a year, offered on its scoring
sheet: every measure of the year-end report (movements launched and registrations in the CĐCS,
workers with a title, women «Giỏi việc nước, đảm việc nhà», culture titles, the CĐCS grading,
Party admissions: reports/measures.toml) plus initiatives, awards and welfare, all read through
`reports.figures.year_figures` from the tree as it stood on 31/12 of the year.

A criterion names one of these by `source`; the unit still declares its own figure (and may
differ, with its explanation): the known value is shown beside it and kept with the score."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from thidua.org.models import Unit
from thidua.platform.errors import ApplicationError
from thidua.reports.figures import year_figures
from thidua.reports.measures import measures

EXTRA = {
    "sang_kien": ("Sáng kiến được công nhận trong năm", "sáng kiến"),
    "khen_tap_the": ("Tập thể được khen thưởng trong năm", "tập thể"),
    "khen_ca_nhan": ("Cá nhân được khen thưởng trong năm", "người"),
    "cham_lo_luot": ("Lượt người được chăm lo, hỗ trợ trong năm", "lượt"),
    "cham_lo_tien": ("Số tiền chăm lo, hỗ trợ trong năm", "đồng"),
}


def source_choices() -> list[tuple[str, str]]:
    out = [("", "— đơn vị tự kê khai —")]
    out += [(m.code, f"{m.name}{' (%)' if m.unit_sign else ''}") for m in measures()]
    out += [(code, name) for code, (name, _) in EXTRA.items()]
    return out


def source_codes() -> set[str]:
    return {code for code, _ in source_choices() if code}


def _from_figures(figures: Mapping[str, Any]) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for code, row in figures["actuals"].items():
        value = row.get("actual")
        out[code] = Decimal(str(value)) if value is not None else None
    awards = figures["awards"]
    welfare = figures["welfare"]["total"]
    out["sang_kien"] = Decimal(figures["initiatives"].get("total", 0))
    out["khen_tap_the"] = Decimal(sum(a["collectives"] for a in awards))
    out["khen_ca_nhan"] = Decimal(sum(a["individuals"] for a in awards))
    out["cham_lo_luot"] = Decimal(welfare.get("beneficiaries", 0))
    out["cham_lo_tien"] = Decimal(welfare.get("amount", 0))
    return out


def known_values(unit: Unit, year: int) -> dict[str, Decimal | None]:
    """Source code -> the value the system knows (None: it cannot tell); empty when the unit did
    not exist at the end of the year."""
    try:
        figures = year_figures(unit, year)
    except ApplicationError:
        return {}
    return _from_figures(figures)
