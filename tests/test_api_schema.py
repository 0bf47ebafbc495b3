"""The OpenAPI document of /api/ loads and describes every route clients rely on."""

import json
from typing import Any

from django.test import Client

EXPECTED = {
    "/api/me": {"get"},
    "/api/units/tree": {"get"},
    "/api/units/{code}": {"get"},
    "/api/units/{code}/subtree": {"get"},
    "/api/units/{code}/events": {"get"},
    "/api/people": {"get", "post"},
    "/api/people/{person_id}": {"get", "patch"},
    "/api/imports/{job_id}": {"get"},
}


def openapi() -> dict:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content, object_pairs_hook=_no_duplicate_keys)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Swagger UI reads the document as YAML, where a repeated key is a parse error."""
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    return dict(pairs)


def test_openapi_document_lists_every_route():
    doc = openapi()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "Thi Đua API"
    paths = doc["paths"]
    for path, methods in EXPECTED.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))


def test_every_operation_requires_authentication():
    doc = openapi()
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    for path, methods in EXPECTED.items():
        for method in methods:
            assert doc["paths"][path][method].get("security"), (path, method)


def test_documented_parameters_and_bodies():
    doc = openapi()
    params = {p["name"] for p in doc["paths"]["/api/people"]["get"]["parameters"]}
    assert {"unit", "date", "q", "status", "gender", "page"} <= params
    tree_params = {p["name"] for p in doc["paths"]["/api/units/tree"]["get"]["parameters"]}
    assert {"date", "nested"} <= tree_params
    assert "201" in doc["paths"]["/api/people"]["post"]["responses"]
    patch = doc["components"]["schemas"]["PersonPatchIn"]
    assert "version" in patch["required"]
    person = doc["components"]["schemas"]["PersonDetail"]["properties"]
    assert {"employments", "memberships", "version", "cccd"} <= set(person)


def test_interactive_docs_page_loads_from_our_own_files_under_the_csp():
    """Without internet the docs must still work: no CDN, and the strict CSP applies."""
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_operation_ids_are_unique_and_name_the_app_and_function():
    """Clients generated from the document keep their method names when a router moves between
    modules of its app (`<app>_<function>`)."""
    from thidua.api import api

    schema = api.get_openapi_schema()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    apps = {"accounts", "org", "people", "movements", "evaluation", "initiatives",
            "honours", "clusters"}
    assert all(i.split("_", 1)[0] in apps for i in ids), ids
    assert "people_person_detail" in ids and "evaluation_evaluate_facts" in ids


# --- errors: always JSON under /api/, bounded numbers, Vietnamese messages -----------------------

import pytest  # noqa: E402
from django.test import override_settings  # noqa: E402

from thidua.accounts.services import api_token_create  # noqa: E402


@pytest.fixture
def officer(world) -> Client:
    _, raw = api_token_create(actor=None, user=world.officer_above, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}", raise_request_exception=False)


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize("query", [
    "/api/people?page=466629912944004814635794432",  # beyond 64 bits: overflowed the driver
    "/api/people?page=0",
    "/api/people?page_size=100000000000000000000000",
    "/api/honours/awards?year=0",
    "/api/honours/awards?year=10000",
    "/api/initiatives?year=1999",
    "/api/movements/registrations/status?unit=CDCS-A&year=99999999999999999999",
    "/api/evaluation/units/CDCS-A/0",
    "/api/people/99999999999999999999999",
    "/api/honours/proposals/9223372036854775808",
])
def test_out_of_range_numbers_are_a_vietnamese_422(officer, query):
    body = assert_json_error(officer.get(query), 422)
    assert body["detail"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert body["errors"] and all(e["loc"] and e["msg"] for e in body["errors"])


def test_a_year_out_of_range_names_the_accepted_range(officer, settings):
    from thidua.platform.years import last_year

    settings.THIDUA_FIRST_YEAR = 2005
    body = assert_json_error(officer.get("/api/honours/decisions", {"year": 2004}), 422)
    assert f"Năm phải từ 2005 đến {last_year()}" in body["detail"]
    assert officer.get("/api/honours/decisions", {"year": 2005}).status_code == 200
    doc = officer.get("/api/openapi.json").json()
    year = next(p for p in doc["paths"]["/api/honours/decisions"]["get"]["parameters"]
                if p["name"] == "year")
    assert {"minimum": 2005, "maximum": last_year()}.items() <= year["schema"]["anyOf"][0].items()


@pytest.mark.parametrize("body", ['""', '"x"', "null", "[]", "42"])
def test_similar_initiatives_refuses_a_body_that_is_not_an_object(officer, body):
    response = officer.post("/api/initiatives/similar", body, content_type="application/json")
    detail = assert_json_error(response, 422)["detail"]
    assert "phải là một đối tượng JSON" in detail
    ok = officer.post("/api/initiatives/similar", {"title": "Phần mềm quản lý"},
                      content_type="application/json")
    assert ok.status_code == 200


def test_validation_errors_are_in_vietnamese(officer):
    response = officer.post("/api/people", {"full_name": "A", "gender": "x"},
                            content_type="application/json")
    body = assert_json_error(response, 422)
    msgs = {e["loc"][-1]: e["msg"] for e in body["errors"]}
    assert msgs["unit"] == "bắt buộc phải có"
    assert msgs["gender"].startswith("phải là một trong")
    assert "unit: bắt buộc phải có" in body["detail"]


def test_malformed_json_is_a_vietnamese_400(officer):
    response = officer.post("/api/initiatives/similar", "{", content_type="application/json")
    assert assert_json_error(response, 400)["detail"] == (
        "Nội dung gửi lên không phải JSON hợp lệ (UTF-8).")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_too_large_body_is_a_json_413(officer):
    response = officer.post("/api/initiatives/similar", '{"title": "' + "a" * 2000 + '"}',
                            content_type="application/json")
    assert "quá lớn" in assert_json_error(response, 413)["detail"]


def test_unknown_api_paths_and_methods_answer_json(officer, world):
    assert "không có địa chỉ" in assert_json_error(officer.get("/api/khong-co"), 404)[
        "detail"].lower()
    assert_json_error(officer.get("/api/people/-1"), 404)  # the int converter does not match
    assert_json_error(Client().get("/api/khong-co"), 404)  # anonymous too
    refused = officer.delete("/api/people")
    assert "DELETE" in assert_json_error(refused, 405)["detail"]
    assert set(refused["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    # outside /api/ the pages stay HTML
    page = Client().get("/khong-co-trang-nay/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_crash_under_api_is_a_json_500_and_the_pages_keep_their_html(officer, monkeypatch):
    import thidua.accounts.api.routes as accounts_api

    def boom(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(accounts_api, "caller", boom)
    body = assert_json_error(officer.get("/api/me"), 500)
    assert "Lỗi hệ thống" in body["detail"] and "boom" not in body["detail"]

    from django.test import RequestFactory

    from thidua.platform.api import handler500

    page = handler500(RequestFactory().get("/"))
    assert page.status_code == 500 and not page["Content-Type"].startswith("application/json")


def test_every_operation_documents_its_error_statuses():
    doc = openapi()
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            assert "503" in codes, (method, path)
            if op.get("security"):
                assert "401" in codes, (method, path)
            if op.get("parameters") or op.get("requestBody"):
                assert {"400", "404", "422"} <= codes, (method, path, codes)
            if method in ("post", "put", "patch", "delete"):
                assert {"403", "409", "413"} <= codes, (method, path, codes)
            for code, response in op["responses"].items():
                assert "application/json" in response.get("content", {}), (method, path, code)
    schemas = doc["components"]["schemas"]
    assert schemas["ValidationOut"]["properties"]["detail"]["type"] == "string"
    assert "/api/people" in doc["paths"] and "401" in doc["paths"]["/api/me"]["get"]["responses"]


@pytest.mark.parametrize("send", [
    lambda c: c.post("/api/people", '{"unit": "\\u0000", "full_name": "A", "gender": "nam"}',
                     content_type="application/json"),
    lambda c: c.post("/api/people", b'{"unit": "CDCS-A\x00"}', content_type="application/json"),
    lambda c: c.get("/api/people", {"q": "a\x00b"}),
    lambda c: c.get("/api/units/CDCS%00A"),
])
def test_a_nul_character_is_refused_before_the_database(officer, send):
    """PostgreSQL stores no NUL in text: it was a 500 there (found by the fuzz test)."""
    assert "NUL" in assert_json_error(send(officer), 422)["detail"]


def test_a_nul_character_in_the_session_cookie_is_not_a_server_error(world):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get("/api/me").status_code == 401


def test_schema_names_are_unique_across_the_api():
    """Two schemas of one name share one entry of the document: a route's answer was then
    checked against the other's shape (evaluation's OutcomeOut and the rules' OutcomeOut)."""
    import importlib
    import pkgutil

    from ninja import Schema

    import thidua

    seen: dict[str, str] = {}
    for module in pkgutil.walk_packages(thidua.__path__, "thidua."):
        if ".api" not in module.name or ".tests" in module.name:
            continue
        for value in vars(importlib.import_module(module.name)).values():
            if (isinstance(value, type) and issubclass(value, Schema)
                    and value.__module__ == module.name):
                assert seen.setdefault(value.__name__, module.name) == module.name, (
                    value.__name__, seen[value.__name__], module.name)
    assert {"PersonDetail", "ErrorOut", "RuleOutcomeOut", "OutcomeOut"} <= set(seen)


@pytest.mark.parametrize("code", ["²", "99999999999999999999999", "0"])
def test_a_unit_code_of_odd_digits_is_a_404(officer, code):
    """"²".isdigit() is true but int("²") fails; a number beyond 64 bits overflowed the driver
    (both found by the fuzz run)."""
    assert_json_error(officer.get(f"/api/units/{code}/events"), 404)


def test_a_year_of_odd_digits_is_no_year():
    from thidua.platform.years import parse_year

    assert parse_year("²⁰²⁴") is None and parse_year("2024") == 2024


def test_a_year_without_rule_sets_is_a_400_with_the_reason(officer, world):
    """2000 is a year of the app (THIDUA_FIRST_YEAR) but no rule set covers it: it was a 500."""
    response = officer.get(f"/api/evaluation/people/{world.member.pk}/2000")
    assert "Không có bộ quy tắc" in assert_json_error(response, 400)["detail"]
