"""The national tree as rows: TLĐ → federations → cấp trên trực tiếp cơ sở → CĐCS → tổ công đoàn,
with treebeard paths (`Unit._get_path`) and one version per unit, as the tree stood before the
2025 merger (the merger itself runs through the org services afterwards)."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from thidua.demo.national.shape import NATIONAL, PROVINCES, SECTORS, Federation
from thidua.demo.national.tables import Table
from thidua.org.models import Unit, UnitType
from thidua.people.exchange_format import step_path

START = dt.date(2015, 1, 1)


@dataclass
class Cdcs:
    id: int
    code: str
    name: str
    parent_id: int  # cấp trên, or the federation for a CĐCS directly under it
    size: int  # workers on its roster
    leaves: list[int] = field(default_factory=list)  # its tổ, or itself when it has none


@dataclass
class FedPlan:
    fed: Federation
    id: int
    cap_ids: list[int] = field(default_factory=list)
    cdcs: list[Cdcs] = field(default_factory=list)


@dataclass
class TreePlan:
    root_id: int
    feds: list[FedPlan]
    units_by_type: dict[str, int]
    max_children: dict[str, int]
    max_depth: int


def apportion(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each part ≥ `minimum`."""
    n = len(weights)
    if n == 0:
        return []
    base = [minimum] * n
    rest = max(0, total - minimum * n)
    w = sum(weights)
    exact = [rest * x / w for x in weights]
    parts = [math.floor(e) for e in exact]
    short = rest - sum(parts)
    order = sorted(range(n), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[:short]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def build_tree(rng: random.Random, scale: float, units: Table, versions: Table) -> TreePlan:
    feds_all = [*PROVINCES, *SECTORS]
    n_cdcs = max(len(feds_all), round(NATIONAL["cdcs"] * scale))
    n_persons = max(n_cdcs, round(NATIONAL["persons"] * scale))
    cdcs_per_fed = apportion(n_cdcs, [f.weight for f in feds_all], minimum=1)
    cap_per_fed = [max(1, round(NATIONAL["cap_tren"] * scale * f.weight /
                                sum(g.weight for g in feds_all))) for f in feds_all]
    # grassroots unions vary from a handful of workers to thousands: a log-normal spread
    cdcs_weights = [rng.lognormvariate(0, 1.1) for _ in range(n_cdcs)]
    sizes = apportion(n_persons, cdcs_weights, minimum=1)
    by_type: dict[str, int] = {}
    children: dict[int, int] = {}
    max_children: dict[str, int] = {}
    max_depth = 1
    start = START.isoformat()

    def add(path: str, parent: int | None, code: str, name: str, type_: str) -> int:
        nonlocal max_depth
        depth = len(path) // Unit.steplen
        max_depth = max(max_depth, depth)
        uid = units.add(path, depth, 0, code, name, "", type_, start, None)
        versions.add(uid, parent, name, "", path, depth, start, None)
        by_type[str(type_)] = by_type.get(str(type_), 0) + 1
        if parent is not None:
            children[parent] = children.get(parent, 0) + 1
        return uid

    def child_path(parent_path: str, parent_id: int) -> str:
        return step_path(parent_path, children.get(parent_id, 0) + 1)

    root_path = step_path("", 1)
    root = add(root_path, None, "TLD", "Tổng Liên đoàn Lao động Việt Nam", UnitType.TLD)
    plans: list[FedPlan] = []
    size_iter = iter(sizes)
    serial = 0
    for f_index, fed in enumerate(feds_all):
        f_path = child_path(root_path, root)
        fid = add(f_path, root, fed.code, fed.name, fed.type)
        plan = FedPlan(fed, fid)
        plans.append(plan)
        n_here = cdcs_per_fed[f_index]
        n_cap = min(cap_per_fed[f_index], n_here)
        direct = n_here // 20 if n_here >= 20 else 0  # a few CĐCS sit right under the federation
        # a few cấp trên (industrial zones, big districts) carry most grassroots unions
        cap_sizes = apportion(n_here - direct, [1 / (i + 1) ** 0.8 for i in range(n_cap)],
                              minimum=1)
        targets: list[tuple[int, str, str]] = [(fid, f_path, f"{fed.code}-CS")] * direct
        for c, count in enumerate(cap_sizes, start=1):
            c_path = child_path(f_path, fid)
            c_code = f"{fed.code}-{c:03d}"
            kind = "khu công nghiệp" if c % 4 == 0 else "cơ sở"
            cap = add(c_path, fid, c_code, f"Công đoàn cấp trên {kind} số {c} — {fed.name}",
                      UnitType.CAP_TREN_CO_SO)
            plan.cap_ids.append(cap)
            targets += [(cap, c_path, c_code)] * count
        for parent_id, parent_path, parent_code in targets:
            serial += 1
            s_path = child_path(parent_path, parent_id)
            s_code = f"{parent_code}-{children.get(parent_id, 0) + 1}"
            name = f"Công đoàn cơ sở Công ty số {serial}"
            sid = add(s_path, parent_id, s_code, name, UnitType.CDCS)
            cd = Cdcs(sid, s_code, name, parent_id, next(size_iter))
            n_to = min(30, cd.size // 25) if cd.size >= 50 else 0
            for t in range(1, n_to + 1):
                cd.leaves.append(add(child_path(s_path, sid), sid, f"{s_code}-T{t}",
                                     f"Tổ công đoàn số {t} — {name}", UnitType.TO_CD))
            if not cd.leaves:
                cd.leaves.append(sid)
            plan.cdcs.append(cd)
    # numchild as treebeard keeps it
    counts = children
    units.rows = [(r[0], r[1], r[2], counts.get(r[0], 0), *r[4:]) for r in units.rows]
    types = {r[0]: r[7] for r in units.rows}
    for pk, n in counts.items():
        key = str(types[pk])
        max_children[key] = max(max_children.get(key, 0), n)
    return TreePlan(root, plans, by_type, max_children, max_depth)


