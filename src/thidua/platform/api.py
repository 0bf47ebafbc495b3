"""Helpers of the JSON API: the authenticated caller and lazily built pages of rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest


def caller(request: HttpRequest) -> Any:
    """The authenticated user (session or bearer token), as set by ninja's auth."""
    return request.auth  # type: ignore[attr-defined]


class RowPage:
    """A queryset seen through a row builder: the paginator slices it (one query for the page,
    plus the prefetches) and counts it (one COUNT query)."""

    def __init__(self, qs: QuerySet[Any], to_rows: Callable[[list[Any]], list[dict[str, Any]]]):
        self.qs = qs
        self.to_rows = to_rows

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, part: slice) -> list[dict[str, Any]]:
        return self.to_rows(list(self.qs[part]))
