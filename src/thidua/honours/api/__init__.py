"""The honours API: `router` (proposals, decisions, the awards register), mounted at
/api/honours, and `public_router` (the certificate check, no login), mounted at /api/xac-minh."""

from thidua.honours.api.routes import public_router, router

__all__ = ["public_router", "router"]
