"""The clusters API, mounted at /api/clusters: `routes` (the router) and `schemas`."""

from thidua.clusters.api.routes import router

__all__ = ["router"]
