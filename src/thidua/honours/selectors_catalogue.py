"""What the catalogue page shows: the forms grouped by family and issuer level with their quotas,
conditions and cash today, the titles' cash, the base salary table, the union's own rates not
yet set, and the history of edits. Built from one `catalogue.current()` snapshot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thidua.honours.catalogue import AwardForm, CashRate, InForce
from thidua.org.models import UnitType
from thidua.platform.text import user_display_name, vn_date, vn_number
from thidua.rules import awards
from thidua.rules.titles import by_code as titles_by_code

RECIPIENT_LABELS = {"": "Mọi đối tượng", "ca_nhan": "Cá nhân", "tap_the": "Tập thể"}
FAMILY_LABELS = {"cong_doan": "Hình thức khen thưởng của Công đoàn",
                 "nha_nuoc": "Hình thức khen thưởng của Nhà nước (công đoàn đề nghị)"}
TYPE_LABELS = dict(UnitType.choices)


@dataclass
class CashLine:
    recipient: str
    multiple: str  # "0,3" or "" when not set
    amount: str  # "702.000" or ""
    unset: bool  # a setting (the union's own rate) not given yet
    source: str
    confidence: str
    edited: bool


@dataclass
class FormRow:
    form: AwardForm
    recipients: str
    period: str
    in_force: bool
    quotas: list[dict[str, Any]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    cash: list[CashLine] = field(default_factory=list)


def multiple_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"từ {vn_date(start)}" + (f" đến trước {vn_date(end)}" if end else "")


def _cash_line(snap: InForce, code: str, recipient: str, day: dt.date) -> CashLine | None:
    rate: CashRate | None = snap.cash_rate(code, day, recipient=recipient)
    if rate is None or (recipient and rate.recipient != recipient):
        return None
    salary = snap.base_salary(day)
    amount = (awards.amount_for(rate.multiple, salary)
              if rate.multiple is not None and salary is not None else None)
    return CashLine(recipient=RECIPIENT_LABELS[rate.recipient],
                    multiple=multiple_text(rate.multiple),
                    amount=vn_number(amount) if amount is not None else "",
                    unset=rate.multiple is None, source=rate.cited.source,
                    confidence=rate.cited.confidence, edited=rate.cited.basis.startswith(
                        "Quản trị viên"))


def _cash_lines(snap: InForce, code: str, recipients: tuple[str, ...],
                day: dt.date) -> list[CashLine]:
    keys = {r.recipient for r in awards.catalogue().cash if r.code == code}
    keys |= {e.recipient for e in snap.cash_edits if e.form_code == code}
    wanted = [r for r in ("", *recipients) if r in keys]
    return [line for r in wanted if (line := _cash_line(snap, code, r, day)) is not None]


def _group(f: AwardForm) -> str:
    if f.issuer_types:
        return "Do " + "; ".join(TYPE_LABELS.get(t, t) for t in f.issuer_types) + " quyết định"
    return {"thu_truong": "Do thủ trưởng cơ quan, đơn vị quyết định",
            "cap_tren": "Do cấp trên ngoài công đoàn quyết định"}.get(f.decider, f.decider_label)


def catalogue_page(snap: InForce, day: dt.date) -> dict[str, Any]:
    """Everything the page shows as of `day` (normally today)."""
    families: dict[str, dict[str, list[FormRow]]] = {k: {} for k in FAMILY_LABELS}
    for f in snap.forms(day):
        row = FormRow(form=f, recipients=", ".join(RECIPIENT_LABELS[r].lower()
                                                   for r in f.recipients),
                      period=_period(f.valid_from, f.valid_to), in_force=f.in_force(day))
        for q in snap.quota(f.code, day):
            row.quotas.append({"q": q, "value": vn_number(q.value) if q.value else ""})
        row.conditions = [c.text for c in awards.conditions(f.code)]
        row.cash = _cash_lines(snap, f.code, f.recipients, day)
        families[f.family].setdefault(_group(f), []).append(row)
    form_codes = {f.code for f in awards.award_forms()}
    titles = titles_by_code()
    title_rows = []
    for code in dict.fromkeys(r.code for r in awards.catalogue().cash):
        if code in form_codes:
            continue
        lines = _cash_lines(snap, code, ("ca_nhan", "tap_the"), day)
        title_rows.append({"code": code, "name": titles[code].name if code in titles else code,
                           "cash": lines})
    unset = [(row.form, line) for fam in families.values() for rows in fam.values()
             for row in rows for line in row.cash if line.unset]
    return {
        "families": [(FAMILY_LABELS[k], list(v.items())) for k, v in families.items() if v],
        "titles": title_rows,
        "salaries": [{"s": s, "amount": vn_number(s.amount),
                      "current": snap.base_salary(day) == s.amount and s.valid_from <= day}
                     for s in snap.salary_table()],
        "salary_today": vn_number(snap.base_salary(day)),
        "unset": unset,
    }


def catalogue_history(snap: InForce) -> list[dict[str, str]]:
    """Every edit, newest first: what, the value, its period, its source, who and when."""
    rows: list[tuple[Any, dict[str, str]]] = []
    names = {f.code: f.name for f in awards.award_forms()}
    titles = titles_by_code()

    def name(code: str) -> str:
        return names.get(code) or (titles[code].name if code in titles else code)

    def who(e: Any) -> dict[str, str]:
        return {"by": user_display_name(e.created_by),
                "at": e.created_at.strftime("%d/%m/%Y %H:%M") if e.created_at else "",
                "source": e.source, "note": e.note}

    for c in snap.cash_edits:
        rows.append((c.created_at, {"what": "Mức tiền thưởng", "key": name(c.form_code)
                                    + f" ({RECIPIENT_LABELS[c.recipient].lower()})",
                                    "value": f"{multiple_text(Decimal(c.multiple))} × lương cơ sở",
                                    "period": _period(c.valid_from, c.valid_to), **who(c)}))
    for s in snap.salary_edits:
        rows.append((s.created_at, {"what": "Lương cơ sở", "key": "",
                                    "value": f"{vn_number(s.amount)} đồng",
                                    "period": _period(s.valid_from, None), **who(s)}))
    for q in snap.quota_edits:
        rows.append((q.created_at, {"what": "Tỷ lệ, số lượng", "key": name(q.form_code),
                                    "value": vn_number(q.value),
                                    "period": _period(q.valid_from, q.valid_to), **who(q)}))
    for f in snap.form_edits:
        value = "; ".join(filter(None, [
            f"tên: {f.name}" if f.name else "",
            f"hết hiệu lực từ {vn_date(f.form_valid_to)}" if f.form_valid_to else ""]))
        rows.append((f.created_at, {"what": "Hình thức", "key": name(f.form_code), "value": value,
                                    "period": _period(f.valid_from, f.valid_to), **who(f)}))
    rows.sort(key=lambda r: r[0], reverse=True)
    return [r for _, r in rows]


def code_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(forms and titles with a cash rate, forms, quotas) as choices for the page's forms."""
    forms = [(f.code, f.name) for f in awards.award_forms()]
    titles = titles_by_code()
    extra = [(c, titles[c].name) for c in dict.fromkeys(r.code for r in awards.catalogue().cash)
             if c in titles and c not in dict(forms)]
    quotas = [(f"{q.form}|{q.code}", f"{q.text[:90]}") for q in awards.catalogue().quotas]
    return forms + extra, forms, quotas
