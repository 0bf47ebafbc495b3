"""Setting a cluster up, by the issuer's officers: its rules for the year, the cluster, its
members (as the tree stood in the year) with the head and the deputy, the criteria sheet and
each unit's targets. One transaction and one audit entry per change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Q

from thidua.audit.services import audit_record
from thidua.clusters.models import (
    Cluster,
    ClusterRules,
    Criterion,
    CriterionKind,
    Kind,
    MemberRole,
    Membership,
    TieBreak,
    UnitTarget,
)
from thidua.clusters.permissions import require_issuer, require_manage
from thidua.clusters.prefill import source_codes
from thidua.clusters.scoring import points_for
from thidua.clusters.selectors import sheets_sent
from thidua.clusters.services.common import parse_amount, user_or_none
from thidua.honours import catalogue
from thidua.org.models import Unit, UnitVersion
from thidua.org.selectors import version_at
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.text import clean_spaces, vn_date
from thidua.platform.years import check_year

MAX_MEMBERS = 40


def _form_ok(issuer: Unit, code: str, year: int) -> str:
    if not code:
        return ""
    day = dt.date(year, 12, 31)
    if code not in {f.code for f in catalogue.forms_for_issuer(issuer.type, day)}:
        raise ApplicationError(f"{issuer.name} không tặng hình thức «{code}».", field="form")
    return code


def default_forms(issuer: Unit, year: int) -> tuple[str, str]:
    """The issuer's flag (its «Cờ thi đua xuất sắc» where it gives one) and certificate of merit
    in the catalogue."""
    forms = catalogue.forms_for_issuer(issuer.type, dt.date(year, 12, 31))
    flags = [f.code for f in forms if f.code.startswith("CO_") and "tap_the" in f.recipients]
    # the issue names the «Cờ thi đua xuất sắc» for a cluster's leading unit
    flag = next((c for c in flags if c.startswith("CO_TD_XS")), flags[0] if flags else "")
    merit = next((f.code for f in forms if f.code.startswith(("BK_", "GK_"))
                  and not f.code.endswith("CHUYEN_DE")), "")
    return flag, merit


@transaction.atomic
def rules_set(*, actor: Actor, issuer: Unit, year: int, tie_breaks: Sequence[str],
              vote_num: int = 1, vote_den: int = 2, flag_form: str = "", flag_count: int = 1,
              merit_form: str = "", merit_count: int = 1, source: str = "") -> ClusterRules:
    """The issuer's cluster rules for `year`: tie-break rules in order, the vote's threshold
    (more than num/den of the delegates), the forms and how many units each cluster puts
    forward. Refused: an unknown rule or one listed twice, a threshold outside (0, 1], a form
    the issuer does not give."""
    require_issuer(actor, issuer)
    year = check_year(year)
    rules = list(tie_breaks)
    if any(r not in TieBreak.values for r in rules) or len(set(rules)) != len(rules):
        raise ApplicationError("Quy tắc xếp hạng khi bằng điểm không hợp lệ hoặc bị trùng.",
                               field="tie_breaks")
    if not (0 < vote_den <= 100 and 0 < vote_num <= vote_den):
        raise ApplicationError("Tỷ lệ biểu quyết phải là một phân số từ 0 đến 1.",
                               field="vote")
    if not (0 <= flag_count <= 10 and 0 <= merit_count <= 20):
        raise ApplicationError("Số đơn vị được suy tôn mỗi cụm không hợp lệ.", field="count")
    flag, merit = default_forms(issuer, year)
    row, _ = ClusterRules.objects.get_or_create(issuer=issuer, year=year)
    before = {"tie_breaks": row.tie_breaks, "vote": [row.vote_num, row.vote_den],
              "flag": [row.flag_form, row.flag_count], "merit": [row.merit_form, row.merit_count],
              "source": row.source}
    row.tie_breaks = ",".join(rules)
    row.vote_num, row.vote_den = vote_num, vote_den
    row.flag_form = _form_ok(issuer, flag_form, year) or flag
    row.merit_form = _form_ok(issuer, merit_form, year) or merit
    row.flag_count, row.merit_count = flag_count, merit_count
    row.source = clean_spaces(source)[:255]
    row.updated_by = user_or_none(actor)
    row.save()
    audit_record(actor=actor, action="cluster.rules_set", object_type="cluster_rules",
                 object_id=row.pk, unit_id=issuer.pk, before=before,
                 after={"tie_breaks": rules, "vote": [vote_num, vote_den],
                        "flag": [row.flag_form, flag_count],
                        "merit": [row.merit_form, merit_count], "source": row.source})
    return row


@transaction.atomic
def cluster_create(*, actor: Actor, issuer: Unit, year: int, number: int,
                   kind: str = Kind.CUM, name: str = "", pledge_text: str = "") -> Cluster:
    require_issuer(actor, issuer)
    year = check_year(year)
    if kind not in Kind.values:
        raise ApplicationError("Hãy chọn cụm hoặc khối thi đua.", field="kind")
    if not 1 <= number <= 99:
        raise ApplicationError("Số của cụm phải từ 1 đến 99.", field="number")
    label = f"{Kind(kind).label} số {number} năm {year}"
    if Cluster.objects.filter(issuer=issuer, year=year, kind=kind, number=number).exists():
        raise ApplicationError(f"{label} đã có.", field="number")
    cluster = Cluster.objects.create(issuer=issuer, year=year, kind=kind, number=number,
                                     name=clean_spaces(name)[:255],
                                     pledge_text=pledge_text.strip(),
                                     created_by=user_or_none(actor))
    audit_record(actor=actor, action="cluster.create", object_type="cluster",
                 object_id=cluster.pk, unit_id=issuer.pk,
                 after={"year": year, "kind": kind, "number": number, "name": cluster.name})
    return cluster


def _in_issuer_tree(issuer: Unit, unit: Unit, year: int) -> None:
    """The unit lay under the issuer on 31/12 of the year (or on its last day in the year)."""
    day = dt.date(year, 12, 31)
    version = version_at(unit, day) or (UnitVersion.objects.filter(
        unit=unit, valid_from__lte=day, valid_from__gte=dt.date(year, 1, 1))
        .order_by("-valid_from").first())
    top = version_at(issuer, day)
    if version is None or top is None:
        raise ApplicationError(f"{unit.name} không hoạt động trong năm {year}.", field="unit")
    if version.unit_id == issuer.pk or not version.path.startswith(top.path):
        raise ApplicationError(
            f"Năm {year}, {version.name} không thuộc {top.name} (theo cây đơn vị ngày "
            f"{vn_date(day)}).", field="unit")


@transaction.atomic
def member_add(*, actor: Actor, cluster: Cluster, unit: Unit,
               role: str = MemberRole.MEMBER) -> Membership:
    """Put a unit in the cluster for its year. Refused: a unit not under the issuer that year,
    one already in a cluster of the same kind of this issuer and year, a second head or
    deputy."""
    require_manage(actor, cluster)
    if role not in MemberRole.values:
        raise ApplicationError("Vai trò không hợp lệ.", field="role")
    _in_issuer_tree(cluster.issuer, unit, cluster.year)
    other = (Membership.objects.filter(unit=unit, cluster__issuer=cluster.issuer,
                                       cluster__year=cluster.year, cluster__kind=cluster.kind)
             .select_related("cluster").first())
    if other is not None:
        raise ApplicationError(f"{unit.name} đã ở {other.cluster.title} năm {cluster.year}.",
                               field="unit")
    if cluster.memberships.count() >= MAX_MEMBERS:
        raise ApplicationError(f"Một cụm có tối đa {MAX_MEMBERS} đơn vị.", field="unit")
    _role_free(cluster, role)
    order = (cluster.memberships.aggregate(m=Max("order"))["m"] or 0) + 1
    m = Membership.objects.create(cluster=cluster, unit=unit, role=role, order=order)
    audit_record(actor=actor, action="cluster.member_add", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"unit": unit.pk, "role": role})
    return m


def _role_free(cluster: Cluster, role: str, *, but: Membership | None = None) -> None:
    if role == MemberRole.MEMBER:
        return
    others = cluster.memberships.filter(role=role)
    taken = (others.exclude(pk=but.pk) if but is not None else others).first()
    if taken is not None:
        raise ApplicationError(f"{cluster.title} đã có {MemberRole(role).label.lower()} "
                               f"({taken.unit.name}).", field="role")


@transaction.atomic
def member_role_set(*, actor: Actor, membership: Membership, role: str) -> Membership:
    """Name the head or the deputy for the year (they rotate: each year has its own)."""
    cluster = membership.cluster
    require_manage(actor, cluster)
    if role not in MemberRole.values:
        raise ApplicationError("Vai trò không hợp lệ.", field="role")
    before = membership.role
    if role != MemberRole.MEMBER:
        # the former holder of the role becomes a member: one head, one deputy
        cluster.memberships.filter(role=role).exclude(pk=membership.pk).update(
            role=MemberRole.MEMBER)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(actor=actor, action="cluster.member_role", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 before={"unit": membership.unit_id, "role": before},
                 after={"unit": membership.unit_id, "role": role})
    return membership


@transaction.atomic
def member_remove(*, actor: Actor, membership: Membership) -> None:
    cluster = membership.cluster
    require_manage(actor, cluster)
    if membership.scores.exists() or membership.nominations.exists():
        raise ApplicationError(f"{membership.unit.name} đã chấm điểm: không rút khỏi cụm được.",
                               field="unit")
    unit_id = membership.unit_id
    membership.delete()
    audit_record(actor=actor, action="cluster.member_remove", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id, before={"unit": unit_id})


@transaction.atomic
def criterion_add(*, actor: Actor, cluster: Cluster, code: str, name: str, kind: str,
                  max_points: object, parent: Criterion | None = None, target: object = None,
                  unit_label: str = "", source: str = "") -> Criterion:
    """A line of the scoring sheet. Refused: no number or name, a number used, an unknown way
    of scoring, a group under a non-group, a target criterion without a target, a source the
    system does not know."""
    require_manage(actor, cluster)
    code, name = clean_spaces(code)[:12], clean_spaces(name)[:500]
    if not code or not name:
        raise ApplicationError("Hãy ghi số thứ tự và nội dung tiêu chí.", field="name")
    if kind not in CriterionKind.values:
        raise ApplicationError("Hãy chọn cách chấm của tiêu chí.", field="kind")
    if cluster.criteria.filter(code=code).exists():
        raise ApplicationError(f"Tiêu chí số {code} đã có.", field="code")
    if parent is not None and (parent.cluster_id != cluster.pk or parent.kind
                               != CriterionKind.GROUP):
        raise ApplicationError("Tiêu chí cha phải là một nhóm tiêu chí của cụm này.",
                               field="parent")
    points = parse_amount(max_points, field="max_points", what="Điểm tối đa")
    if points is None or points < 0 or points > 1000:
        raise ApplicationError("Điểm tối đa phải từ 0 đến 1.000.", field="max_points")
    goal = parse_amount(target, field="target", what="Chỉ tiêu")
    if goal is not None and goal < 0:
        raise ApplicationError("Chỉ tiêu không được âm.", field="target")
    if source and source not in source_codes():
        raise ApplicationError("Số liệu hệ thống không có trong danh mục.", field="source")
    order = (cluster.criteria.filter(parent=parent).aggregate(m=Max("order"))["m"] or 0) + 1
    c = Criterion.objects.create(cluster=cluster, parent=parent, code=code, order=order,
                                 name=name, kind=kind, max_points=points,
                                 target=goal if kind == CriterionKind.TARGET else None,
                                 unit_label=clean_spaces(unit_label)[:30],
                                 source=source if kind != CriterionKind.GROUP else "")
    audit_record(actor=actor, action="cluster.criterion_add", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"criterion": c.pk, "code": code, "name": name, "kind": kind,
                        "max": str(points), "target": str(goal) if goal is not None else None,
                        "source": c.source})
    return c


@transaction.atomic
def criterion_remove(*, actor: Actor, criterion: Criterion) -> None:
    cluster = criterion.cluster
    require_manage(actor, cluster)
    if criterion.scores.exclude(value__isnull=True).exists() or criterion.children.exists():
        raise ApplicationError(f"Tiêu chí {criterion.code} đã có điểm hoặc có tiêu chí con: "
                               "không xóa được.", field="criterion")
    before = {"criterion": criterion.pk, "code": criterion.code, "name": criterion.name}
    criterion.delete()
    audit_record(actor=actor, action="cluster.criterion_remove", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id, before=before)


@transaction.atomic
def criterion_update(*, actor: Actor, criterion: Criterion, name: str, max_points: object,
                     kind: str, target: object = None, unit_label: str | None = None
                     ) -> Criterion:
    """Correct a line of the sheet in place while no member has sent its sheet: its name, its
    maximum, its way of scoring and its target. The points already entered on drafts follow
    the new maximum and target. Refused once a member has sent its sheet (the units scored
    against the sheet as it was), a group with lines under it made a scored line, a scored
    line with entries given another way of scoring."""
    cluster = criterion.cluster
    require_manage(actor, cluster)
    if sheets_sent(cluster):
        raise ApplicationError("Đã có đơn vị gửi bảng điểm: không sửa tiêu chí được nữa (các "
                               "đơn vị đã chấm theo bảng tiêu chí này).", field="criterion")
    name = clean_spaces(name)[:500]
    if not name:
        raise ApplicationError("Hãy ghi nội dung tiêu chí.", field="name")
    if kind not in CriterionKind.values:
        raise ApplicationError("Hãy chọn cách chấm của tiêu chí.", field="kind")
    points = parse_amount(max_points, field="max_points", what="Điểm tối đa")
    if points is None or points < 0 or points > 1000:
        raise ApplicationError("Điểm tối đa phải từ 0 đến 1.000.", field="max_points")
    goal = parse_amount(target, field="target", what="Chỉ tiêu")
    if goal is not None and goal < 0:
        raise ApplicationError("Chỉ tiêu không được âm.", field="target")
    entered = criterion.scores.filter(Q(value__isnull=False) | ~Q(file=""))
    if kind != criterion.kind:
        if criterion.kind == CriterionKind.GROUP and criterion.children.exists():
            raise ApplicationError(f"Tiêu chí {criterion.code} có tiêu chí con: phải giữ là "
                                   "nhóm tiêu chí.", field="kind")
        if entered.exists():
            raise ApplicationError(f"Đơn vị đã tự chấm tiêu chí {criterion.code}: không đổi "
                                   "cách chấm được.", field="kind")
    if kind == CriterionKind.GROUP and criterion.parent_id is not None:
        raise ApplicationError("Nhóm tiêu chí không nằm trong nhóm khác.", field="kind")
    before = {"name": criterion.name, "max": str(criterion.max_points), "kind": criterion.kind,
              "target": str(criterion.target) if criterion.target is not None else None}
    criterion.name, criterion.kind, criterion.max_points = name, kind, points
    criterion.target = goal if kind == CriterionKind.TARGET else None
    if unit_label is not None:
        criterion.unit_label = clean_spaces(unit_label)[:30]
    if kind == CriterionKind.GROUP:
        criterion.source = ""
    criterion.save(update_fields=["name", "kind", "max_points", "target", "unit_label",
                                  "source"])
    own = {(t.criterion_id, t.unit_id): t.value for t in criterion.targets.all()}
    rescored = 0
    for score in criterion.scores.filter(value__isnull=False).select_related("membership"):
        new = points_for(kind, points, score.value,
                         own.get((criterion.pk, score.membership.unit_id), criterion.target))
        if new != score.points:
            score.points = new
            score.save(update_fields=["points"])
            rescored += 1
    audit_record(actor=actor, action="cluster.criterion_update", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 before={"criterion": criterion.pk, **before},
                 after={"criterion": criterion.pk, "name": name, "max": str(points),
                        "kind": kind, "target": str(goal) if goal is not None else None,
                        "rescored": rescored})
    return criterion


@transaction.atomic
def criteria_copy(*, actor: Actor, cluster: Cluster, source: Cluster) -> int:
    """Copy another cluster's sheet (the issuer usually sets one sheet for all its clusters of
    a year) into an empty sheet. Returns the number of criteria copied."""
    require_manage(actor, cluster)
    require_manage(actor, source)
    if cluster.criteria.exists():
        raise ApplicationError("Bảng tiêu chí của cụm đã có nội dung.", field="source")
    copied = _copy_criteria(source, cluster)
    audit_record(actor=actor, action="cluster.criteria_copy", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 after={"from": source.pk, "criteria": copied})
    return copied


@transaction.atomic
def target_set(*, actor: Actor, criterion: Criterion, unit: Unit, value: object
               ) -> UnitTarget | None:
    """A member's own target on a target criterion (blank: back to the cluster's)."""
    cluster = criterion.cluster
    require_manage(actor, cluster)
    if criterion.kind != CriterionKind.TARGET:
        raise ApplicationError("Chỉ tiêu chí so với chỉ tiêu mới có chỉ tiêu riêng.",
                               field="criterion")
    if not cluster.memberships.filter(unit=unit).exists():
        raise ApplicationError(f"{unit.name} không ở {cluster.title}.", field="unit")
    amount = parse_amount(value, field="value", what="Chỉ tiêu")
    if amount is not None and amount < 0:
        raise ApplicationError("Chỉ tiêu không được âm.", field="value")
    old = UnitTarget.objects.filter(criterion=criterion, unit=unit).first()
    before = str(old.value) if old else None
    row: UnitTarget | None
    if amount is None:
        if old is not None:
            old.delete()
        row = None
    else:
        row, _ = UnitTarget.objects.update_or_create(criterion=criterion, unit=unit,
                                                     defaults={"value": amount})
    audit_record(actor=actor, action="cluster.target_set", object_type="cluster",
                 object_id=cluster.pk, unit_id=cluster.issuer_id,
                 before={"criterion": criterion.pk, "unit": unit.pk, "value": before},
                 after={"criterion": criterion.pk, "unit": unit.pk,
                        "value": str(amount) if amount is not None else None})
    return row


def max_total(criteria: Sequence[Criterion]) -> Decimal:
    """The sheet's maximum: every scored criterion but bonuses and penalties."""
    return sum((c.max_points for c in criteria if c.kind not in
                (CriterionKind.GROUP, CriterionKind.BONUS, CriterionKind.PENALTY)), Decimal(0))


@transaction.atomic
def cluster_next_year(*, actor: Actor, cluster: Cluster) -> tuple[Cluster, list[str]]:
    """The same cluster for the year after, with its sheet: the members still under the issuer
    that year (the others are left out and named), the head's role passing to the deputy and
    the deputy's to the member after it (the yearly rotation). Returns the new cluster and the
    names left out."""
    require_manage(actor, cluster)
    year = cluster.year + 1
    if Cluster.objects.filter(issuer=cluster.issuer, year=year, kind=cluster.kind,
                              number=cluster.number).exists():
        raise ApplicationError(f"{cluster.title} năm {year} đã có.", field="number")
    check_year(year)
    members = list(cluster.memberships.select_related("unit").order_by("order", "pk"))
    kept: list[Membership] = []
    left_out: list[str] = []
    for m in members:
        try:
            _in_issuer_tree(cluster.issuer, m.unit, year)
        except ApplicationError:
            left_out.append(m.unit.name)
        else:
            kept.append(m)
    roles = _rotated(kept)
    new = Cluster.objects.create(issuer=cluster.issuer, year=year, kind=cluster.kind,
                                 number=cluster.number, name=cluster.name,
                                 created_by=user_or_none(actor))
    for i, m in enumerate(kept, 1):
        Membership.objects.create(cluster=new, unit=m.unit, order=i, role=roles[m.pk])
    copied = _copy_criteria(cluster, new)
    audit_record(actor=actor, action="cluster.next_year", object_type="cluster",
                 object_id=new.pk, unit_id=cluster.issuer_id,
                 after={"from": cluster.pk, "year": year, "criteria": copied,
                        "members": [[m.unit_id, roles[m.pk]] for m in kept],
                        "left_out": left_out})
    return new, left_out


def _rotated(members: Sequence[Membership]) -> dict[int, str]:
    roles = {m.pk: MemberRole.MEMBER.value for m in members}
    if not members:
        return roles
    order = [m.pk for m in members]
    deputy = next((m.pk for m in members if m.role == MemberRole.DEPUTY), None)
    head = next((m.pk for m in members if m.role == MemberRole.HEAD), None)
    new_head = deputy if deputy is not None else (
        order[(order.index(head) + 1) % len(order)] if head is not None else order[0])
    roles[new_head] = MemberRole.HEAD
    if len(order) > 1:
        roles[order[(order.index(new_head) + 1) % len(order)]] = MemberRole.DEPUTY
    return roles


def _copy_criteria(source: Cluster, cluster: Cluster) -> int:
    mapping: dict[int, Criterion] = {}
    pending = list(source.criteria.order_by("parent_id", "order", "id"))
    while pending:
        later = []
        for c in pending:
            if c.parent_id is not None and c.parent_id not in mapping:
                later.append(c)
                continue
            mapping[c.pk] = Criterion.objects.create(
                cluster=cluster, parent=mapping.get(c.parent_id) if c.parent_id else None,
                code=c.code, order=c.order, name=c.name, kind=c.kind, max_points=c.max_points,
                target=c.target, unit_label=c.unit_label, source=c.source)
        if len(later) == len(pending):
            break
        pending = later
    return len(mapping)
