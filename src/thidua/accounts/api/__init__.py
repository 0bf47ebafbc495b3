"""The accounts API: authentication for the whole API, and the caller's profile and tokens."""

from thidua.accounts.api.auth import auth_methods
from thidua.accounts.api.routes import router

__all__ = ["auth_methods", "router"]
