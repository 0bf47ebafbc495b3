"""Who may see and do what with an initiative.

Seeing: everyone with a grant over the initiative's unit (`restrict_initiatives`), plus its
authors (through their account) and whoever wrote the application (`own_q`); councils: grants
over the council's unit. Editing the application: while it is a draft, its writer, an author, or
an officer over the unit. Filing it: an officer over the unit, or a member for themself at their
own unit. Moving it through the council and recording recognitions and uses: officers over the
unit (over the council's unit for council work)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from thidua.accounts.models import Role as GrantRole
from thidua.councils.models import Council
from thidua.initiatives.models import Author, Initiative, Status
from thidua.org.models import Unit, alive_at
from thidua.org.permissions import can, require, restrict_queryset, scope_paths
from thidua.people.models import Employment
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import PermissionDeniedError

#: The grant that runs a unit's initiative work: files for its members, moves applications,
#: sets up councils, records votes, scores, recognitions and uses.
OFFICER = GrantRole.OFFICER
#: Once the council has concluded, the application and its evidence are closed.
DECIDED = (Status.RECOGNIZED, Status.NOT_RECOGNIZED)



def own_q(user: Visitor) -> Q:
    """Initiatives the user wrote or is an author of (members without grants see these)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    authored = Author.objects.filter(initiative=OuterRef("pk"), person__user=user)
    return Q(created_by=user) | Q(Exists(authored))


def restrict_initiatives(qs: QuerySet[Initiative], user: Actor) -> QuerySet[Initiative]:
    """`qs` cut to the initiatives of units in the user's subtrees, and the user's own."""
    return restrict_queryset(qs, user, also=lambda _paths: own_q(user))


def restrict_councils(qs: QuerySet[Council], user: Actor) -> QuerySet[Council]:
    """`qs` cut to the councils of units in the user's subtrees."""
    return restrict_queryset(qs, user)


def officer_paths(user: Actor) -> list[str]:
    """The subtrees where the user runs initiative work."""
    return scope_paths(user, OFFICER)



def is_officer_at(user: Actor, unit: Unit) -> bool:
    return can(user, unit.path, OFFICER)


def require_officer_at(user: Actor, unit: Unit) -> None:
    """PermissionDeniedError unless the user is an officer over `unit`."""
    require(user, unit.path, OFFICER)


def is_officer(user: Actor, initiative: Initiative) -> bool:
    return is_officer_at(user, initiative.unit)


def is_writer(user: Actor, initiative: Initiative) -> bool:
    return initiative.created_by_id is not None and initiative.created_by_id == user.pk


def is_author(user: Actor, initiative: Initiative) -> bool:
    if not user.is_authenticated:
        return False
    return initiative.authors.filter(person__user=user).exists()


def is_own(user: Actor, initiative: Initiative) -> bool:
    """The user wrote the application or is one of its authors."""
    return is_writer(user, initiative) or is_author(user, initiative)


def can_see_confidential(user: Actor, initiative: Initiative) -> bool:
    """The confidential part of the application: its own people and the unit's officers."""
    return is_officer(user, initiative) or is_own(user, initiative)


def can_edit(user: Actor, initiative: Initiative) -> bool:
    """The application itself may change only while it is a draft."""
    if initiative.status != Status.DRAFT:
        return False
    return (is_writer(user, initiative) or is_officer(user, initiative)
            or is_author(user, initiative))


def can_attach(user: Actor, initiative: Initiative) -> bool:
    """Evidence may still be added while the council has not decided."""
    if initiative.status in DECIDED:
        return False
    return (is_writer(user, initiative) or is_officer(user, initiative)
            or is_author(user, initiative))


def may_submit(initiative: Initiative, user: Actor) -> bool:
    """Submitting (the workflow's `who`): the application's own people or an officer."""
    return is_officer(user, initiative) or is_own(user, initiative)


def deny_step(actor: Actor, initiative: Initiative) -> None:
    """The refusal of a step the actor may not take: the usual one for a stranger, a named one
    for the application's own people."""
    if not is_own(actor, initiative):
        require_officer_at(actor, initiative.unit)
    raise PermissionDeniedError("Bước này do cán bộ công đoàn của đơn vị thực hiện.")


def require_may_file(actor: Actor, unit: Unit, authors: Sequence[Author]) -> None:
    """An officer files for the unit's members; a member files for themself, at their own unit
    (or one above it), as one of the authors."""
    if is_officer_at(actor, unit):
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


def is_council_officer(user: Actor, council: Council) -> bool:
    return is_officer_at(user, council.unit)


def require_council_officer(user: Actor, council: Council) -> None:
    """Council work (members, scoring sheet, reviews, votes, scores) is the council unit's
    officers'."""
    require_officer_at(user, council.unit)
