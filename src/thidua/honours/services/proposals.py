"""Building a proposal: open it, put people and units on it (one by one, or from the year's
titles), attach the dossier. Only a draft changes; the steps after it are the workflow's
(`services.workflow`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from thidua.audit.services import audit_record
from thidua.evaluation.models import TitleResult
from thidua.honours import catalogue
from thidua.honours.checks import candidate_checks
from thidua.honours.models import (
    Candidate,
    Deadline,
    DossierItem,
    DossierKind,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from thidua.honours.permissions import require_issuer, require_sender
from thidua.initiatives.models import Initiative
from thidua.initiatives.models import Status as InitiativeStatus
from thidua.org.models import Unit
from thidua.org.selectors import award_issuers, parent_of
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import FileRules, remove_stored, store_upload
from thidua.platform.text import clean_spaces, vn_date
from thidua.rules.awards import AwardForm

DOSSIER_FILES = FileRules(folder="honours", kinds=("pdf", "docx", "jpg", "png"))
MAX_ACHIEVEMENT = 4000


def _user(actor: Actor) -> Any:
    return actor if getattr(actor, "pk", None) else None


def recipient_choices(unit: Unit, day: dt.date) -> list[Unit]:
    """Where a unit sends a proposal: the level above it, the issuers it reports to on an award
    line (CĐVC Hà Nội → CĐVC Việt Nam), and itself for the forms it issues."""
    out: list[Unit] = []
    parent = parent_of(unit)
    if parent is not None:
        out.append(parent)
    ancestors = {u.pk for u in award_issuers(parent, day)} if parent is not None else set()
    for issuer in award_issuers(unit, day):
        if issuer.pk not in ancestors and all(issuer.pk != u.pk for u in out):
            out.append(issuer)
    if catalogue.forms_for_issuer(unit.type, day):
        out.append(unit)
    return out


def forms_for_proposal(recipient: Unit, day: dt.date) -> list[AwardForm]:
    """The forms the recipient decides, then those it carries further up."""
    seen: dict[str, AwardForm] = {}
    for f in catalogue.forms_for_issuer(recipient.type, day):
        seen.setdefault(f.code, f)
    for issuer in award_issuers(recipient, day):
        for f in catalogue.forms_for_issuer(issuer.type, day):
            seen.setdefault(f.code, f)
    for f in catalogue.forms_proposed_by(recipient.type, day):
        seen.setdefault(f.code, f)
    return list(seen.values())


def _form_or_error(code: str, day: dt.date) -> AwardForm:
    try:
        f = catalogue.form(code)
    except KeyError:
        raise ApplicationError("Hãy chọn hình thức khen thưởng trong danh mục.",
                               field="form") from None
    if not f.in_force(day):
        raise ApplicationError(f"«{f.name}» không còn áp dụng vào ngày {vn_date(day)}.",
                               field="form")
    return f


def _editable(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.DRAFT:
        raise ApplicationError(
            f"Hồ sơ đang ở bước «{proposal.get_status_display()}»: chỉ sửa được hồ sơ dự thảo.",
            field="status")


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("unit", "recipient").get(
        pk=proposal.pk)


@transaction.atomic
def proposal_create(*, actor: Actor, unit: Unit, recipient: Unit, year: int, kind: str,
                    form: str, topic: str = "", title: str = "", signer_name: str = "",
                    signer_title: str = "", forwarded_from: Proposal | None = None
                    ) -> Proposal:
    """A draft proposal from `unit` to `recipient` for `form`. Refused: a recipient the unit
    does not report to, a form the recipient neither decides nor carries up, a topical
    proposal without its topic."""
    require_sender(actor, unit)
    if kind not in ProposalKind.values:
        raise ApplicationError("Hãy chọn loại khen thưởng (tổng kết năm, chuyên đề, đột xuất).",
                               field="kind")
    today = dt.date.today()
    if not 2000 <= year <= today.year + 1:
        raise ApplicationError(f"Năm khen thưởng phải từ 2000 đến {today.year + 1}.",
                               field="year")
    day = min(today, dt.date(year + 1, 12, 31))
    if forwarded_from is None and recipient.pk not in {u.pk for u in
                                                       recipient_choices(unit, day)}:
        raise ApplicationError(f"{unit.name} không gửi hồ sơ khen thưởng đến {recipient.name}.",
                               field="recipient")
    f = _form_or_error(form, day)
    if f.code not in {x.code for x in forms_for_proposal(recipient, day)}:
        raise ApplicationError(f"{recipient.name} không xét, không trình «{f.name}».",
                               field="form")
    topic = clean_spaces(topic)[:255]
    if kind != ProposalKind.NAM and not topic:
        raise ApplicationError("Hãy ghi chủ đề (khen chuyên đề) hoặc sự việc (khen đột xuất).",
                               field="topic")
    title = clean_spaces(title)[:255] or (
        f"Đề nghị tặng {f.name} năm {year}" + (f" — {topic}" if topic else ""))
    proposal = Proposal.objects.create(
        unit=unit, recipient=recipient, year=year, kind=kind, form=f.code, topic=topic,
        title=title, signer_name=clean_spaces(signer_name)[:150],
        signer_title=clean_spaces(signer_title)[:150], forwarded_from=forwarded_from,
        created_by=_user(actor))
    audit_record(actor=actor, action="proposal.create", object_type="proposal",
                 object_id=proposal.pk, unit_id=unit.pk,
                 after={"recipient": recipient.pk, "year": year, "kind": kind, "form": f.code,
                        "topic": topic, "forwarded_from": forwarded_from.pk
                        if forwarded_from else None})
    return proposal


@transaction.atomic
def proposal_update(*, actor: Actor, proposal: Proposal, title: str, topic: str = "",
                    signer_name: str = "", signer_title: str = "") -> Proposal:
    proposal = _locked(proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    before = {"title": proposal.title, "topic": proposal.topic}
    title = clean_spaces(title)[:255]
    if not title:
        raise ApplicationError("Hãy ghi trích yếu của hồ sơ.", field="title")
    proposal.title, proposal.topic = title, clean_spaces(topic)[:255]
    proposal.signer_name = clean_spaces(signer_name)[:150]
    proposal.signer_title = clean_spaces(signer_title)[:150]
    proposal.save(update_fields=["title", "topic", "signer_name", "signer_title"])
    audit_record(actor=actor, action="proposal.update", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id, before=before,
                 after={"title": proposal.title, "topic": proposal.topic})
    return proposal


def _candidate_name(person: Person | None, unit: Unit | None) -> str:
    return person.full_name if person is not None else (unit.name if unit else "")


def _new_candidate(proposal: Proposal, *, person: Person | None, subject_unit: Unit | None,
                   achievement: str, basis_title: str, position: str,
                   initiative: Initiative | None, order: int,
                   origin: Candidate | None = None) -> Candidate:
    achievement = (achievement or "").replace("\r\n", "\n").strip()
    if len(achievement) > MAX_ACHIEVEMENT:
        raise ApplicationError("Tóm tắt thành tích tối đa 4.000 ký tự; chi tiết để trong báo cáo "
                               "thành tích.", field="achievement")
    checks = candidate_checks(proposal=proposal, person_id=person.pk if person else None,
                              unit_id=subject_unit.pk if subject_unit else None,
                              basis_title=basis_title)
    return Candidate(proposal=proposal, person=person, subject_unit=subject_unit,
                     display_name=_candidate_name(person, subject_unit),
                     position=clean_spaces(position)[:255] or (
                         person.position if person is not None else ""),
                     achievement=achievement, basis_title=basis_title, checks=checks,
                     initiative=initiative, order=order, origin=origin)


def _check_recipient_kind(proposal: Proposal, *, person: Person | None) -> None:
    f = catalogue.form(proposal.form)
    wanted = "ca_nhan" if person is not None else "tap_the"
    if wanted not in f.recipients:
        who = "cá nhân" if person is not None else "tập thể"
        raise ApplicationError(f"«{f.name}» không tặng cho {who}.", field="person")


def _check_initiative(initiative: Initiative | None, person: Person | None) -> None:
    if initiative is None:
        return
    if initiative.status != InitiativeStatus.RECOGNIZED:
        raise ApplicationError("Chỉ sáng kiến đã được công nhận mới làm căn cứ đề nghị khen "
                               "thưởng.", field="initiative")
    if person is not None and not initiative.authors.filter(person=person).exists():
        raise ApplicationError(f"{person.full_name} không phải tác giả của sáng kiến này.",
                               field="initiative")
    used = (Candidate.objects.filter(initiative=initiative, origin__isnull=True)
            .exclude(proposal__status__in=(ProposalStatus.REFUSED,))
            .exclude(passed=False).select_related("proposal").first())
    if used is not None or initiative.uses.filter(kind="commendation").exists():
        where = f"«{used.proposal.title}»" if used is not None else "một hồ sơ khen thưởng khác"
        raise ApplicationError(
            f"Sáng kiến này đã làm căn cứ cho {where}. Một sáng kiến chỉ được dùng một lần khi "
            "đề nghị khen thưởng (Công văn 5007/BNV-TĐKT năm 2023).", field="initiative")


@transaction.atomic
def candidate_add(*, actor: Actor, proposal: Proposal, person: Person | None = None,
                  subject_unit: Unit | None = None, achievement: str = "",
                  basis_title: str = "", position: str = "",
                  initiative: Initiative | None = None) -> Candidate:
    """Put one person or one unit on a draft proposal, with the checks of the day."""
    proposal = _locked(proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    if (person is None) == (subject_unit is None):
        raise ApplicationError("Hãy chọn một người hoặc một tập thể.", field="person")
    _check_recipient_kind(proposal, person=person)
    if subject_unit is not None and not subject_unit.path.startswith(proposal.unit.path):
        raise ApplicationError("Tập thể được đề nghị phải thuộc đơn vị đề nghị.",
                               field="subject_unit")
    _check_initiative(initiative, person)
    order = (proposal.candidates.aggregate(m=Max("order"))["m"] or 0) + 1
    candidate = _new_candidate(proposal, person=person, subject_unit=subject_unit,
                               achievement=achievement, basis_title=basis_title,
                               position=position, initiative=initiative, order=order)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise ApplicationError(f"{candidate.display_name} đã có trong hồ sơ này.",
                               field="person") from None
    audit_record(actor=actor, action="proposal.candidate_add", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id,
                 after={"candidate": candidate.pk, "name": candidate.display_name,
                        "initiative": initiative.pk if initiative else None,
                        "checks": candidate.checks})
    return candidate


@transaction.atomic
def candidates_from_titles(*, actor: Actor, proposal: Proposal, titles: Sequence[str],
                           achievement: str = "") -> list[Candidate]:
    """Everyone in the sending unit's subtree holding one of `titles` for the proposal's year
    (not revoked), who is not on the proposal yet; in one insert."""
    proposal = _locked(proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    if not titles:
        raise ApplicationError("Hãy chọn danh hiệu làm căn cứ.", field="titles")
    f = catalogue.form(proposal.form)
    rows = (TitleResult.objects.filter(year=proposal.year, title__in=list(titles), revoked=False,
                                       unit__path__startswith=proposal.unit.path)
            .select_related("person", "subject_unit").order_by("title", "id"))
    have_people = set(proposal.candidates.filter(person__isnull=False)
                      .values_list("person_id", flat=True))
    have_units = set(proposal.candidates.filter(subject_unit__isnull=False)
                     .values_list("subject_unit_id", flat=True))
    order = proposal.candidates.aggregate(m=Max("order"))["m"] or 0
    new: list[Candidate] = []
    for r in rows:
        if r.person_id is not None:
            if "ca_nhan" not in f.recipients or r.person_id in have_people:
                continue
            have_people.add(r.person_id)
        else:
            if "tap_the" not in f.recipients or r.subject_unit_id in have_units:
                continue
            have_units.add(r.subject_unit_id or 0)
        order += 1
        new.append(_new_candidate(proposal, person=r.person, subject_unit=r.subject_unit,
                                  achievement=achievement, basis_title=r.title, position="",
                                  initiative=None, order=order))
    Candidate.objects.bulk_create(new, batch_size=500)
    audit_record(actor=actor, action="proposal.candidates_from_titles", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id,
                 after={"titles": list(titles), "added": len(new)})
    return new


@transaction.atomic
def candidate_update(*, actor: Actor, candidate: Candidate, achievement: str,
                     position: str = "") -> Candidate:
    proposal = _locked(candidate.proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    before = {"achievement": candidate.achievement, "position": candidate.position}
    achievement = (achievement or "").replace("\r\n", "\n").strip()
    if len(achievement) > MAX_ACHIEVEMENT:
        raise ApplicationError("Tóm tắt thành tích tối đa 4.000 ký tự.", field="achievement")
    candidate.achievement = achievement
    candidate.position = clean_spaces(position)[:255] or candidate.position
    candidate.save(update_fields=["achievement", "position"])
    audit_record(actor=actor, action="proposal.candidate_update", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id, before=before,
                 after={"candidate": candidate.pk, "achievement": candidate.achievement})
    return candidate


@transaction.atomic
def candidate_remove(*, actor: Actor, candidate: Candidate) -> None:
    proposal = _locked(candidate.proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    name = candidate.display_name
    DossierItem.objects.filter(candidate=candidate).delete()
    candidate.delete()
    audit_record(actor=actor, action="proposal.candidate_remove", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id, before={"name": name})


@transaction.atomic
def dossier_attach(*, actor: Actor, proposal: Proposal, kind: str, upload: Any,
                   candidate: Candidate | None = None) -> DossierItem:
    """Attach a file to a draft's dossier (a signed scan, evidence). The file's bytes are
    checked (PDF, Word, JPG, PNG) before it reaches the storage."""
    proposal = _locked(proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    if kind not in DossierKind.values:
        raise ApplicationError("Hãy chọn loại tài liệu.", field="kind")
    if candidate is not None and candidate.proposal_id != proposal.pk:
        raise ApplicationError("Người, tập thể được chọn không có trong hồ sơ này.",
                               field="candidate")
    stored = store_upload(upload, DOSSIER_FILES)
    try:
        item = DossierItem.objects.create(
            proposal=proposal, candidate=candidate, kind=kind, file=stored.name,
            original_name=stored.original_name, file_kind=stored.kind, size=stored.size,
            sha256=stored.sha256, uploaded_by=_user(actor))
    except Exception:
        remove_stored(stored.name)
        raise
    audit_record(actor=actor, action="proposal.dossier_attach", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id,
                 after={"item": item.pk, "kind": kind, "name": item.original_name,
                        "sha256": item.sha256})
    return item


@transaction.atomic
def dossier_remove(*, actor: Actor, item: DossierItem) -> None:
    proposal = _locked(item.proposal)
    require_sender(actor, proposal.unit)
    _editable(proposal)
    name, stored = item.original_name, str(item.file.name)
    item.delete()
    transaction.on_commit(lambda: remove_stored(stored))
    audit_record(actor=actor, action="proposal.dossier_remove", object_type="proposal",
                 object_id=proposal.pk, unit_id=proposal.unit_id, before={"name": name})


@transaction.atomic
def deadline_set(*, actor: Actor, recipient: Unit, year: int, kind: str, last_day: dt.date,
                 note: str = "") -> Deadline:
    """The receiving level's last day for proposals of `kind` in `year`."""
    require_issuer(actor, recipient)
    if kind not in ProposalKind.values:
        raise ApplicationError("Hãy chọn loại khen thưởng.", field="kind")
    if last_day.year < year:
        raise ApplicationError("Hạn nộp không thể trước năm khen thưởng.", field="last_day")
    row, created = Deadline.objects.update_or_create(
        recipient=recipient, year=year, kind=kind,
        defaults={"last_day": last_day, "note": clean_spaces(note)[:255]})
    audit_record(actor=actor, action="proposal.deadline_set", object_type="unit",
                 object_id=recipient.pk, unit_id=recipient.pk,
                 after={"year": year, "kind": kind, "last_day": last_day.isoformat(),
                        "created": created})
    return row
