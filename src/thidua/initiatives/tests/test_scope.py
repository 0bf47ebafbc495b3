"""Every page and API route of the initiatives app, walked as the officer of CDCS-A (inside),
the same officer asking for CDCS-C's objects (outside: 404, the same page as for a missing
object), the officer of CDCS-C asking for CDCS-A's objects (404), and an anonymous visitor
(login / 401). POSTs send data the app refuses (400): a success would flash a message on the
next page, and the outside and missing 404 pages would then differ. The table below is the one
to copy into tests/test_scope_walk.py (or list this module in APP_SCOPE_TABLES)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from thidua.councils.models import Role
from thidua.initiatives import novelty, services
from thidua.initiatives.models import Level, Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests import fake_similarity
from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"


@dataclass
class Side:
    draft: Any  # a draft application
    recognition: Any  # of a recognised initiative
    council: Any
    member: Any  # a council member who voted (cannot be removed)
    review: Any  # closed
    attachment: Any


@dataclass
class SCtx:
    world: World
    inside: Side
    outside: Side


def _side(w: World, unit: Any, officer: Any, tag: str) -> Side:
    people = [make_person(unit, f"Người {tag} {i}", birth=D(1980, 1, 1 + i), actor=w.admin)
              for i in range(4)]

    def application(title: str) -> Any:
        return services.initiative_create(
            actor=officer, unit=unit, year=2023, title=title, field="Hành chính",
            kind="quan_ly", description="Mô tả giải pháp cải tiến quy trình tiếp nhận hồ sơ.",
            authors=[AuthorInput(person_id=people[0].pk, contribution=Decimal(100))])

    draft = application(f"Bản nháp {tag}")
    attachment = services.attachment_add(actor=officer, initiative=draft,
                                         upload=SimpleUploadedFile("a.pdf", PDF))
    done = application(f"Đã công nhận {tag}")
    services.initiative_transition(actor=officer, initiative=done, to=Status.SUBMITTED)
    council = services.council_create(actor=officer, unit=unit, year=2023,
                                      name=f"Hội đồng sáng kiến {tag}")
    roles = [Role.CHU_TICH, Role.DAI_DIEN_CD, Role.THU_KY]
    members = [services.council_member_add(actor=officer, council=council, person=p, role=r)
               for p, r in zip(people[1:], roles, strict=True)]
    review = services.review_open(actor=officer, council=council, initiative=done)
    services.votes_record(actor=officer, review=review, votes={m.pk: "dong_y" for m in members})
    services.review_close(actor=officer, review=review)
    recognition = services.recognition_create(
        actor=officer, initiative=done, level=Level.CO_SO, decided_on=D(2023, 11, 1),
        decision_no="1/QĐ", issuer="Thủ trưởng đơn vị")
    return Side(draft, recognition, council, members[0], review, attachment)


@pytest.fixture
def sctx(world: World, settings: Any, tmp_path: Any, monkeypatch: Any) -> SCtx:
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    monkeypatch.setattr(novelty, "MIN_PERCENT", 0)  # the stand-in scores on another scale
    novelty.forget_index()
    return SCtx(world, _side(world, world.cdcs_a, world.officer_cdcs, "A"),
                _side(world, world.cdcs_c, world.outsider, "C"))


@dataclass
class Route:
    inside: Any = None
    outside: Any = None
    missing: Any = None
    query_inside: Any = None
    query_outside: Any = None
    query_missing: Any = None
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    data: dict[str, Any] = field(default_factory=dict)
    outside_data: dict[str, Any] | None = None


def _by(attr: str, key: str = "pk") -> dict[str, Any]:
    return {"inside": lambda c: {key: getattr(c.inside, attr).pk},
            "outside": lambda c: {key: getattr(c.outside, attr).pk},
            "missing": lambda c: {key: 987654}}


def _unit_query(key: str = "don_vi") -> dict[str, Any]:
    return {"query_inside": lambda c: {key: "CDCS-A"},
            "query_outside": lambda c: {key: "CDCS-C"},
            "query_missing": lambda c: {key: "KHONG-CO"}}


ROUTES: dict[str, Route] = {
    "initiatives:list": Route(**_unit_query()),
    "initiatives:create": Route(query_inside=lambda c: {"don_vi": "CDCS-A"}),
    "initiatives:similar": Route(method="post",
                                 data={"title": "Cải tiến quy trình tiếp nhận hồ sơ"}),
    "initiatives:counts": Route(**_unit_query()),
    "initiatives:detail": Route(**_by("draft")),
    "initiatives:edit": Route(**_by("draft")),
    "initiatives:transition": Route(**_by("draft"), method="post", ok=(400,),
                                    data={"action": "return"}),
    "initiatives:attach": Route(**_by("draft"), method="post", ok=(400,)),
    "initiatives:docx": Route(**_by("draft")),
    "initiatives:review-open": Route(**_by("draft"), method="post", ok=(400,)),
    "initiatives:recognize": Route(**_by("draft"), method="post", ok=(400,)),
    "initiatives:use": Route(**_by("draft"), method="post", ok=(400,)),
    "initiatives:attachment": Route(**_by("attachment")),
    "initiatives:certificate": Route(**_by("recognition")),
    "initiatives:certificate-docx": Route(**_by("recognition")),
    "initiatives:councils": Route(),
    # a unit outside the scope is not among the form's choices: refused like any bad choice
    "initiatives:council-create": Route(method="post", ok=(400,), data={"unit": "CDCS-A"}),
    "initiatives:council": Route(**_by("council")),
    "initiatives:council-member": Route(**_by("council"), method="post", ok=(400,)),
    "initiatives:council-member-remove": Route(
        inside=lambda c: {"pk": c.inside.council.pk, "member_pk": c.inside.member.pk},
        outside=lambda c: {"pk": c.outside.council.pk, "member_pk": c.outside.member.pk},
        missing=lambda c: {"pk": 987654, "member_pk": 987654}, method="post", ok=(400,)),
    "initiatives:council-criteria": Route(**_by("council"), method="post", ok=(400,),
                                          data={"criteria": "không đúng dạng"}),
    "initiatives:review": Route(**_by("review")),
    "initiatives:review-votes": Route(**_by("review"), method="post", ok=(400,)),
    "initiatives:review-scores": Route(**_by("review"), method="post", ok=(400,)),
    "initiatives:review-close": Route(**_by("review"), method="post", ok=(400,)),
}

API_ROUTES: dict[tuple[str, str], Route] = {
    ("get", "/api/initiatives"): Route(**_unit_query("unit")),
    ("post", "/api/initiatives"): Route(
        ok=(201,),
        data={"unit": "CDCS-A", "year": 2024, "title": "Tra cứu hồ sơ bằng mã QR",
              "field": "Hành chính", "kind": "ung_dung", "description": "Mã QR trên phiếu hẹn.",
              "authors": [{"full_name": "Tác Giả Mới", "contribution": "100"}]},
        outside_data={"unit": "CDCS-C", "year": 2024, "title": "Tra cứu hồ sơ bằng mã QR",
                      "field": "Hành chính", "kind": "ung_dung", "description": "Mã QR.",
                      "authors": [{"full_name": "Tác Giả Mới", "contribution": "100"}]}),
    ("get", "/api/initiatives/{initiative_id}"): Route(**_by("draft", "initiative_id")),
    ("post", "/api/initiatives/{initiative_id}/transitions"): Route(
        **_by("draft", "initiative_id"), method="post", ok=(400,), data={"to": "draft"}),
    ("post", "/api/initiatives/{initiative_id}/uses"): Route(
        **_by("draft", "initiative_id"), method="post", ok=(400,),
        data={"kind": "title", "reference": "CSTĐ cơ sở", "year": 2024}),
    ("post", "/api/initiatives/similar"): Route(method="post", data={"title": "Cải tiến"}),
    ("get", "/api/initiatives/councils/{council_id}"): Route(**_by("council", "council_id")),
    ("get", "/api/initiatives/reviews/{review_id}/votes"): Route(**_by("review", "review_id")),
    ("post", "/api/initiatives/reviews/{review_id}/votes"): Route(
        **_by("review", "review_id"), method="post", ok=(400,), data={"votes": []}),
    ("get", "/api/initiatives/counts"): Route(**_unit_query("unit")),
}


def test_every_route_of_the_app_is_in_the_table():
    resolver = get_resolver()
    names = {f"initiatives:{n}" for n in
             resolver.namespace_dict["initiatives"][1].reverse_dict if isinstance(n, str)}
    assert names == set(ROUTES)
    from thidua.api import api

    paths = {(m.lower(), p) for p, ops in api.get_openapi_schema()["paths"].items()
             for m in ops if p.startswith("/api/initiatives")}
    assert paths == set(API_ROUTES)


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _url(name: str, route: Route, c: SCtx, which: str) -> str:
    kwargs = getattr(route, which)(c) if getattr(route, which) else None
    url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
    query = getattr(route, f"query_{which}")
    return url + "?" + urlencode(query(c)) if query else url


def _call(client: Client, route: Route, url: str, data: dict[str, Any] | None = None) -> Any:
    if route.method == "post":
        return client.post(url, route.data if data is None else data)
    return client.get(url)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_web_route_scope(name: str, sctx: SCtx, client: Client):
    route = ROUTES[name]
    inside = _url(name, route, sctx, "inside")
    anon = _call(client, route, inside)
    assert anon.status_code == 302 and "/dang-nhap/" in anon["Location"], name
    client.force_login(sctx.world.officer_cdcs)
    assert _call(client, route, inside).status_code in route.ok, name
    if route.outside_data is not None:
        assert _call(client, route, inside, route.outside_data).status_code == 404, name
    if route.outside or route.query_outside:
        outside = _call(client, route, _url(name, route, sctx, "outside"))
        missing = _call(client, route, _url(name, route, sctx, "missing"))
        assert outside.status_code == missing.status_code == 404, name
        assert _CSRF.sub(b"", outside.content) == _CSRF.sub(b"", missing.content), name
        other = Client()
        other.force_login(sctx.world.outsider)
        assert _call(other, route, inside).status_code == 404, name


def _api(path: str, route: Route, c: SCtx, which: str) -> str:
    kwargs = getattr(route, which)(c) if getattr(route, which) else {}
    for key, value in kwargs.items():
        path = path.replace("{" + key + "}", str(value))
    query = getattr(route, f"query_{which}")
    return path + "?" + urlencode(query(c)) if query else path


@pytest.mark.parametrize("op", sorted(API_ROUTES), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_route_scope(op: tuple[str, str], sctx: SCtx, client: Client):
    method, path = op
    route = API_ROUTES[op]
    url = _api(path, route, sctx, "inside")

    def send(c: Client, target: str, data: dict[str, Any] | None = None) -> Any:
        if method == "post":
            return c.post(target, json.dumps(route.data if data is None else data),
                          content_type="application/json")
        return c.get(target)

    assert send(client, url).status_code == 401, op
    client.force_login(sctx.world.officer_cdcs)
    assert send(client, url).status_code in route.ok, op
    if route.outside_data is not None:
        assert send(client, url, route.outside_data).status_code == 404, op
    if route.outside or route.query_outside:
        outside = send(client, _api(path, route, sctx, "outside"))
        missing = send(client, _api(path, route, sctx, "missing"))
        assert outside.status_code == missing.status_code == 404, op
        assert outside.json() == missing.json(), op
        other = Client()
        other.force_login(sctx.world.outsider)
        assert send(other, url).status_code == 404, op
