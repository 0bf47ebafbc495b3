"""The OpenAPI document of /api/ loads and describes every route clients rely on."""

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
    return response.json()


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
            "honours"}
    assert all(i.split("_", 1)[0] in apps for i in ids), ids
    assert "people_person_detail" in ids and "evaluation_evaluate_facts" in ids
