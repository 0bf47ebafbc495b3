"""docs/glossary.md lists every code the project stores or shows: every choice of every model
field of the project's apps, every title of the catalogue, every unit type and rating code."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import models

from thidua.rules import titles
from thidua.rules.facts import UNIT_TYPES

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def _codes_in_glossary() -> set[str]:
    return set(re.findall(r"`([^`]+)`", GLOSSARY.read_text(encoding="utf-8")))


def _stored_codes() -> dict[str, str]:
    found: dict[str, str] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("thidua."):
            continue
        for model in config.get_models():
            for field in model._meta.get_fields():
                choices = getattr(field, "choices", None)
                if not isinstance(field, models.Field) or not choices:
                    continue
                for value, _label in choices:
                    if isinstance(value, str) and value:
                        found.setdefault(value, f"{model.__name__}.{field.name}")
    for t in titles.titles():
        found.setdefault(t.code, "rules/titles.toml")
    for u in UNIT_TYPES:
        found.setdefault(u, "rules/facts.py UNIT_TYPES")
    return found


def test_every_code_is_in_the_glossary():
    listed = _codes_in_glossary()
    missing = {code: where for code, where in _stored_codes().items() if code not in listed}
    assert not missing, f"docs/glossary.md thiếu: {missing}"
