"""Who may do what in an evaluation year. A grant on a unit covers its subtree
(`thidua.org.permissions`); this module says which role each action takes, over which unit:

- seeing a unit's year, its review and results: a viewer of the unit;
- entering the year (ratings and facts, grading, titles from the rules, the review's list, its
  council and votes, its steps, corrections): an officer of the unit;
- rating a unit: an officer of the level above it (its parent; the root rates itself);
- a person's discipline and recognised initiatives: an officer of the person's unit;
- revoking a title: also an officer of the unit that decided it;
- closing a year (the lock): a leader of the unit.

Services call the `require_*` functions (NotFoundError when the unit is out of sight,
PermissionDeniedError when the role is too low); pages ask the `may_*` ones to show or hide
a control."""

from __future__ import annotations

from django.db.models import QuerySet

from thidua.accounts.models import Role
from thidua.evaluation.models import Review, TitleResult
from thidua.org.models import Unit
from thidua.org.permissions import can, require, restrict_queryset
from thidua.people.models import Person
from thidua.people.services import person_unit_path
from thidua.platform.actor import Actor, Visitor
from thidua.platform.workflow import Transition

VIEW = Role.VIEWER
ENTER = Role.OFFICER
LOCK = Role.LEADER
#: the minimum role to move a review from one step to the next (its transition table)
REVIEW_STEP = Role.OFFICER


def require_view(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, VIEW)


def require_entry(actor: Actor, unit: Unit) -> None:
    """Ratings, facts, grading, titles, the review's list and council, corrections."""
    require(actor, unit.path, ENTER)


def require_lock(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, LOCK)


def rater_path(unit: Unit) -> str:
    """A unit is rated by the level above it (its parent); the root rates itself."""
    parent: Unit | None = Unit.objects.get_parent(unit)
    return str(parent.path) if parent is not None else str(unit.path)


def require_rater(actor: Actor, unit: Unit) -> None:
    require(actor, rater_path(unit), ENTER)


def require_person_entry(actor: Actor, person: Person) -> None:
    """A person's own facts (discipline, initiatives) are entered by their unit's officers."""
    require(actor, person_unit_path(person), ENTER)


def may_view(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, VIEW)


def may_enter(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, ENTER)


def may_lock(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, LOCK)


def may_revoke(actor: Actor, result: TitleResult) -> bool:
    """A title is revoked only by someone who could have decided it."""
    return can(actor, result.unit.path, ENTER)


def may_step(actor: Actor, review: Review, role: str) -> bool:
    """The review workflow's question: does the actor hold `role` over the review's unit?"""
    return can(actor, review.unit.path, role)


def deny_step(actor: Actor, review: Review, transition: Transition[Review]) -> None:
    """The review workflow's refusal, with the same answers as `require`."""
    require(actor, review.unit.path, transition.role)


def reviews_for(user: Visitor) -> QuerySet[Review]:
    """Reviews of units in the user's subtrees."""
    return restrict_queryset(Review.objects.all(), user)
