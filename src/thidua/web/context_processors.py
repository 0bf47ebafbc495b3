from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.http import HttpRequest

from thidua.accounts.models import ROLE_RANK, Role
from thidua.org.permissions import grants
from thidua.people.selectors import people_for
from thidua.platform.actor import Visitor
from thidua.platform.web import url_or_none


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# Each entry: label, route, the lowest role that opens it. Roles nest (viewer < officer < leader
# < admin), so a user sees the entries of the highest role held anywhere; the scoped pages then
# show only that user's units.
_ENTRIES: tuple[tuple[str, str, int], ...] = (
    ("Việc chờ tôi", "pending", ROLE_RANK[Role.OFFICER]),
    ("Tổ chức", "org:tree", ROLE_RANK[Role.VIEWER]),
    ("Người lao động", "people:list", ROLE_RANK[Role.VIEWER]),
    ("Phong trào", "movements:list", ROLE_RANK[Role.VIEWER]),
    # the registration grid and its import are data entry: an officer's work
    ("Đăng ký", "movements:registration-home", ROLE_RANK[Role.OFFICER]),
    ("Bình xét", "evaluation:index", ROLE_RANK[Role.VIEWER]),
    ("Sáng kiến", "initiatives:list", ROLE_RANK[Role.VIEWER]),
    ("Khen thưởng", "honours:proposals", ROLE_RANK[Role.VIEWER]),
    ("Quản trị", "accounts:list", ROLE_RANK[Role.ADMIN]),
    ("Danh mục khen thưởng", "honours:catalogue", ROLE_RANK[Role.ADMIN]),
)


def top_rank(user: Visitor) -> int:
    """The highest role rank the user holds on any unit (0: no grant, a member or a visitor)."""
    return max((rank for _, rank, _ in grants(user)), default=0)


def _items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    path = request.path
    if not isinstance(user, User):  # nav() shows no menu to a visitor
        return []
    entries: list[tuple[str, str | None]] = []
    rank = top_rank(user)
    if rank:
        entries += [(label, url_or_none(name)) for label, name, need in _ENTRIES if rank >= need]
    else:
        # without grants, people_for() is just the account's own record
        own = people_for(user).values_list("pk", flat=True).first()
        if own is not None:
            entries.append(("Hồ sơ của tôi", url_or_none("people:detail", own)))
            entries.append(("Đăng ký thi đua", url_or_none("movements:self")))
            entries.append(("Danh hiệu", url_or_none("evaluation:index")))
            entries.append(("Sáng kiến của tôi", url_or_none("initiatives:list")))
            entries.append(("Khen thưởng của tôi", url_or_none("honours:mine")))
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
