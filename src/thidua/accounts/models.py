"""Role grants on units (valid for the whole subtree) and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Xem"
    OFFICER = "officer", "Cán bộ"
    LEADER = "leader", "Lãnh đạo"
    ADMIN = "admin", "Quản trị"


# A higher role can do everything a lower one can.
ROLE_RANK = {Role.VIEWER: 1, Role.OFFICER: 2, Role.LEADER: 3, Role.ADMIN: 4}


class RoleGrant(models.Model):
    """`user` holds `role` on `unit` and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="rolegrant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class TokenScope(models.TextChoices):
    READ = "read", "Chỉ đọc"
    WRITE = "write", "Đọc và ghi"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, at: dt.datetime) -> ApiTokenQuerySet:
        """Tokens that authenticate at `at`: not revoked, not expired, of an active account."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=at, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored. It works until `expires_at`
    or until revoked; a read-only token may only read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def status_at(self, at: dt.datetime) -> str:
        if self.revoked_at is not None:
            return "Đã thu hồi"
        if self.expires_at <= at:
            return "Đã hết hạn"
        return "Đang dùng"


class PasswordChangeRequired(models.Model):
    """The account must choose a new password at its next login: its password was set by an
    administrator (a reset or a new account) and is known to someone else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_change_required"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)
