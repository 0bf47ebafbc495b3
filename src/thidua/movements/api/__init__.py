"""The JSON API of movements, plans and registrations (mounted at /api/movements)."""

from thidua.movements.api.routes import router

__all__ = ["router"]
