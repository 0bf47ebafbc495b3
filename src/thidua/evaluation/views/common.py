"""What the evaluation pages share: the unit-and-year lookup (404 for missing and forbidden
alike), the header every year page shows (breadcrumb, year switcher and year choice, lock, the
user's role), the
year an officer most likely works on, and turning a form's first error into a refusal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404
from django.urls import reverse

from thidua.evaluation import permissions, selectors
from thidua.evaluation.engine import title_labels
from thidua.evaluation.models import Rating, Review, TitleResult, UnitRating
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.platform.actor import Actor
from thidua.platform.errors import ApplicationError, NotFoundError
from thidua.platform.web import today, with_query
from thidua.platform.years import first_year, last_year, year_options, year_to_open

PAGE_SIZE = 50
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def unit_year_or_404(user: Actor, code: str, year: int) -> Unit:
    try:
        return selectors.access_unit_year(user, code, year)
    except ApplicationError:
        raise Http404("Không tìm thấy đơn vị hoặc năm đánh giá.") from None


def review_or_404(unit: Unit, year: int) -> Review:
    review = selectors.review_of(unit, year)
    if review is None:
        raise Http404("Đơn vị chưa mở bình xét năm này.")
    return review


def person_or_404(user: Actor, pk: int) -> Person:
    try:
        return selectors.access_person_for(user, pk)
    except NotFoundError:
        raise Http404("Không tìm thấy người này hoặc bạn không có quyền xem.") from None


def form_error(form: forms.Form) -> ApplicationError:
    for field, errors in form.errors.items():
        label = str(form.fields[field].label or "") if field in form.fields else ""
        message = str(errors[0])
        # a message that names its field already ("Năm công nhận phải từ …") needs no prefix
        return ApplicationError(f"{label}: {message}" if label and not message.startswith(
            label) else message)
    return ApplicationError("Dữ liệu không hợp lệ.")


def year_url(name: str, unit: Unit, year: int, **query: Any) -> str:
    return with_query(reverse(f"evaluation:{name}", args=[unit.code, year]), query)


def default_year(unit: Unit | None = None) -> int:
    """The year an officer most likely works on: this one from October, else the last. For a
    unit: the latest year, up to that one, with evaluation records on its subtree (ratings,
    reviews, titles), so a unit whose last records are from 2023 opens on 2023, not on an
    empty year."""
    d = today()
    likely = d.year if d.month >= 10 else d.year - 1
    if unit is None:
        return likely
    return year_to_open(_years_with_records(unit), current=likely)


def _years_with_records(unit: Unit) -> set[int]:
    """Years with ratings, reviews or titles on the unit's subtree (one query)."""
    inside = {"unit__path__startswith": unit.path}
    first, *rest = [model.objects.filter(**inside).order_by().values_list("year", flat=True)
                    for model in (Rating, UnitRating, Review, TitleResult)]
    return set(first.union(*rest))


#: The year pages the header's year choice may land on (the page shown is kept).
YEAR_PAGES = ("unit-year", "grading", "grading-templates", "import", "review", "results",
              "settings")


def header(user: Actor, unit: Unit, year: int) -> dict[str, Any]:
    """Breadcrumb, year switcher and lock state shared by the year pages."""
    version = selectors.version_at_year_end(unit, year)
    crumbs = []
    if version is not None:
        for a in selectors.ancestors_at_year_end(version, year):
            if permissions.may_view(user, a.unit):
                crumbs.append({"name": a.name,
                               "url": reverse("evaluation:unit-year", args=[a.unit.code, year])})
    lock = selectors.year_lock_for(unit, year)
    return {
        "unit": unit, "year": year, "version": version,
        "unit_name": version.name if version else unit.name,
        "crumbs": crumbs, "lock": lock,
        "prev_url": (reverse("evaluation:unit-year", args=[unit.code, year - 1])
                     if year > first_year() else ""),
        "next_url": reverse("evaluation:unit-year", args=[unit.code, year + 1])
        if year < last_year() else "",
        "year_options": year_options(_years_with_records(unit), current=today().year,
                                     selected=year),
        "year_choice_url": reverse("evaluation:unit-home", args=[unit.code]),
        "is_officer": permissions.may_enter(user, unit),
        "is_leader": permissions.may_lock(user, unit),
        "labels": title_labels(),
        "year_url": reverse("evaluation:unit-year", args=[unit.code, year]),
        "review_url": reverse("evaluation:review", args=[unit.code, year]),
        "results_url": reverse("evaluation:results", args=[unit.code, year]),
        "settings_url": reverse("evaluation:settings", args=[unit.code, year]),
    }


def label_order(labels: dict[str, str]) -> Any:
    """Sort key of (title code, …) pairs in the engine's title order, unknown codes last."""
    order = list(labels)
    return lambda kv: order.index(kv[0]) if kv[0] in order else 99


def review_back(unit: Unit, year: int, anchor: str = "") -> str:
    """The review page, at a section when given, where its actions return."""
    return reverse("evaluation:review", args=[unit.code, year]) + (f"#{anchor}" if anchor else "")
