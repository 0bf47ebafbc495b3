"""Administrators' edits of the award catalogue: a form's name or end, a quota's figure, a cash
multiple for a period, a new base salary row. Each cites the document that sets it; nothing is
deleted: an edit starting after the open edit of the same key ends that one on its first day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet

from thidua.audit.services import audit_record
from thidua.honours.catalogue import known_code
from thidua.honours.models import BaseSalaryEdit, CashRateEdit, FormEdit, QuotaEdit
from thidua.honours.permissions import require_catalogue_editor
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date, vn_number
from thidua.rules import awards

RECIPIENTS = {"": "mọi đối tượng", "ca_nhan": "cá nhân", "tap_the": "tập thể"}


def _source(source: str) -> str:
    text = clean_spaces(source)
    if len(text) < 5:
        raise ApplicationError("Hãy ghi căn cứ: số, ngày và cơ quan ban hành văn bản quy định "
                               "mức này.", field="source")
    if len(text) > 255:
        raise ApplicationError("Căn cứ tối đa 255 ký tự.", field="source")
    return text


def _form(code: str) -> awards.AwardForm:
    try:
        return awards.form(code)
    except KeyError:
        raise ApplicationError(f"Hình thức «{code}» không có trong danh mục khen thưởng.",
                               field="form") from None


def _period(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to <= valid_from:
        raise ApplicationError("Ngày kết thúc phải sau ngày bắt đầu áp dụng.", field="valid_to")


def _place(rows: QuerySet[Any], valid_from: dt.date, valid_to: dt.date | None,
           what: str) -> Model | None:
    """Refuse a period that overlaps an edit of the same key, except the open edit it follows:
    that one is returned, to be ended on `valid_from`."""
    end = valid_to or dt.date.max
    to_end = None
    for row in rows.select_for_update(of=("self",)).order_by("valid_from"):
        row_end = row.valid_to or dt.date.max
        if not (row.valid_from < end and valid_from < row_end):
            continue
        if row.valid_to is None and row.valid_from < valid_from and valid_to is None:
            to_end = row
            continue
        shown = f"từ {vn_date(row.valid_from)}" + (f" đến trước {vn_date(row.valid_to)}"
                                                     if row.valid_to else "")
        raise ApplicationError(f"Đã có {what} áp dụng {shown} ({row.source}), chồng lên khoảng "
                               "thời gian này. Hãy chọn ngày bắt đầu sau ngày đó; bản cũ sẽ "
                               "được giữ trong lịch sử.", field="valid_from")
    return to_end


def _end(row: Model | None, day: dt.date) -> dict[str, Any] | None:
    if row is None:
        return None
    row.valid_to = day  # type: ignore[attr-defined]
    row.save(update_fields=["valid_to"])
    return {"id": row.pk, "valid_to": day.isoformat()}


@transaction.atomic
def award_form_edit(*, actor: Actor, code: str, valid_from: dt.date, source: str,
                    name: str = "", form_valid_to: dt.date | None = None,
                    note: str = "") -> FormEdit:
    """A form's new name and/or end date from `valid_from` on (what the edit leaves blank
    keeps the previous edit's value, else the file's)."""
    require_catalogue_editor(actor)
    f = _form(code)
    source = _source(source)
    name = clean_spaces(name)
    if not name and form_valid_to is None:
        raise ApplicationError("Hãy ghi tên mới hoặc ngày hết hiệu lực của hình thức.",
                               field="name")
    if form_valid_to is not None and form_valid_to <= f.valid_from:
        raise ApplicationError(f"Hình thức này áp dụng từ {vn_date(f.valid_from)}; ngày hết "
                               "hiệu lực phải sau ngày đó.", field="form_valid_to")
    before = _place(FormEdit.objects.filter(form_code=code), valid_from, None,
                    "một lần sửa hình thức này")
    if isinstance(before, FormEdit):
        name = name or before.name
        form_valid_to = form_valid_to or before.form_valid_to
    ended = _end(before, valid_from)
    row = FormEdit.objects.create(form_code=code, name=name, form_valid_to=form_valid_to,
                                  valid_from=valid_from, source=source,
                                  note=clean_spaces(note)[:255], created_by=actor)
    audit_record(actor=actor, action="award_form.update", object_type="honours_form_edit",
                 object_id=row.pk, before=ended,
                 after={"form": code, "name": name, "form_valid_to": _iso(form_valid_to),
                        "valid_from": valid_from.isoformat(), "source": source})
    return row


@transaction.atomic
def quota_edit(*, actor: Actor, form_code: str, quota_code: str, value: int,
               valid_from: dt.date, source: str, valid_to: dt.date | None = None,
               note: str = "") -> QuotaEdit:
    """A quota's figure for a period."""
    require_catalogue_editor(actor)
    _form(form_code)
    if quota_code not in {q.code for q in awards.quota(form_code)}:
        raise ApplicationError("Hình thức này không có tỷ lệ, số lượng đó.", field="quota")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ApplicationError("Giá trị phải là số nguyên dương.", field="value")
    _period(valid_from, valid_to)
    source = _source(source)
    before = _place(QuotaEdit.objects.filter(quota_code=quota_code), valid_from, valid_to,
                    "một giá trị của tỷ lệ, số lượng này")
    ended = _end(before, valid_from)
    row = QuotaEdit.objects.create(form_code=form_code, quota_code=quota_code, value=value,
                                   valid_from=valid_from, valid_to=valid_to, source=source,
                                   note=clean_spaces(note)[:255], created_by=actor)
    audit_record(actor=actor, action="quota.set", object_type="honours_quota_edit",
                 object_id=row.pk, before=ended,
                 after={"form": form_code, "quota": quota_code, "value": value,
                        "valid_from": valid_from.isoformat(), "valid_to": _iso(valid_to),
                        "source": source})
    return row


def parse_multiple(raw: object) -> Decimal:
    """A multiple as typed: "0,3" or "0.3"; ApplicationError when unreadable or negative."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ApplicationError("Hệ số phải là một số, ví dụ 0,3 hoặc 1,5.",
                               field="multiple") from None
    if not value.is_finite():
        raise ApplicationError("Hệ số phải là một số, ví dụ 0,3 hoặc 1,5.", field="multiple")
    if value < 0:
        raise ApplicationError("Hệ số không được âm.", field="multiple")
    if value >= 10_000 or value != value.quantize(Decimal("0.001")):
        raise ApplicationError("Hệ số dưới 10.000, tối đa ba chữ số thập phân.",
                               field="multiple")
    return value


@transaction.atomic
def cash_rate_set(*, actor: Actor, code: str, recipient: str, multiple: Decimal | str,
                  valid_from: dt.date, source: str, valid_to: dt.date | None = None,
                  note: str = "") -> CashRateEdit:
    """The cash multiple (× lương cơ sở) of a form or title for a recipient over a period."""
    require_catalogue_editor(actor)
    if not known_code(code):
        raise ApplicationError(f"Hình thức «{code}» không có trong danh mục khen thưởng.",
                               field="form")
    if recipient not in RECIPIENTS:
        raise ApplicationError("Đối tượng phải là cá nhân, tập thể hoặc để trống (mọi đối "
                               "tượng).", field="recipient")
    value = parse_multiple(multiple)
    _period(valid_from, valid_to)
    source = _source(source)
    before = _place(CashRateEdit.objects.filter(form_code=code, recipient=recipient),
                    valid_from, valid_to, f"một mức thưởng ({RECIPIENTS[recipient]})")
    ended = _end(before, valid_from)
    row = CashRateEdit.objects.create(form_code=code, recipient=recipient, multiple=value,
                                      valid_from=valid_from, valid_to=valid_to, source=source,
                                      note=clean_spaces(note)[:255], created_by=actor)
    audit_record(actor=actor, action="cash_rate.set", object_type="honours_cash_rate_edit",
                 object_id=row.pk, before=ended,
                 after={"code": code, "recipient": recipient, "multiple": str(value),
                        "valid_from": valid_from.isoformat(), "valid_to": _iso(valid_to),
                        "source": source})
    return row


@transaction.atomic
def base_salary_add(*, actor: Actor, amount: int, valid_from: dt.date, source: str,
                    note: str = "") -> BaseSalaryEdit:
    """A new row of the base salary table: `amount` đồng from `valid_from` until the next row."""
    require_catalogue_editor(actor)
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ApplicationError("Mức lương cơ sở phải là số đồng lớn hơn 0.", field="amount")
    source = _source(source)
    same = BaseSalaryEdit.objects.select_for_update(of=("self",)).filter(valid_from=valid_from).first()
    if same is not None:
        raise ApplicationError(f"Đã có mức {vn_number(same.amount)} đồng áp dụng từ "
                               f"{vn_date(valid_from)} ({same.source}).", field="valid_from")
    row = BaseSalaryEdit.objects.create(amount=amount, valid_from=valid_from, source=source,
                                        note=clean_spaces(note)[:255], created_by=actor)
    audit_record(actor=actor, action="base_salary.add", object_type="honours_base_salary_edit",
                 object_id=row.pk,
                 after={"amount": amount, "valid_from": valid_from.isoformat(), "source": source})
    return row


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
