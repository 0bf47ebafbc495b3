"""Walk every web URL and every API route as a user inside the scope, a user outside it, and an
anonymous visitor. A new route without an entry in ROUTES / API_ROUTES fails this test, so no
page or endpoint can ship unwalked.

Inside = the officer of CĐCS "CDCS-A" looking at CDCS-A's things; outside = the same officer
looking at CDCS-C's things (a sibling branch). Out-of-scope answers must be the same 404 as for
an object that does not exist."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from thidua.testing import World, make_person

pytestmark = pytest.mark.django_db

Args = Callable[["Ctx"], dict[str, Any]]


@dataclass
class Ctx:
    world: World
    inside_person: Any
    outside_person: Any
    inside_job: Any
    outside_job: Any
    inside_review: Any = None
    outside_review: Any = None
    admin_inside: Any = None  # admin of CDVC-HN: CDCS-A's accounts are in their subtree
    admin_outside: Any = None  # admin of LDLD-HBT: another branch
    honours: dict[str, Any] = field(default_factory=dict)  # proposals, decisions… by "<which>_<kind>"


@dataclass
class Route:
    inside: Args | None = None  # URL kwargs (or query) of an object in CDCS-A's scope
    outside: Args | None = None  # the same kind of object in CDCS-C
    missing: Args | None = None  # an object that does not exist
    query_inside: Args | None = None
    query_outside: Args | None = None
    query_missing: Args | None = None
    public: bool = False  # login page: open to anonymous visitors
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    data: dict[str, Any] = field(default_factory=dict)
    outside_data: dict[str, Any] | None = None  # a write aimed at a unit outside the scope
    # the administration pages: walked by a branch administrator instead of the CĐCS officer
    # (inside = an account of their subtree, outside = one of another branch)
    admin: bool = False


def _unit(code: str) -> Args:
    return lambda c: {"code": code}


def _person(which: str) -> Args:
    return lambda c: {"pk": getattr(c, f"{which}_person").pk}


def _account(which: str) -> Args:
    return lambda c: {"pk": (c.world.officer_cdcs if which == "inside" else c.world.outsider).pk}


def _grant(which: str) -> Args:
    def build(c: Ctx) -> dict[str, Any]:
        user = c.world.officer_cdcs if which == "inside" else c.world.outsider
        return {"pk": user.pk, "grant_id": user.role_grants.get().pk}
    return build


def _job(which: str) -> Args:
    return lambda c: {"job_id": getattr(c, f"{which}_job").pk}


def _token(which: str, key: str = "pk") -> Args:
    """An API token of CDCS-A's officer (inside) or of the other branch's (outside): one's own
    tokens only."""
    def build(c: Ctx) -> dict[str, Any]:
        from thidua.accounts.models import ApiToken
        from thidua.accounts.services import api_token_create

        if which == "missing":
            return {key: 987654}
        user = c.world.officer_cdcs if which == "inside" else c.world.outsider
        token = ApiToken.objects.filter(user=user, name="walk").first()
        return {key: (token or api_token_create(actor=None, user=user, name="walk")[0]).pk}
    return build


EVAL_YEAR = 2024


def _hon(kind: str, key: str = "pk", **more: str) -> Callable[[str], Args]:
    """URL kwargs naming the honours record `kind` of CDCS-A (inside) or CDCS-C (outside)."""
    def which(w: str) -> Args:
        def build(c: Ctx) -> dict[str, Any]:
            if w == "missing":
                return {key: 987654, **{k: 987654 for k in more}}
            return {key: c.honours[f"{w}_{kind}"].pk,
                    **{k: c.honours[f"{w}_{v}"].pk for k, v in more.items()}}
        return build
    return which


def _hon_route(kind: str, key: str = "pk", *, method: str = "get", ok: tuple[int, ...] = (200,),
               data: dict[str, Any] | None = None, **more: str) -> Route:
    build = _hon(kind, key, **more)
    return Route(inside=build("inside"), outside=build("outside"), missing=build("missing"),
                 method=method, ok=ok, data=data or {})


# a step form posted with a step the page no longer shows: refused with the conflict message
# (400) inside; a 404 outside before anything is read
_STALE = {"seen_status": "khac"}
_UNITS = {"inside": "CDCS-A", "outside": "CDCS-C", "missing": "KHONG-CO"}


def _rv(c: Ctx, which: str) -> tuple[Any, Any, Any]:
    return c.outside_review if which == "outside" else c.inside_review


def _year_route(*, method: str = "get", ok: tuple[int, ...] = (200,),
                extra: Callable[[Ctx, str], dict[str, Any]] | None = None) -> Route:
    """A page of a unit's evaluation year: /danh-gia/<code>/<year>/…"""

    def args(which: str) -> Args:
        def build(c: Ctx) -> dict[str, Any]:
            kwargs: dict[str, Any] = {"code": _UNITS[which], "year": EVAL_YEAR}
            if extra is not None:
                # a missing unit still needs well-formed ids: reuse the inside objects
                kwargs |= extra(c, "inside" if which == "missing" else which)
            return kwargs
        return build

    return Route(inside=args("inside"), outside=args("outside"), missing=args("missing"),
                 method=method, ok=ok)


def _honours(which: str, key: str) -> Args:
    """URL kwargs of a proposal / candidate / decision of CDCS-A (inside) or CDCS-C (outside)."""

    def build(c: Ctx) -> dict[str, Any]:
        if which == "missing":
            return {"pk": 987654, "cid": 987654} if key == "candidate" else {"pk": 987654}
        proposal, candidate, decision = (c.honours[f"{which}_{k}"]
                                         for k in ("proposal", "candidate", "decision"))
        if key == "candidate":
            return {"pk": proposal.pk, "cid": candidate.pk}
        return {"pk": (proposal if key == "proposal" else decision).pk}
    return build


ROUTES: dict[str, Route] = {
    # an officer's home is "việc chờ tôi"; only a member or a viewer is sent on
    "home": Route(),
    "pending": Route(),
    "accounts:list": Route(admin=True),
    "accounts:create": Route(admin=True),
    "accounts:detail": Route(admin=True, inside=_account("inside"), outside=_account("outside"),
                             missing=lambda c: {"pk": 987654}),
    **{f"accounts:{name}": Route(admin=True, inside=_account("inside"),
                                 outside=_account("outside"), missing=lambda c: {"pk": 987654},
                                 method="post", ok=(302, 400))  # 400: the form, with its errors
       for name in ("active", "password", "grant")},
    "accounts:revoke": Route(admin=True, inside=_grant("inside"), outside=_grant("outside"),
                             missing=lambda c: {"pk": 987654, "grant_id": 987654},
                             method="post", ok=(200, 302)),
    "audit:list": Route(admin=True),
    "honours:catalogue": Route(admin=True),
    # the Word templates serve the whole installation: a branch administrator (admin_inside)
    # opens the page and its downloads, and is refused changes (403 with the reason)
    "doc_templates:list": Route(admin=True),
    **{f"doc_templates:{name}": Route(admin=True,
                                      inside=lambda c: {"key": "initiatives.giay_chung_nhan"})
       for name in ("current", "default", "sample")},
    **{f"doc_templates:{name}": Route(admin=True,
                                      inside=lambda c: {"key": "initiatives.giay_chung_nhan"},
                                      method="post", ok=(403,))
       for name in ("upload", "restore")},
    **{f"honours_docs:{name}": Route(inside=_honours("inside", key), outside=_honours("outside", key),
                                     missing=_honours("missing", key))
       for name, key in (("to_trinh", "proposal"), ("bien_ban", "proposal"),
                         ("bao_cao", "candidate"), ("decision_docx", "decision"))},
    # without LibreOffice the PDF answers 503 (the .docx still works)
    "honours_docs:decision_pdf": Route(inside=_honours("inside", "decision"),
                                       outside=_honours("outside", "decision"),
                                       missing=_honours("missing", "decision"), ok=(200, 503)),
    "login": Route(public=True, ok=(200, 302)),
    "logout": Route(method="post", ok=(302,), public=True),
    "password_change": Route(),
    # only the caller's own record, no id to aim elsewhere; an account with no person record gets
    # 404 (web/tests/test_my_data.py covers a member's download)
    "my-data": Route(ok=(200, 404)),
    "tokens": Route(),
    "token_revoke": Route(inside=_token("inside"), outside=_token("outside"),
                          missing=_token("missing"), method="post", ok=(302,)),
    # the public check of certificates: no login, nothing in anyone's scope (honours/test_verify)
    "verify:form": Route(public=True),
    "verify:code": Route(public=True, inside=lambda c: {"code": "K7QM2XPAK7QM2XPAK7QM"},
                         ok=(404,)),  # no such certificate: the one answer for unknown codes
    "verify:revoked": Route(public=True, inside=lambda c: {"issuer": "CDVC-HN"}),
    "org:tree": Route(),
    "org:unit": Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"), missing=_unit("KHONG-CO")),
    "org:tree-children": Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                               missing=_unit("KHONG-CO")),
    "people:list": Route(query_inside=lambda c: {"don_vi": "CDCS-A"},
                         query_outside=lambda c: {"don_vi": "CDCS-C"},
                         query_missing=lambda c: {"don_vi": "KHONG-CO"}),
    "people:create": Route(query_inside=lambda c: {"don_vi": "CDCS-A"}),
    "people:detail": Route(inside=_person("inside"), outside=_person("outside"),
                           missing=lambda c: {"pk": 987654}),
    "people:edit": Route(inside=_person("inside"), outside=_person("outside"),
                         missing=lambda c: {"pk": 987654}, method="post", ok=(200, 302)),
    "people:transfer": Route(inside=_person("inside"), outside=_person("outside"),
                             missing=lambda c: {"pk": 987654}, method="post", ok=(200, 302)),
    "people:membership": Route(inside=_person("inside"), outside=_person("outside"),
                               missing=lambda c: {"pk": 987654}, method="post", ok=(200, 302),
                               data={"action": "suspend"}),
    "people:import": Route(query_inside=lambda c: {"don_vi": "CDCS-A"}),
    "people:import-job": Route(inside=_job("inside"), outside=_job("outside"),
                               missing=lambda c: {"job_id": 987654}),
    "people:import-progress": Route(inside=_job("inside"), outside=_job("outside"),
                                    missing=lambda c: {"job_id": 987654}),
    "people:import-errors": Route(inside=_job("inside"), outside=_job("outside"),
                                  missing=lambda c: {"job_id": 987654}),
    "people:export": Route(query_inside=lambda c: {"don_vi": "CDCS-A"}),
    "people:import-template": Route(),
    # only a job lost by a dead worker may run again: the walk's jobs answer 400 inside
    "people:import-rerun": Route(inside=_job("inside"), outside=_job("outside"),
                                 missing=lambda c: {"job_id": 987654}, method="post",
                                 ok=(302, 400)),
    # targets, welfare and Party development of a unit's year (reports, issue 11)
    **{f"reports:{name}": _year_route() for name in (
        "targets", "welfare", "welfare-import", "party", "party-import", "family",
        "family-import", "summary", "dashboard", "dashboard-children-xlsx", "statistics",
        "statistics-form0602")},
    "reports:summary-download": _year_route(extra=lambda c, w: {"fmt": "md"}),
    "reports:target-delete": _year_route(method="post", ok=(302,), extra=lambda c, w: {
        "pk": c.honours[f"{w}_target"].pk}),
    "reports:welfare-template": Route(),
    "reports:party-template": Route(),
    "reports:family-template": Route(),
    "reports:family-delete": _hon_route("family", method="post", ok=(302,)),
    "reports:welfare-detail": _hon_route("welfare"),
    "reports:welfare-delete": _hon_route("welfare", method="post", ok=(302,)),
    "reports:beneficiary-remove": _hon_route("beneficiary", method="post", ok=(302,)),
    "reports:party-admit": _hon_route("party", method="post", ok=(302,),
                                      data={"admitted_on": ""}),
    "reports:party-delete": _hon_route("party", method="post", ok=(302,)),
    "reports:statistics-detail": _hon_route("statistics"),
    "reports:statistics-download": _hon_route("statistics"),
    "reports:statistics-edit": _hon_route("statistics"),
    "reports:statistics-delete": _hon_route("statistics", method="post", ok=(302,)),
    # clusters (issue 12): CDCS-A heads a cluster of CĐVC TP Hà Nội; CDCS-C one of LĐLĐ quận
    # Hai Bà Trưng. The clusters a unit is in are listed on its year page.
    "clusters:list": _year_route(),
    **{f"clusters:{name}": _hon_route("cluster") for name in (
        "detail", "pledge", "pledge-docx", "suy-ton")},
    # set-up is the issuer's: a member's officer is refused with the reason
    "clusters:manage": _hon_route("cluster", method="post", ok=(403,),
                                  data={"action": "criterion_remove", "criterion": "0"}),
    **{f"clusters:{name}": _hon_route("membership") for name in ("sheet", "sheet-docx")},
    "clusters:evidence": _hon_route("score"),
    **{f"evaluation:{name}": _year_route() for name in (
        "unit-year", "import", "template", "grading", "grading-templates", "review", "results",
        "minutes", "settings")},
    **{f"evaluation:{name}": _year_route(method="post", ok=(302,)) for name in (
        "ratings-save", "unit-ratings", "review-open", "review-propose", "candidate-add",
        "council-add", "presence", "meeting", "votes-fill", "review-transition", "correct")},
    "evaluation:index": Route(ok=(302,)),
    # the header's year choice: a redirect to the chosen year's page
    "evaluation:unit-home": Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                  missing=_unit("KHONG-CO"), ok=(302,)),
    "evaluation:lock": _year_route(method="post", ok=(403,)),  # locking needs the leader role
    "evaluation:votes": _year_route(extra=lambda c, w: {"cid": _rv(c, w)[1].pk}),
    "evaluation:candidate-remove": _year_route(method="post", ok=(302,),
                                               extra=lambda c, w: {"cid": _rv(c, w)[1].pk}),
    "evaluation:council-remove": _year_route(method="post", ok=(302,),
                                             extra=lambda c, w: {"mid": _rv(c, w)[2].pk}),
    "evaluation:rating-row": _year_route(method="post", ok=(302,),
                                         extra=lambda c, w: {"pk": getattr(c, f"{w}_person").pk}),
    "evaluation:person": Route(inside=lambda c: {"pk": c.inside_person.pk, "year": EVAL_YEAR},
                               outside=lambda c: {"pk": c.outside_person.pk, "year": EVAL_YEAR},
                               missing=lambda c: {"pk": 987654, "year": EVAL_YEAR}),
    "evaluation:person-section": Route(inside=_person("inside"), outside=_person("outside"),
                                       missing=lambda c: {"pk": 987654}, ok=(302,)),
    "evaluation:discipline-add": Route(inside=_person("inside"), outside=_person("outside"),
                                       missing=lambda c: {"pk": 987654}, method="post",
                                       ok=(302,)),
    "evaluation:pending-add": Route(inside=_person("inside"), outside=_person("outside"),
                                    missing=lambda c: {"pk": 987654}, method="post",
                                    ok=(302,)),
    # tree events need the leader role: the CĐCS officer sees the 403 page naming it
    **{f"people:unit-{name}": Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                    missing=_unit("KHONG-CO"), ok=(403,))
       for name in ("create", "rename", "move", "merge", "split", "dissolve")},
    # the person picker's search: scoped by what it returns (people/tests/test_picker.py)
    "people:search": Route(query_inside=lambda c: {"q": "tran thi anh"}),
    # a typed unit field's suggestions: scoped by what they return (people/tests/test_picker.py)
    "people:unit-suggest": Route(query_inside=lambda c: {"q": "CDCS"}),
    "evaluation:initiative-add": Route(inside=_person("inside"), outside=_person("outside"),
                                       missing=lambda c: {"pk": 987654}, method="post",
                                       ok=(302,)),
    # commendation: proposals of CDCS-A → CDVC-HN and CDCS-C → LDLD-HBT, their decisions
    "honours:proposals": Route(),
    "honours:proposal-create": Route(),
    "honours:deadlines": Route(),
    "honours:decisions": Route(),
    "honours:mine": Route(),
    "honours:register": Route(query_inside=lambda c: {"don_vi": "CDCS-A"},
                              query_outside=lambda c: {"don_vi": "CDCS-C"},
                              query_missing=lambda c: {"don_vi": "KHONG-CO"}),
    "honours:proposal": _hon_route("proposal"),
    **{f"honours:{name}": _hon_route("proposal", method="post", ok=(400,), data=_STALE)
       for name in ("proposal-step", "candidate-add", "candidates-from-titles", "dossier-attach",
                    "proposal-council", "council-member", "proposal-votes", "proposal-decide",
                    "proposal-forward", "proposal-outcome")},
    **{f"honours:{name}": _hon_route("proposal", method="post", ok=(400,), data=_STALE,
                                     cid="candidate")
       for name in ("candidate-edit", "candidate-remove")},
    "honours:dossier-remove": _hon_route("proposal", method="post", ok=(400,), data=_STALE,
                                         item="item"),
    "honours:dossier-download": _hon_route("item", "item"),
    "honours:decision": _hon_route("decision"),
    # the CĐCS officer sees the decision of the level above, the forms refuse an empty post
    **{f"honours:{name}": _hon_route("decision", method="post", ok=(400,))
       for name in ("decision-revoke", "decision-correct")},
    # 503 until the certificates module renders the PDF
    "honours:certificate-download": _hon_route("award"),
    "honours:person-awards": Route(inside=_person("inside"), outside=_person("outside"),
                                   missing=lambda c: {"pk": 987654}),
    "honours:unit-awards": Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                 missing=_unit("KHONG-CO")),
}

API_ROUTES: dict[tuple[str, str], Route] = {
    ("get", "/api/me"): Route(),
    ("get", "/api/tokens"): Route(),
    ("delete", "/api/tokens/{token_id}"): Route(inside=_token("inside", "token_id"),
                                                outside=_token("outside", "token_id"),
                                                missing=_token("missing", "token_id")),
    ("get", "/api/units/tree"): Route(),
    ("get", "/api/units/{code}"): Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                        missing=_unit("KHONG-CO")),
    ("get", "/api/units/{code}/subtree"): Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                                missing=_unit("KHONG-CO")),
    ("get", "/api/units/{code}/events"): Route(inside=_unit("CDCS-A"), outside=_unit("CDCS-C"),
                                               missing=_unit("KHONG-CO")),
    ("get", "/api/people"): Route(),
    ("post", "/api/people"): Route(
        ok=(201,),
        data={"unit": "CDCS-A", "full_name": "Nguyễn Thị Mới", "gender": "nu",
              "start_date": "2024-01-01"},
        outside_data={"unit": "CDCS-C", "full_name": "Nguyễn Thị Mới", "gender": "nu",
                      "start_date": "2024-01-01"},
    ),
    ("get", "/api/people/{person_id}"): Route(
        inside=lambda c: {"person_id": c.inside_person.pk},
        outside=lambda c: {"person_id": c.outside_person.pk},
        missing=lambda c: {"person_id": 987654},
    ),
    ("patch", "/api/people/{person_id}"): Route(
        inside=lambda c: {"person_id": c.inside_person.pk},
        outside=lambda c: {"person_id": c.outside_person.pk},
        missing=lambda c: {"person_id": 987654},
        data={"version": 1, "position": "Kế toán"},
    ),
    **{("get", f"/api/evaluation/units/{{code}}/{{year}}{tail}"): Route(
        inside=lambda c: {"code": "CDCS-A", "year": EVAL_YEAR},
        outside=lambda c: {"code": "CDCS-C", "year": EVAL_YEAR},
        missing=lambda c: {"code": "KHONG-CO", "year": EVAL_YEAR}) for tail in ("", "/ratings",
                                                                              "/results")},
    ("put", "/api/evaluation/units/{code}/{year}/ratings"): Route(
        inside=lambda c: {"code": "CDCS-A", "year": EVAL_YEAR},
        outside=lambda c: {"code": "CDCS-C", "year": EVAL_YEAR},
        missing=lambda c: {"code": "KHONG-CO", "year": EVAL_YEAR}, data={"rows": []}),
    ("get", "/api/evaluation/people/{person_id}/{year}"): Route(
        inside=lambda c: {"person_id": c.inside_person.pk, "year": EVAL_YEAR},
        outside=lambda c: {"person_id": c.outside_person.pk, "year": EVAL_YEAR},
        missing=lambda c: {"person_id": 987654, "year": EVAL_YEAR}),
    # rules: no unit data behind them, so nothing is outside the scope
    ("get", "/api/rules/sets"): Route(),
    ("get", "/api/rules/sets/{rule_set_id}"): Route(inside=lambda c: {"rule_set_id": "tld-1689-2019"}),
    ("post", "/api/rules/evaluate"): Route(data={
        "year": 2024, "ratings": {"2024": "HTTNV"}, "registered": {"2024": ["LDTT"]},
        "service_months": {"2024": 12}}),
    # clusters (issue 12): CDCS-A heads a cluster of CĐVC TP Hà Nội and fills its own sheet
    ("get", "/api/clusters"): Route(),
    ("get", "/api/clusters/{cluster_id}"): Route(
        inside=_hon("cluster", "cluster_id")("inside"),
        outside=_hon("cluster", "cluster_id")("outside"),
        missing=_hon("cluster", "cluster_id")("missing")),
    **{(method, f"/api/clusters/sheets/{{member_id}}{tail}"): Route(
        inside=_hon("membership", "member_id")("inside"),
        outside=_hon("membership", "member_id")("outside"),
        missing=_hon("membership", "member_id")("missing"), method=method,
        data={"entries": []} if method == "post" else {})
       for method, tail in (("get", ""), ("post", "/values"))},
    ("get", "/api/imports/{job_id}"): Route(
        inside=lambda c: {"job_id": c.inside_job.pk},
        outside=lambda c: {"job_id": c.outside_job.pk},
        missing=lambda c: {"job_id": 987654},
    ),
}


def _web_names() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[Any], ns: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                names.append(f"{ns}:{p.name}" if ns else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def _api_ops() -> list[tuple[str, str]]:
    from thidua.api import api

    schema = api.get_openapi_schema()
    return [(m.lower(), path) for path, ops in schema["paths"].items() for m in ops]


@pytest.fixture
def ctx(world: World) -> Ctx:
    from thidua.people.models import ImportJob

    inside_person = world.member
    outside_person = make_person(world.cdcs_c, "Lý Văn Ngoài", start=dt.date(2015, 1, 1))
    inside_job = ImportJob.objects.create(unit=world.cdcs_a, created_by=world.officer_cdcs,
                                          file_name="a.xlsx", file="imports/nonexistent.xlsx",
                                          effective_date=dt.date(2024, 1, 1))
    outside_job = ImportJob.objects.create(unit=world.cdcs_c, created_by=world.outsider,
                                           file_name="c.xlsx", file="imports/nonexistent.xlsx",
                                           effective_date=dt.date(2024, 1, 1))
    from thidua.accounts.services import role_grant_create
    from thidua.testing import make_user

    admins = []
    for username, unit in (("quantri_cdvc", world.cdvc), ("quantri_hbt", world.hbt)):
        admins.append(make_user(username))
        role_grant_create(actor=None, user=admins[-1], unit=unit, role="admin")
    return Ctx(world, inside_person, outside_person, inside_job, outside_job,
               _review(world.cdcs_a, inside_person), _review(world.cdcs_c, outside_person),
               *admins, honours={
                   **_honours_rows("inside", world.cdcs_a, world.cdvc, inside_person),
                   **_honours_rows("outside", world.cdcs_c, world.hbt, outside_person),
                   **_reports_rows("inside", world.cdcs_a, inside_person),
                   **_reports_rows("outside", world.cdcs_c, outside_person),
                   **_clusters_rows("inside", world.cdvc, [world.cdcs_a, world.cdcs_b]),
                   **_clusters_rows("outside", world.hbt, [world.cdcs_c])})


def _clusters_rows(which: str, issuer: Any, units: list[Any]) -> dict[str, Any]:
    """A cluster of `issuer` in EVAL_YEAR headed by `units[0]`, its membership and one score
    with an evidence file (rows written directly)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from thidua.clusters.models import Cluster, Criterion, Membership, Score

    cluster = Cluster.objects.create(issuer=issuer, year=EVAL_YEAR, number=1,
                                     pledge_text="1. Phát động phong trào thi đua.")
    memberships = [Membership.objects.create(cluster=cluster, unit=u, order=i,
                                             role="truong" if i == 0 else "thanh_vien")
                   for i, u in enumerate(units)]
    criterion = Criterion.objects.create(cluster=cluster, code="1", name="Phong trào",
                                         kind="tu_cham", max_points=10)
    name = default_storage.save(f"clusters/walk-{which}.pdf", ContentFile(b"%PDF-1.4\n%EOF\n"))
    score = Score.objects.create(membership=memberships[0], criterion=criterion, value=8,
                                 points=8, file=name, original_name="minh-chung.pdf",
                                 file_kind="pdf", size=14)
    return {f"{which}_cluster": cluster, f"{which}_membership": memberships[0],
            f"{which}_score": score}


def _reports_rows(which: str, unit: Any, person: Any) -> dict[str, Any]:
    """A target, a welfare activity with one beneficiary, a Party candidate, a family title and
    a saved statistics report of `unit` (rows written directly, the kept figures with them)."""
    from thidua.reports.models import StatisticsReport, Target
    from thidua.reports.tests.helpers import family, party, welfare

    day = dt.date(EVAL_YEAR, 3, 8)
    activity = welfare(unit, day, "8_3", (None, 100_000))
    return {
        f"{which}_beneficiary": activity.beneficiaries.get(),
        f"{which}_target": Target.objects.create(unit=unit, year=EVAL_YEAR, measure="cdcs_yeu",
                                                 comparison="le", value=0),
        f"{which}_welfare": activity,
        f"{which}_party": party(person, unit, day),
        f"{which}_family": family(person, unit, EVAL_YEAR),
        f"{which}_statistics": StatisticsReport.objects.create(
            unit=unit, name="Thống kê", subtree=unit, year_from=EVAL_YEAR, year_to=EVAL_YEAR,
            rows="form", values=["total"]),
    }


def _honours_rows(which: str, unit: Any, recipient: Any, person: Any) -> dict[str, Any]:
    """A draft proposal with one candidate and one dossier file, and a decision with one award,
    of `unit`: rows written directly, as the walk needs records, not the workflow."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from thidua.honours.models import (
        Award,
        Candidate,
        Certificate,
        Decision,
        DossierItem,
        Proposal,
    )

    p = Proposal.objects.create(unit=unit, recipient=recipient, year=EVAL_YEAR, kind="nam",
                                form="GK_CAP_TREN", title=f"Đề nghị {unit.code}")
    c = Candidate.objects.create(proposal=p, person=person, display_name=person.full_name)
    name = default_storage.save(f"honours/walk-{which}.pdf", ContentFile(b"%PDF-1.4\n%EOF\n"))
    item = DossierItem.objects.create(proposal=p, kind="to_trinh", file=name,
                                      original_name="to-trinh.pdf", file_kind="pdf", size=14)
    d = Decision.objects.create(issuer=recipient, year=EVAL_YEAR, number=f"1/QĐ-{which}",
                                date=dt.date(2025, 1, 10), form="GK_CAP_TREN",
                                title="Về việc tặng Giấy khen", signer_name="A",
                                signer_title="Chủ tịch")
    award = Award.objects.create(decision=d, issuer=recipient, form="GK_CAP_TREN",
                                 person=person, home_unit=unit, recipient_name=person.full_name,
                                 year=EVAL_YEAR)
    Certificate.objects.create(award=award, code=("IN" if which == "inside" else "OU") * 10)
    return {f"{which}_proposal": p, f"{which}_candidate": c, f"{which}_item": item,
            f"{which}_decision": d, f"{which}_award": award}


def _review(unit: Any, person: Any) -> tuple[Any, Any, Any]:
    """A review with one candidate and one council member: several evaluation pages need one."""
    from thidua.councils.models import Council, Member
    from thidua.evaluation.models import Candidate, Review

    council = Council.objects.create(unit=unit, kind="review", year=EVAL_YEAR, name="Hội đồng")
    review = Review.objects.create(unit=unit, year=EVAL_YEAR, council=council)
    candidate = Candidate.objects.create(review=review, person=person, title="LDTT", source="engine")
    member = Member.objects.create(council=council, full_name="Thành viên", role="chu_tich")
    return review, candidate, member


def _call(client: Client, route: Route, url: str) -> Any:
    return getattr(client, route.method)(url, route.data) if route.method != "get" else client.get(url)


def _url(name: str, route: Route, ctx: Ctx, which: str) -> str:
    kwargs = getattr(route, which)(ctx) if getattr(route, which) else None
    url = reverse(name, kwargs=kwargs) if kwargs else reverse(name)
    q = getattr(route, f"query_{which}", None)
    if q:
        from urllib.parse import urlencode

        url += "?" + urlencode(q(ctx))
    return url


_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(response: Any) -> bytes:
    """The body without the per-response CSRF token."""
    return _CSRF.sub(b"", response.content)


# Apps that walk their own routes with the same checks (inside / outside = missing / other
# branch / anonymous) in a scope table of their own; their routes count as covered here.
APP_SCOPE_TABLES = [
    "thidua.movements.tests.test_scope",
    "thidua.initiatives.tests.test_scope",
    "thidua.honours.tests.test_scope_api",
]


def _app_tables() -> tuple[set[str], set[tuple[str, str]]]:
    import importlib

    web: set[str] = set()
    api: set[tuple[str, str]] = set()
    for name in APP_SCOPE_TABLES:
        module = importlib.import_module(name)
        web |= set(module.ROUTES)
        api |= set(module.API_ROUTES)
    return web, api


def test_every_web_route_is_registered():
    missing = sorted(set(_web_names()) - set(ROUTES) - _app_tables()[0])
    assert not missing, f"routes not covered by the scope walk: {missing}"


def test_every_api_route_is_registered():
    missing = sorted(set(_api_ops()) - set(API_ROUTES) - _app_tables()[1])
    assert not missing, f"API routes not covered by the scope walk: {missing}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_web_route_scope(name: str, ctx: Ctx, client: Client):
    route = ROUTES[name]
    inside_url = _url(name, route, ctx, "inside")
    anon = _call(client, route, inside_url)
    if not route.public:
        assert anon.status_code == 302 and "/dang-nhap/" in anon["Location"], name
    me = ctx.admin_inside if route.admin else ctx.world.officer_cdcs
    if route.admin:
        # the administration pages answer an officer as they answer a missing page
        officer = Client()
        officer.force_login(ctx.world.officer_cdcs)
        assert _call(officer, route, inside_url).status_code == 404, name
    client.force_login(me)
    assert _call(client, route, inside_url).status_code in route.ok, name
    if route.outside or route.query_outside:
        # a fresh session: a flash message left by the inside call must not show on the 404s
        client = Client()
        client.force_login(me)
        outside = _call(client, route, _url(name, route, ctx, "outside"))
        assert outside.status_code == 404, name
        if route.missing or route.query_missing:
            missing = _call(client, route, _url(name, route, ctx, "missing"))
            assert missing.status_code == 404
            assert _page(missing) == _page(outside), f"{name}: forbidden and missing differ"
        # and the mirror image: the other branch's officer cannot see CDCS-A's object
        other = Client()
        other.force_login(ctx.admin_outside if route.admin else ctx.world.outsider)
        assert _call(other, route, inside_url).status_code == 404, name


def _api_path(path: str, kwargs: dict[str, Any]) -> str:
    for key, value in kwargs.items():
        path = path.replace("{" + key + "}", str(value))
    return path


@pytest.mark.parametrize("op", sorted(API_ROUTES), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_route_scope(op: tuple[str, str], ctx: Ctx, client: Client):
    method, path = op
    route = API_ROUTES[op]
    inside = _api_path(path, route.inside(ctx) if route.inside else {})
    call = getattr(client, method)
    import json

    kwargs: dict[str, Any] = (
        {"data": json.dumps(route.data), "content_type": "application/json"} if method != "get" else {}
    )
    assert call(inside, **kwargs).status_code == 401, op
    client.force_login(ctx.world.officer_cdcs)
    assert call(inside, **kwargs).status_code in route.ok, op
    if route.outside_data is not None:
        import json

        refused = call(inside, data=json.dumps(route.outside_data), content_type="application/json")
        assert refused.status_code == 404, op
    if route.outside:
        outside = call(_api_path(path, route.outside(ctx)), **kwargs)
        assert outside.status_code == 404, op
        if route.missing:
            missing = call(_api_path(path, route.missing(ctx)), **kwargs)
            assert missing.status_code == 404 and missing.json() == outside.json(), op
        other = Client()
        other.force_login(ctx.world.outsider)
        assert getattr(other, method)(inside, **kwargs).status_code == 404, op
