"""Every page and API route of the movements app, walked as the officer of CDCS-A (inside), the
same officer asking for CDCS-C's objects (outside: 404, the same page as for a missing object),
the officer of CDCS-C asking for CDCS-A's objects (404), and an anonymous visitor (login / 401).
The table below is the one to copy into tests/test_scope_walk.py."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from thidua.movements.tests.helpers import scope_objects
from thidua.org.models import Unit
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
D = dt.date


@dataclass
class MCtx:
    world: World
    inside_movement: Any
    outside_movement: Any
    inside_plan: Any
    outside_plan: Any
    inside_deployment: Any
    outside_deployment: Any
    inside_attachment: Any
    outside_attachment: Any
    outside_person: Any


@pytest.fixture
def mctx(world: World, settings: Any, tmp_path: Any) -> MCtx:
    settings.MEDIA_ROOT = tmp_path
    objects = scope_objects(world)
    outside_person = make_person(Unit.objects.get(code="TO-C1"), "Lý Văn Ngoài",
                                 start=D(2015, 1, 1))
    return MCtx(world, outside_person=outside_person, **objects)


@dataclass
class Route:
    inside: Any = None
    outside: Any = None
    missing: Any = None
    query_inside: Any = None
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    data: dict[str, Any] = field(default_factory=dict)
    outside_data: dict[str, Any] | None = None


def _unit_year(code: str) -> Any:
    return lambda c: {"code": code, "year": YEAR}


def _pk(attr: str) -> Any:
    return lambda c: {"pk": getattr(c, attr).pk}


def _obj(kind: str) -> dict[str, Any]:
    return {"inside": _pk(f"inside_{kind}"), "outside": _pk(f"outside_{kind}"),
            "missing": lambda c: {"pk": 987654}}


ROUTES: dict[str, Route] = {
    "movements:list": Route(),
    "movements:create": Route(),
    "movements:detail": Route(**_obj("movement")),
    "movements:attach": Route(**_obj("movement"), method="post", ok=(400,)),
    "movements:attachment": Route(**_obj("attachment")),
    "movements:plans": Route(),
    "movements:plan-create": Route(),
    "movements:plan": Route(**_obj("plan")),
    # POST data is refused on purpose (400, the page again): a success would flash a message
    # that the next page, the outside 404, would show, and the two 404 pages would then differ
    "movements:plan-deploy": Route(**_obj("plan"), method="post", ok=(400,),
                                   data={"levels": []}),
    "movements:deployment-acknowledge": Route(**_obj("deployment"), method="post", ok=(400,),
                                              data={"note": "x" * 600}),
    "movements:deployment-launch": Route(**_obj("deployment"), method="post", ok=(400,),
                                         data={"launched_on": "sai"}),
    "movements:registration-home": Route(ok=(302,)),
    "movements:self": Route(ok=(404,)),  # the officer has no person record of their own
    "movements:registration": Route(inside=_unit_year("CDCS-A"), outside=_unit_year("CDCS-C"),
                                    missing=_unit_year("KHONG-CO")),
    "movements:registration-save": Route(inside=_unit_year("CDCS-A"),
                                         outside=_unit_year("CDCS-C"),
                                         missing=_unit_year("KHONG-CO"), method="post",
                                         ok=(400,), data={"ids": ["987654"]}),
    "movements:registration-unit": Route(inside=_unit_year("CDCS-A"),
                                         outside=_unit_year("CDCS-C"),
                                         missing=_unit_year("KHONG-CO"), method="post",
                                         ok=(400,), data={"tt-titles": ["KHONG_CO"]}),
    "movements:registration-rule": Route(inside=_unit_year("CDCS-A"),
                                         outside=_unit_year("CDCS-C"),
                                         missing=_unit_year("KHONG-CO"), method="post",
                                         ok=(400,),
                                         data={"qd-year_kind": "calendar",
                                               "qd-min_commitments_unit": "99",
                                               "qd-min_commitments_member": "1"}),
    "movements:year-setting": Route(inside=_unit_year("CDCS-A"), outside=_unit_year("CDCS-C"),
                                    missing=_unit_year("KHONG-CO"), method="post", ok=(400,),
                                    data={"nh-kind": "khac"}),
    "movements:registration-import": Route(inside=_unit_year("CDCS-A"),
                                           outside=_unit_year("CDCS-C"),
                                           missing=_unit_year("KHONG-CO")),
    "movements:registration-template": Route(inside=_unit_year("CDCS-A"),
                                             outside=_unit_year("CDCS-C"),
                                             missing=_unit_year("KHONG-CO")),
}

API_ROUTES: dict[tuple[str, str], Route] = {
    ("get", "/api/movements"): Route(),
    ("get", "/api/movements/{movement_id}"): Route(
        inside=lambda c: {"movement_id": c.inside_movement.pk},
        outside=lambda c: {"movement_id": c.outside_movement.pk},
        missing=lambda c: {"movement_id": 987654}),
    ("get", "/api/movements/plans/{plan_id}/coverage"): Route(
        inside=lambda c: {"plan_id": c.inside_plan.pk},
        outside=lambda c: {"plan_id": c.outside_plan.pk},
        missing=lambda c: {"plan_id": 987654}),
    ("get", "/api/movements/registrations"): Route(
        query_inside=lambda c: {"unit": "CDCS-A", "year": YEAR}),
    ("get", "/api/movements/registrations/status"): Route(
        query_inside=lambda c: {"unit": "CDCS-A", "year": YEAR}),
    ("post", "/api/movements/registrations"): Route(
        ok=(201,), data={"year": YEAR, "unit": "CDCS-A", "titles": ["TTLDTT"],
                         "commitments": ["Một", "Hai"]},
        outside_data={"year": YEAR, "unit": "CDCS-C", "titles": ["TTLDTT"],
                      "commitments": ["Một", "Hai"]}),
    ("get", "/api/movements/registrations/me"): Route(ok=(404,)),
    ("post", "/api/movements/registrations/me"): Route(ok=(404, 400), data={"year": YEAR}),
}


def test_every_route_of_the_app_is_in_the_table():
    resolver = get_resolver()
    names = {f"movements:{n}" for n in resolver.namespace_dict["movements"][1].reverse_dict
             if isinstance(n, str)}
    assert names == set(ROUTES)
    from thidua.api import api

    paths = {(m.lower(), p) for p, ops in api.get_openapi_schema()["paths"].items()
             for m in ops if p.startswith("/api/movements")}
    assert paths == set(API_ROUTES)


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _url(name: str, kwargs: dict[str, Any] | None) -> str:
    return reverse(name, kwargs=kwargs) if kwargs else reverse(name)


def _call(client: Client, route: Route, url: str) -> Any:
    return client.post(url, route.data) if route.method == "post" else client.get(url)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_web_route_scope(name: str, mctx: MCtx, client: Client):
    route = ROUTES[name]
    inside = _url(name, route.inside(mctx) if route.inside else None)
    anon = _call(client, route, inside)
    assert anon.status_code == 302 and "/dang-nhap/" in anon["Location"], name
    client.force_login(mctx.world.officer_cdcs)
    assert _call(client, route, inside).status_code in route.ok, name
    if route.outside:
        outside = _call(client, route, _url(name, route.outside(mctx)))
        missing = _call(client, route, _url(name, route.missing(mctx)))
        assert outside.status_code == missing.status_code == 404, name
        assert _CSRF.sub(b"", outside.content) == _CSRF.sub(b"", missing.content), name
        other = Client()
        other.force_login(mctx.world.outsider)
        assert _call(other, route, inside).status_code == 404, name


def _api(path: str, kwargs: dict[str, Any]) -> str:
    for key, value in kwargs.items():
        path = path.replace("{" + key + "}", str(value))
    return path


@pytest.mark.parametrize("op", sorted(API_ROUTES), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_route_scope(op: tuple[str, str], mctx: MCtx, client: Client):
    method, path = op
    route = API_ROUTES[op]
    url = _api(path, route.inside(mctx) if route.inside else {})
    if route.query_inside:
        from urllib.parse import urlencode

        url += "?" + urlencode(route.query_inside(mctx))
    kwargs: dict[str, Any] = ({"data": json.dumps(route.data),
                               "content_type": "application/json"} if method == "post" else {})
    call = getattr(client, method)
    assert call(url, **kwargs).status_code == 401, op
    client.force_login(mctx.world.officer_cdcs)
    assert call(url, **kwargs).status_code in route.ok, op
    if route.outside_data is not None:
        refused = call(url, data=json.dumps(route.outside_data), content_type="application/json")
        assert refused.status_code == 404, op
    if route.outside:
        outside = call(_api(path, route.outside(mctx)), **kwargs)
        missing = call(_api(path, route.missing(mctx)), **kwargs)
        assert outside.status_code == missing.status_code == 404, op
        assert outside.json() == missing.json(), op
        other = Client()
        other.force_login(mctx.world.outsider)
        assert getattr(other, method)(url, **kwargs).status_code == 404, op


def test_api_unit_queries_outside_scope_are_404(mctx: MCtx, client: Client):
    client.force_login(mctx.world.officer_cdcs)
    for path in ("/api/movements/registrations", "/api/movements/registrations/status"):
        assert client.get(path, {"unit": "CDCS-C", "year": YEAR}).status_code == 404
        assert client.get(path, {"unit": "KHONG-CO", "year": YEAR}).json() == client.get(
            path, {"unit": "CDCS-C", "year": YEAR}).json()
