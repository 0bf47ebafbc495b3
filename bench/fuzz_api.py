"""schemathesis over the whole JSON API, longer than the test command's run.

    .venv/bin/python bench/fuzz_api.py [--examples 100] [--seed 0] [--only "GET /api/people"]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/fuzz_api.py

A fresh database gets the test personas (testing.make_world) and an officer's bearer token; every
operation of /api/openapi.json is then fuzzed in process, positive and negative cases, with the
checks not_a_server_error, status_code_conformance, content_type_conformance and
response_schema_conformance (thidua.testing_api). Prints the counts of cases, of server errors and
every distinct failure with one request that shows it. Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys

from common import fresh_database, timer


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=100, help="cases per operation and mode")
    parser.add_argument("--seed", type=int, default=0, help="0: derandomized (the test's way)")
    parser.add_argument("--only", default="", help="operations whose label contains this")
    args = parser.parse_args()
    cleanup = fresh_database("fuzz")
    try:
        from django.db import transaction

        from thidua.testing_api import fuzz_api, officer_token

        with transaction.atomic():
            token = officer_token()
            with timer() as elapsed:
                report = fuzz_api(token=token, max_examples=args.examples,
                                  seed_value=args.seed, only=args.only)
            transaction.set_rollback(True)
    finally:
        cleanup()
    print(report.summary())
    print(f"{args.examples} examples per operation and mode, {elapsed['seconds']:.0f} s; "
          f"server errors: {report.server_errors} of {report.cases} cases "
          f"({report.server_errors / max(report.cases, 1):.2%}) ×")
    return 1 if report.server_errors or report.failures or report.tool_errors else 0


if __name__ == "__main__":
    sys.exit(main())
