"""What the dashboard page shows (issue 11 §3), built from `reports.dashboard`: the target
cards, the children's table (sorted, filtered and paged on the server), the sections' rows and the
charts' data (rendered with `json_script`, drawn by our own script with the vendored Chart.js)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from thidua.initiatives.models import Level
from thidua.org.models import Unit
from thidua.platform.collation import vn_sort_key
from thidua.platform.text import clean_spaces, fold, vn_number
from thidua.platform.web import page_links, url_maker, with_query
from thidua.reports.compose import award_groups, award_issuer
from thidua.reports.dashboard import ChildRow, children_rows, dashboard
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


#: the children a page of the table shows: a cấp trên of 1.446 CĐCS drew them all (1,3 MB of
#: HTML, a third of the page's time, bench/README.md session 39) and a phone scrolled for ever
CHILD_PAGE = 50
#: the table's anchor: the sort links, the filter and the page links swap it alone (HTMX)
CHILD_TABLE = "bang-truc-thuoc"
#: from how many children the table has a filter by name or code
FILTER_FROM = 11
NAME = "ten"  # the sort key of the name column; the others are the COLUMNS' keys
ASCENDING, DESCENDING = "tang", "giam"


def percent(value: float | None) -> str:
    return "" if value is None else f"{vn_number(value, 1).removesuffix(',0')}%"


def _value(row: ChildRow, key: str) -> float | int | None:
    return row.share(SHARES[key]) if key in SHARES else int(getattr(row, key))


def _cell(row: ChildRow, key: str, flag_code: str) -> dict[str, Any]:
    value = _value(row, key)
    text = percent(value) if key in SHARES else vn_number(value)
    met = row.met.get(flag_code) if flag_code else None
    state = "" if not flag_code or flag_code not in row.met else (
        "unknown" if met is None else "met" if met else "unmet")
    return {"text": text or "–", "sort": "" if value is None else value, "state": state}


def child_table(children: list[ChildRow], year: int) -> list[dict[str, Any]]:
    url = url_maker("reports:dashboard", then=(year,))
    return [{"code": c.code, "name": c.name, "url": url(c.code),
             "cells": [_cell(c, key, code) for key, _, code in COLUMNS]} for c in children]


@dataclass(frozen=True)
class ChildOrder:
    """How the officer asked to see the children: sorted by a column (``?sap=``, ``?chieu=``),
    filtered by name or code (``?tim=``), which page (``?trang=``). Anything unknown in the
    address falls back to the tree's order, unfiltered, page 1."""

    key: str = ""  # "" for the tree's order
    descending: bool = False
    query: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, get: Mapping[str, str]) -> ChildOrder:
        key = get.get("sap", "")
        key = key if key == NAME or key in _KEYS else ""
        return cls(key=key, descending=bool(key) and get.get("chieu") == DESCENDING,
                   query=clean_spaces(get.get("tim"))[:100], page=get.get("trang") or "1")

    def items(self, **changes: Any) -> dict[str, Any]:
        """The address's query for this order, with `changes` (a new sort starts at page 1)."""
        key = changes.get("key", self.key)
        descending = changes.get("descending", self.descending)
        return {"sap": key, "chieu": DESCENDING if key and descending else "",
                "tim": changes.get("query", self.query),
                "trang": "" if changes.get("page", 1) == 1 else changes["page"]}


_KEYS = {key for key, _, _ in COLUMNS}


def ordered_children(rows: list[ChildRow], order: ChildOrder) -> list[ChildRow]:
    """The rows the filter keeps, in the asked order; a figure that cannot be computed (a share
    of nothing) goes last whichever the direction, and equal figures keep the tree's order."""
    if order.query:
        needle = fold(order.query)
        rows = [r for r in rows if needle in fold(r.name) or needle in fold(r.code)]
    if order.key == NAME:
        return sorted(rows, key=lambda r: vn_sort_key(r.name), reverse=order.descending)
    if not order.key:
        return rows[::-1] if order.descending else rows
    known = [r for r in rows if _value(r, order.key) is not None]
    unknown = [r for r in rows if _value(r, order.key) is None]
    return sorted(known, key=lambda r: _value(r, order.key) or 0,
                  reverse=order.descending) + unknown


def children_section(rows: list[ChildRow], unit: Unit, year: int,
                     order: ChildOrder) -> dict[str, Any]:
    """The children's table as the page draws it: one page of the ordered rows, the headers'
    sort links (a second click reverses; figures start with the largest), the page links."""
    base = reverse("reports:dashboard", args=[unit.code, year])
    shown = ordered_children(rows, order)
    page = Paginator(shown, CHILD_PAGE).get_page(order.page)
    table = child_table(list(page.object_list), year)

    def url(**changes: Any) -> str:
        return with_query(base, order.items(**changes))

    headers = []
    for key, label in ((NAME, "Đơn vị"), *((k, lb) for k, lb, _ in COLUMNS)):
        current = key == order.key
        first_descending = key != NAME
        headers.append({
            "label": label, "num": key != NAME,
            "sort": ("descending" if order.descending else "ascending") if current else "",
            "url": url(key=key, descending=not order.descending if current
                       else first_descending)})
    return {
        "children_total": len(rows), "children_shown": len(shown),
        "children_filter": len(rows) >= FILTER_FROM,
        # plain numbers, not the Page: the page's context is compared across a reorganisation
        "children_paging": {"number": page.number, "pages": page.paginator.num_pages,
                            "first": page.start_index(), "last": page.end_index()},
        "children_order": order, "children_headers": headers,
        "children_html": child_rows_html(table, start=page.start_index() if shown else 1),
        "children_pages": page_links(page, lambda n: url(page=n)),
        "children_tree_url": with_query(base, {"tim": order.query}),
        "children_url": base, "children_target": CHILD_TABLE,
        "children_xlsx_url": with_query(
            reverse("reports:dashboard-children-xlsx", args=[unit.code, year]), order.items()),
    }


_CELL = '<td class="num{state}" data-sort="{sort}">{text}{note}</td>'
_ROW = ('<tr>\n        <th scope="row" data-sort="{i}"><a href="{url}">{name}</a> '
        '<span class="muted">{code}</span></th>\n        {cells}\n      </tr>')
_STATE_NOTE = {"met": '<span class="sr-only"> (đạt)</span>',
               "unmet": '<span class="sr-only"> (chưa đạt)</span>'}


def child_rows_html(table: list[dict[str, Any]], *, start: int = 1) -> SafeString:
    """The rows of the children's table, drawn with format strings: a cấp trên's hundred
    children are 1.800 cells, and the template loop spent two thirds of the page on them
    (bench/README.md, `bench_web.py`, session 37). A cell's `data-sort` is the plain number
    ("88.1"), not the localised text ("88,1"), for a script or a reader of the page's data."""
    out = []
    for i, c in enumerate(table, start=start):
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


def dashboard_page(unit: Unit, year: int, order: ChildOrder | None = None) -> dict[str, Any]:
    d = dashboard(unit, year)
    f = d["figures"]
    return {
        "figures": f, "cards": target_rows(f),
        **children_section(d["children"], unit, year, order or ChildOrder()),
        "sections": sections(f), "charts": chart_data(f),
        "roster": [(label, vn_number(f[key])) for key, label in (
            ("workers", "CBCCVCLĐ"), ("members", "Đoàn viên"), ("women", "Nữ"))],
    }


def _recipients(row: dict[str, Any]) -> str:
    """"1 tập thể, 3 cá nhân", leaving out a part that is zero."""
    parts = [f"{vn_number(row[key])} {word}"
             for key, word in (("collectives", "tập thể"), ("individuals", "cá nhân")) if row[key]]
    return ", ".join(parts)


def children_part(unit: Unit, year: int, order: ChildOrder) -> dict[str, Any]:
    """The children's table alone, for a sort, a filter or a page asked by HTMX: the unit's own
    figures, cards and charts are not computed again."""
    return children_section(children_rows(unit, year), unit, year, order)
