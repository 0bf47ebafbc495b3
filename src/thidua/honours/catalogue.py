"""The award catalogue in force: `rules/awards.toml` with the administrators' edits over it.

Every other part of the project (proposals, decisions, the catalogue page) reads forms, quotas,
cash and the base salary through this module, never `thidua.rules.awards` directly. An edit in
force on a day replaces the file's value for its key on that day; outside its dates the file's
value holds. A source entered by an administrator is the union's own document, cited at
confidence C (as an issuer's settings are, ADR 0012).

Each module function reads the edits afresh (one or two small queries). A caller that looks up
many things at once takes a `current()` snapshot and asks it: the snapshot reads each table once
and lives as long as the caller keeps it, so no cache outlives an edit."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from thidua.honours.models import BaseSalaryEdit, CashRateEdit, FormEdit, QuotaEdit
from thidua.platform.text import vn_date
from thidua.rules import awards
from thidua.rules.awards import AwardForm, BaseSalary, CashRate, Cited, Quota
from thidua.rules.titles import by_code as titles_by_code

__all__ = ["AwardForm", "BaseSalary", "CashRate", "Cited", "Quota", "InForce", "current", "form",
           "forms", "forms_for_issuer", "forms_proposed_by", "quota", "base_salary", "cash_rate",
           "cash_amount", "citation", "conditions", "known_code"]


def _today() -> dt.date:
    return timezone.localdate()


def _edit_cited(source: str, valid_from: dt.date) -> Cited:
    return Cited(source=source, confidence="C",
                 basis=f"Quản trị viên nhập, áp dụng từ {vn_date(valid_from)}")


def known_code(code: str) -> bool:
    """A form of the catalogue or a title of titles.toml (cash rates may name either)."""
    return code in {f.code for f in awards.award_forms()} or code in titles_by_code()


class InForce:
    """One reading of the edits; ask it as many questions as needed."""

    @cached_property
    def form_edits(self) -> list[FormEdit]:
        return list(FormEdit.objects.select_related("created_by").order_by("form_code",
                                                                            "valid_from"))

    @cached_property
    def quota_edits(self) -> list[QuotaEdit]:
        return list(QuotaEdit.objects.select_related("created_by").order_by("quota_code",
                                                                             "valid_from"))

    @cached_property
    def cash_edits(self) -> list[CashRateEdit]:
        return list(CashRateEdit.objects.select_related("created_by").order_by(
            "form_code", "recipient", "valid_from"))

    @cached_property
    def salary_edits(self) -> list[BaseSalaryEdit]:
        return list(BaseSalaryEdit.objects.select_related("created_by").order_by("valid_from"))

    # ------------------------------------------------------------------ forms

    def _form_edit(self, code: str, day: dt.date) -> FormEdit | None:
        return next((e for e in self.form_edits if e.form_code == code and e.in_force(day)), None)

    def _apply(self, f: AwardForm, day: dt.date) -> AwardForm:
        edit = self._form_edit(f.code, day)
        if edit is None:
            return f
        return replace(f, name=edit.name or f.name,
                       valid_to=edit.form_valid_to if edit.form_valid_to else f.valid_to,
                       cited=_edit_cited(edit.source, edit.valid_from),
                       note=edit.note or f.note)

    def forms(self, day: dt.date | None = None) -> tuple[AwardForm, ...]:
        """Every form (in force or not) as the edits in force on `day` (today) describe it."""
        day = day or _today()
        return tuple(self._apply(f, day) for f in awards.award_forms())

    def form(self, code: str, day: dt.date | None = None) -> AwardForm:
        """KeyError when the catalogue has no such form."""
        return self._apply(awards.form(code), day or _today())

    def forms_for_issuer(self, unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
        return tuple(f for f in self.forms(day) if unit_type in f.issuer_types and f.in_force(day))

    def forms_proposed_by(self, unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
        return tuple(f for f in self.forms(day)
                     if unit_type in f.proposer_types and f.in_force(day))

    def citation(self, code: str, day: dt.date | None = None) -> Cited:
        return self.form(code, day).cited

    # ------------------------------------------------------------------ quotas

    def quota(self, code: str, day: dt.date | None = None) -> tuple[Quota, ...]:
        day = day or _today()
        out = []
        for q in awards.quota(code):
            edit = next((e for e in self.quota_edits
                         if e.quota_code == q.code and e.in_force(day)), None)
            out.append(q if edit is None else replace(
                q, value=edit.value, cited=_edit_cited(edit.source, edit.valid_from)))
        return tuple(out)

    # ------------------------------------------------------------------ money

    def salary_table(self) -> list[BaseSalary]:
        """The file's rows and the edits, by date; an edit on a file row's date replaces it."""
        rows = {s.valid_from: s for s in awards.catalogue().base_salaries}
        for e in self.salary_edits:
            rows[e.valid_from] = BaseSalary(amount=e.amount, valid_from=e.valid_from,
                                            cited=_edit_cited(e.source, e.valid_from))
        return [rows[d] for d in sorted(rows)]

    def base_salary(self, day: dt.date) -> int | None:
        found: int | None = None
        for s in self.salary_table():
            if s.valid_from <= day:
                found = s.amount
        return found

    def _edit_rate(self, code: str, recipient: str, day: dt.date) -> CashRate | None:
        edit = next((e for e in self.cash_edits if e.form_code == code
                     and e.recipient == recipient and e.in_force(day)), None)
        if edit is None:
            return None
        return CashRate(code=code, recipient=recipient, multiple=Decimal(edit.multiple),
                        setting=any(r.setting for r in awards.catalogue().cash
                                    if (r.code, r.recipient) == (code, recipient)),
                        valid_from=edit.valid_from, valid_to=edit.valid_to,
                        cited=_edit_cited(edit.source, edit.valid_from))

    def cash_rate(self, code: str, day: dt.date, *, recipient: str = "") -> CashRate | None:
        """The recipient's own rate first, then the rate for any; an edit before the file."""
        for wanted in ((recipient, "") if recipient else ("",)):
            edited = self._edit_rate(code, wanted, day)
            if edited is not None:
                return edited
            filed = next((r for r in awards.catalogue().cash if r.code == code
                          and r.recipient == wanted and r.in_force(day)), None)
            if filed is not None:
                return filed
        return None

    def cash_amount(self, code: str, day: dt.date, *, recipient: str = "") -> int | None:
        """multiple × lương cơ sở in force on `day`, rounded as the file says; None when either
        is unknown or the rate is a setting not yet given."""
        rate = self.cash_rate(code, day, recipient=recipient)
        salary = self.base_salary(day)
        if rate is None or rate.multiple is None or salary is None:
            return None
        return awards.amount_for(rate.multiple, salary)


def current() -> InForce:
    """A fresh snapshot of the catalogue in force."""
    return InForce()


def forms(day: dt.date | None = None) -> tuple[AwardForm, ...]:
    return current().forms(day)


def form(code: str, day: dt.date | None = None) -> AwardForm:
    """One form as in force on `day` (today); KeyError for an unknown code."""
    return current().form(code, day)


def forms_for_issuer(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    """The forms a unit of this type decides itself on that day."""
    return current().forms_for_issuer(unit_type, day)


def forms_proposed_by(unit_type: str, day: dt.date) -> tuple[AwardForm, ...]:
    """The forms decided above the union (or by the agency's head) that this level proposes."""
    return current().forms_proposed_by(unit_type, day)


def quota(code: str, day: dt.date | None = None) -> tuple[Quota, ...]:
    """The quotas of a form with the figures in force on `day` (today)."""
    return current().quota(code, day)


def conditions(code: str) -> tuple[awards.Condition, ...]:
    return awards.conditions(code)


def base_salary(day: dt.date) -> int | None:
    """Lương cơ sở in force on that day, in đồng; None before the first known row."""
    return current().base_salary(day)


def cash_rate(code: str, day: dt.date, *, recipient: str = "") -> CashRate | None:
    return current().cash_rate(code, day, recipient=recipient)


def cash_amount(code: str, day: dt.date, *, recipient: str = "") -> int | None:
    """Cash in đồng for a form or title decided on `day`."""
    return current().cash_amount(code, day, recipient=recipient)


def citation(code: str, day: dt.date | None = None) -> Cited:
    """What sets the form as in force on `day` (today): the file's source or the edit's."""
    return current().citation(code, day)


def printed_name(code: str, issuer_name: str = "", day: dt.date | None = None) -> str:
    """The form's name as a decision or certificate prints it. The catalogue names a form for
    every issuer of its level ("Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh/thành phố,
    Công đoàn ngành Trung ương"); a document names its own issuer ("Bằng khen của Ban Chấp hành
    Liên đoàn Lao động Thành phố Hà Nội"). Forms decided outside the union keep their name."""
    try:
        f = form(code, day)
    except (KeyError, LookupError):
        return code
    kind, sep, rest = f.name.partition(" của ")
    if f.decider != "cong_doan" or not issuer_name or not sep:
        return f.name
    body = "Ban Chấp hành " if rest.startswith("Ban Chấp hành") else ""
    return f"{kind} của {body}{issuer_name}"
