"""Coverage of a unit's movements over several years (the year-end report and the dashboard):
which units below received each movement and how many launched it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from thidua.movements.models import Deployment, Movement
from thidua.org.models import Unit


def movement_coverage(*, issuer: Unit, years: list[int]) -> list[dict[str, Any]]:
    """The movements `issuer` launched in `years`, each with the units its plans reached
    (`of`) and those that launched it there (`done`), a unit counted once whatever the number of
    plans, and `unit_type`, the type of the units reached when they are all of one type (else
    ""): two queries. Movements that reached no unit are listed with 0/0."""
    movements = list(Movement.objects.filter(issuer=issuer, year__in=years)
                     .order_by("year", "name", "id").values("id", "code", "name", "year"))
    deployments = (Deployment.objects
                   .filter(plan__issuer=issuer, plan__movements__in=[m["id"] for m in movements])
                   .order_by().values("plan__movements", "unit_type")
                   .annotate(of=Count("unit", distinct=True),
                             done=Count("unit", distinct=True,
                                        filter=Q(launched_at__isnull=False))))
    rows: dict[int, dict[str, int]] = defaultdict(lambda: {"done": 0, "of": 0})
    types: dict[int, set[str]] = defaultdict(set)
    for r in deployments:
        row = rows[r["plan__movements"]]
        row["done"] += r["done"]
        row["of"] += r["of"]
        types[r["plan__movements"]].add(r["unit_type"])
    return [{"code": m["code"], "name": m["name"], "year": m["year"],
             "unit_type": next(iter(types[m["id"]])) if len(types[m["id"]]) == 1 else "",
             "coverage": dict(rows[m["id"]])}
            for m in movements]
