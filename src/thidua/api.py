"""The JSON API: one NinjaAPI, routers per app, session or bearer-token authentication."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from thidua.accounts.api import auth_methods
from thidua.accounts.api import router as accounts_router
from thidua.clusters.api import router as clusters_router
from thidua.evaluation.api import router as evaluation_router
from thidua.evaluation.api.rules import router as rules_router
from thidua.honours.api import public_router as verification_router
from thidua.honours.api import router as honours_router
from thidua.initiatives.api import router as initiatives_router
from thidua.movements.api import router as movements_router
from thidua.org.api.tree import router as org_router
from thidua.people.api.people import imports_router
from thidua.people.api.people import router as people_router
from thidua.people.api.units import router as units_router
from thidua.platform.api import ERROR_SCHEMAS, too_big_message, validation_payload
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.rules.ruleset import RuleSetError

WRITES = {"post", "put", "patch", "delete"}


class ThiDuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`<app>_<function>`: stable when a router moves between modules of its app (clients
        generated from the OpenAPI document keep their method names)."""
        view: Callable[..., Any] = operation.view_func
        app = view.__module__.split(".")[1]
        return f"{app}_{view.__name__}"

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        """Every operation documents the errors the exception handlers below may answer, in one
        place rather than in each route: 401 without valid credentials; 400 (a refusal), 404
        (missing or out of scope) and 422 (bad input) for anything that takes input; 403, 409
        (someone saved first) and 413 (body too large) for writes; 503 everywhere (the database
        or the disk is unavailable: thidua.platform.middleware answers it). A route's own
        declaration wins."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in set(ERROR_SCHEMAS.values()):
            body = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components.setdefault(model.__name__, body)
        for operations in schema["paths"].values():
            for method, op in operations.items():
                codes = {503}
                if op.get("security"):
                    codes.add(401)
                if op.get("parameters") or op.get("requestBody"):
                    codes |= {400, 404, 422}
                if method in WRITES:
                    codes |= {400, 403, 404, 409, 413, 422}
                # ninja keys a route's own statuses by int: one key per status once in JSON
                responses = {str(k): v for k, v in op.get("responses", {}).items()}
                op["responses"] = responses
                for code in sorted(codes):
                    model = ERROR_SCHEMAS[code]
                    responses.setdefault(str(code), {
                        "description": HTTPStatus(code).phrase,
                        "content": {"application/json": {"schema": {
                            "$ref": f"#/components/schemas/{model.__name__}"}}},
                    })
        return schema


api = ThiDuaAPI(
    title="Thi Đua API",
    version="1",
    description="Tổ chức công đoàn, người lao động và đoàn viên. Mọi truy vấn giới hạn trong phạm "
    "vi đơn vị được phân quyền. Xác thực: phiên đăng nhập (kèm X-CSRFToken khi ghi) hoặc "
    "Authorization: Bearer td_… (tạo bằng `thidua manage create_api_token`).",
    auth=auth_methods(),
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):  # type: ignore[no-untyped-def]
    response = api.create_response(
        request,
        {"detail": "Cần đăng nhập, hoặc gửi mã truy cập hợp lệ: Authorization: Bearer td_…"},
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):  # type: ignore[no-untyped-def]
    return api.create_response(request, validation_payload(list(exc.errors)), status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": too_big_message()}, status=413)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):  # type: ignore[no-untyped-def]
    detail = str(exc)
    if exc.status_code == 403 and "CSRF" in detail:
        # Session callers must send the csrftoken cookie's value back as X-CSRFToken.
        detail = "Thiếu hoặc sai mã CSRF (gửi giá trị cookie csrftoken trong header X-CSRFToken)."
    elif exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(NotFoundError)
def _not_found(request, exc: NotFoundError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message}, status=404)


@api.exception_handler(PermissionDeniedError)
def _forbidden(request, exc: PermissionDeniedError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.exception_handler(RuleSetError)
def _no_rules(request, exc: RuleSetError):  # type: ignore[no-untyped-def]
    # e.g. a year the app accepts but no rule set in force covers (THIDUA_FIRST_YEAR = 2000)
    return api.create_response(request, {"detail": exc.message, "field": None}, status=400)


@api.exception_handler(ApplicationError)
def _refused(request, exc: ApplicationError):  # type: ignore[no-untyped-def]
    # A stale `version` means someone else saved first: a conflict, not a bad request.
    status = 409 if exc.field == "version" else 400
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, **exc.extra}, status=status
    )


api.add_router("/", accounts_router)
api.add_router("/units", org_router)
api.add_router("/units", units_router)  # after org_router: /units/tree before /units/{code}
api.add_router("/people", people_router)
api.add_router("/imports", imports_router)
api.add_router("/movements", movements_router)
api.add_router("/evaluation", evaluation_router)
api.add_router("/rules", rules_router)
api.add_router("/initiatives", initiatives_router)
api.add_router("/honours", honours_router)
api.add_router("/clusters", clusters_router)
api.add_router("/xac-minh", verification_router)  # public: no login, read-only
