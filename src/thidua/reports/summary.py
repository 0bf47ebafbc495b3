"""The year-end report as a file, one code path for the command line (`thidua report summary`)
and the web page (/bao-cao/<unit>/<year>/): its figures (JSON), its prose (Markdown) or the Word
document, and the figures as rows for the page's table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thidua.org.models import Unit
from thidua.platform.text import vn_number
from thidua.reports.compose import (
    actual_text,
    award_groups,
    award_issuer,
    markdown,
    percent,
    report_title,
    sections,
    target_text,
    unit_noun,
)
from thidua.reports.documents import render_summary
from thidua.reports.figures import year_figures
from thidua.rules.titles import by_code

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@dataclass(frozen=True)
class SummaryFile:
    content: bytes
    content_type: str
    filename: str


def summary_figures(unit: Unit, year: int | str, since: int | str | None = None, *,
                    fmt: str = "") -> dict[str, Any]:
    """The report's figures (`figures.year_figures`) for the page (`fmt` empty) or a file of
    `fmt`: only the JSON file names every issuer of the awards. ApplicationError for a refused
    span."""
    return year_figures(unit, year, since, grouped=fmt != "json")


def summary_file(unit: Unit, figures: Mapping[str, Any], fmt: str) -> SummaryFile:
    """The report in `fmt` (docx, json or md), named after the unit and the years."""
    if fmt == "docx":
        content = render_summary(unit, figures)
    elif fmt == "json":
        content = (json.dumps(figures, ensure_ascii=False, indent=1) + "\n").encode()
    elif fmt == "md":
        content = markdown(figures).encode()
    else:
        raise ValueError(fmt)
    years = figures["years"]
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return SummaryFile(content, FORMATS[fmt], f"bao-cao-tong-ket-{unit.code}-{span}.{fmt}")


def _share(count: int, of: int) -> str:
    if of and count <= of:
        return f"{vn_number(count)}/{vn_number(of)} ({percent(count, of)})"
    return vn_number(count)


def figure_rows(f: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of the figures the prose uses, for the page's table; zeros left out."""
    rows: list[tuple[str, str]] = []
    for unit_type, n in (f.get("units") or {}).items():
        rows.append((f"{unit_noun(unit_type)} trực thuộc (mọi cấp)", vn_number(n)))
    for key, label in (("workers", "CBCCVCLĐ"), ("members", "Đoàn viên"), ("women", "Nữ")):
        if f.get(key):
            rows.append((label, vn_number(f[key])))
    catalogue = by_code()
    for code, held in (f.get("titles") or {}).items():
        title = catalogue.get(code)
        name = title.name if title else "Gia đình văn hóa" if code == "GDVH" else code
        rows.append((f"Đạt «{name}»", _share(int(held["count"]), int(held["of"]))))
    for m in f.get("movements") or []:
        done, of = int(m["coverage"]["done"]), int(m["coverage"]["of"])
        if of:
            rows.append((f"Triển khai phong trào «{m['name']}» ({m['year']})",
                         f"{vn_number(done)}/{vn_number(of)}"))
    initiatives = f.get("initiatives") or {}
    if initiatives.get("total"):
        rows.append(("Sáng kiến, sáng tạo được công nhận", vn_number(initiatives["total"])))
    if initiatives.get("proposed_for_awards"):
        rows.append(("Sáng kiến được đề nghị khen thưởng",
                     vn_number(initiatives["proposed_for_awards"])))
    for a in award_groups(f):
        n = int(a["collectives"]) + int(a["individuals"])
        if n:
            rows.append((f"{a['form_name']} ({award_issuer(a)})", vn_number(n)))
    for key, label in (("party_introduced", "Đoàn viên ưu tú được giới thiệu kết nạp Đảng"),
                       ("party_admitted", "Đoàn viên ưu tú được kết nạp Đảng")):
        if f.get(key):
            rows.append((label, vn_number(f[key])))
    total = (f.get("welfare") or {}).get("total") or {}
    if total.get("beneficiaries"):
        rows.append(("Lượt đoàn viên, người lao động được chăm lo",
                     vn_number(total["beneficiaries"])))
    if total.get("amount"):
        rows.append(("Tổng số tiền chăm lo (đồng)", vn_number(total["amount"])))
    return rows


def target_rows(f: Mapping[str, Any]) -> list[dict[str, Any]]:
    """This year's targets with their actuals, for the page's table."""
    return [{"name": r["name"], "target": target_text(r), "actual": actual_text(r),
             "met": r.get("met"), "inherited_from": r.get("inherited_from")}
            for r in f.get("targets") or []]


def summary_page(f: Mapping[str, Any]) -> dict[str, Any]:
    """What the web page shows of the report: its title, its sections (the prose the documents
    print), the targets against their actuals and the figures' rows."""
    return {"title": report_title(f), "sections": sections(f), "targets": target_rows(f),
            "rows": figure_rows(f)}
