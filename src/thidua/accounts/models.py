"""Role grants on units (valid for the whole subtree) and API tokens."""

from __future__ import annotations

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


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
