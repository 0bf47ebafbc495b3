"""Who may see and do what with an initiative.

Seeing: everyone with a grant over the initiative's unit (`restrict_queryset`), plus its authors
(through their account) and whoever wrote the application (`own_q`). Editing the application:
while it is a draft, its writer, an author, or an officer over the unit. Moving it through the council and recording
recognitions and uses: officers over the unit (over the council's unit for council work)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from thidua.initiatives.models import Author, Initiative, Status
from thidua.org.permissions import can


def own_q(user: Any) -> Q:
    """Initiatives the user wrote or is an author of (members without grants see these)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    authored = Author.objects.filter(initiative=OuterRef("pk"), person__user=user)
    return Q(created_by=user) | Q(Exists(authored))


def is_author(user: Any, initiative: Initiative) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return initiative.authors.filter(person__user=user).exists()


def is_officer(user: Any, initiative: Initiative) -> bool:
    return can(user, initiative.unit.path, "officer")


def can_edit(user: Any, initiative: Initiative) -> bool:
    """The application itself may change only while it is a draft."""
    if initiative.status != Status.DRAFT:
        return False
    return (
        (initiative.created_by_id is not None and initiative.created_by_id == getattr(user, "pk", None))
        or is_officer(user, initiative)
        or is_author(user, initiative)
    )


def can_attach(user: Any, initiative: Initiative) -> bool:
    """Evidence may still be added while the council has not decided."""
    if initiative.status in (Status.RECOGNIZED, Status.NOT_RECOGNIZED):
        return False
    return (
        is_officer(user, initiative)
        or (initiative.created_by_id is not None and initiative.created_by_id == getattr(user, "pk", None))
        or is_author(user, initiative)
    )
