from __future__ import annotations

import datetime as dt

from ninja import Schema


class MeOut(Schema):
    username: str
    full_name: str
    grants: list[dict[str, str]]


class TokenOut(Schema):
    id: int
    name: str
    scope: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    status: str


class Detail(Schema):
    detail: str
