"""What the dashboard page shows (issue 11 §3), built from `reports.dashboard`: the target
cards, the children's table (display text and a sort key per cell), the sections' rows and the
charts' data (rendered with `json_script`, drawn by our own script with the vendored Chart.js)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from thidua.initiatives.models import Level
from thidua.org.models import Unit
from thidua.platform.text import vn_number
from thidua.platform.web import url_maker
from thidua.reports.compose import award_groups, award_issuer
from thidua.reports.dashboard import ChildRow, dashboard
from thidua.reports.summary import target_rows
from thidua.rules.titles import by_code

#: the children's table: (key, header, measure code of the flag or "")
COLUMNS = (
    ("grassroots", "CĐCS trực thuộc", ""),
    ("workers", "CBCCVCLĐ", ""),
    ("members", "Đoàn viên", ""),
    ("women", "Nữ", ""),
    ("launched_share", "CĐCS phát động", "cdcs_phat_dong"),
    ("registered_share", "CĐCS đăng ký danh hiệu", "cdcs_dang_ky"),
    ("titles_share", "Đạt LĐTT, CSTĐ", "nld_danh_hieu"),
    ("gvndvn_share", "Nữ đạt GVNĐVN", "nu_gvndvn"),
    ("families_share", "Gia đình văn hóa", "gia_dinh_van_hoa"),
    ("culture_registered_share", "Đăng ký CQ văn hóa", "co_quan_dang_ky_van_hoa"),
    ("culture_share", "Đạt CQ văn hóa", "co_quan_van_hoa"),
    ("strong_share", "CĐCS vững mạnh", "cdcs_vung_manh"),
    ("party_introduced", "Giới thiệu Đảng", "dang_gioi_thieu"),
    ("party_admitted", "Kết nạp Đảng", "dang_ket_nap"),
    ("welfare_beneficiaries", "Người được chăm lo", ""),
    ("welfare_amount", "Tiền chăm lo (đồng)", ""),
    ("awards", "Khen thưởng", ""),
    ("initiatives", "Sáng kiến", ""),
)
SHARES = {key: code for key, _, code in COLUMNS if key.endswith("_share")}


def percent(value: float | None) -> str:
    return "" if value is None else f"{vn_number(value, 1).removesuffix(',0')}%"


def _cell(row: ChildRow, key: str, flag_code: str) -> dict[str, Any]:
    if key in SHARES:
        value: float | int | None = row.share(SHARES[key])
        text = percent(value)
    else:
        value = int(getattr(row, key))
        text = vn_number(value)
    met = row.met.get(flag_code) if flag_code else None
    state = "" if not flag_code or flag_code not in row.met else (
        "unknown" if met is None else "met" if met else "unmet")
    return {"text": text or "–", "sort": "" if value is None else value, "state": state}


def child_table(children: list[ChildRow], year: int) -> list[dict[str, Any]]:
    url = url_maker("reports:dashboard", then=(year,))
    return [{"code": c.code, "name": c.name, "url": url(c.code),
             "cells": [_cell(c, key, code) for key, _, code in COLUMNS]} for c in children]


_CELL = '<td class="num{state}" data-sort="{sort}">{text}{note}</td>'
_ROW = ('<tr>\n        <th scope="row" data-sort="{i}"><a href="{url}">{name}</a> '
        '<span class="muted">{code}</span></th>\n        {cells}\n      </tr>')
_STATE_NOTE = {"met": '<span class="sr-only"> (đạt)</span>',
               "unmet": '<span class="sr-only"> (chưa đạt)</span>'}


def child_rows_html(table: list[dict[str, Any]]) -> SafeString:
    """The rows of the children's table, drawn with format strings: a cấp trên's hundred
    children are 1.800 cells, and the template loop spent two thirds of the page on them
    (bench/README.md, `bench_web.py`, session 37). A cell's `data-sort` is the plain number
    the page's script sorts by ("88.1"), not the localised text ("88,1", which `parseFloat`
    reads as 88)."""
    out = []
    for i, c in enumerate(table):
        cells = "".join(_CELL.format(
            state=f" db-{cell['state']}" if cell["state"] else "", sort=cell["sort"],
            text=escape(cell["text"]), note=_STATE_NOTE.get(cell["state"], ""))
            for cell in c["cells"])
        out.append(_ROW.format(i=i, url=escape(c["url"]), name=escape(c["name"]),
                               code=escape(c["code"]), cells=cells))
    # every text above is escaped; the sort keys are numbers, the states our own words
    return mark_safe("\n      ".join(out))  # noqa: S308


def chart_data(f: Mapping[str, Any]) -> dict[str, Any]:
    """Awards by issuer (bar), recognised initiatives by level (bar), the percentage targets
    against their actuals (horizontal bar)."""
    by_issuer: dict[str, int] = defaultdict(int)
    for a in award_groups(f):
        by_issuer[a["issuer_name"]] += a["collectives"] + a["individuals"]
    levels = [(str(label), f["initiatives"].get(code, 0)) for code, label in Level.choices]
    targets = [t for t in f["targets"] if t["kind"] == "percent"]
    return {
        "awards": {"labels": list(by_issuer), "values": list(by_issuer.values())},
        "initiatives": {"labels": [lb for lb, n in levels if n],
                        "values": [n for _, n in levels if n]},
        "targets": {"labels": [t["name"] for t in targets],
                    "target": [t["target"][0] if isinstance(t["target"], list) else t["target"]
                               for t in targets],
                    "actual": [t["actual"] for t in targets]},
    }


def _share_text(done: int, of: int) -> str:
    return f"{vn_number(done)}/{vn_number(of)} ({percent(round(100 * done / of, 1))})" if of else (
        vn_number(done))


SECTIONS = (("movements", "Phát động, đăng ký thi đua"), ("titles", "Xếp loại, danh hiệu"),
            ("initiatives", "Sáng kiến theo cấp công nhận"),
            ("awards", "Khen thưởng theo cấp khen và hình thức"),
            ("welfare", "Chăm lo theo dịp"), ("party", "Phát triển Đảng"))


def sections(f: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = section_rows(f)
    return [{"key": key, "title": title, "rows": rows[key]} for key, title in SECTIONS]


def section_rows(f: Mapping[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """(label, value) rows of each section; a section with nothing recorded is empty."""
    catalogue = by_code()
    level_names = dict(Level.choices)
    titles = [(catalogue[c].name if c in catalogue else ("Gia đình văn hóa" if c == "GDVH" else c),
               _share_text(t["count"], t["of"])) for c, t in f["titles"].items()]
    actuals = f["actuals"]

    def measured(code: str, label: str) -> list[tuple[str, str]]:
        a = actuals.get(code) or {}
        return [(label, _share_text(a["done"], a["of"]))] if a.get("of") else []

    return {
        "movements": measured("cdcs_phat_dong", "CĐCS phát động phong trào thi đua")
        + measured("cdcs_dang_ky", "CĐCS đăng ký danh hiệu thi đua") + [(f"{m['name']} ({m['year']})", _share_text(m["coverage"]["done"],
                                                                  m["coverage"]["of"]))
                      for m in f["movements"] if "coverage" in m],
        "titles": measured("cdcs_vung_manh", "CĐCS xếp loại vững mạnh") + titles,
        "initiatives": [(str(level_names.get(code, code)), vn_number(n))
                        for code, n in f["initiatives"].items()
                        if code not in ("total", "proposed_for_awards")]
        + ([("Tổng số sáng kiến được công nhận", vn_number(f["initiatives"]["total"]))]
           if f["initiatives"]["total"] else []),
        "awards": [(f"{award_issuer(a)} – {a['form_name']}", _recipients(a))
                   for a in award_groups(f)],
        "welfare": [(o["name"], f"{vn_number(o['beneficiaries'])} người, "
                                f"{vn_number(o['amount'])} đồng") for o in f["welfare"]["occasions"]],
        "party": [(label, vn_number(f[key])) for key, label in (
            ("party_introduced", "Đoàn viên ưu tú được giới thiệu"),
            ("party_admitted", "Đoàn viên được kết nạp vào Đảng")) if f[key]],
    }


def dashboard_page(unit: Unit, year: int) -> dict[str, Any]:
    d = dashboard(unit, year)
    f = d["figures"]
    return {
        "figures": f, "cards": target_rows(f), "columns": [label for _, label, _ in COLUMNS],
        "children": (children := child_table(d["children"], year)),
        "children_html": child_rows_html(children), "sections": sections(f),
        "charts": chart_data(f),
        "roster": [(label, vn_number(f[key])) for key, label in (
            ("workers", "CBCCVCLĐ"), ("members", "Đoàn viên"), ("women", "Nữ"))],
    }


def _recipients(row: dict[str, Any]) -> str:
    """"1 tập thể, 3 cá nhân", leaving out a part that is zero."""
    parts = [f"{vn_number(row[key])} {word}"
             for key, word in (("collectives", "tập thể"), ("individuals", "cá nhân")) if row[key]]
    return ", ".join(parts)
