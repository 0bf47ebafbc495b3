"""Figures of a subtree at a date: the unit's page, `/api/units/{code}`, `manage.py stats` and the
demo summary all read them from here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from thidua.org.models import Unit, UnitType, UnitVersion
from thidua.org.selectors import kept_subtree, version_at
from thidua.platform.text import vn_date, vn_number

# How unit types read inside a sentence ("65 công đoàn cơ sở").
TYPE_WORDS = {
    "tld": "Tổng Liên đoàn", "ldld_tinh": "LĐLĐ tỉnh, thành phố",
    "cd_nganh_tw": "công đoàn ngành Trung ương", "cd_tong_cong_ty": "công đoàn tổng công ty",
    "cap_tren_co_so": "công đoàn cấp trên trực tiếp cơ sở", "cdcs": "công đoàn cơ sở",
    "cdcs_thanh_vien": "công đoàn cơ sở thành viên", "cd_bo_phan": "công đoàn bộ phận",
    "to_cd": "tổ công đoàn",
}


_UNSET: Any = object()


def unit_stats(unit: Unit, day: dt.date, *, version: UnitVersion | None = _UNSET
               ) -> dict[str, Any]:
    """The figures of `unit`'s subtree at `day` (as the tree stood then). `version`: the unit's
    version at `day` (None: it did not exist then), when the caller has it already."""
    if version is _UNSET:
        version = version_at(unit, day)
    if version is None:
        return {"unit": unit.code, "date": day.isoformat(), "exists": False, "workers": 0,
                "members": 0, "women": 0, "women_members": 0, "members_active": 0,
                "members_suspended": 0, "units": {}}
    kept = kept_subtree(unit_path=version.path, day=day)  # people and units: one query
    return {
        "unit": unit.code,
        "name": version.name,
        "date": day.isoformat(),
        "exists": True,
        **kept.people,
        "units": kept.units_below(),
    }


def stats_payload(unit: Unit, day: dt.date) -> dict[str, Any]:
    """`unit_stats` with every unit type listed (0 when there is none of that type)."""
    data = unit_stats(unit, day)
    data.setdefault("name", unit.name)
    data["units"] = {code: int(data["units"].get(code, 0)) for code in UnitType.values}
    return data


def stats_text(data: dict[str, Any]) -> str:
    """A short Vietnamese summary of `stats_payload`."""
    day = vn_date(dt.date.fromisoformat(data["date"]))
    head = f"{data['name']} ({data['unit']}) — số liệu ngày {day}"
    if not data.get("exists", True):
        return f"{head}\n  Đơn vị chưa thành lập hoặc đã chấm dứt hoạt động vào ngày này."
    labels = TYPE_WORDS
    below = [f"{vn_number(n)} {labels[code]}" for code, n in data["units"].items() if n]
    lines = [
        head,
        "  Đơn vị trực thuộc: " + ("; ".join(below) if below else "không có"),
        f"  CBCCVCLĐ: {vn_number(data['workers'])} (nữ: {vn_number(data['women'])})",
        f"  Đoàn viên công đoàn: {vn_number(data['members'])} "
        f"(nữ: {vn_number(data['women_members'])}; đang sinh hoạt: "
        f"{vn_number(data['members_active'])}; tạm dừng sinh hoạt: "
        f"{vn_number(data['members_suspended'])})",
    ]
    return "\n".join(lines)
