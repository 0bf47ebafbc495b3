"""Who acts: the typed user every service, selector and permission check takes, and the request
of a page that requires a login (so views need no `Any` to reach `request.user`)."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

#: The person or API token owner who performs an action. Services take `actor: Actor`;
#: selectors and permission checks take `user: Actor`.
Actor: TypeAlias = User

#: A visitor who may not be logged in (the login page, the public certificate check).
Visitor: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required` (or the API's auth): `user` is a real account."""

    user: User
