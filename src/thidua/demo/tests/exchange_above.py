"""For the tests of the exchange format (version 7): a target database that holds what the
bodies above a dumped subtree issued — the plans, movements and grading templates the dump
names by their natural keys — as an installation that loaded the level above first would."""

from __future__ import annotations

import csv
import datetime as dt
import tarfile
import tempfile
from pathlib import Path

from thidua.evaluation.models import GradingCriterion, GradingTemplate
from thidua.movements.models import Movement, Plan
from thidua.org.models import Unit
from thidua.testing import make_unit


def dumped_rows(source: Path, table: str) -> list[dict[str, str]]:
    """The rows of one file of a dump (a folder or a .tar)."""
    if source.is_dir():
        with (source / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    with tempfile.TemporaryDirectory() as work, tarfile.open(source) as tar:
        tar.extract(f"{table}.csv", work, filter="data")
        return dumped_rows(Path(work), table)


def hold_what_is_issued_above(source: Path) -> set[str]:
    """Create, in the (empty) target database, the units above the dump and what they issued
    that the dump names by natural key; returns those units' codes."""
    units: dict[str, Unit] = {}

    def unit(code: str) -> Unit:
        if code not in units:
            units[code] = Unit.objects.filter(code=code).first() or make_unit(code, "tld" if code == "TLD" else "ldld_tinh",
                                    day=dt.date(2000, 1, 1))
        return units[code]

    for r in dumped_rows(source, "plan_movements"):
        if r["movement_issuer"]:
            Movement.objects.get_or_create(
                issuer=unit(r["movement_issuer"]), code=r["movement_code"],
                defaults={"name": r["movement_code"], "year": 2021,
                          "start_date": dt.date(2021, 1, 1), "end_date": dt.date(2025, 12, 31)})
    for r in dumped_rows(source, "deployments"):
        if r["plan_issuer"]:
            year = int(r["plan_year"])
            Plan.objects.get_or_create(issuer=unit(r["plan_issuer"]), year=year,
                                       number=r["plan_number"],
                                       defaults={"date": dt.date(year, 1, 8), "title": "Kế hoạch"})
    codes: dict[str, set[str]] = {}
    for r in dumped_rows(source, "grading_answers"):
        codes.setdefault(r["grading_id"], set()).add(r["code"])
    for r in dumped_rows(source, "gradings"):
        if r["template_issuer"]:
            template, _ = GradingTemplate.objects.get_or_create(
                issuer=unit(r["template_issuer"]), year=int(r["template_year"]),
                name=r["template_name"], defaults={"scale": "moi"})
            for code in codes.get(r["id"], set()) - set(
                    template.criteria.values_list("code", flat=True)):
                GradingCriterion.objects.create(template=template, code=code, text=code,
                                                max_points=10)
    return set(units)
