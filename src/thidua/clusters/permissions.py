"""Who may do what with clusters. A grant on a unit covers its subtree
(`thidua.org.permissions`):

- a cluster (its page, members, pledge, criteria, totals and ranking) is seen by the viewers of
  the issuer and of each member unit; a unit of another cluster sees nothing of it;
- a member's scoring sheet (figures, evidence) is seen by the viewers of that member, of the
  cluster's head unit (which checks it) and of the issuer: the other members see its total in
  the ranking, not its entries; nobody of the cluster sees inside a member's own subtree
  beyond the figures the sheet carries;
- the issuer's officers set the cluster up (members, head and deputy, criteria, targets, its
  rules) and turn the suy tôn into proposals;
- a member's officers sign the pledge for it and fill its sheet;
- the head unit's officers check the sheets and hold the meeting's vote.

Services call `require_*` (NotFoundError when out of sight, PermissionDeniedError when the role
is too low); pages ask `may_*` to show or hide a control."""

from __future__ import annotations

from thidua.accounts.models import Role
from thidua.clusters.models import Cluster, MemberRole, Membership
from thidua.org.models import Unit
from thidua.org.permissions import can, require
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError, PermissionDeniedError

VIEW = Role.VIEWER
MANAGE = Role.OFFICER


def head_of(cluster: Cluster) -> Membership | None:
    return next((m for m in cluster.memberships.all() if m.role == MemberRole.HEAD), None)


def may_view_cluster(user: Visitor, cluster: Cluster) -> bool:
    return can(user, cluster.issuer.path, VIEW) or any(
        can(user, m.unit.path, VIEW) for m in cluster.memberships.all())


def may_manage(user: Visitor, cluster: Cluster) -> bool:
    return can(user, cluster.issuer.path, MANAGE)


def may_run(user: Visitor, cluster: Cluster) -> bool:
    """The head unit's officers (and the issuer's) check sheets and hold the vote."""
    head = head_of(cluster)
    return may_manage(user, cluster) or (head is not None and can(user, head.unit.path, MANAGE))


def may_view_sheet(user: Visitor, membership: Membership) -> bool:
    cluster = membership.cluster
    head = head_of(cluster)
    return (can(user, membership.unit.path, VIEW) or can(user, cluster.issuer.path, VIEW)
            or (head is not None and can(user, head.unit.path, VIEW)))


def may_fill(user: Visitor, membership: Membership) -> bool:
    return can(user, membership.unit.path, MANAGE)


def require_issuer(actor: Actor, unit: Unit) -> None:
    require(actor, unit.path, MANAGE)


def require_manage(actor: Actor, cluster: Cluster) -> None:
    _require_any(actor, may_manage(actor, cluster), may_view_cluster(actor, cluster),
                 "Chỉ cán bộ của đơn vị lập cụm mới thực hiện được thao tác này.")


def _require_any(actor: Actor, allowed: bool, visible: bool, message: str) -> None:
    if not visible:
        raise NotFoundError()
    if not allowed:
        raise PermissionDeniedError(message)


def require_run(actor: Actor, cluster: Cluster) -> None:
    _require_any(actor, may_run(actor, cluster), may_view_cluster(actor, cluster),
                 "Chỉ cán bộ của đơn vị cụm trưởng (hoặc của đơn vị lập cụm) mới thực hiện "
                 "được thao tác này.")


def require_fill(actor: Actor, membership: Membership) -> None:
    _require_any(actor, may_fill(actor, membership), may_view_sheet(actor, membership),
                 "Chỉ cán bộ của chính đơn vị mới tự chấm, ký giao ước cho đơn vị.")


def require_view_sheet(actor: Visitor, membership: Membership) -> None:
    if not may_view_sheet(actor, membership):
        raise NotFoundError()


def may_issue(user: Visitor, unit: Unit) -> bool:
    return can(user, unit.path, MANAGE)
