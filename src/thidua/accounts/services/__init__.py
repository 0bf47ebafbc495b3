"""Account services, one module per flow; re-exported here so callers import them from
`thidua.accounts.services`."""

from thidua.accounts.services.common import one_time_password
from thidua.accounts.services.grants import role_grant_create, role_grant_revoke
from thidua.accounts.services.passwords import account_password_reset, password_change
from thidua.accounts.services.tokens import api_token_create, api_token_revoke
from thidua.accounts.services.users import account_create, account_set_active, user_create

__all__ = [
    "account_create", "account_password_reset", "account_set_active", "api_token_create",
    "api_token_revoke", "one_time_password", "password_change", "role_grant_create",
    "role_grant_revoke", "user_create",
]
