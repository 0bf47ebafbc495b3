"""The one workflow engine: a record moves between states only along its transition table.

A `Workflow` holds the table (from-state, to-state, action, who may, what must hold, whether a
reason is required) for one model's state field. `allowed(obj, actor)` lists the steps the actor
may take from where the record stands; `apply(obj, action, actor=…, reason=…)` checks the step,
saves the new state with the old one in the UPDATE's WHERE (two people acting on the same record
at once: one wins, the other gets a message, nothing half-done), runs the step's effect, writes
one event row and one audit entry, all in one transaction.

Like Wagtail's WorkflowState, a record has one active workflow: its state field. The engine knows
no domain: who may act is asked of the app (`can(actor, obj, role)` or a transition's `who`),
the audit entry goes through the `audit` callable the app passes in, and the event row is the
app's own log (`record`) or, when it keeps none, `platform.TransitionEvent`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.models import TransitionEvent

M = TypeVar("M", bound=models.Model)

CONFLICT = ("Hồ sơ vừa được người khác chuyển sang bước khác; hãy tải lại trang để xem bước "
            "hiện tại.")


class AuditFn(Protocol):
    def __call__(self, *, actor: Actor | None, action: str, object_type: str, object_id: object = "",
                 unit_id: int | None = None, before: Any = None, after: Any = None) -> Any: ...


@dataclass(frozen=True)
class Transition(Generic[M]):
    """One step. `role`: the minimum role over the record's unit (asked of the workflow's
    `can`); `who`: a predicate instead of a role. `guard` returns a Vietnamese refusal, or None
    when the step may go ahead. `effect` does the step's own work once the state is claimed and
    returns data for the event and audit entry; `saves` lists the record's fields it sets that
    are written with the state."""

    source: str
    target: str
    action: str
    label: str
    role: str = ""
    who: Callable[[M, Any], bool] | None = None
    guard: Callable[[M, Any], str | None] | None = None
    reason_required: bool = False
    reason_hint: str = "lý do"
    effect: Callable[[M, Any, str], Mapping[str, Any] | None] | None = None
    saves: tuple[str, ...] = ()
    done: str = ""


@dataclass(frozen=True)
class Move(Generic[M]):
    """A step taken: what the event and audit hooks are given."""

    obj: M
    transition: Transition[M]
    actor: Actor | None
    reason: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.transition.source

    @property
    def target(self) -> str:
        return self.transition.target


def _allow_all(actor: Actor | None, obj: Any, role: str) -> bool:
    return True


def _deny(actor: Actor | None, obj: Any, transition: Transition[Any]) -> None:
    raise PermissionDeniedError("Bạn không có quyền thực hiện bước này.")


class Workflow(Generic[M]):
    """The transition table of `model.<state_field>` and the rules around it.

    - `labels`: the states' Vietnamese names (the model's choices).
    - `can(actor, obj, role)`: whether the actor holds `role` over the record.
    - `deny(actor, obj, transition)`: raises the refusal when the actor may not take a step
      (default: PermissionDeniedError); lets an app answer 404 to those who may not even see.
    - `unknown`: the refusal for a step that does not leave the current state, formatted with
      {source} and {target} labels.
    - `audit`, `object_type`, `unit_id(obj)`: the audit entry; `audit_action` fixes its action
      name (default "<object_type>.<action>").
    - `record(move)`: writes the app's own event row; without it, a TransitionEvent.
    - `min_reason`: the shortest reason accepted where one is required."""

    def __init__(
        self, *, name: str, model: type[M], transitions: Sequence[Transition[M]],
        labels: Mapping[str, str], object_type: str, state_field: str = "status",
        can: Callable[[Any, M, str], bool] = _allow_all,
        deny: Callable[[Any, M, Transition[M]], None] = _deny,
        unknown: str = "Không chuyển được từ bước «{source}» sang «{target}».",
        audit: AuditFn | None = None, audit_action: str = "",
        unit_id: Callable[[M], int | None] = lambda obj: None,
        record: Callable[[Move[M]], Any] | None = None, min_reason: int = 1,
    ) -> None:
        self.name = name
        self.model = model
        self.transitions = tuple(transitions)
        self.labels = dict(labels)
        self.object_type = object_type
        self.state_field = state_field
        self.can = can
        self.deny = deny
        self.unknown = unknown
        self.audit = audit
        self.audit_action = audit_action
        self.unit_id = unit_id
        self.record = record
        self.min_reason = min_reason
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            if (t.source, t.action) in seen:
                raise ValueError(f"{name}: action {t.action!r} twice from {t.source!r}")
            seen.add((t.source, t.action))
            for state in (t.source, t.target):
                if state not in self.labels:
                    raise ValueError(f"{name}: unknown state {state!r}")

    # --- reading the table ----------------------------------------------------------------

    def state(self, obj: M) -> str:
        return str(getattr(obj, self.state_field))

    def label(self, state: str) -> str:
        return self.labels.get(state, state)

    def find(self, source: str, action: str) -> Transition[M] | None:
        return next((t for t in self.transitions
                     if t.source == source and t.action == action), None)

    def action_to(self, source: str, target: str) -> str:
        """The action that goes from `source` to `target` ("" when none does)."""
        return next((t.action for t in self.transitions
                     if t.source == source and t.target == target), "")

    def by_action(self, action: str) -> list[Transition[M]]:
        return [t for t in self.transitions if t.action == action]

    def may(self, obj: M, actor: Actor | None, t: Transition[M]) -> bool:
        if t.who is not None:
            return t.who(obj, actor)
        return not t.role or self.can(actor, obj, t.role)

    def allowed(self, obj: M, actor: Actor | None, *, guards: bool = False) -> list[Transition[M]]:
        """The steps the actor may take from the record's state now; with `guards`, only those
        whose guard lets them through as well."""
        here = self.state(obj)
        out = []
        for t in self.transitions:
            if t.source != here or not self.may(obj, actor, t):
                continue
            if guards and t.guard is not None and t.guard(obj, actor) is not None:
                continue
            out.append(t)
        return out

    # --- taking a step ----------------------------------------------------------------------

    def apply(self, obj: M, action: str, *, actor: Actor | None, reason: str = "") -> Move[M]:
        """Take step `action` from the state `obj` is in (the state the actor saw). Refused
        with ApplicationError (PermissionDeniedError for the actor's role) and nothing written:
        no such step from here, the actor may not, a required reason is missing, the guard
        says no, or someone else moved the record first."""
        with transaction.atomic():
            return self._apply(obj, action, actor=actor, reason=reason)

    def _apply(self, obj: M, action: str, *, actor: Actor | None, reason: str) -> Move[M]:
        before = self.state(obj)
        t = self.find(before, action)
        if t is None:
            targets = [x.target for x in self.by_action(action)]
            target = self.label(targets[0]) if targets else action
            raise ApplicationError(self.unknown.format(source=self.label(before), target=target),
                                   field=self.state_field)
        if not self.may(obj, actor, t):
            self.deny(actor, obj, t)
            raise PermissionDeniedError("Bạn không có quyền thực hiện bước này.")
        reason = (reason or "").replace("\r\n", "\n").strip()
        if t.reason_required and len(reason) < self.min_reason:
            more = f" (ít nhất {self.min_reason} ký tự)" if self.min_reason > 1 else ""
            raise ApplicationError(f"Hãy ghi {t.reason_hint}{more}.", field="reason")
        if t.guard is not None:
            refusal = t.guard(obj, actor)
            if refusal:
                raise ApplicationError(refusal, field=self.state_field)
        claimed = (type(obj)._default_manager.filter(pk=obj.pk, **{self.state_field: before})
                   .update(**{self.state_field: t.target}))
        if claimed != 1:
            raise ApplicationError(CONFLICT, field=self.state_field)
        setattr(obj, self.state_field, t.target)
        data = dict(t.effect(obj, actor, reason) or {}) if t.effect is not None else {}
        if t.saves:
            obj.save(update_fields=list(t.saves))
        move = Move(obj, t, actor, reason, data)
        self._record(move)
        if self.audit is not None:
            self.audit(actor=actor, action=self.audit_action or f"{self.object_type}.{t.action}",
                       object_type=self.object_type, object_id=obj.pk, unit_id=self.unit_id(obj),
                       before={self.state_field: before},
                       after={self.state_field: t.target, "action": t.action,
                              **({"reason": reason} if reason else {}), **data})
        return move

    def _record(self, move: Move[M]) -> None:
        if self.record is not None:
            self.record(move)
            return
        actor = move.actor if getattr(move.actor, "is_authenticated", False) else None
        TransitionEvent.objects.create(
            content_type=ContentType.objects.get_for_model(type(move.obj)),
            object_id=str(move.obj.pk), workflow=self.name, action=move.transition.action,
            from_state=move.source, to_state=move.target, reason=move.reason,
            data=_jsonable(move.data), actor=actor)

    def history(self, obj: M) -> list[TransitionEvent]:
        """The steps recorded as TransitionEvent rows for `obj`, oldest first."""
        return list(TransitionEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk),
            workflow=self.name).select_related("actor").order_by("at", "id"))


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        out[key] = value if isinstance(value, str | int | float | bool | list | dict
                                       | type(None)) else str(value)
    return out
