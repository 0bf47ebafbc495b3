"""The workflow engine on a record of its own (a ticket: new → open → closed, reopen with a
reason): the steps an actor may take, the refusals, the reason, two people racing, and the one
event row and audit entry of each step."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models

from thidua.platform.errors import ApplicationError, PermissionDeniedError
from thidua.platform.models import TransitionEvent
from thidua.platform.workflow import CONFLICT, Move, Transition, Workflow


class Ticket(models.Model):
    status = models.CharField(max_length=10, default="new")
    title = models.CharField(max_length=50, default="")
    closed_note = models.CharField(max_length=50, blank=True)

    class Meta:
        app_label = "platform"

    def __str__(self) -> str:
        return self.title


@pytest.fixture(scope="module", autouse=True)
def ticket_table(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The test model's table, made outside the tests' transactions."""
    with django_db_blocker.unblock():
        if Ticket._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Ticket)
        yield
        with connection.schema_editor() as editor:
            editor.delete_model(Ticket)


@pytest.fixture(autouse=True)
def fresh_content_types() -> Any:
    """The test model's content type is made inside each test's transaction: forget it after."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


STATES = {"new": "Mới", "open": "Đang xử lý", "closed": "Đã đóng"}
ROLES = {"viewer": 0, "officer": 1, "leader": 2}


class Actor:
    """An actor with one role; `pk` and `is_authenticated` as a user has them."""

    def __init__(self, role: str) -> None:
        self.role, self.pk, self.is_authenticated = role, None, False

    def __str__(self) -> str:
        return self.role


def _can(actor: Any, ticket: Ticket, role: str) -> bool:
    return ROLES[actor.role] >= ROLES[role]


def _has_title(ticket: Ticket, actor: Any) -> str | None:
    return None if ticket.title else "Phiếu chưa có tiêu đề."


def _close(ticket: Ticket, actor: Any, reason: str) -> dict[str, Any]:
    ticket.closed_note = f"đóng bởi {actor}"
    return {"note": ticket.closed_note}


def workflow(audit: list[dict[str, Any]], record: Any = None) -> Workflow[Ticket]:
    return Workflow(
        name="ticket", model=Ticket, labels=STATES, object_type="ticket",
        transitions=[
            Transition("new", "open", "open", "Mở", role="officer", guard=_has_title),
            Transition("open", "closed", "close", "Đóng", role="leader", effect=_close,
                       saves=("closed_note",)),
            Transition("closed", "open", "reopen", "Mở lại", role="officer",
                       reason_required=True, reason_hint="lý do mở lại"),
            Transition("open", "new", "back", "Trả lại", who=lambda t, a: a.role == "viewer"),
        ],
        can=_can, audit=lambda **entry: audit.append(entry), record=record, min_reason=5,
    )


OFFICER, LEADER, VIEWER = Actor("officer"), Actor("leader"), Actor("viewer")


def test_allowed_lists_the_steps_the_actor_may_take_from_here(db):
    wf = workflow([])
    ticket = Ticket.objects.create(status="open", title="Máy in hỏng")
    assert [t.action for t in wf.allowed(ticket, LEADER)] == ["close"]
    assert [t.action for t in wf.allowed(ticket, OFFICER)] == []
    assert [t.action for t in wf.allowed(ticket, VIEWER)] == ["back"]  # the `who` predicate
    untitled = Ticket.objects.create(status="new")
    assert [t.action for t in wf.allowed(untitled, OFFICER)] == ["open"]
    assert wf.allowed(untitled, OFFICER, guards=True) == []


def test_a_step_that_does_not_leave_the_state_is_refused_in_vietnamese(db):
    wf = workflow([])
    ticket = Ticket.objects.create(status="new", title="Máy in hỏng")
    with pytest.raises(ApplicationError, match="Không chuyển được từ bước «Mới» sang «Đã đóng»"):
        wf.apply(ticket, "close", actor=LEADER)
    with pytest.raises(ApplicationError, match="sang «nhảy»"):
        wf.apply(ticket, "nhảy", actor=LEADER)
    assert Ticket.objects.get().status == "new" and not TransitionEvent.objects.exists()


def test_the_role_the_predicate_and_the_guard_refuse_with_their_reasons(db):
    audit: list[dict[str, Any]] = []
    wf = workflow(audit)
    ticket = Ticket.objects.create(status="new")
    with pytest.raises(PermissionDeniedError):
        wf.apply(ticket, "open", actor=VIEWER)
    with pytest.raises(ApplicationError, match="Phiếu chưa có tiêu đề.") as exc:
        wf.apply(ticket, "open", actor=OFFICER)
    assert not isinstance(exc.value, PermissionDeniedError) and exc.value.field == "status"
    opened = Ticket.objects.create(status="open", title="x")
    with pytest.raises(PermissionDeniedError):
        wf.apply(opened, "back", actor=LEADER)
    assert not audit and Ticket.objects.filter(status="new").count() == 1


def test_a_required_reason_must_be_long_enough(db):
    wf = workflow([])
    ticket = Ticket.objects.create(status="closed", title="Máy in hỏng")
    with pytest.raises(ApplicationError, match=r"Hãy ghi lý do mở lại \(ít nhất 5 ký tự\)\."):
        wf.apply(ticket, "reopen", actor=OFFICER, reason="  ab ")
    move = wf.apply(ticket, "reopen", actor=OFFICER, reason="  Máy in lại hỏng \r\n")
    assert move.reason == "Máy in lại hỏng" and Ticket.objects.get().status == "open"


def test_a_step_writes_the_state_its_effect_one_event_row_and_one_audit_entry(db):
    audit: list[dict[str, Any]] = []
    wf = workflow(audit)
    ticket = Ticket.objects.create(status="open", title="Máy in hỏng")
    move = wf.apply(ticket, "close", actor=LEADER)
    assert (move.source, move.target, move.data) == ("open", "closed", {"note": "đóng bởi leader"})
    stored = Ticket.objects.get()
    assert (stored.status, stored.closed_note) == ("closed", "đóng bởi leader")
    event = TransitionEvent.objects.get()
    assert (event.workflow, event.action, event.from_state, event.to_state) == (
        "ticket", "close", "open", "closed")
    assert event.content_type == ContentType.objects.get_for_model(Ticket)
    assert event.object_id == str(ticket.pk) and event.data == {"note": "đóng bởi leader"}
    assert wf.history(ticket) == [event]
    assert audit == [{"actor": LEADER, "action": "ticket.close", "object_type": "ticket",
                      "object_id": ticket.pk, "unit_id": None, "before": {"status": "open"},
                      "after": {"status": "closed", "action": "close",
                                "note": "đóng bởi leader"}}]


def test_an_app_may_keep_its_own_event_row(db):
    recorded: list[Move[Ticket]] = []
    wf = workflow([], record=recorded.append)
    ticket = Ticket.objects.create(status="open", title="Máy in hỏng")
    wf.apply(ticket, "close", actor=LEADER)
    assert [m.transition.action for m in recorded] == ["close"]
    assert not TransitionEvent.objects.exists()


def test_a_failing_effect_leaves_nothing_behind(db):
    def broken(ticket: Ticket, actor: Any, reason: str) -> dict[str, Any]:
        raise ApplicationError("Không đóng được.")

    audit: list[dict[str, Any]] = []
    wf = workflow(audit)
    wf.transitions = (Transition("open", "closed", "close", "Đóng", effect=broken),)
    ticket = Ticket.objects.create(status="open", title="Máy in hỏng")
    with pytest.raises(ApplicationError, match="Không đóng được."):
        wf.apply(ticket, "close", actor=LEADER)
    assert Ticket.objects.get().status == "open"
    assert not audit and not TransitionEvent.objects.exists()


def test_two_people_acting_on_what_they_saw_exactly_one_wins(db):
    """Both loaded the ticket while it was open; the second finds the state changed under it."""
    audit: list[dict[str, Any]] = []
    wf = workflow(audit)
    Ticket.objects.create(status="open", title="Máy in hỏng")
    first, second = Ticket.objects.get(), Ticket.objects.get()
    wf.apply(first, "close", actor=LEADER)
    with pytest.raises(ApplicationError) as exc:
        wf.apply(second, "back", actor=VIEWER)
    assert exc.value.message == CONFLICT
    assert Ticket.objects.get().status == "closed"
    assert TransitionEvent.objects.count() == 1 and len(audit) == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_transactions_exactly_one_wins():
    """Two connections take the same step at the same moment (PostgreSQL: real row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need a server database")
    audit: list[dict[str, Any]] = []
    wf = workflow(audit)
    pk = Ticket.objects.create(status="open", title="Máy in hỏng").pk
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            ticket = Ticket.objects.get(pk=pk)
            barrier.wait()
            wf.apply(ticket, "close", actor=LEADER)
            outcomes.append("won")
        except ApplicationError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted(["won", CONFLICT])
    assert TransitionEvent.objects.filter(object_id=str(pk)).count() == 1 and len(audit) == 1
