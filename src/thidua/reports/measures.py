"""The catalogue of measures a target can be set on (measures.toml): code, Vietnamese name and
kind (a percentage or a count). The dashboard and the year-end report compute an actual for
each code; targets only refer to them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PERCENT = "percent"
COUNT = "count"


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    kind: str  # PERCENT | COUNT
    of: str = ""  # what a percentage is taken over

    @property
    def unit_sign(self) -> str:
        return "%" if self.kind == PERCENT else ""


@cache
def measures() -> tuple[Measure, ...]:
    raw = tomllib.loads(Path(__file__).with_name("measures.toml").read_text(encoding="utf-8"))
    out = tuple(Measure(code=m["code"], name=m["name"], kind=m["kind"], of=m.get("of", ""))
                for m in raw["measures"])
    for m in out:
        if m.kind not in (PERCENT, COUNT):
            raise ValueError(f"measures.toml: {m.code} has kind {m.kind!r}")
    return out


def measure(code: str) -> Measure | None:
    return next((m for m in measures() if m.code == code), None)


def codes() -> list[str]:
    return [m.code for m in measures()]


def measure_choices() -> list[tuple[str, str]]:
    return [(m.code, m.name) for m in measures()]
