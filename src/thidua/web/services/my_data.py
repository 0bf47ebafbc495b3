"""Everything the system holds about one member, for them to download (Nghị định 13/2023/NĐ-CP,
Điều 9 and 14: the data subject's right to know and to obtain their data).

The collector lives in the web layer, which may import every app, and reads the database's own
map rather than a hand-kept list: every model with a key to `Person` (roster periods, ratings,
titles, registrations, initiatives, candidacies, awards, council seats — and whatever is added
later) contributes one section, and the account (its roles, API tokens without their digest,
and the audit entries about the person or by the account) another. Keys to accounts (who
entered a row) are left out: they name officers, not the member."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from thidua.audit.models import AuditEntry
from thidua.audit.services import audit_record
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import NotFoundError

# search helpers and secrets: not data about the person
HIDDEN = {"name_folded", "sort_name", "digest", "password", "hash", "prev_hash"}
MAX_AUDIT_ROWS = 5_000


def _value(obj: models.Model, f: models.Field[Any, Any]) -> Any:
    if f.is_relation:
        related = getattr(obj, f.name, None)
        return str(related) if related is not None else None
    value = getattr(obj, f.attname)
    if f.choices and value not in (None, ""):
        return dict(f.flatchoices).get(value, value)
    return value


def _fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    user = get_user_model()
    return [f for f in model._meta.concrete_fields
            if f.name not in HIDDEN and not (f.is_relation and f.related_model is user)]


def _rows(qs: models.QuerySet[Any], *, skip: str = "") -> list[dict[str, Any]]:
    fields = [f for f in _fields(qs.model) if f.name != skip]
    keys = [f.name for f in fields if f.is_relation]
    return [{str(f.verbose_name): _value(obj, f) for f in fields}
            for obj in qs.select_related(*keys).order_by("pk")]


def _section(model: type[models.Model], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"model": model._meta.label, "title": str(model._meta.verbose_name_plural).capitalize(),
            "rows": rows}


def member_data_collect(*, person: Person) -> dict[str, Any]:
    """Every section of data about `person` and their account, as plain JSON-safe values."""
    sections = [_section(Person, _rows(Person.objects.filter(pk=person.pk)))]
    for rel in Person._meta.related_objects:
        if rel.one_to_one or not rel.many_to_one and not rel.one_to_many:
            continue
        model = rel.related_model
        rows = _rows(model._default_manager.filter(**{rel.field.name: person}),
                     skip=rel.field.name)
        if rows:
            sections.append(_section(model, rows))
    user = person.user
    if user is not None:
        account = {"Tên đăng nhập": user.get_username(), "Họ tên": user.get_full_name(),
                   "Thư điện tử": user.email, "Ngày tạo": user.date_joined,
                   "Đăng nhập lần cuối": user.last_login, "Đang hoạt động": user.is_active}
        sections.append({"model": "auth.User", "title": "Tài khoản", "rows": [account]})
        for rel in get_user_model()._meta.related_objects:
            model = rel.related_model
            if model in (Person, AuditEntry) or rel.one_to_one:
                continue
            rows = _rows(model._default_manager.filter(**{rel.field.name: user}),
                         skip=rel.field.name)
            if rows:
                sections.append(_section(model, rows))
    about = AuditEntry.objects.filter(object_type="person", object_id=str(person.pk))
    if user is not None:
        about = about | AuditEntry.objects.filter(actor=user)
    audit = [{"Thời điểm": e.at, "Việc": e.action, "Đối tượng": e.object_type,
              "Người thực hiện": e.actor_name}
             for e in about.order_by("seq")[:MAX_AUDIT_ROWS]]
    if audit:
        sections.append({"model": "audit.AuditEntry", "title": "Nhật ký thay đổi liên quan",
                         "rows": audit})
    return {"person_id": person.pk, "full_name": person.full_name,
            "generated_at": dt.datetime.now(dt.UTC), "sections": sections}


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def _xlsx(data: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    names: set[str] = set()
    for section in data["sections"]:
        name = section["title"][:28]
        while name in names:
            name = name[:26] + f"{len(names):02d}"
        names.add(name)
        ws = wb.add_worksheet(name.translate(str.maketrans("[]:*?/\\", "(),,,,,")))
        rows = section["rows"]
        columns = list(rows[0]) if rows else []
        for c, label in enumerate(columns):
            ws.write_string(0, c, label, head)
            ws.set_column(c, c, 22)
        for r, row in enumerate(rows, 1):
            for c, label in enumerate(columns):
                value = row.get(label)
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, c, "Có" if value else "Không")
                elif isinstance(value, int | float | Decimal):
                    ws.write_number(r, c, float(value))
                elif isinstance(value, dict | list):
                    ws.write_string(r, c, json.dumps(value, cls=DjangoJSONEncoder,
                                                     ensure_ascii=False))
                else:
                    ws.write_string(r, c, str(value))
    wb.close()
    return out.getvalue()


def member_data_export(*, actor: Actor, fmt: str = "json") -> tuple[str, str, bytes]:
    """The actor's own data as (file name, content type, bytes), JSON or .xlsx; audited. Only a
    person's own account may take it: anyone else gets NotFoundError."""
    person = Person.objects.filter(user=actor).first() if getattr(
        actor, "is_authenticated", False) else None
    if person is None:
        raise NotFoundError("Tài khoản của bạn chưa gắn với hồ sơ người lao động nào.")
    data = _jsonable(member_data_collect(person=person))
    audit_record(actor=actor, action="person.data_export", object_type="person",
                 object_id=person.pk,
                 after={"format": fmt, "sections": [s["model"] for s in data["sections"]]})
    stem = f"du-lieu-ca-nhan-{person.pk}"
    if fmt == "xlsx":
        return (f"{stem}.xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _xlsx(data))
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return f"{stem}.json", "application/json", body
