"""schemathesis over the whole OpenAPI document, in process, as an officer with a bearer token:
no server error, every status code, content type and body as documented (thidua.testing_api).

Bounded for the test command (both databases, 2 cores): a few cases per operation and mode,
derandomized so that CI sees the same cases every run. bench/fuzz_api.py runs the same with more
cases."""

import pytest

from thidua.testing_api import fuzz_api, officer_token

EXAMPLES = 12


@pytest.mark.django_db
def test_whole_api_answers_as_documented_and_never_5xx():
    report = fuzz_api(token=officer_token(), max_examples=EXAMPLES)
    assert report.cases > 500, report.summary()  # every operation ran, positive and negative
    assert report.statuses[200] > 50, report.summary()  # the token works: not all refusals
    assert report.server_errors == 0, report.summary()
    assert not report.failures, report.summary()
    assert not report.tool_errors, report.summary()
