"""The JSON API: one NinjaAPI, routers per app, session or bearer-token authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.operation import Operation

from thidua.accounts.api import auth_methods
from thidua.accounts.api import router as accounts_router
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
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError


class ThiDuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`<app>_<function>`: stable when a router moves between modules of its app (clients
        generated from the OpenAPI document keep their method names)."""
        view: Callable[..., Any] = operation.view_func
        app = view.__module__.split(".")[1]
        return f"{app}_{view.__name__}"


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


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):  # type: ignore[no-untyped-def]
    detail = str(exc)
    if exc.status_code == 403 and "CSRF" in detail:
        # Session callers must send the csrftoken cookie's value back as X-CSRFToken.
        detail = "Thiếu hoặc sai mã CSRF (gửi giá trị cookie csrftoken trong header X-CSRFToken)."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(NotFoundError)
def _not_found(request, exc: NotFoundError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message}, status=404)


@api.exception_handler(PermissionDeniedError)
def _forbidden(request, exc: PermissionDeniedError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message}, status=403)


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
api.add_router("/xac-minh", verification_router)  # public: no login, read-only
