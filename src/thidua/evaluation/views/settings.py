"""The issuer's settings page: what the rule sets leave to each body (registration as a
condition, the exclusions, the council's share for CSTĐ cơ sở before 2024…), their defaults
with sources, and the unit's own values. Officers of the unit set them; viewers read."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from thidua.evaluation import permissions, services
from thidua.evaluation.models import EvaluationSetting
from thidua.evaluation.services.settings import (
    KINDS,
    accepted_values,
    defaults_for,
    display_value,
)
from thidua.evaluation.views.common import header, unit_year_or_404, year_url
from thidua.org.models import Unit
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.errors import ApplicationError
from thidua.platform.text import ascii_digits
from thidua.platform.web import run_action


def _year(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not ascii_digits(text, 4):
        raise ApplicationError("Năm phải là số, ví dụ 2024.", field="year_to")
    return int(text)


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = unit_year_or_404(user, code, year)
    back = year_url("settings", unit, year)
    if request.method == "POST":
        post = request.POST

        def act() -> str:
            if post.get("delete"):
                services.setting_delete(actor=user, unit=unit,
                                        setting_id=int(post["delete"] or 0))
                return "Đã xóa cài đặt."
            key = post.get("key") or ""
            services.setting_set(actor=user, unit=unit, key=key,
                                 year_from=_year(post.get("year_from")) or year,
                                 year_to=_year(post.get("year_to")), value=post.get("value"),
                                 source=post.get("source") or "", note=post.get("note") or "")
            return f"Đã lưu cài đặt «{KINDS[key].label}»."

        def on_error(exc: ApplicationError) -> HttpResponse:
            # the page again, with what was typed and the message beside the form
            return _page(request, unit, year, typed=post, error=exc.message, status=400)

        return run_action(request, act, success_url=back, on_error=on_error)
    return _page(request, unit, year)


def _page(request: AuthenticatedHttpRequest, unit: Unit, year: int, *, typed: Any = None,
          error: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    own = EvaluationSetting.objects.filter(unit=unit).order_by("key", "year_from")
    in_force = services.overrides_for(unit, year)
    rows = []
    for d in defaults_for(year):
        o = in_force.get(d["key"])
        current = o.value if o is not None else d["value"]
        rows.append({**d, "kind": KINDS[d["key"]],
                     "shown": display_value(d["key"], d["value"]),
                     "current": display_value(d["key"], current),
                     "current_by": o.by if o is not None else "",
                     "accepts": accepted_values(d["key"])})
    context = header(user, unit, year)
    context.update({"rows": rows, "own": [{"s": s, "label": KINDS[s.key].label
                                           if s.key in KINDS else s.key,
                                           "shown": display_value(s.key, s.value)} for s in own],
                    "may_edit": permissions.may_enter(user, unit),
                    "typed": typed or {}, "error": error})
    return render(request, "evaluation/settings.html", context, status=status)
