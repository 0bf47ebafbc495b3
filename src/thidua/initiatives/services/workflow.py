"""The workflow of an application, as one table on the platform's engine (WORKFLOW) and one
guard (`initiative_transition`): draft → submitted → under review → recognised / not recognised,
with "return for completion" from submitted back to draft."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from thidua.audit.services import audit_record
from thidua.initiatives import novelty
from thidua.initiatives.models import Author, Initiative, Outcome, Review, Status, StatusChange
from thidua.initiatives.permissions import OFFICER, deny_step, may_submit
from thidua.initiatives.services._common import HUNDRED, now, percent_text
from thidua.initiatives.services.applications import REQUIRED
from thidua.org.permissions import can
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import fold, user_display_name, vn_date
from thidua.platform.workflow import Move, Transition, Workflow


def _incomplete(ini: Initiative, actor: Actor) -> str | None:
    authors = list(ini.authors.all())
    if not authors:
        raise ApplicationError("Đơn chưa có tác giả.", field="authors")
    total = sum((a.contribution for a in authors), Decimal(0))
    if total != HUNDRED:
        raise ApplicationError(
            "Tổng tỷ lệ đóng góp của các tác giả phải đúng 100% "
            f"(đang là {percent_text(total)}).", field="authors")
    for key, message in REQUIRED.items():
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


def _no_open_review(ini: Initiative, actor: Actor) -> str | None:
    review = _latest(ini)
    if review is None or not review.is_open:
        return "Hãy chọn Hội đồng sáng kiến xét đơn này."
    return None


def _not_passed(ini: Initiative, actor: Actor) -> str | None:
    review = _latest(ini)
    if review is None or review.outcome != Outcome.PASSED:
        return "Chỉ công nhận sáng kiến khi Hội đồng sáng kiến đã biểu quyết thông qua."
    return None


def _not_decided(ini: Initiative, actor: Actor) -> str | None:
    review = _latest(ini)
    if review is None or review.is_open:
        return "Hội đồng sáng kiến chưa kết thúc biểu quyết đơn này."
    return None


def _submitted(ini: Initiative, actor: Actor, reason: str) -> dict[str, Any]:
    ini.submitted_at = now()
    return {}


def _deny(actor: Actor, ini: Initiative, t: Transition[Initiative]) -> None:
    deny_step(actor, ini)


def _record_change(move: Move[Initiative]) -> None:
    user: Actor | None = move.actor if getattr(move.actor, "is_authenticated", False) else None
    StatusChange.objects.create(
        initiative=move.obj, from_status=move.source, to_status=move.target, reason=move.reason,
        actor=user, actor_name=user_display_name(user), at=now())


WORKFLOW: Workflow[Initiative] = Workflow(
    name="initiative", model=Initiative, labels=dict(Status.choices), object_type="initiative",
    transitions=[
        Transition(Status.DRAFT, Status.SUBMITTED, "submit", "Nộp đơn",
                   who=may_submit, guard=_incomplete, effect=_submitted,
                   saves=("submitted_at", "updated_at"),
                   done="Đã nộp đơn yêu cầu công nhận sáng kiến."),
        Transition(Status.SUBMITTED, Status.DRAFT, "return", "Trả lại để bổ sung",
                   role=OFFICER, reason_required=True, saves=("updated_at",),
                   done="Đã trả lại đơn để tác giả bổ sung."),
        Transition(Status.SUBMITTED, Status.UNDER_REVIEW, "review", "Chuyển Hội đồng xét",
                   role=OFFICER, guard=_no_open_review, saves=("updated_at",),
                   done="Đã chuyển đơn cho Hội đồng sáng kiến."),
        Transition(Status.UNDER_REVIEW, Status.RECOGNIZED, "recognize", "Công nhận sáng kiến",
                   role=OFFICER, guard=_not_passed, saves=("updated_at",),
                   done="Đã ghi quyết định công nhận sáng kiến."),
        Transition(Status.UNDER_REVIEW, Status.NOT_RECOGNIZED, "reject", "Không công nhận",
                   role=OFFICER, reason_required=True, guard=_not_decided,
                   saves=("updated_at",), done="Đã ghi kết luận không công nhận sáng kiến."),
    ],
    can=lambda user, ini, role: can(user, ini.unit.path, role), deny=_deny,
    unknown="Không thể chuyển đơn từ «{source}» sang «{target}».",
    audit=audit_record, unit_id=lambda ini: ini.unit_id, record=_record_change,
)


def allowed_transitions(user: Actor, ini: Initiative) -> list[Transition[Initiative]]:
    """The moves the user may try from the current status (the guard still decides)."""
    return WORKFLOW.allowed(ini, user)


@transaction.atomic
def initiative_transition(*, actor: Actor, initiative: Initiative, to: str,
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
    # every step enters, leaves or stays in the novelty index: each process applies the delta
    novelty.record_changes([ini.pk])
    initiative.status = ini.status
    initiative.submitted_at = ini.submitted_at
    return ini

