from __future__ import annotations

from django.http import HttpRequest


def nav(request: HttpRequest) -> dict[str, object]:
    return {"APP_NAME": "Thi Đua"}
