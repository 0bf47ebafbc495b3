"""/xac-minh/…: anyone, without an account, checks a certificate by its code (the QR code leads
here). The page says only what the certificate itself prints, whether it still stands, and
whether its stored signed PDF is intact.

A code that is wrong, malformed or unknown gets one and the same 404 page (the code is not
echoed), so the answers tell nothing about which codes exist. Lookups are counted per client
address in Django's cache (THIDUA_VERIFY_LIMIT lookups per THIDUA_VERIFY_WINDOW seconds,
30 per 10 minutes by default); past that the answer is 429. The count lives in the configured
cache: with the default local-memory cache it is per server process, and behind a reverse
proxy REMOTE_ADDR must be the client's address (set by the proxy's WSGI adapter)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from thidua.honours.certificates import public_facts, revocation_list
from thidua.honours.ratelimit import limits, over_limit
from thidua.honours.selectors import certificate_by_code

_limits = limits
_over_limit = over_limit


def _public(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


def _limited(request: HttpRequest) -> HttpResponse:
    _, window = _limits()
    response = render(request, "honours/verify_limited.html",
                      {"minutes": max(1, window // 60)}, status=429)
    response["Retry-After"] = str(window)
    return _public(response)


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """The form to type a code; `?ma=` goes to that code's page."""
    typed = request.GET.get("ma", "")
    code = "".join(ch for ch in typed.upper() if ch.isalnum())[:40]
    if code:
        return redirect("verify:code", code=code)
    return _public(render(request, "honours/verify_form.html",
                          {"empty": "ma" in request.GET}))


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    if _over_limit(request):
        return _limited(request)
    certificate = certificate_by_code(code)
    if certificate is None:
        return _public(render(request, "honours/verify_missing.html", status=404))
    facts = public_facts(certificate)
    return _public(render(request, "honours/verify.html", {"facts": facts}))


@require_GET
def revoked_list(request: HttpRequest, issuer: str) -> HttpResponse:
    """The issuer's revoked certificates as JSON (one lookup of the rate limit)."""
    if _over_limit(request):
        response = JsonResponse({"detail": "Quá nhiều lượt tra cứu, hãy thử lại sau."},
                                status=429)
        response["Retry-After"] = str(_limits()[1])
        return response
    data = revocation_list(issuer)
    if data is None:
        return _public(JsonResponse({"detail": "Không có đơn vị ban hành này."}, status=404))
    return _public(JsonResponse(data, json_dumps_params={"ensure_ascii": False}))
