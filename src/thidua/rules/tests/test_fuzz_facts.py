"""Fuzzing the facts parser of `thidua rules check FACTS.json` (issue 10 §8): any text, any JSON,
and the worked examples with any value put anywhere. The command answers (exit 0) or refuses
(exit 1, «Lỗi: …» in Vietnamese); no other exception ever escapes. Bounded here
(THIDUA_FUZZ_EXAMPLES a test, 100 by default); bench/fuzz_parsers.py runs it for long."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua.rules.cli import main

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
EXAMPLES = int(os.environ.get("THIDUA_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 200,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]",
                        re.IGNORECASE)
FACTS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES_DIR.glob("*.json"))]

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(["2024", "2024-02-30", "31/12/2024", "nam", "nu", "LDTT",
                                     "CSTDCS", "HTXSNV", "HTTNV", "person", "unit", "cdcs",
                                     "khien_trach", "co_so", "", "-1", "1e309"]))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8),
                                  st.sampled_from(["year", "kind", "person", "unit", "ratings",
                                                   "titles", "registered", "2023", "2024"])),
                        children, max_size=4)),
    max_leaves=20)


def check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str],
          *extra: str) -> None:
    path = tmp_path / "facts.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = main(["check", str(path), *extra])
    out, err = capsys.readouterr()
    if code == 0:
        json.loads(out)
    else:
        assert code == 1
        assert err.startswith("Lỗi: ") and VIETNAMESE.search(err), err


@FUZZ
@given(text=st.one_of(st.text(max_size=200),
                      st.sampled_from(["[" * 100_000, "{" * 50_000, '{"a":' * 50_000, "NaN",
                                       "Infinity", "-Infinity", "1e999", "\ufeff{}", "", " "])))
def test_any_text(tmp_path, capsys, text):
    check(tmp_path, text, capsys)


@FUZZ
@given(value=json_values)
def test_any_json(tmp_path, capsys, value):
    check(tmp_path, json.dumps(value), capsys)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated_facts(draw: st.DrawFn) -> Any:
    facts = copy.deepcopy(draw(st.sampled_from(FACTS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(facts)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = facts
        for key in path[:-1]:
            parent = parent[key]
        how = draw(st.sampled_from(["replace", "delete", "add"]))
        if how == "replace":
            parent[path[-1]] = draw(json_values)
        elif how == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(json_values)
        else:
            parent.append(draw(json_values))
    return facts


@FUZZ
@given(facts=mutated_facts(), many=st.booleans(), details=st.booleans())
def test_worked_examples_with_any_value_anywhere(tmp_path, capsys, facts, many, details):
    check(tmp_path, json.dumps([facts, facts] if many else facts), capsys,
          *(["--details"] if details else []))
