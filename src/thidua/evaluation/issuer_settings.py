"""The settings in force for a unit and a year (the read side of `services.settings`): kept
apart from the services package so that the thresholds and the services may both read them."""

from __future__ import annotations

from thidua.evaluation.models import EvaluationSetting
from thidua.org.models import Unit
from thidua.rules.ruleset import Override


def _ancestor_paths(unit: Unit) -> list[str]:
    step = Unit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def overrides_for(unit: Unit | None, year: int) -> dict[str, Override]:
    """The settings in force for `unit` in `year`: per key, the one of the nearest unit on its
    path (itself first) whose years cover `year`."""
    if unit is None:
        return {}
    paths = _ancestor_paths(unit)
    rows = (EvaluationSetting.objects.filter(unit__path__in=paths, year_from__lte=year)
            .select_related("unit"))
    best: dict[str, tuple[int, EvaluationSetting]] = {}
    for row in rows:
        if not row.covers(year):
            continue
        depth = len(row.unit.path)
        if row.key not in best or depth > best[row.key][0]:
            best[row.key] = (depth, row)
    return {key: Override(row.value, f"{row.source} ({row.unit.name})", row.note)
            for key, (_d, row) in best.items()}
