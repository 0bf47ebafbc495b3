from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from thidua.org.permissions import has_any_grant
from thidua.people.selectors import people_for
from thidua.platform.actor import AuthenticatedHttpRequest


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Vietnamese page instead of Django's English CSRF explanation."""
    return render(request, "403_csrf.html", status=403)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Officers land on the tree; an account that is only a member's lands on its own record."""
    if not has_any_grant(request.user):
        # without grants, people_for() is just the account's own record
        own = people_for(request.user).values_list("pk", flat=True).first()
        if own is not None:
            return redirect("people:detail", own)
    return redirect("org:tree")
