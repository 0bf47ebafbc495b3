"""Initiative actions. Each is one transaction, refused whole with a Vietnamese message, and leaves
an audit entry.

The workflow is one table (WORKFLOW, on the platform's engine) and one guard
(`initiative_transition`):
draft → submitted → under review → recognised / not recognised, with "return for completion"
from submitted back to draft. A council (Hội đồng sáng kiến, TT 18/2013 Art. 8) reviews an
initiative: members score it and vote (the council, its members and votes are the councils app's);
it passes with the share of ALL members set by the threshold (2/3 by default); then the recognition is recorded at the council's level with its
certificate, once per level. Recognised initiatives back awards: at most one commendation
(Công văn 5007/BNV-TĐKT), a further use for a title is recorded with a warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.councils import services as councils
from thidua.councils.models import Council, Kind, Member, Role, Vote
from thidua.councils.tally import Decision, Threshold, counted, decide
from thidua.initiatives.models import (
    Attachment,
    Author,
    Criterion,
    Initiative,
    InitiativeType,
    InitiativeUse,
    Level,
    Outcome,
    Recognition,
    Review,
    Score,
    Status,
    StatusChange,
    TrialParticipant,
    UseKind,
)
from thidua.initiatives.permissions import can_attach, can_edit, is_author
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import can, require
from thidua.people.models import Employment, Person
from thidua.people.selectors import people_for
from thidua.platform import files
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import clean_spaces, fold, vn_date, vn_number
from thidua.platform.workflow import Move, Transition, Workflow

MIN_YEAR, MAX_YEAR = 2000, 2100
HUNDRED = Decimal("100")
MAX_AUTHORS = 50
MAX_PARTICIPANTS = 100

#: Councils decide with at least this share of ALL their members (absent members give a written
#: opinion). Override with the setting THIDUA_INITIATIVE_VOTE_THRESHOLD, e.g. "3/4".
DEFAULT_THRESHOLD = "2/3"
THRESHOLD_SOURCE = ("Thông tư 18/2013/TT-BKHCN, Điều 8 (Điều lệ Sáng kiến ban hành kèm Nghị định "
                    "13/2012/NĐ-CP): quyết định của Hội đồng được thông qua khi có ít nhất 2/3 "
                    "số thành viên nhất trí.")

#: The scoring sheet a new council starts with; the council edits it before anyone scores.
#: No official sheet was found (domain.md §4); these are the three conditions of NĐ 13/2012
#: Art. 3 (new, applied with benefit, replicable) in points.
DEFAULT_CRITERIA: list[tuple[str, int]] = [
    ("Tính mới trong phạm vi cơ sở", 30),
    ("Hiệu quả, lợi ích thu được khi áp dụng", 40),
    ("Khả năng áp dụng, nhân rộng", 30),
]


def vote_threshold() -> tuple[int, int, str]:
    """(numerator, denominator, source) of the vote threshold in force."""
    raw = str(getattr(settings, "THIDUA_INITIATIVE_VOTE_THRESHOLD", DEFAULT_THRESHOLD))
    try:
        frac = Fraction(raw.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        frac = Fraction(DEFAULT_THRESHOLD)
    if not 0 < frac <= 1:
        frac = Fraction(DEFAULT_THRESHOLD)
    source = THRESHOLD_SOURCE if frac == Fraction(DEFAULT_THRESHOLD) else (
        f"Cài đặt THIDUA_INITIATIVE_VOTE_THRESHOLD = {raw} (mặc định theo {THRESHOLD_SOURCE})")
    return frac.numerator, frac.denominator, source


def _now() -> dt.datetime:
    return timezone.now()


def _check_year(year: int) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ApplicationError("Năm không hợp lệ.", field="year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError(f"Năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.", field="year")
    return year


def _text(value: Any, *, limit: int | None = None, multiline: bool = False) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").strip() if multiline else clean_spaces(str(value))
    return text[:limit] if limit else text


# --- applications ------------------------------------------------------------------------------


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
_REQUIRED = {
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


def _pct(value: Decimal) -> str:
    return vn_number(float(value), 2).rstrip("0").rstrip(",") + "%"


def _current_unit_names(person_ids: list[int], day: dt.date) -> dict[int, str]:
    return dict(Employment.objects.filter(alive_at(day), person_id__in=person_ids)
                .values_list("person_id", "unit__name"))


def _clean_authors(actor: Any, authors: Sequence[AuthorInput]) -> list[Author]:
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
        name = _text(a.full_name, limit=150) or (person.full_name if person else "")
        if not name:
            raise ApplicationError(f"Hãy ghi họ và tên tác giả thứ {n}.", field="authors")
        rows.append(Author(
            order=n, person=person, full_name=name,
            birth_date=a.birth_date or (person.birth_date if person else None),
            workplace=_text(a.workplace, limit=255) or (workplaces.get(person.pk, "") if person
                                                        else ""),
            job_title=_text(a.job_title, limit=150) or (person.position if person else ""),
            qualification=_text(a.qualification, limit=150),
            contribution=share,
        ))
    if total != HUNDRED:
        raise ApplicationError(
            f"Tổng tỷ lệ đóng góp của các tác giả phải đúng 100% (đang là {_pct(total)}).",
            field="authors")
    return rows


def _clean_participants(participants: Sequence[ParticipantInput]) -> list[TrialParticipant]:
    if len(participants) > MAX_PARTICIPANTS:
        raise ApplicationError(f"Tối đa {MAX_PARTICIPANTS} người tham gia áp dụng thử.",
                               field="participants")
    out = []
    for n, p in enumerate(participants, 1):
        name = _text(p.full_name, limit=150)
        if not name:
            raise ApplicationError(f"Hãy ghi họ và tên người tham gia áp dụng thử thứ {n}.",
                                   field="participants")
        out.append(TrialParticipant(order=n, full_name=name, birth_date=p.birth_date,
                                    workplace=_text(p.workplace, limit=255),
                                    job_title=_text(p.job_title, limit=150),
                                    qualification=_text(p.qualification, limit=150),
                                    task=_text(p.task, limit=255)))
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
            out[key] = _text(value, limit=limit, multiline=key in _MULTILINE)
            if key in _REQUIRED and not out[key]:
                raise ApplicationError(_REQUIRED[key], field=key)
    if "title" in out:
        out["title_folded"] = fold(out["title"])[:300]
    return out


def _may_file_for(actor: Any, unit: Unit, authors: list[Author]) -> None:
    """An officer files for the unit's members; a member files for themself, at their own unit
    (or one above it), as one of the authors."""
    if can(actor, unit.path, "officer"):
        return
    own = next((a.person for a in authors if a.person is not None
                and a.person.user_id is not None and a.person.user_id == actor.pk), None)
    if own is None:
        raise PermissionDeniedError(
            "Bạn chỉ có thể nộp đơn cho sáng kiến mà chính mình là tác giả; cán bộ công đoàn "
            "nộp đơn thay cho đoàn viên của đơn vị mình.")
    paths = Employment.objects.filter(alive_at(timezone.localdate()), person=own).values_list(
        "unit__path", flat=True)
    if not any(p.startswith(unit.path) for p in paths):
        raise PermissionDeniedError(
            f"Đơn của bạn phải gửi tại đơn vị bạn đang công tác, không phải «{unit.name}».")


def _snapshot(ini: Initiative) -> dict[str, Any]:
    data = {k: getattr(ini, k) for k in APPLICATION_FIELDS}
    data.update({"unit": ini.unit.code, "year": ini.year, "status": ini.status})
    data["authors"] = [{"person": a.person_id, "name": a.full_name, "share": a.contribution}
                       for a in ini.authors.all()]
    return data


@transaction.atomic
def initiative_create(
    *, actor: Any, unit: Unit, year: int, authors: Sequence[AuthorInput],
    participants: Sequence[ParticipantInput] = (), **fields: Any,
) -> Initiative:
    """A new application (a draft). The fields are those of APPLICATION_FIELDS."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    year = _check_year(year)
    if unit.valid_to is not None and unit.valid_to <= timezone.localdate():
        raise ApplicationError(f"Đơn vị «{unit.name}» đã chấm dứt hoạt động.", field="unit")
    data = _clean_fields(fields)
    author_rows = _clean_authors(actor, authors)
    _may_file_for(actor, unit, author_rows)
    participant_rows = _clean_participants(participants)
    ini = Initiative.objects.create(unit=unit, year=year, created_by=_user(actor), **data)
    _save_rows(ini, author_rows, participant_rows)
    audit_record(actor=actor, action="initiative.create", object_type="initiative",
                 object_id=ini.pk, unit_id=unit.pk, after=_snapshot(ini))
    return ini


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


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
    *, actor: Any, initiative: Initiative, expected_version: int,
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
        _may_file_for(actor, ini.unit, author_rows)
    participant_rows = _clean_participants(participants) if participants is not None else None
    for key, value in data.items():
        setattr(ini, key, value)
    if year is not None:
        ini.year = _check_year(year)
    ini.version += 1
    ini.save()
    _save_rows(ini, author_rows, participant_rows)
    audit_record(actor=actor, action="initiative.update", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id, before=before, after=_snapshot(ini))
    return ini


@transaction.atomic
def attachment_add(*, actor: Any, initiative: Initiative, upload: Any) -> Attachment:
    if not can_attach(actor, initiative):
        if initiative.status in (Status.RECOGNIZED, Status.NOT_RECOGNIZED):
            raise ApplicationError("Hội đồng đã có kết luận về đơn này; không thêm tài liệu "
                                   "được nữa.")
        raise PermissionDeniedError("Bạn không có quyền thêm tài liệu cho đơn này.")
    stored = files.store_upload(upload, Attachment.rules)
    try:
        att = Attachment.objects.create(
            initiative=initiative, file=stored.name, original_name=stored.original_name,
            kind=stored.kind, size=stored.size, sha256=stored.sha256, uploaded_by=_user(actor))
        audit_record(actor=actor, action="initiative.attach", object_type="initiative",
                     object_id=initiative.pk, unit_id=initiative.unit_id,
                     after={"file": stored.original_name, "kind": stored.kind,
                            "size": stored.size, "sha256": stored.sha256})
    except BaseException:
        files.remove_stored(stored.name)
        raise
    return att


# --- the workflow --------------------------------------------------------------------------------


def _incomplete(ini: Initiative, actor: Any) -> str | None:
    authors = list(ini.authors.all())
    if not authors:
        raise ApplicationError("Đơn chưa có tác giả.", field="authors")
    total = sum((a.contribution for a in authors), Decimal(0))
    if total != HUNDRED:
        raise ApplicationError(
            f"Tổng tỷ lệ đóng góp của các tác giả phải đúng 100% (đang là {_pct(total)}).",
            field="authors")
    for key, message in _REQUIRED.items():
        if not getattr(ini, key):
            raise ApplicationError(message, field=key)
    _check_not_duplicate(ini, authors)
    return None


def _author_key(authors: Collection[Author]) -> frozenset[tuple[str, Any]]:
    return frozenset(("p", a.person_id) if a.person_id else ("n", fold(a.full_name))
                     for a in authors)


def _check_not_duplicate(ini: Initiative, authors: list[Author]) -> None:
    """The same title, authors, unit and year submitted before is refused (double submission)."""
    key = _author_key(authors)
    others = (Initiative.objects.filter(unit_id=ini.unit_id, year=ini.year,
                                        title_folded=ini.title_folded)
              .exclude(pk=ini.pk).exclude(status=Status.DRAFT).prefetch_related("authors"))
    for other in others:
        if _author_key(list(other.authors.all())) == key:
            when = timezone.localtime(other.submitted_at).date() if other.submitted_at else None
            raise ApplicationError(
                f"Đơn này trùng với đơn số {other.pk} đã nộp"
                f"{' ngày ' + vn_date(when) if when else ''}: cùng tên sáng kiến, tác giả, đơn vị "
                f"và năm {ini.year}. Không nộp lại một đơn hai lần.", field="title",
                extra={"duplicate_of": other.pk})


def _latest(ini: Initiative) -> Review | None:
    return ini.reviews.order_by("-opened_at", "-id").first()


def _no_open_review(ini: Initiative, actor: Any) -> str | None:
    review = _latest(ini)
    if review is None or not review.is_open:
        return "Hãy chọn Hội đồng sáng kiến xét đơn này."
    return None


def _not_passed(ini: Initiative, actor: Any) -> str | None:
    review = _latest(ini)
    if review is None or review.outcome != Outcome.PASSED:
        return "Chỉ công nhận sáng kiến khi Hội đồng sáng kiến đã biểu quyết thông qua."
    return None


def _not_decided(ini: Initiative, actor: Any) -> str | None:
    review = _latest(ini)
    if review is None or review.is_open:
        return "Hội đồng sáng kiến chưa kết thúc biểu quyết đơn này."
    return None


def _submitted(ini: Initiative, actor: Any, reason: str) -> dict[str, Any]:
    ini.submitted_at = _now()
    return {}


def _own(user: Any, ini: Initiative) -> bool:
    return (ini.created_by_id is not None and ini.created_by_id == getattr(user, "pk", None)) or (
        is_author(user, ini))


def _writer_or_officer(ini: Initiative, user: Any) -> bool:
    return can(user, ini.unit.path, "officer") or _own(user, ini)


def _deny(actor: Any, ini: Initiative, t: Transition[Initiative]) -> None:
    if not _own(actor, ini):
        require(actor, ini.unit.path, "officer")
    raise PermissionDeniedError("Bước này do cán bộ công đoàn của đơn vị thực hiện.")


def _record_change(move: Move[Initiative]) -> None:
    user = _user(move.actor)
    StatusChange.objects.create(
        initiative=move.obj, from_status=move.source, to_status=move.target, reason=move.reason,
        actor=user, actor_name=user.get_username() if user else "hệ thống", at=_now())


WORKFLOW: Workflow[Initiative] = Workflow(
    name="initiative", model=Initiative, labels=dict(Status.choices), object_type="initiative",
    transitions=[
        Transition(Status.DRAFT, Status.SUBMITTED, "submit", "Nộp đơn",
                   who=_writer_or_officer, guard=_incomplete, effect=_submitted,
                   saves=("submitted_at", "updated_at"),
                   done="Đã nộp đơn yêu cầu công nhận sáng kiến."),
        Transition(Status.SUBMITTED, Status.DRAFT, "return", "Trả lại để bổ sung",
                   role="officer", reason_required=True, saves=("updated_at",),
                   done="Đã trả lại đơn để tác giả bổ sung."),
        Transition(Status.SUBMITTED, Status.UNDER_REVIEW, "review", "Chuyển Hội đồng xét",
                   role="officer", guard=_no_open_review, saves=("updated_at",),
                   done="Đã chuyển đơn cho Hội đồng sáng kiến."),
        Transition(Status.UNDER_REVIEW, Status.RECOGNIZED, "recognize", "Công nhận sáng kiến",
                   role="officer", guard=_not_passed, saves=("updated_at",),
                   done="Đã ghi quyết định công nhận sáng kiến."),
        Transition(Status.UNDER_REVIEW, Status.NOT_RECOGNIZED, "reject", "Không công nhận",
                   role="officer", reason_required=True, guard=_not_decided,
                   saves=("updated_at",), done="Đã ghi kết luận không công nhận sáng kiến."),
    ],
    can=lambda user, ini, role: can(user, ini.unit.path, role), deny=_deny,
    unknown="Không thể chuyển đơn từ «{source}» sang «{target}».",
    audit=audit_record, unit_id=lambda ini: ini.unit_id, record=_record_change,
)


def allowed_transitions(user: Any, ini: Initiative) -> list[Transition[Initiative]]:
    """The moves the user may try from the current status (the guard still decides)."""
    return WORKFLOW.allowed(ini, user)


@transaction.atomic
def initiative_transition(*, actor: Any, initiative: Initiative, to: str,
                          reason: str = "") -> Initiative:
    """Move the initiative along the workflow; every move is checked, logged and audited."""
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    action = WORKFLOW.action_to(ini.status, to)
    if not action:
        target = Status(to).label if to in Status.values else to
        raise ApplicationError(
            f"Không thể chuyển đơn từ «{Status(ini.status).label}» sang «{target}».",
            field="status")
    WORKFLOW.apply(ini, action, actor=actor, reason=reason)
    initiative.status = ini.status
    initiative.submitted_at = ini.submitted_at
    return ini


# --- councils ------------------------------------------------------------------------------------


@transaction.atomic
def council_create(*, actor: Any, unit: Unit, year: int, name: str, level: str = Level.CO_SO,
                   decision_no: str = "", established_on: dt.date | None = None,
                   criteria: Sequence[tuple[str, int]] | None = None) -> Council:
    require(actor, unit.path, "officer")
    year = _check_year(year)
    name = _text(name, limit=255)
    if not name:
        raise ApplicationError("Hãy ghi tên Hội đồng.", field="name")
    if level not in Level.values:
        raise ApplicationError("Hãy chọn cấp công nhận của Hội đồng.", field="level")
    num, den, source = vote_threshold()
    council = councils.council_create(
        actor=actor, unit=unit, kind=Kind.INITIATIVE, year=year, name=name, level=level,
        decision_no=decision_no, established_on=established_on,
        threshold=Threshold(Fraction(num, den), source=source))
    rows = criteria if criteria is not None else DEFAULT_CRITERIA
    Criterion.objects.bulk_create([Criterion(council=council, name=n, max_points=p, order=i)
                                   for i, (n, p) in enumerate(_clean_criteria(rows), 1)])
    audit_record(actor=actor, action="council.create", object_type="initiative_council",
                 object_id=council.pk, unit_id=unit.pk,
                 after={"name": name, "year": year, "level": level, "decision": decision_no,
                        "threshold": f"{num}/{den}", "criteria": [list(r) for r in rows]})
    return council


def _clean_criteria(rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    out = []
    for n, (name, points) in enumerate(rows, 1):
        name = _text(name, limit=255)
        try:
            points = int(points)
        except (TypeError, ValueError):
            points = 0
        if not name:
            raise ApplicationError(f"Tiêu chí thứ {n} chưa có tên.", field="criteria")
        if not 0 < points <= 1000:
            raise ApplicationError(f"Điểm tối đa của tiêu chí «{name}» phải từ 1 đến 1.000.",
                                   field="criteria")
        out.append((name, points))
    if not out:
        raise ApplicationError("Phiếu chấm điểm cần ít nhất một tiêu chí.", field="criteria")
    return out


@transaction.atomic
def council_criteria_set(*, actor: Any, council: Council,
                         criteria: Sequence[tuple[str, int]]) -> list[Criterion]:
    require(actor, council.unit.path, "officer")
    if Score.objects.filter(review__council=council).exists():
        raise ApplicationError("Đã có thành viên chấm điểm theo phiếu này; không sửa phiếu được "
                               "nữa.", field="criteria")
    rows = _clean_criteria(criteria)
    before = list(council.criteria.values_list("name", "max_points"))
    council.criteria.all().delete()
    created = Criterion.objects.bulk_create([Criterion(council=council, name=n, max_points=p,
                                                       order=i)
                                             for i, (n, p) in enumerate(rows, 1)])
    audit_record(actor=actor, action="council.criteria", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 before=[list(r) for r in before], after=[list(r) for r in rows])
    return created


def _same_person(member: Member, author: Author) -> bool:
    """Linked records decide; otherwise the folded name (and the birth date when both have one)."""
    if member.person_id and author.person_id:
        return member.person_id == author.person_id
    if fold(member.full_name) != fold(author.full_name):
        return False
    m_birth = member.person.birth_date if member.person_id and member.person else None
    return not (m_birth and author.birth_date and m_birth != author.birth_date)


def _author_conflicts(members: Sequence[Member], authors: Sequence[Author]
                      ) -> list[tuple[Member, Author]]:
    return [(m, a) for m in members for a in authors if _same_person(m, a)]


def _author_on_council_message(author: Author, ini: Initiative) -> str:
    return (f"{author.full_name} là tác giả sáng kiến «{ini.title}»: tác giả không được là thành "
            "viên Hội đồng xét sáng kiến của mình (Thông tư 18/2013/TT-BKHCN, Điều 8).")


@transaction.atomic
def council_member_add(*, actor: Any, council: Council, role: str, person: Person | None = None,
                       full_name: str = "", position: str = "") -> Member:
    """Add a member. Refused: the person is an author of an initiative this council is
    reviewing; a second chair or secretary; the same person twice."""
    require(actor, council.unit.path, "officer")
    if role not in Role.values:
        raise ApplicationError("Hãy chọn vai trò trong Hội đồng.", field="role")
    if person is not None and not people_for(actor).filter(pk=person.pk).exists():
        raise NotFoundError()
    if council.reviews.filter(closed_at__isnull=False).exists():
        raise ApplicationError("Hội đồng đã biểu quyết; không thay đổi thành phần được nữa.",
                               field="person")
    seat = Member(council=council, person=person,
                  full_name=_text(full_name, limit=150) or (person.full_name if person else ""))
    for review in council.reviews.filter(closed_at__isnull=True).select_related("initiative"):
        conflicts = _author_conflicts([seat], list(review.initiative.authors.all()))
        if conflicts:
            raise ApplicationError(_author_on_council_message(conflicts[0][1], review.initiative),
                                   field="person")
    member = councils.member_add(council=council, role=role, person=person,
                                 full_name=full_name, position=position)
    audit_record(actor=actor, action="council.member_add", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 after={"member": member.pk, "person": person.pk if person else None,
                        "name": member.full_name, "role": role})
    return member


@transaction.atomic
def council_member_remove(*, actor: Any, member: Member) -> None:
    council = member.council
    require(actor, council.unit.path, "officer")
    if member.votes.exists() or member.scores.exists():
        raise ApplicationError(f"{member.full_name} đã chấm điểm hoặc biểu quyết; không rút khỏi "
                               "Hội đồng được.")
    audit_record(actor=actor, action="council.member_remove", object_type="initiative_council",
                 object_id=council.pk, unit_id=council.unit_id,
                 before={"member": member.pk, "name": member.full_name, "role": member.role})
    member.delete()


@transaction.atomic
def review_open(*, actor: Any, council: Council, initiative: Initiative,
                meeting_date: dt.date | None = None) -> Review:
    """Put a submitted initiative before the council. Refused: the initiative is outside the
    council's unit, the council lacks a chair or a representative of the authors' union, or a
    member is one of the authors."""
    require(actor, council.unit.path, "officer")
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    if not ini.unit.path.startswith(council.unit.path):
        raise ApplicationError(f"Sáng kiến thuộc «{ini.unit.name}», ngoài phạm vi của "
                               f"«{council.name}».", field="council")
    if ini.status != Status.SUBMITTED:
        raise ApplicationError(f"Chỉ chuyển Hội đồng các đơn đã nộp (đơn này: "
                               f"«{Status(ini.status).label}»).", field="council")
    if council.reviews.filter(initiative=ini).exists():
        raise ApplicationError("Hội đồng này đã xét sáng kiến này.", field="council")
    members = list(council.members.select_related("person"))
    roles = {m.role for m in members}
    if Role.CHU_TICH not in roles:
        raise ApplicationError("Hội đồng chưa có Chủ tịch.", field="council")
    if Role.DAI_DIEN_CD not in roles:
        raise ApplicationError("Hội đồng cần có đại diện tổ chức công đoàn nơi tác giả là đoàn "
                               "viên (Thông tư 18/2013/TT-BKHCN, Điều 8).", field="council")
    conflicts = _author_conflicts(members, list(ini.authors.all()))
    if conflicts:
        raise ApplicationError(_author_on_council_message(conflicts[0][1], ini), field="council")
    subject = councils.subject_create(council=council, label=ini.title)
    review = Review.objects.create(council=council, initiative=ini, opened_at=_now(),
                                   meeting_date=meeting_date, subject=subject)
    audit_record(actor=actor, action="review.open", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"council": council.pk, "review": review.pk})
    initiative_transition(actor=actor, initiative=ini, to=Status.UNDER_REVIEW)
    initiative.status = Status.UNDER_REVIEW
    return review


def _open_review(review: Review) -> Review:
    locked = Review.objects.select_for_update().select_related(
        "council", "council__unit", "initiative", "subject").get(pk=review.pk)
    if not locked.is_open:
        raise ApplicationError("Hội đồng đã kết thúc xét sáng kiến này; không sửa phiếu được nữa.")
    return locked


@transaction.atomic
def votes_record(*, actor: Any, review: Review, votes: Mapping[int, str],
                 in_writing: Collection[int] = ()) -> list[Vote]:
    """Record (or correct) members' votes: {member_id: "dong_y" | "khong_dong_y" | "vang"}; an
    empty choice removes a vote. `in_writing`: members who sent a written opinion."""
    review = _open_review(review)
    require(actor, review.council.unit.path, "officer")
    subject = review.subject
    written = {int(m) for m in in_writing}
    ballots = [councils.BallotIn(subject_id=subject.pk, member_id=int(member_id),
                                 choice=choice or "", in_writing=int(member_id) in written)
               for member_id, choice in votes.items()]
    councils.votes_record(council=review.council, ballots=ballots)
    changes = {b.member_id: b.choice for b in ballots}
    audit_record(actor=actor, action="review.votes", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "votes": {str(k): v for k, v in changes.items()},
                        "in_writing": sorted(written & set(changes))})
    return list(subject.votes.all())


@transaction.atomic
def scores_record(*, actor: Any, review: Review, member: Member,
                  points: Mapping[int, Decimal | int | str | None]) -> list[Score]:
    """One member's scoring sheet: {criterion_id: points}; None or "" clears a line."""
    review = _open_review(review)
    require(actor, review.council.unit.path, "officer")
    if member.council_id != review.council_id:
        raise ApplicationError("Người chấm không phải thành viên Hội đồng.", field="scores")
    criteria = {c.pk: c for c in review.council.criteria.all()}
    existing = {s.criterion_id: s for s in review.scores.filter(member=member)}
    after: dict[str, Decimal | None] = {}
    for cid, raw in points.items():
        criterion = criteria.get(int(cid))
        if criterion is None:
            raise ApplicationError("Tiêu chí không có trong phiếu chấm của Hội đồng.",
                                   field="scores")
        score = existing.get(criterion.pk)
        if raw in (None, ""):
            if score is not None:
                score.delete()
            after[criterion.name] = None
            continue
        try:
            value = Decimal(str(raw).replace(",", "."))
        except InvalidOperation:
            raise ApplicationError(f"Điểm «{criterion.name}» không phải là số.",
                                   field="scores") from None
        if not value.is_finite() or value < 0 or value > criterion.max_points:
            raise ApplicationError(f"Điểm «{criterion.name}» phải từ 0 đến "
                                   f"{criterion.max_points}.", field="scores")
        value = value.quantize(Decimal("0.1"))
        if score is None:
            Score.objects.create(review=review, member=member, criterion=criterion, points=value)
        elif score.points != value:
            score.points = value
            score.save(update_fields=["points"])
        after[criterion.name] = value
    audit_record(actor=actor, action="review.scores", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "member": member.pk, "points": after})
    return list(review.scores.filter(member=member))


def council_threshold(council: Council) -> Threshold:
    """The threshold kept with the council (the one in force when it was set up)."""
    return councils.council_threshold(council) or Threshold(Fraction(DEFAULT_THRESHOLD),
                                                            source=THRESHOLD_SOURCE)


def tally(review: Review, *, members: int | None = None) -> Decision:
    """The council's vote on the initiative against its threshold. Counted against ALL members
    (a member who has not voted counts against); frozen once the review is closed. `members`:
    the council's size when the caller already knows it."""
    council = review.council
    if review.closed_at is not None:
        counts = counted(members=review.members_total, votes_for=review.votes_for,
                         votes_against=review.votes_against)
    else:
        counts = councils.subject_tally(
            review.subject, ballot=council.ballot,
            members=council.members.count() if members is None else members)
    return decide(counts, council_threshold(council))


def average_score(review: Review) -> Decimal | None:
    """The mean over members of each member's total, counting members who scored every line."""
    lines = review.council.criteria.count()
    totals: dict[int, list[Decimal]] = {}
    for member_id, points in review.scores.values_list("member_id", "points"):
        totals.setdefault(member_id, []).append(points)
    complete = [sum(v, Decimal(0)) for v in totals.values() if len(v) == lines]
    if not complete:
        return None
    return (sum(complete, Decimal(0)) / len(complete)).quantize(Decimal("0.01"))


@transaction.atomic
def review_close(*, actor: Any, review: Review, meeting_date: dt.date | None = None) -> Review:
    """End the vote and freeze its result. A rejection moves the initiative to «not
    recognised» at once; a pass waits for the decision (recognition_create)."""
    review = _open_review(review)
    require(actor, review.council.unit.path, "officer")
    result = tally(review)
    if not result.tally.cast:
        raise ApplicationError("Chưa có phiếu biểu quyết nào.", field="votes")
    review.members_total = result.tally.members
    review.votes_for = result.tally.votes_for
    review.votes_against = result.tally.votes_against
    review.average_score = average_score(review)
    review.outcome = Outcome.PASSED if result.passed else Outcome.FAILED
    review.closed_at = _now()
    if meeting_date is not None:
        review.meeting_date = meeting_date
    review.save()
    audit_record(actor=actor, action="review.close", object_type="initiative",
                 object_id=review.initiative_id, unit_id=review.initiative.unit_id,
                 after={"review": review.pk, "outcome": review.outcome,
                        "for": result.tally.votes_for, "against": result.tally.votes_against,
                        "members": result.tally.members, "threshold": result.threshold.fraction,
                        "average_score": review.average_score})
    if not result.passed:
        initiative_transition(actor=actor, initiative=review.initiative,
                              to=Status.NOT_RECOGNIZED,
                              reason=f"Hội đồng không thông qua: {result.explanation}.")
    return review


# --- recognition -------------------------------------------------------------------------------


@transaction.atomic
def recognition_create(
    *, actor: Any, initiative: Initiative, level: str, decided_on: dt.date, decision_no: str,
    issuer: str, year: int | None = None, certificate_no: str = "", scope_note: str = "",
) -> Recognition:
    """Record a recognition with its certificate. For an initiative under review, the council
    must have passed it and `level` is the council's; an initiative already recognised may be
    recognised at further levels (a district, the city's «Sáng kiến Thủ đô», a ministry…).
    Once per level."""
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    require(actor, ini.unit.path, "officer")
    if level not in Level.values:
        raise ApplicationError("Hãy chọn cấp công nhận.", field="level")
    decision_no = _text(decision_no, limit=80)
    issuer = _text(issuer, limit=255)
    if not decision_no:
        raise ApplicationError("Hãy ghi số quyết định công nhận.", field="decision_no")
    if not issuer:
        raise ApplicationError("Hãy ghi cơ quan, người ký quyết định công nhận.", field="issuer")
    if not isinstance(decided_on, dt.date):
        raise ApplicationError("Hãy ghi ngày quyết định.", field="decided_on")
    if decided_on > timezone.localdate():
        raise ApplicationError("Ngày quyết định không thể ở tương lai.", field="decided_on")
    year = _check_year(year if year is not None else decided_on.year)
    existing = ini.recognitions.filter(level=level).first()
    if existing is not None:
        raise ApplicationError(
            f"Sáng kiến đã được công nhận {Level(level).label.lower()} (quyết định số "
            f"{existing.decision_no} ngày {vn_date(existing.decided_on)}). Mỗi sáng kiến chỉ "
            "được công nhận một lần ở mỗi cấp.", field="level")
    review = None
    if ini.status == Status.UNDER_REVIEW:
        review = ini.reviews.select_related("council").order_by("-opened_at", "-id").first()
        if review is None or review.outcome != Outcome.PASSED:
            raise ApplicationError("Chỉ công nhận sáng kiến khi Hội đồng sáng kiến đã biểu quyết "
                                   "thông qua.", field="level")
        if review.council.level != level:
            raise ApplicationError(
                f"«{review.council.name}» xét công nhận "
                f"{Level(review.council.level).label.lower()}; hãy chọn đúng cấp đó.",
                field="level")
    elif ini.status != Status.RECOGNIZED:
        raise ApplicationError("Chỉ ghi công nhận cho sáng kiến đã được Hội đồng sáng kiến thông "
                               "qua.", field="level")
    try:
        with transaction.atomic():
            rec = Recognition.objects.create(
                initiative=ini, level=level, year=year, decided_on=decided_on,
                decision_no=decision_no, issuer=issuer,
                certificate_no=_text(certificate_no, limit=80),
                scope_note=_text(scope_note, multiline=True), review=review,
                created_by=_user(actor))
    except IntegrityError:
        raise ApplicationError("Sáng kiến đã được công nhận ở cấp này. Mỗi sáng kiến chỉ được "
                               "công nhận một lần ở mỗi cấp.", field="level") from None
    if not rec.certificate_no:
        rec.certificate_no = f"{rec.pk:05d}/GCN-SK"
        rec.save(update_fields=["certificate_no"])
    audit_record(actor=actor, action="initiative.recognize", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"recognition": rec.pk, "level": level, "year": year,
                        "decision": decision_no, "decided_on": decided_on, "issuer": issuer,
                        "certificate": rec.certificate_no})
    if ini.status == Status.UNDER_REVIEW:
        initiative_transition(actor=actor, initiative=ini, to=Status.RECOGNIZED)
    initiative.status = ini.status
    return rec


# --- uses in award dossiers --------------------------------------------------------------------


@dataclass
class UseResult:
    use: InitiativeUse
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def initiative_use_record(*, actor: Any, initiative: Initiative, kind: str, reference: str,
                          year: int, person: Person | None = None) -> UseResult:
    """Put a recognised initiative forward as the basis of an award. Công văn 5007/BNV-TĐKT
    (2023): an initiative is used once as a criterion for an award. A second commendation is
    refused; any other reuse (a title after anything, a commendation after a title) is recorded
    with a warning, because the rule's reach there is not settled (domain.md, design note 6)."""
    ini = Initiative.objects.select_for_update().select_related("unit").get(pk=initiative.pk)
    require(actor, ini.unit.path, "officer")
    if kind not in UseKind.values:
        raise ApplicationError("Hãy chọn sáng kiến dùng cho danh hiệu hay hình thức khen thưởng.",
                               field="kind")
    if ini.status != Status.RECOGNIZED:
        raise ApplicationError("Chỉ sáng kiến đã được công nhận mới làm căn cứ đề nghị khen "
                               "thưởng.", field="kind")
    reference = _text(reference, limit=255)
    if not reference:
        raise ApplicationError("Hãy ghi hồ sơ, hình thức khen thưởng sử dụng sáng kiến.",
                               field="reference")
    year = _check_year(year)
    if person is not None and not ini.authors.filter(person=person).exists():
        raise ApplicationError(f"{person.full_name} không phải tác giả của sáng kiến này.",
                               field="person")
    previous = list(ini.uses.order_by("year", "id"))
    warnings: list[str] = []
    if kind == UseKind.COMMENDATION:
        first = next((u for u in previous if u.kind == UseKind.COMMENDATION), None)
        if first is not None:
            raise ApplicationError(
                f"Sáng kiến này đã làm căn cứ cho «{first.reference}» (năm {first.year}). Một "
                "sáng kiến chỉ được dùng một lần khi đề nghị khen thưởng (Công văn "
                "5007/BNV-TĐKT năm 2023).", field="kind", extra={"used_for": first.pk})
    for u in previous:
        warnings.append(
            f"Sáng kiến này đã được dùng cho «{u.reference}» (năm {u.year}). Công văn "
            "5007/BNV-TĐKT: một sáng kiến chỉ được sử dụng một lần khi làm tiêu chuẩn đề nghị "
            "khen thưởng — hãy kiểm tra trước khi gửi hồ sơ.")
    try:
        with transaction.atomic():
            use = InitiativeUse.objects.create(
                initiative=ini, kind=kind, reference=reference, year=year, person=person,
                warning="\n".join(warnings), created_by=_user(actor))
    except IntegrityError:
        raise ApplicationError("Sáng kiến này đã làm căn cứ cho một hình thức khen thưởng khác.",
                               field="kind") from None
    audit_record(actor=actor, action="initiative.use", object_type="initiative",
                 object_id=ini.pk, unit_id=ini.unit_id,
                 after={"use": use.pk, "kind": kind, "reference": reference, "year": year,
                        "person": person.pk if person else None, "warnings": warnings})
    return UseResult(use, warnings)
