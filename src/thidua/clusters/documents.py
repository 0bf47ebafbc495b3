"""The pledge (giao ước thi đua) and a member's scoring sheet as Word documents, rendered through
the platform's registered templates, which an administrator may replace."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path
from typing import Any

from thidua.clusters.models import Cluster, CriterionKind, Membership
from thidua.clusters.selectors import criteria_of, ranking, target_for, targets_of
from thidua.clusters.services.setup import max_total
from thidua.honours.documents import BLANK_DATE, _names, _place
from thidua.platform.templates_docx import register_template, render_template
from thidua.platform.text import doc_date, vn_date, vn_number

PLEDGE_KEY = "clusters.giao_uoc"
SHEET_KEY = "clusters.bang_diem"
DOCX = Path(__file__).resolve().parent / "docx"


def num(value: Decimal | None) -> str:
    """10.141 / 8,75 / "" for nothing."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return vn_number(float(value), min(decimals, 2))


def _header(cluster: Cluster) -> dict[str, str]:
    _, issuer_name = _names(cluster.issuer, dt.date(cluster.year, 12, 31))
    return {"issuer_name": issuer_name, "cluster_title": cluster.title,
            "place": cluster.pledge_place or _place(cluster.issuer)}


def pledge_context(cluster: Cluster) -> dict[str, Any]:
    members = list(cluster.memberships.select_related("unit").order_by("order", "pk"))
    return {
        **_header(cluster), "year": cluster.year,
        "date_line": doc_date(cluster.pledge_date) if cluster.pledge_date else BLANK_DATE,
        "intro": (f"Các đơn vị trong {cluster.title} năm {cluster.year} cùng giao ước thi đua "
                  "thực hiện các nội dung sau:"),
        "commitments": cluster.pledge_text.splitlines(),
        "members": [{"n": i, "unit": m.unit.name, "role": m.get_role_display(),
                     "signer": (f"{m.signer_name} ({m.signer_title})" if m.signed_on else
                                "Chưa ký"),
                     "signed_on": vn_date(m.signed_on) if m.signed_on else ""}
                    for i, m in enumerate(members, 1)],
    }


def render_pledge(cluster: Cluster) -> bytes:
    return render_template(PLEDGE_KEY, pledge_context(cluster))


def sheet_context(membership: Membership) -> dict[str, Any]:
    cluster = membership.cluster
    criteria = criteria_of(cluster)
    scores = {s.criterion_id: s for s in membership.scores.all()}
    own = targets_of(cluster)
    standing = next(s for s in ranking(cluster) if s.membership.pk == membership.pk)
    rows = []
    for c in criteria:
        s = scores.get(c.pk)
        value = ""
        if s is not None and s.value is not None:
            value = ("Có" if s.value else "Không") if c.kind == CriterionKind.YES_NO else num(
                s.value)
            if c.kind == CriterionKind.TARGET:
                value += f" / {num(target_for(c, membership.unit_id, own))}"
        sign = "−" if c.kind == CriterionKind.PENALTY else ("+" if c.kind == "thuong" else "")
        rows.append({"code": c.code, "name": c.name, "max": f"{sign}{num(c.max_points)}",
                     "value": value, "known": num(s.known) if s else "",
                     "points": num(s.points) if s else "",
                     "checked": num(s.checked_points) if s and s.checked_points is not None
                     else ""})
    t = standing.totals
    return {
        **_header(cluster), "year": cluster.year,
        "date_line": doc_date(membership.checked_at.date()) if membership.checked_at
        else BLANK_DATE,
        "unit_name": membership.unit.name, "status": membership.get_sheet_status_display(),
        "rows": rows, "total": num(t.total), "max_total": num(max_total(criteria)),
        "bonus": num(t.bonus), "penalty": num(t.penalty),
        "rank": f"{standing.rank}/{cluster.memberships.count()}",
        "check_note": membership.check_note,
    }


def render_sheet(membership: Membership) -> bytes:
    return render_template(SHEET_KEY, sheet_context(membership))


def pledge_sample() -> dict[str, Any]:
    return {
        "issuer_name": "Liên đoàn Lao động Thành phố Hà Nội",
        "cluster_title": "Cụm thi đua số 4", "place": "Hà Nội", "year": 2017,
        "date_line": "ngày 20 tháng 02 năm 2017",
        "intro": "Các đơn vị trong Cụm thi đua số 4 năm 2017 cùng giao ước thi đua thực hiện "
                 "các nội dung sau:",
        "commitments": ["1. 100% công đoàn cơ sở phát động phong trào thi đua."],
        "members": [{"n": 1, "unit": "Công đoàn Viên chức thành phố Hà Nội", "role": "Cụm trưởng",
                     "signer": "Nguyễn Văn A (Chủ tịch)", "signed_on": "20/02/2017"}],
    }


def sheet_sample() -> dict[str, Any]:
    return {
        "issuer_name": "Liên đoàn Lao động Thành phố Hà Nội",
        "cluster_title": "Cụm thi đua số 4", "place": "Hà Nội", "year": 2017,
        "date_line": "ngày 20 tháng 12 năm 2017",
        "unit_name": "Công đoàn Viên chức thành phố Hà Nội", "status": "Cụm trưởng đã kiểm tra",
        "rows": [{"code": "1", "name": "Công đoàn cơ sở phát động phong trào thi đua",
                  "max": "10", "value": "100 / 100", "known": "100", "points": "10",
                  "checked": ""}],
        "total": "10", "max_total": "10", "bonus": "0", "penalty": "0", "rank": "1/4",
        "check_note": "",
    }


register_template(PLEDGE_KEY, label="Giao ước thi đua của cụm, khối",
                  default=DOCX / "giao_uoc_thi_dua.docx",
                  sample=functools.partial(pledge_sample), group="Cụm, khối thi đua")
register_template(SHEET_KEY, label="Bảng chấm điểm thi đua của đơn vị trong cụm, khối",
                  default=DOCX / "bang_cham_diem.docx",
                  sample=functools.partial(sheet_sample), group="Cụm, khối thi đua")
