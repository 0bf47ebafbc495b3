"""Movements and the documents attached to movements and plans."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thidua.audit.services import audit_record
from thidua.movements.catalogue import STANDARD_BY_CODE, Audience
from thidua.movements.models import Attachment, Movement, Plan
from thidua.movements.permissions import require_manage
from thidua.movements.selectors import calendar_for
from thidua.movements.services.common import check_emulation_year
from thidua.org.models import Unit
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import remove_stored, store_upload
from thidua.platform.text import clean_spaces, vn_date

_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,39}$")


def _movement_code(issuer: Unit, wanted: str, base: str, year: int) -> str:
    if wanted:
        code = wanted.strip().upper()
        if not _CODE_RE.match(code):
            raise ApplicationError(
                f"Mã phong trào «{wanted}» không hợp lệ: chỉ dùng chữ không dấu, số và dấu gạch "
                "(tối đa 40 ký tự).", field="code")
        if Movement.objects.filter(issuer=issuer, code=code).exists():
            raise ApplicationError(f"Đơn vị đã có phong trào mã «{code}».", field="code")
        return code
    stem = f"{base or 'PT'}-{year}"[:34]
    taken = set(Movement.objects.filter(issuer=issuer, code__startswith=stem)
                .values_list("code", flat=True))
    code, n = stem, 1
    while code in taken:
        n += 1
        code = f"{stem}-{n}"
    return code


def _snapshot_movement(m: Movement) -> dict[str, Any]:
    return {"issuer": m.issuer.code, "code": m.code, "name": m.name,
            "catalogue_code": m.catalogue_code, "year": m.year, "start_date": m.start_date,
            "end_date": m.end_date, "audience": m.audience}


@transaction.atomic
def movement_create(
    *, actor: Actor, issuer: Unit, start_date: dt.date, end_date: dt.date, name: str = "",
    catalogue_code: str = "", year: int | None = None, code: str = "",
    audience: str = "", content: str = "",
) -> Movement:
    """Launch a movement: one of the standard union movements (`catalogue_code`) or the unit's
    own (`name`). The year defaults to the issuer's emulation year of `start_date`."""
    require_manage(actor, issuer.path)
    standard = None
    if catalogue_code:
        standard = STANDARD_BY_CODE.get(catalogue_code)
        if standard is None:
            raise ApplicationError(f"Phong trào «{catalogue_code}» không có trong danh mục.",
                                   field="catalogue_code")
    name = clean_spaces(name) or (standard.name if standard else "")
    if not name:
        raise ApplicationError("Hãy nhập tên phong trào hoặc chọn một phong trào trong danh mục.",
                               field="name")
    if len(name) > 255:
        raise ApplicationError("Tên phong trào dài quá 255 ký tự.", field="name")
    if start_date is None or end_date is None:
        raise ApplicationError("Hãy nhập thời gian thực hiện phong trào.", field="start_date")
    if end_date < start_date:
        raise ApplicationError("Ngày kết thúc phải sau ngày bắt đầu.", field="end_date")
    if not issuer.is_alive(start_date) and not issuer.is_alive(end_date):
        raise ApplicationError(
            f"«{issuer.name}» không hoạt động trong thời gian {vn_date(start_date)}–"
            f"{vn_date(end_date)}.", field="start_date")
    year = check_emulation_year(year if year is not None else calendar_for(issuer).year_of(start_date))
    audience = audience or (standard.audience if standard else Audience.ALL)
    if audience not in dict(Audience.CHOICES):
        raise ApplicationError("Đối tượng của phong trào không hợp lệ.", field="audience")
    content = (content or "").strip() or (standard.content if standard else "")
    movement = Movement.objects.create(
        issuer=issuer, code=_movement_code(issuer, code, catalogue_code, year), name=name,
        catalogue_code=catalogue_code, year=year, start_date=start_date, end_date=end_date,
        audience=audience, content=content, created_by=actor,
    )
    audit_record(actor=actor, action="movement.create", object_type="movement",
                 object_id=movement.pk, unit_id=issuer.pk, after=_snapshot_movement(movement))
    return movement


@transaction.atomic
def attachment_add(*, actor: Actor, upload: UploadedFile[bytes], movement: Movement | None = None,
                   plan: Plan | None = None) -> Attachment:
    """Attach a document (PDF, DOCX, XLSX, JPG, PNG) to a movement or a plan."""
    if movement is not None and plan is None:
        owner_issuer = movement.issuer
    elif plan is not None and movement is None:
        owner_issuer = plan.issuer
    else:
        raise ApplicationError("Tài liệu phải gắn với một phong trào hoặc một kế hoạch.")
    require_manage(actor, owner_issuer.path)
    stored = store_upload(upload, Attachment.rules)
    try:
        att = Attachment(movement=movement, plan=plan, file=stored.name,
                         stored_name=stored.name.rsplit("/", 1)[-1],
                         original_name=stored.original_name, kind=stored.kind, size=stored.size,
                         sha256=stored.sha256, uploaded_by=actor)
        att.save()
        audit_record(actor=actor, action="attachment.add", object_type="attachment",
                     object_id=att.pk, unit_id=owner_issuer.pk,
                     after={"movement": movement.pk if movement else None,
                            "plan": plan.pk if plan else None, "name": att.original_name,
                            "kind": att.kind, "size": att.size, "sha256": att.sha256})
    except BaseException:
        remove_stored(stored.name)
        raise
    return att


@dataclass
class Launched:
    movement: Movement
    attachment_error: str = ""  # why the document could not be attached (the movement stands)


def movement_launch(
    *, actor: Actor, issuer: Unit, start_date: dt.date, end_date: dt.date, name: str = "",
    catalogue_code: str = "", code: str = "", audience: str = "", content: str = "",
    upload: UploadedFile[bytes] | None = None,
) -> Launched:
    """The movement form: create the movement, then attach its document if one came with it.
    A refused document does not undo the movement; its reason is returned."""
    movement = movement_create(
        actor=actor, issuer=issuer, name=name, catalogue_code=catalogue_code,
        start_date=start_date, end_date=end_date, code=code, audience=audience, content=content)
    launched = Launched(movement)
    if upload is not None:
        try:
            attachment_add(actor=actor, movement=movement, upload=upload)
        except ApplicationError as exc:
            launched.attachment_error = exc.message
    return launched
