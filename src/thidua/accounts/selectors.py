"""Reads for the account pages: administration, one's own password and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from thidua.accounts.models import ApiToken, PasswordChangeRequired, RoleGrant
from thidua.accounts.permissions import ALL, admin_paths, paths_q
from thidua.platform.actor import Actor
from thidua.platform.errors import NotFoundError


def accounts_for(actor: Actor, *, search: str = "") -> QuerySet[User]:
    """Accounts holding a grant in the actor's administered subtrees (all for a superuser),
    with their grants; `search` matches the username or a part of the name."""
    paths = admin_paths(actor)
    qs = User.objects.all()
    if paths != ALL:
        in_scope = RoleGrant.objects.filter(paths_q(paths, "unit__path"), user=OuterRef("pk"))
        qs = qs.filter(Exists(in_scope))
    if search := search.strip():
        q = Q(username__icontains=search) | Q(first_name__icontains=search) | Q(
            last_name__icontains=search)
        qs = qs.filter(q)
    grants = RoleGrant.objects.select_related("unit").order_by("unit__path", "role")
    return qs.prefetch_related(Prefetch("role_grants", queryset=grants)).order_by(
        "-is_active", "last_name", "first_name", "username")


def access_account(actor: Actor, account_id: int) -> User:
    """One account the actor administers; NotFoundError for missing and out of scope alike."""
    try:
        return accounts_for(actor).get(pk=account_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_grant(actor: Actor, grant_id: int) -> RoleGrant:
    paths = admin_paths(actor)
    try:
        return (RoleGrant.objects.filter(paths_q(paths, "unit__path"))
                .select_related("unit", "user").get(pk=grant_id))
    except (RoleGrant.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None



def password_change_required(user: Actor) -> bool:
    """The account's password was set by an administrator and must be changed."""
    return PasswordChangeRequired.objects.filter(user=user).exists()


def tokens_of(user: Actor) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def access_token(user: Actor, token_id: int) -> ApiToken:
    """One of the user's own tokens; NotFoundError for missing and someone else's alike."""
    try:
        return tokens_of(user).get(pk=token_id)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFoundError() from None
