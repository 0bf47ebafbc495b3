"""The JSON API: one NinjaAPI, routers per app, session or bearer-token authentication."""

from __future__ import annotations

from ninja import NinjaAPI

from thidua.accounts.api import auth_methods, router as accounts_router
from thidua.core.errors import ApplicationError, NotFoundError
from thidua.org.api import router as org_router
from thidua.people.api import router as people_router

api = NinjaAPI(
    title="Thi Đua API",
    version="1",
    description="Tổ chức công đoàn, người lao động và đoàn viên. Mọi truy vấn giới hạn trong phạm vi "
    "đơn vị được phân quyền.",
    auth=auth_methods(),
    urls_namespace="api",
)


@api.exception_handler(NotFoundError)
def _not_found(request, exc: NotFoundError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.message}, status=404)


@api.exception_handler(ApplicationError)
def _refused(request, exc: ApplicationError):  # type: ignore[no-untyped-def]
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, **exc.extra}, status=400
    )


api.add_router("/", accounts_router)
api.add_router("/units", org_router)
api.add_router("/people", people_router)
