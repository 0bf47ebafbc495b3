"""schemathesis over the whole OpenAPI document of /api/, in process: shared by the test command
(tests/test_api_fuzz.py, small and deterministic) and the longer run (bench/fuzz_api.py).

Each generated request goes through the real WSGI application (every middleware, the error
handlers) with an officer's bearer token, inside a savepoint that is rolled back afterwards: the
cases are independent of their order, and a database error on PostgreSQL cannot poison the cases
after it. Failing checks are collected, not raised, so one run counts every distinct failure."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


@dataclass
class FuzzReport:
    cases: int = 0
    server_errors: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    #: "METHOD /path [check] title" -> one example (the request that failed)
    failures: dict[str, str] = field(default_factory=dict)
    #: operations whose generation failed in schemathesis/hypothesis itself (not the app)
    tool_errors: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"{self.cases} cases, {self.server_errors} server errors (5xx), "
                 f"{len(self.failures)} distinct failures, {len(self.tool_errors)} tool errors",
                 "statuses: " + ", ".join(f"{k}×{v}" for k, v in sorted(self.statuses.items()))]
        lines += [f"FAIL {k}\n    {v}" for k, v in sorted(self.failures.items())]
        lines += [f"TOOL {k}: {v}" for k, v in sorted(self.tool_errors.items())]
        return "\n".join(lines)


def officer_token() -> str:
    """A world of units and personas (testing.make_world) and a bearer token of the officer of
    the level above grassroots (CDVC-HN: two CĐCS below), through the token service."""
    # imported on use: Django's apps must be ready first (bench/fuzz_api.py calls django.setup())
    from thidua.accounts.services import api_token_create

    # (likewise: the personas are model rows)
    from thidua.testing import make_world

    world = make_world()
    _, raw = api_token_create(actor=None, user=world.officer_above, name="fuzz")
    return raw


@contextlib.contextmanager
def in_process() -> Iterator[None]:
    """Requests share the test's connection and transaction: Django must not close it at the end
    of each request (the test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _label(case: Any) -> str:
    return f"{case.operation.method.upper()} {case.operation.path}"


def _example(case: Any, response: Any) -> str:
    body = response.content[:300] if response.content else b""
    return (f"{case.as_curl_command()} -> {response.status_code} "
            f"{response.headers.get('Content-Type', [''])} {body!r}")


def fuzz_api(*, token: str, max_examples: int, seed_value: int = 0,
             modes: Sequence[GenerationMode] = MODES, only: str = "") -> FuzzReport:
    """Run every operation (whose label contains `only`) in each generation mode; returns the
    counts. Deterministic for a given seed, schema and data."""
    report = FuzzReport()
    headers = {"Authorization": f"Bearer {token}"}

    def run_case(case: Any) -> None:
        report.cases += 1
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        report.statuses[response.status_code] += 1
        if response.status_code >= 500:
            report.server_errors += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                key = f"{_label(case)} [{failure.code}] {failure.title}"
                report.failures.setdefault(
                    key, f"{failure.message[:600]}\n    {_example(case, response)}")

    with in_process():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                report.tool_errors[str(result.err())[:80]] = "the schema does not load"
                continue
            operation = result.ok()
            label = f"{operation.method.upper()} {operation.path}"
            if only and only not in label:
                continue
            for mode in modes:
                strategy = operation.as_strategy(generation_mode=mode)
                test = settings(
                    max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck), derandomize=seed_value == 0,
                    phases=[Phase.explicit, Phase.generate], print_blob=False,
                )(given(case=strategy)(run_case))
                if seed_value:
                    test = seed(seed_value)(test)
                _run_with_retry(test, f"{label} ({mode.value})", report)
    return report


def _run_with_retry(test: Any, label: str, report: FuzzReport) -> None:
    """schemathesis's Hypothesis build has crashed now and then on CPython 3.11 (an error of the
    tool, not of the app): try once more before recording it."""
    for attempt in (1, 2):
        try:
            test()
            return
        except Unsatisfiable:
            return  # no invalid value exists for this operation's inputs in this mode
        except Exception as exc:  # noqa: BLE001 - the tool's own crash, recorded below
            if attempt == 2:
                report.tool_errors[label] = f"{type(exc).__name__}: {exc}"[:500]
