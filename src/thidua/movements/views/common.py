"""What the movements pages share: the upload guard of the pages that take a file, the unit and
year of a URL, the units an officer manages (offered in a unit field), pagination."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from thidua.movements.catalogue import Audience
from thidua.movements.permissions import managed_paths
from thidua.org.models import Unit
from thidua.org.selectors import live_unit_in, live_units_in, unit_options_in
from thidua.platform import uploads
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError
from thidua.platform.files import max_bytes
from thidua.platform.forms import UnitOptions, VNForm
from thidua.platform.web import run_action
from thidua.platform.years import is_valid_year

PAGE_SIZE = 30
AUDIENCE_LABELS = dict(Audience.CHOICES)
TOO_BIG = ("Tệp quá lớn; hệ thống không nhận tệp này. Hãy chia nhỏ tệp hoặc giảm dung lượng rồi "
           "tải lên lại.")

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def upload_limit() -> int:
    return max(max_bytes(), int(settings.THIDUA_MAX_UPLOAD_BYTES))


def _too_big_page(request: HttpRequest) -> HttpResponse:
    return render(request, "people/refused.html", {"message": TOO_BIG}, status=413)


# refused from Content-Length before the body is read; CSRF checked once the limit is in place
limited_upload = uploads.limited_upload(upload_limit, _too_big_page)


def too_big(request: HttpRequest) -> HttpResponse | None:
    """The 413 page when `limited_upload` stopped reading the body, else None."""
    return _too_big_page(request) if uploads.upload_too_big(request) else None


def year_or_404(year: int) -> int:
    if not is_valid_year(year):
        raise Http404("Năm không hợp lệ.")
    return year


def managed_unit_options(user: Actor) -> UnitOptions:
    """A unit field's offer of the live units on which the user manages movements: a select when
    they are few, else a typed code (a province's officer manages thousands of CĐCS)."""
    return unit_options_in(user, managed_paths(user))


def is_managed(user: Actor) -> Callable[[str], bool]:
    """`known` of a unit field of the units on which the user manages movements."""
    paths = managed_paths(user)
    return lambda code: live_unit_in(user, paths, code) is not None


def managed_units_under(user: Actor, path: str) -> QuerySet[Unit]:
    """The live units on which the user manages movements inside the subtree at `path`."""
    return live_units_in(user, managed_paths(user)).filter(path__startswith=path)


def form_action(request: HttpRequest, form: VNForm, action: Callable[[], str], *,
                success_url: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    """A form posted to run one service call: a valid form goes through `run_action` (its message
    flashed, then `success_url`); an invalid one, or a refusal shown next to its fields, gets
    `page` again (rendered with the form, status 400)."""

    def show(exc: ApplicationError | None = None) -> HttpResponse:
        if exc is not None:
            form.apply_error(exc)
        return page()

    if not form.is_valid():
        return show()
    return run_action(request, action, success_url=success_url, on_error=show)


def paged(request: HttpRequest, qs: QuerySet[M], size: int) -> Page[M]:
    return Paginator(qs, size).get_page(request.GET.get("trang"))
