from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse

from thidua.org.permissions import has_any_grant
from thidua.people.selectors import people_for
from thidua.platform.web import url_or_none


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def _items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    path = request.path
    if not isinstance(user, User):  # nav() shows no menu to a visitor
        return []
    entries: list[tuple[str, str | None]] = []
    if has_any_grant(user):
        # short labels: seven items and the account box must fit one line at 1280 px;
        # import and export live on the member list and unit pages (officers only)
        entries += [
            ("Tổ chức", reverse("org:tree")),
            ("Người lao động", url_or_none("people:list")),
            ("Phong trào", url_or_none("movements:list")),
            ("Đăng ký", url_or_none("movements:registration-home")),
            ("Bình xét", url_or_none("evaluation:index")),
            ("Sáng kiến", url_or_none("initiatives:list")),
        ]
    else:
        # without grants, people_for() is just the account's own record
        own = people_for(user).values_list("pk", flat=True).first()
        if own is not None:
            entries.append(("Hồ sơ của tôi", url_or_none("people:detail", own)))
            entries.append(("Đăng ký thi đua", url_or_none("movements:self")))
            entries.append(("Danh hiệu", url_or_none("evaluation:index")))
            entries.append(("Sáng kiến của tôi", url_or_none("initiatives:list")))
    items = []
    for label, url in entries:
        if url:
            # the longest matching prefix wins, so /nguoi-lao-dong/ does not light up for imports
            items.append(NavItem(label, url, path.startswith(url)))
    best = max((len(i.url) for i in items if i.active), default=0)
    return [NavItem(i.label, i.url, i.active and len(i.url) == best) for i in items]


def display_name(user: object) -> str:
    """Vietnamese order: family and middle names (last_name) before the given name."""
    first = getattr(user, "first_name", "") or ""
    last = getattr(user, "last_name", "") or ""
    return f"{last} {first}".strip() or str(getattr(user, "username", ""))


def nav(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"APP_NAME": "Thi Đua", "nav_items": [], "user_display": ""}
    return {"APP_NAME": "Thi Đua", "nav_items": _items(request), "user_display": display_name(user)}
