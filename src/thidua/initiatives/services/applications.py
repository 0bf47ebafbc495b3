"""The application (TT 18/2013 Phụ lục I): its fields, authors with their shares, people who
applied it on trial, and attached evidence. A new application is a draft; it changes only as a
draft (services.workflow moves it on)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.initiatives import novelty
from thidua.initiatives.models import (
    Attachment,
    Author,
    Initiative,
    InitiativeType,
    Status,
    TrialParticipant,
)
from thidua.initiatives.permissions import DECIDED, can_attach, can_edit, require_may_file
from thidua.initiatives.services._common import HUNDRED, percent_text, plain
from thidua.org.models import Unit, alive_at
from thidua.people.models import Employment, Person
from thidua.people.selectors import people_for
from thidua.platform import files
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.text import fold
from thidua.platform.years import check_year

MAX_AUTHORS = 50
MAX_PARTICIPANTS = 100


@dataclass(frozen=True)
class AuthorInput:
    """One author line of the form: a person of the roster (`person_id`), or a free name."""

    contribution: Decimal | str | int | float
    person_id: int | None = None
    full_name: str = ""
    birth_date: dt.date | None = None
    workplace: str = ""
    job_title: str = ""
    qualification: str = ""


@dataclass(frozen=True)
class ParticipantInput:
    full_name: str
    birth_date: dt.date | None = None
    workplace: str = ""
    job_title: str = ""
    qualification: str = ""
    task: str = ""


APPLICATION_FIELDS = (
    "title", "addressee", "investor", "field", "kind", "first_applied_on", "description",
    "confidential", "conditions", "benefit_author", "benefit_others", "benefit_expected_vnd",
    "benefit_measured_vnd",
)
_MULTILINE = {"description", "confidential", "conditions", "benefit_author", "benefit_others"}
REQUIRED = {
    "title": "Hãy ghi tên sáng kiến.",
    "field": "Hãy ghi lĩnh vực áp dụng sáng kiến.",
    "description": "Hãy mô tả bản chất của sáng kiến.",
}


def _share(value: Any, n: int) -> Decimal:
    try:
        share = Decimal(str(value).strip().replace(",", ".").rstrip("%"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"Tỷ lệ đóng góp của tác giả thứ {n} không phải là số.",
                               field="authors") from None
    if not share.is_finite() or share <= 0 or share > HUNDRED:
        raise ApplicationError(
            f"Tỷ lệ đóng góp của tác giả thứ {n} phải lớn hơn 0 và không quá 100%.",
            field="authors")
    if share != share.quantize(Decimal("0.01")):
        raise ApplicationError(
            f"Tỷ lệ đóng góp của tác giả thứ {n} chỉ ghi tối đa hai chữ số thập phân.",
            field="authors")
    return share.quantize(Decimal("0.01"))


def _current_unit_names(person_ids: list[int], day: dt.date) -> dict[int, str]:
    return dict(Employment.objects.filter(alive_at(day), person_id__in=person_ids)
                .values_list("person_id", "unit__name"))


def _clean_authors(actor: Actor, authors: Sequence[AuthorInput]) -> list[Author]:
    """Author rows ready to save. Refused: no author, a share that is not a number in (0, 100],
    shares not summing to exactly 100, a person the actor may not see, the same person twice."""
    if not authors:
        raise ApplicationError("Hãy ghi ít nhất một tác giả.", field="authors")
    if len(authors) > MAX_AUTHORS:
        raise ApplicationError(f"Tối đa {MAX_AUTHORS} tác giả.", field="authors")
    ids = [a.person_id for a in authors if a.person_id]
    visible = {p.pk: p for p in people_for(actor).filter(pk__in=ids)} if ids else {}
    workplaces = _current_unit_names(list(visible), timezone.localdate()) if visible else {}
    rows: list[Author] = []
    seen: set[int] = set()
    total = Decimal(0)
    for n, a in enumerate(authors, 1):
        share = _share(a.contribution, n)
        total += share
        person: Person | None = None
        if a.person_id:
            person = visible.get(int(a.person_id))
            if person is None:
                raise ApplicationError(
                    f"Tác giả thứ {n}: không tìm thấy người này trong danh sách đơn vị bạn được "
                    "quản lý. Hãy chọn người trong phạm vi của mình, hoặc chỉ ghi họ tên tác giả.",
                    field="authors")
            if person.pk in seen:
                raise ApplicationError(f"{person.full_name} được ghi hai lần trong danh sách "
                                       "tác giả.", field="authors")
            seen.add(person.pk)
        name = plain(a.full_name, limit=150) or (person.full_name if person else "")
        if not name:
            raise ApplicationError(f"Hãy ghi họ và tên tác giả thứ {n}.", field="authors")
        rows.append(Author(
            order=n, person=person, full_name=name,
            birth_date=a.birth_date or (person.birth_date if person else None),
            workplace=plain(a.workplace, limit=255) or (workplaces.get(person.pk, "") if person
                                                        else ""),
            job_title=plain(a.job_title, limit=150) or (person.position if person else ""),
            qualification=plain(a.qualification, limit=150),
            contribution=share,
        ))
    if total != HUNDRED:
        raise ApplicationError(
            "Tổng tỷ lệ đóng góp của các tác giả phải đúng 100% "
            f"(đang là {percent_text(total)}).", field="authors")
    return rows


def _clean_participants(participants: Sequence[ParticipantInput]) -> list[TrialParticipant]:
    if len(participants) > MAX_PARTICIPANTS:
        raise ApplicationError(f"Tối đa {MAX_PARTICIPANTS} người tham gia áp dụng thử.",
                               field="participants")
    out = []
    for n, p in enumerate(participants, 1):
        name = plain(p.full_name, limit=150)
        if not name:
            raise ApplicationError(f"Hãy ghi họ và tên người tham gia áp dụng thử thứ {n}.",
                                   field="participants")
        out.append(TrialParticipant(order=n, full_name=name, birth_date=p.birth_date,
                                    workplace=plain(p.workplace, limit=255),
                                    job_title=plain(p.job_title, limit=150),
                                    qualification=plain(p.qualification, limit=150),
                                    task=plain(p.task, limit=255)))
    return out


def _vnd(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").replace(" ", ""))
    except InvalidOperation:
        raise ApplicationError("Số tiền làm lợi phải là số đồng, ví dụ 120.000.000.",
                               field=name) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 16:
        raise ApplicationError("Số tiền làm lợi không hợp lệ.", field=name)
    return amount.quantize(Decimal(1))


def _clean_fields(data: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in APPLICATION_FIELDS:
        if key not in data:
            if partial:
                continue
            value = None
        else:
            value = data[key]
        if key == "kind":
            if value not in InitiativeType.values:
                raise ApplicationError("Hãy chọn loại giải pháp.", field="kind")
            out[key] = value
        elif key == "first_applied_on":
            if value is not None and not isinstance(value, dt.date):
                raise ApplicationError("Ngày áp dụng lần đầu không hợp lệ.", field=key)
            if value is not None and value > timezone.localdate():
                raise ApplicationError("Ngày áp dụng lần đầu hoặc áp dụng thử không thể ở tương "
                                       "lai.", field=key)
            out[key] = value
        elif key in ("benefit_expected_vnd", "benefit_measured_vnd"):
            out[key] = _vnd(value, key)
        else:
            limit = Initiative._meta.get_field(key).max_length  # type: ignore[union-attr]
            out[key] = plain(value, limit=limit, multiline=key in _MULTILINE)
            if key in REQUIRED and not out[key]:
                raise ApplicationError(REQUIRED[key], field=key)
    if "title" in out:
        out["title_folded"] = fold(out["title"])[:300]
    return out


def _snapshot(ini: Initiative) -> dict[str, Any]:
    data = {k: getattr(ini, k) for k in APPLICATION_FIELDS}
    data.update({"unit": ini.unit.code, "year": ini.year, "status": ini.status})
    data["authors"] = [{"person": a.person_id, "name": a.full_name, "share": a.contribution}
                       for a in ini.authors.all()]
    return data


@transaction.atomic
def initiative_create(
    *, actor: Actor, unit: Unit, year: int, authors: Sequence[AuthorInput],
    participants: Sequence[ParticipantInput] = (), **fields: Any,
) -> Initiative:
    """A new application (a draft). The fields are those of APPLICATION_FIELDS."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    year = check_year(year)
    if unit.valid_to is not None and unit.valid_to <= timezone.localdate():
        raise ApplicationError(f"Đơn vị «{unit.name}» đã chấm dứt hoạt động.", field="unit")
    data = _clean_fields(fields)
    author_rows = _clean_authors(actor, authors)
    require_may_file(actor, unit, author_rows)
    participant_rows = _clean_participants(participants)
    ini = Initiative.objects.create(unit=unit, year=year, created_by=actor, **data)
    _save_rows(ini, author_rows, participant_rows)
    audit_record(actor=actor, action="initiative.create", object_type="initiative",
                 object_id=ini.pk, unit_id=unit.pk, after=_snapshot(ini))
    return ini


def _save_rows(ini: Initiative, authors: list[Author] | None,
               participants: list[TrialParticipant] | None) -> None:
    if authors is not None:
        ini.authors.all().delete()
        for a in authors:
            a.initiative = ini
        Author.objects.bulk_create(authors)
    if participants is not None:
        ini.participants.all().delete()
        for p in participants:
            p.initiative = ini
        TrialParticipant.objects.bulk_create(participants)


@transaction.atomic
def initiative_update(
    *, actor: Actor, initiative: Initiative, expected_version: int,
    authors: Sequence[AuthorInput] | None = None,
    participants: Sequence[ParticipantInput] | None = None, year: int | None = None,
    **fields: Any,
) -> Initiative:
    """Change a draft. `expected_version` is the version the editor read: if someone saved in
    between, the change is refused rather than overwriting theirs."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    if not can_edit(actor, ini):
        if ini.status != Status.DRAFT:
            raise ApplicationError(
                f"Đơn đang ở trạng thái «{Status(ini.status).label}»: chỉ sửa được khi còn là "
                "bản nháp (cán bộ có thể trả lại đơn để bổ sung).")
        raise PermissionDeniedError("Bạn không có quyền sửa đơn này.")
    if ini.version != expected_version:
        raise ApplicationError("Đơn vừa được người khác sửa; hãy tải lại trang rồi sửa lại.",
                               field="version")
    before = _snapshot(ini)
    data = _clean_fields(fields, partial=True)
    author_rows = _clean_authors(actor, authors) if authors is not None else None
    if author_rows is not None:
        require_may_file(actor, ini.unit, author_rows)
    participant_rows = _clean_participants(participants) if participants is not None else None
    for key, value in data.items():
        setattr(ini, key, value)
    if year is not None:
        ini.year = check_year(year)
    ini.version += 1
    ini.save()
    _save_rows(ini, author_rows, participant_rows)
    if ini.status != Status.DRAFT:  # only drafts are edited today; an indexed one must resync
        novelty.record_changes([ini.pk])
    audit_record(actor=actor, action="initiative.update", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id, before=before, after=_snapshot(ini))
    return ini


@transaction.atomic
def attachment_add(*, actor: Actor, initiative: Initiative, upload: UploadedFile[bytes]) -> Attachment:
    if not can_attach(actor, initiative):
        if initiative.status in DECIDED:
            raise ApplicationError("Hội đồng đã có kết luận về đơn này; không thêm tài liệu "
                                   "được nữa.")
        raise PermissionDeniedError("Bạn không có quyền thêm tài liệu cho đơn này.")
    stored = files.store_upload(upload, Attachment.rules)
    try:
        att = Attachment.objects.create(
            initiative=initiative, file=stored.name, original_name=stored.original_name,
            kind=stored.kind, size=stored.size, sha256=stored.sha256, uploaded_by=actor)
        audit_record(actor=actor, action="initiative.attach", object_type="initiative",
                     object_id=initiative.pk, unit_id=initiative.unit_id,
                     after={"file": stored.original_name, "kind": stored.kind,
                            "size": stored.size, "sha256": stored.sha256})
    except BaseException:
        files.remove_stored(stored.name)
        raise
    return att
