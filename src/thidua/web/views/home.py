from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from thidua.accounts.models import ROLE_RANK, Role
from thidua.people.selectors import people_for
from thidua.platform.actor import AuthenticatedHttpRequest
from thidua.platform.web import url_or_none
from thidua.web.context_processors import top_rank
from thidua.web.pending import pending_for

#: lines per group on the home page; the "việc chờ tôi" page shows more
HOME_LINES = 5
PAGE_LINES = 50


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Vietnamese page instead of Django's English CSRF explanation."""
    return render(request, "403_csrf.html", status=403)


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Officers, leaders and administrators land on what waits for them; a viewer on the tree;
    an account that is only a member's on its own record."""
    rank = top_rank(request.user)
    if not rank:
        # without grants, people_for() is just the account's own record
        own = people_for(request.user).values_list("pk", flat=True).first()
        if own is not None:
            return redirect("people:detail", own)
        return redirect("org:tree")
    if rank < ROLE_RANK[Role.OFFICER]:
        return redirect("org:tree")
    groups = pending_for(request.user, limit=HOME_LINES)
    admin_links = []
    if rank >= ROLE_RANK[Role.ADMIN]:
        for label, name in (("Tài khoản và phân quyền", "accounts:list"),
                            ("Nhật ký thay đổi", "audit:list")):
            if url := url_or_none(name):
                admin_links.append((label, url))
    return render(request, "web/home.html", {
        "groups": groups, "total": sum(g.count for g in groups), "full": False,
        "is_leader": rank >= ROLE_RANK[Role.LEADER], "admin_links": admin_links,
    })


@login_required
@require_GET
def pending(request: AuthenticatedHttpRequest) -> HttpResponse:
    """"Việc chờ tôi" on its own page, with more lines per group."""
    rank = top_rank(request.user)
    groups = pending_for(request.user, limit=PAGE_LINES) if rank >= ROLE_RANK[Role.OFFICER] else []
    return render(request, "web/pending.html", {
        "groups": groups, "total": sum(g.count for g in groups), "full": True,
        "is_leader": rank >= ROLE_RANK[Role.LEADER],
    })
