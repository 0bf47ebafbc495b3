"""The initiatives API, mounted at /api/initiatives: `routes` (the router) and `schemas`."""

from thidua.initiatives.api.routes import router

__all__ = ["router"]
