"""Who may do what with proposals, decisions and awards. A grant on a unit covers its subtree
(`thidua.org.permissions`):

- a proposal is seen by the viewers of the sending unit and of the receiving unit, and by the
  people on it (their own progress);
- the sender's officers draft, submit, resubmit and withdraw it back to draft when returned;
- the receiving unit's officers receive, review, return, put to the council's vote, forward,
  refuse and decide it;
- decisions are issued, revoked and corrected by the issuer's officers (a leader's signature is
  on paper; the system records who entered it);
- the awards register shows what lies in the user's subtrees: awards of its recipients and
  awards its units issued.

Services call `require_*` (NotFoundError when out of sight, PermissionDeniedError when the role
is too low); pages ask `may_*` to show or hide a control.

The award catalogue is the installation's, not a unit's: any administrator (as the accounts pages
decide, `admin_paths`) reads it; only an administrator of the whole tree (a superuser, or an admin
of every root unit) changes it."""

from __future__ import annotations

from thidua.accounts.models import Role
from thidua.accounts.permissions import ALL, admin_paths, covers
from thidua.honours.models import Proposal
from thidua.org.models import Unit
from thidua.org.permissions import can, require
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError, PermissionDeniedError

VIEW = Role.VIEWER
ENTER = Role.OFFICER


def may_view_proposal(user: Visitor, proposal: Proposal) -> bool:
    return can(user, proposal.unit.path, VIEW) or can(user, proposal.recipient.path, VIEW)


def may_send(user: Visitor, proposal: Proposal) -> bool:
    return can(user, proposal.unit.path, ENTER)


def may_receive(user: Visitor, proposal: Proposal) -> bool:
    return can(user, proposal.recipient.path, ENTER)


def require_sender(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, ENTER)


def require_issuer(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, ENTER)


def may_issue(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, ENTER)


def step_allowed(actor: Visitor, proposal: Proposal, role: str) -> bool:
    """The workflow's `can`: role "sender" or "recipient" over the proposal's two units."""
    if role == "sender":
        return may_send(actor, proposal)
    if role == "recipient":
        return may_receive(actor, proposal)
    return False

def may_read_catalogue(user: Visitor) -> bool:
    return bool(admin_paths(user))


def may_edit_catalogue(user: Visitor) -> bool:
    paths = admin_paths(user)
    if paths == ALL:
        return True
    if not paths:
        return False
    roots = Unit.objects.filter(depth=1).values_list("path", flat=True)
    return all(covers(paths, p) for p in roots)


def require_catalogue_reader(user: Visitor) -> None:
    """The same 404 as any administration page for everybody else."""
    if not may_read_catalogue(user):
        raise NotFoundError()


def require_catalogue_editor(actor: Actor) -> None:
    require_catalogue_reader(actor)
    if not may_edit_catalogue(actor):
        raise PermissionDeniedError("Chỉ quản trị toàn hệ thống mới sửa được danh mục khen "
                                    "thưởng.")
