"""Pages of the evaluation year at a unit: ratings grid and import, the units' ratings and
grading, the review (bình xét) with its council, votes, results and minutes, the year lock and
corrections; and a person's evaluation with the reasons. Every change goes through services;
a refusal comes back as a message on the page it was made from."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.councils.models import Choice, Role
from thidua.councils.tally import decide
from thidua.evaluation import selectors, services
from thidua.evaluation.documents import minutes_docx, minutes_filename
from thidua.evaluation.engine import evaluate_person, rule_set_text, title_labels, title_order
from thidua.evaluation.facts import build_person_facts
from thidua.evaluation.forms import (
    RATING_CHOICES,
    CandidatePersonForm,
    CandidateUnitForm,
    CorrectionForm,
    CouncilMemberForm,
    DisciplineFormForm,
    GradingTemplateForm,
    GridRow,
    ImportForm,
    InitiativeForm,
    MeetingForm,
    ReasonForm,
    VotesFillForm,
    grid_field,
)
from thidua.evaluation.imports import XLSX_CONTENT_TYPE, ratings_import_file, ratings_template
from thidua.evaluation.models import (
    COLLECTIVE_TITLES,
    INDIVIDUAL_TITLES,
    Candidate,
    DisciplineForm,
    Grading,
    GradingLabel,
    GradingTemplate,
    InitiativeLevel,
    Rating,
    RatingCode,
    Review,
    ReviewStatus,
    UnitRating,
    year_end,
)
from thidua.evaluation.thresholds import threshold_for
from thidua.org.models import Unit, UnitVersion
from thidua.org.permissions import can
from thidua.org.selectors import ancestors_at, tree_roots
from thidua.people.models import Person
from thidua.people.selectors import people_for, people_search
from thidua.platform.errors import ApplicationError, NotFoundError, PermissionDeniedError
from thidua.platform.text import vn_date, vn_number
from thidua.platform.web import is_htmx, refused, run_action, today, with_query

PAGE_SIZE = 50
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers --------------------------------------------------------------------------------------


def _unit_year(user: Any, code: str, year: int) -> Unit:
    try:
        return selectors.access_unit_year(user, code, year)
    except ApplicationError:
        raise Http404("Không tìm thấy đơn vị hoặc năm đánh giá.") from None


def _review_or_404(unit: Unit, year: int) -> Review:
    review = selectors.review_of(unit, year)
    if review is None:
        raise Http404("Đơn vị chưa mở bình xét năm này.")
    return review


def _form_error(form: Any) -> ApplicationError:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return ApplicationError(f"{label}: {errors[0]}" if label else errors[0])
    return ApplicationError("Dữ liệu không hợp lệ.")


def _year_url(name: str, unit: Unit, year: int, **query: Any) -> str:
    return with_query(reverse(f"evaluation:{name}", args=[unit.code, year]), query)


def default_year() -> int:
    """The year an officer most likely works on: this one from October, else the last."""
    d = today()
    return d.year if d.month >= 10 else d.year - 1


def _header(user: Any, unit: Unit, year: int) -> dict[str, Any]:
    """Breadcrumb, year switcher and lock state shared by the year pages."""
    day = year_end(year)
    version = UnitVersion.objects.at(day).filter(unit=unit).first()
    crumbs = []
    if version is not None:
        for a in ancestors_at(version, day):
            if can(user, a.unit.path, "viewer"):
                crumbs.append({"name": a.name,
                               "url": reverse("evaluation:unit-year", args=[a.unit.code, year])})
    lock = selectors.year_lock_for(unit, year)
    last = today().year + 1
    return {
        "unit": unit, "year": year, "version": version,
        "unit_name": version.name if version else unit.name,
        "crumbs": crumbs, "lock": lock,
        "prev_url": (reverse("evaluation:unit-year", args=[unit.code, year - 1])
                     if year > selectors.MIN_YEAR else ""),
        "next_url": reverse("evaluation:unit-year", args=[unit.code, year + 1])
        if year < last else "",
        "is_officer": can(user, unit.path, "officer"),
        "is_leader": can(user, unit.path, "leader"),
        "labels": title_labels(),
        "year_url": reverse("evaluation:unit-year", args=[unit.code, year]),
        "review_url": reverse("evaluation:review", args=[unit.code, year]),
        "results_url": reverse("evaluation:results", args=[unit.code, year]),
    }


# --- entry point -------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Straight to the user's top unit for the likely year; a member to their own evaluation."""
    user = request.user
    year = default_year()
    roots = tree_roots(user, today())
    if roots:
        return redirect("evaluation:unit-year", roots[0].unit.code, year)
    own = people_for(user).values_list("pk", flat=True).first()
    if own is not None:
        return redirect("evaluation:person", own, year)
    raise Http404("Tài khoản của bạn chưa được giao quyền trên đơn vị nào.")


# --- the unit's year page: ratings grid ----------------------------------------------------------


def _grid_rows(employments: list[Any], ratings: dict[int, Any], year: int,
               bound: dict[int, GridRow] | None = None) -> list[dict[str, Any]]:
    rows = []
    for n, e in employments:
        r = ratings.get(e.person_id)
        row = {
            "n": n, "person": e.person, "unit": e.unit, "rating": r,
            "names": {f: grid_field(e.person_id, f) for f in GridRow.FIELDS},
            "values": {
                "code": r.code if r else "",
                "absence_days": r.absence_days if r else "",
                "maternity_days": r.maternity_days if r else "",
                "service_months": (r.service_months if r and r.service_months is not None
                                   else ""),
            },
            "errors": {},
        }
        if bound and e.person_id in bound:
            row["values"] = bound[e.person_id].raw
            row["errors"] = bound[e.person_id].errors
        rows.append(row)
    return rows


def _grid_page(request: HttpRequest, unit: Unit, year: int) -> dict[str, Any]:
    query = (request.GET.get("q") or "").strip()[:100]
    qs = selectors.year_roster(unit, year)
    if query:
        qs = qs.filter(person__in=people_search(Person.objects.all(), query).values("pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    employments = list(enumerate(page.object_list, start=page.start_index()))
    ratings = selectors.ratings_of(year, [e.person_id for _, e in employments])
    base = reverse("evaluation:unit-year", args=[unit.code, year])

    def page_url(n: int) -> str:
        return with_query(base, {"q": query, "trang": n if n > 1 else ""})

    pages: list[dict[str, Any]] = []
    if page.paginator.num_pages > 1:
        last = page.paginator.num_pages
        shown = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
        prev = 0
        for n in shown:
            if n - prev > 1:
                pages.append({"gap": True})
            pages.append({"n": n, "url": page_url(n), "current": n == page.number})
            prev = n
    return {
        "page": page, "query": query, "pages": pages,
        "rows": _grid_rows(employments, ratings, year),
        "page_url_prev": page_url(page.number - 1) if page.has_previous() else "",
        "page_url_next": page_url(page.number + 1) if page.has_next() else "",
        "return_to": page_url(page.number) + "#xep-loai",
    }


@login_required
@require_GET
def unit_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    context = _header(user, unit, year)
    if context["version"] is None:
        return render(request, "evaluation/unit_year.html", context)
    context.update(_grid_page(request, unit, year))
    if is_htmx(request, "bang-xep-loai"):
        return render(request, "evaluation/_grid.html", context)
    counts = selectors.rating_counts(unit, year)
    review = selectors.review_of(unit, year)
    children = selectors.child_units(unit, year)
    unit_ratings = {r.unit_id: r for r in UnitRating.objects.filter(unit__in=children, year=year)}
    gradings = {g.unit_id: g for g in Grading.objects.filter(unit__in=[unit, *children],
                                                             year=year)}
    names = dict(UnitVersion.objects.at(year_end(year)).filter(unit__in=children)
                 .values_list("unit_id", "name"))
    context.update({
        "counts": counts,
        "code_rows": [(RatingCode(c).label, counts["by_code"].get(c, 0)) for c in RatingCode],
        "rating_choices": RATING_CHOICES,
        "review": review,
        "results": [(context["labels"].get(t, t), n) for t, n in sorted(
            selectors.results_counts(unit, year).items(),
            key=lambda kv: list(context["labels"]).index(kv[0])
            if kv[0] in context["labels"] else 99)],
        "children": [{"unit": c, "name": names.get(c.pk, c.name),
                      "rating": unit_ratings.get(c.pk), "grading": gradings.get(c.pk)}
                     for c in children],
        "own_grading": gradings.get(unit.pk),
        "locks_below": selectors.locks_below(unit, year),
        "import_url": _year_url("import", unit, year),
        "template_url": _year_url("template", unit, year),
        "grading_url": _year_url("grading", unit, year),
        "templates_url": _year_url("grading-templates", unit, year),
    })
    return render(request, "evaluation/unit_year.html", context)


def _grid_post(request: HttpRequest, unit: Unit, year: int,
               only: int | None = None) -> tuple[list[services.RatingRow], dict[int, GridRow]]:
    ids = []
    for key in request.POST:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "r" and parts[1].isdigit():
            ids.append(int(parts[1]))
    ids = sorted(set(ids))
    if only is not None:
        ids = [only] if only in ids else []
    bound = {pid: GridRow(request.POST, pid) for pid in ids}
    # a row left blank that has no rating yet is not a rating: saving the page skips it
    blank = {pid for pid, g in bound.items() if not any(g.raw.values())}
    if blank:
        blank -= set(Rating.objects.filter(year=year, person_id__in=blank)
                     .values_list("person_id", flat=True))
    rows = [services.RatingRow(person_id=pid, **g.values) for pid, g in bound.items()
            if not g.errors and pid not in blank]
    return rows, bound


@login_required
@require_POST
def ratings_save(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    back = request.POST.get("return_to") or ""
    if not back.startswith("/"):
        back = reverse("evaluation:unit-year", args=[unit.code, year]) + "#xep-loai"

    def save() -> str:
        rows, bound = _grid_post(request, unit, year)
        bad = [g for g in bound.values() if g.errors]
        if bad:
            raise ApplicationError("Có ô nhập sai (số ngày, số tháng phải là số nguyên); chưa "
                                   "lưu dòng nào.")
        if not rows:
            raise ApplicationError("Không có dòng nào để lưu.")
        return services.ratings_save(actor=user, unit=unit, year=year, rows=rows).summary()

    return run_action(request, save, success_url=back)


@login_required
@require_POST
def rating_row(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """HTMX: save one row of the grid and send the row back."""
    user = request.user
    unit = _unit_year(user, code, year)
    rows, bound = _grid_post(request, unit, year, only=pk)
    employment = selectors.year_roster(unit, year).filter(person_id=pk).first()
    if employment is None:
        raise Http404()
    saved, message = False, ""
    try:
        if pk not in bound:
            raise ApplicationError("Không có dữ liệu của dòng này.")
        if bound[pk].errors:
            raise ApplicationError("Có ô nhập sai; chưa lưu.")
        if not rows:
            raise ApplicationError("Dòng còn trống: chưa có gì để lưu.")
        services.ratings_save(actor=user, unit=unit, year=year, rows=rows)
        saved, message, bound = True, "Đã lưu.", {}
    except PermissionDeniedError as exc:
        if not is_htmx(request):
            return refused(request, exc)
        message = exc.message
    except ApplicationError as exc:
        message = exc.message
    ratings = selectors.ratings_of(year, [pk])
    raw_n = request.POST.get(f"r-{pk}-n") or ""
    n = int(raw_n) if raw_n.isdigit() else 0
    row = _grid_rows([(n, employment)], ratings, year, bound)[0]
    context = {**_header(user, unit, year), "row": row, "row_message": message,
               "row_ok": saved, "rating_choices": RATING_CHOICES}
    if not is_htmx(request):
        (messages.success if saved else messages.error)(request, message)
        return redirect(reverse("evaluation:unit-year", args=[unit.code, year]) + "#xep-loai")
    # htmx swaps 2xx only by default; a refused row is sent as 200 with its message shown
    return render(request, "evaluation/_grid_row.html", context)


# --- import -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    context = _header(user, unit, year)
    result = None
    refusal = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > int(settings.THIDUA_MAX_UPLOAD_BYTES):
                refusal = "Tệp lớn quá giới hạn cho phép."
            else:
                with tempfile.TemporaryDirectory(prefix="thidua-rating-") as folder:
                    path = Path(folder) / "upload"
                    with open(path, "wb") as out:
                        for chunk in upload.chunks():
                            out.write(chunk)
                    try:
                        result = ratings_import_file(
                            actor=user, unit=unit, year=year, path=path,
                            file_name=upload.name, dry_run=form.cleaned_data["dry_run"])
                    except NotFoundError:
                        raise Http404() from None
                    except PermissionDeniedError as exc:
                        return refused(request, exc)
                    except ApplicationError as exc:
                        refusal = exc.message
    else:
        form = ImportForm()
    context.update({"form": form, "result": result, "refusal": refusal,
                    "template_url": _year_url("template", unit, year),
                    "errors": result.errors[:500] if result else []})
    return render(request, "evaluation/import.html", context)


@login_required
@require_GET
def template(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    buffer = io.BytesIO()
    try:
        ratings_template(actor=user, unit=unit, year=year, target=buffer)
    except PermissionDeniedError as exc:
        return refused(request, exc)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:unit-year", unit.code, year)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="xep-loai-{unit.code}-{year}.xlsx"')
    return response


# --- units: rating and grading -----------------------------------------------------------------


@login_required
@require_POST
def unit_ratings(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The ratings of the unit's direct children (the level above rates a unit)."""
    user = request.user
    unit = _unit_year(user, code, year)
    children = {c.pk: c for c in selectors.child_units(unit, year)}

    def save() -> str:
        done = 0
        for key in request.POST:
            value = request.POST.get(key) or ""
            if not key.startswith("u-") or not key[2:].isdigit() or not value:
                continue
            child = children.get(int(key[2:]))
            if child is None:
                raise NotFoundError()
            services.unit_rating_set(actor=user, unit=child, year=year, code=value)
            done += 1
        return f"Đã lưu xếp loại {vn_number(done)} tập thể."

    return run_action(request, save, success_url=reverse("evaluation:unit-year", args=[unit.code, year])
                + "#tap-the")


def _templates_for(unit: Unit, year: int) -> list[GradingTemplate]:
    """Sheets issued for the year by the unit or a unit above it."""
    prefixes = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    return list(GradingTemplate.objects.filter(year=year, issuer__path__in=prefixes)
                .select_related("issuer").prefetch_related("criteria")
                .order_by("-issuer__depth", "name"))


@login_required
@require_http_methods(["GET", "POST"])
def grading(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    templates = _templates_for(unit, year)
    current = Grading.objects.filter(unit=unit, year=year).select_related("template").first()
    chosen_id = request.POST.get("template") or request.GET.get("bang") or (
        current.template_id if current else (templates[0].pk if templates else None))
    chosen = next((t for t in templates if str(t.pk) == str(chosen_id)), None)
    back = _year_url("grading", unit, year, bang=chosen.pk if chosen else "")
    if request.method == "POST":
        if chosen is None:
            raise Http404()

        def submit() -> str:
            points = {c.pk: request.POST.get(f"c-{c.pk}", "").strip() or "0"
                      for c in chosen.criteria.all()}
            g = services.grading_submit(actor=user, unit=unit, year=year, template=chosen,
                                        points=points)
            return (f"Đã chấm {services.points_text(g.total)} điểm: "
                    f"{GradingLabel(g.label).label}.")

        return run_action(request, submit, success_url=back)
    answers = ({a.criterion_id: a.points for a in current.answers.all()}
               if current and chosen and current.template_id == chosen.pk else {})
    context = _header(user, unit, year)
    context.update({
        "templates": templates, "chosen": chosen, "current": current,
        "criteria": [{"c": c, "points": answers.get(c.pk, "")}
                     for c in (chosen.criteria.all() if chosen else [])],
        "label_names": dict(GradingLabel.choices),
        "templates_url": _year_url("grading-templates", unit, year),
    })
    return render(request, "evaluation/grading.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grading_templates(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    form = GradingTemplateForm(request.POST or None)
    if request.method == "POST":
        def create() -> str:
            if not form.is_valid():
                raise _form_error(form)
            try:
                criteria = form.parsed_criteria()
                bands = form.parsed_thresholds()
            except Exception as exc:  # noqa: BLE001 - forms.ValidationError from the parsers
                message = getattr(exc, "messages", [str(exc)])[0]
                raise ApplicationError(message) from None
            t = services.grading_template_create(
                actor=user, issuer=unit, year=year, name=form.cleaned_data["name"],
                scale=form.cleaned_data["scale"], criteria=criteria, thresholds=bands,
                source=form.cleaned_data["source"], confidence=form.cleaned_data["confidence"])
            return f"Đã tạo bảng chấm điểm «{t.name}»."

        return run_action(request, create, success_url=_year_url("grading-templates", unit, year))
    context = _header(user, unit, year)
    context.update({
        "templates": list(GradingTemplate.objects.filter(issuer=unit, year=year)
                          .prefetch_related("criteria")),
        "form": form, "label_names": dict(GradingLabel.choices),
        "grading_url": _year_url("grading", unit, year),
    })
    return render(request, "evaluation/grading_templates.html", context)


# --- the review -----------------------------------------------------------------------------------


STEPS = [ReviewStatus.DRAFT, ReviewStatus.VOTING, ReviewStatus.CLOSED]


def _subject_name(c: Candidate, names: dict[int, str]) -> str:
    return c.person.full_name if c.person else names.get(c.subject_unit_id or 0, "")


@login_required
@require_GET
def review(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    context = _header(user, unit, year)
    review = selectors.review_of(unit, year)
    context["review"] = review
    context["open_url"] = _year_url("review-open", unit, year)
    if review is None or context["version"] is None:
        return render(request, "evaluation/review.html", context)
    labels = context["labels"]
    title = request.GET.get("danh_hieu") or ""
    show = request.GET.get("hien") or ""
    summary = [{**row, "url": _year_url("review", unit, year, danh_hieu=row["code"])}
               for row in selectors.title_summary(review)]
    qs = review.candidates.select_related("person", "subject_unit", "subject").prefetch_related(
        "subject__votes")
    if title:
        qs = qs.filter(title=title)
    if show == "da-bo":
        qs = qs.filter(included=False)
    elif show != "tat-ca":
        qs = qs.filter(included=True)
    qs = qs.order_by(title_order(), "subject_unit__path", "person__name_folded", "id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    council = selectors.council_of(review)
    size = len(council)
    homes = dict(selectors.year_roster(unit, year).filter(
        person_id__in=[c.person_id for c in page.object_list if c.person_id])
        .values_list("person_id", "unit_id"))
    names = dict(UnitVersion.objects.at(year_end(year)).filter(
        unit_id__in={*homes.values(), *(c.subject_unit_id for c in page.object_list
                                        if c.subject_unit_id)}).values_list("unit_id", "name"))
    rows = []
    for c in page.object_list:
        counted = services.candidate_tally(c, review.council, size)
        rows.append({
            "c": c, "name": _subject_name(c, names),
            "unit": names.get(homes.get(c.person_id or 0, 0), "") if c.person_id else "Tập thể",
            "label": labels.get(c.title, c.title), "counts": counted.as_counts(),
            "voted": counted.cast,
            "share": counted.share_text() if size else "—",
            "votes_url": reverse("evaluation:votes", args=[unit.code, year, c.pk]),
            "remove_url": reverse("evaluation:candidate-remove", args=[unit.code, year, c.pk]),
            "person_url": (reverse("evaluation:person", args=[c.person_id, year])
                           if c.person_id else ""),
        })
    base = _year_url("review", unit, year, danh_hieu=title, hien=show)

    def page_url(n: int) -> str:
        return with_query(reverse("evaluation:review", args=[unit.code, year]),
                          {"danh_hieu": title, "hien": show, "trang": n if n > 1 else ""})

    allowed = {t.action for t in services.WORKFLOW.allowed(review, user)}
    transitions = [
        {"to": t.target, "label": t.label, "needs_note": t.reason_required,
         "allowed": t.action in allowed}
        for t in services.WORKFLOW.transitions if t.source == review.status
    ]
    title_choices = [(t, labels.get(t, t)) for t in INDIVIDUAL_TITLES]
    unit_title_choices = [(t, labels.get(t, t)) for t in COLLECTIVE_TITLES]
    children = selectors.child_units(review.unit, review.year)
    child_names = dict(UnitVersion.objects.at(year_end(year)).filter(unit__in=children)
                       .values_list("unit_id", "name"))
    member_choices = [(str(m.pk), f"{m.full_name} — {Role(m.role).label}") for m in council]
    missing_votes = 0
    if review.status == ReviewStatus.VOTING and size:
        missing_votes = selectors.missing_votes(review, size)
    context.update({
        "rule_set_text": rule_set_text(review.rule_set),
        "summary": summary, "title": title, "show": show, "page": page, "rows": rows,
        "page_prev": page_url(page.number - 1) if page.has_previous() else "",
        "page_next": page_url(page.number + 1) if page.has_next() else "",
        "filter_base": base,
        "title_filters": [{"code": "", "label": "Tất cả", "url": _year_url(
            "review", unit, year, hien=show)}] + [
            {"code": s["code"], "label": s["label"], "url": _year_url(
                "review", unit, year, danh_hieu=s["code"], hien=show)} for s in summary],
        "council": council, "council_size": size,
        "steps": [{"code": s, "label": ReviewStatus(s).label,
                   "done": STEPS.index(s) < STEPS.index(ReviewStatus(review.status)),
                   "current": s == review.status} for s in STEPS],
        "transitions": transitions,
        "person_form": CandidatePersonForm(prefix="cn", titles=title_choices),
        "unit_form": CandidateUnitForm(
            prefix="tt",
            units=[(str(c.pk), child_names.get(c.pk, c.name)) for c in children],
            titles=unit_title_choices) if children else None,
        "member_form": CouncilMemberForm(prefix="hd"),
        "meeting_form": MeetingForm(prefix="hop", initial={
            "meeting_date": review.council.meeting_date,
            "meeting_place": review.council.meeting_place,
            "place_name": review.place_name}),
        "fill_form": VotesFillForm(prefix="phieu", members=member_choices,
                                   titles=[(s["code"], s["label"]) for s in summary])
        if council else None,
        "events": list(review.events.select_related("actor").order_by("-at", "-id")[:30]),
        "missing_votes": missing_votes,
        "minutes_url": reverse("evaluation:minutes", args=[unit.code, year]),
        "is_draft": review.status == ReviewStatus.DRAFT,
        "is_voting": review.status == ReviewStatus.VOTING,
        "is_closed": review.status == ReviewStatus.CLOSED,
        "urls": {name.replace("-", "_"): _year_url(name, unit, year) for name in (
            "review-propose", "candidate-add", "council-add", "presence", "meeting",
            "votes-fill", "review-transition")},
    })
    return render(request, "evaluation/review.html", context)


def _review_back(unit: Unit, year: int, anchor: str = "") -> str:
    return reverse("evaluation:review", args=[unit.code, year]) + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def review_open(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)

    def open_() -> str:
        r = services.review_open(actor=user, unit=unit, year=year)
        n = r.candidates.count()
        return f"Đã mở bình xét năm {year}: {vn_number(n)} đề nghị theo quy tắc."

    return run_action(request, open_, success_url=_review_back(unit, year))


@login_required
@require_POST
def review_propose(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def propose() -> str:
        counts = services.review_propose(actor=user, review=r)
        return (f"Đã tính lại: thêm {vn_number(counts['added'])}, bỏ "
                f"{vn_number(counts['dropped'])} đề nghị.")

    return run_action(request, propose, success_url=_review_back(unit, year))


@login_required
@require_POST
def candidate_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)
    labels = title_labels()

    def add() -> str:
        if request.POST.get("kind") == "unit":
            children = selectors.child_units(r.unit, r.year)
            form: Any = CandidateUnitForm(request.POST, prefix="tt", units=[(str(c.pk), c.name)
                                                               for c in children],
                                          titles=[(t, labels.get(t, t))
                                                  for t in COLLECTIVE_TITLES])
            if not form.is_valid():
                raise _form_error(form)
            subject = next(c for c in children if str(c.pk) == form.cleaned_data["unit"])
            c = services.candidate_add(actor=user, review=r, subject_unit=subject,
                                       title=form.cleaned_data["title"],
                                       reason=form.cleaned_data["reason"])
            return f"Đã bổ sung {subject.name} vào danh sách «{labels.get(c.title, c.title)}»."
        form = CandidatePersonForm(request.POST, prefix="cn", titles=[(t, labels.get(t, t))
                                                         for t in INDIVIDUAL_TITLES])
        if not form.is_valid():
            raise _form_error(form)
        person = selectors.find_on_roster(unit, year, form.cleaned_data["who"])
        if person is None:
            raise ApplicationError(f"Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                   f"sách của đơn vị ngày {vn_date(year_end(year))}.")
        c = services.candidate_add(actor=user, review=r, person=person,
                                   title=form.cleaned_data["title"],
                                   reason=form.cleaned_data["reason"])
        return f"Đã bổ sung {person.full_name} vào danh sách «{labels.get(c.title, c.title)}»."

    return run_action(request, add, success_url=_review_back(unit, year, "danh-sach"))


@login_required
@require_POST
def candidate_remove(request: HttpRequest, code: str, year: int, cid: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)
    try:
        candidate = selectors.access_candidate(user, r, cid)
    except NotFoundError:
        raise Http404() from None

    def remove() -> str:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            raise ApplicationError("Hãy ghi lý do đưa ra khỏi danh sách.")
        services.candidate_remove(actor=user, candidate=candidate,
                                  reason=form.cleaned_data["reason"])
        return "Đã đưa ra khỏi danh sách."

    return run_action(request, remove, success_url=_review_back(unit, year, "danh-sach"))


@login_required
@require_POST
def council_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def add() -> str:
        form = CouncilMemberForm(request.POST, prefix="hd")
        if not form.is_valid():
            raise _form_error(form)
        data = form.cleaned_data
        person = None
        if data["who"]:
            person = selectors.find_on_roster(unit, year, data["who"])
            if person is None:
                raise ApplicationError("Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                       "sách của đơn vị; hãy ghi họ tên.")
        m = services.council_member_add(actor=user, review=r, role=data["role"], person=person,
                                        name=data["name"], position=data["position"])
        return f"Đã thêm {m.full_name} vào Hội đồng."

    return run_action(request, add, success_url=_review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def council_remove(request: HttpRequest, code: str, year: int, mid: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)
    try:
        member = selectors.access_member(r, mid)
    except NotFoundError:
        raise Http404() from None

    def remove() -> str:
        services.council_member_remove(actor=user, member=member)
        return f"Đã bỏ {member.full_name} khỏi Hội đồng."

    return run_action(request, remove, success_url=_review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def presence(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def save() -> str:
        ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        services.council_presence_set(actor=user, review=r, present_ids=ids)
        return f"Đã ghi {vn_number(len(ids))} thành viên có mặt."

    return run_action(request, save, success_url=_review_back(unit, year, "hoi-dong"))


@login_required
@require_POST
def meeting(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def save() -> str:
        form = MeetingForm(request.POST, prefix="hop")
        if not form.is_valid():
            raise _form_error(form)
        services.review_meeting_set(actor=user, review=r, **form.cleaned_data)
        return "Đã lưu thông tin cuộc họp."

    return run_action(request, save, success_url=_review_back(unit, year, "hoi-dong"))


@login_required
@require_http_methods(["GET", "POST"])
def votes(request: HttpRequest, code: str, year: int, cid: int) -> HttpResponse:
    """The votes of every council member on one candidate."""
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)
    try:
        candidate = selectors.access_candidate(user, r, cid)
    except NotFoundError:
        raise Http404() from None
    council = selectors.council_of(r)
    if request.method == "POST":
        def save() -> str:
            ballots = []
            for m in council:
                choice = request.POST.get(f"m-{m.pk}") or ""
                if not choice:
                    continue
                ballots.append(services.VoteIn(candidate_id=candidate.pk, member_id=m.pk,
                                               choice=choice,
                                               opinion=request.POST.get(f"y-{m.pk}", "")))
            extra = [k for k in request.POST if k.startswith("m-")
                     and k[2:] not in {str(m.pk) for m in council}]
            if extra:
                raise ApplicationError("Phiếu của người không phải thành viên Hội đồng bình xét "
                                       "này không được ghi nhận.")
            n = services.votes_record(actor=user, review=r, votes=ballots)
            return f"Đã ghi {vn_number(n)} phiếu."

        return run_action(request, save, success_url=reverse("evaluation:votes", args=[unit.code, year, cid]))
    existing = ({v.member_id: v for v in candidate.subject.votes.all()}
                if candidate.subject is not None else {})
    labels = title_labels()
    size = len(council)
    counted = services.candidate_tally(candidate, r.council, size)
    decision = decide(counted, threshold_for(candidate.title, year))
    home = None
    if candidate.person_id:
        home = selectors.person_home_unit(candidate.person, year)  # type: ignore[arg-type]
    context = _header(user, unit, year)
    context.update({
        "review": r, "candidate": candidate,
        "subject": services.subject_name(candidate),
        "home": home, "label": labels.get(candidate.title, candidate.title),
        "members": [{"m": m, "vote": existing.get(m.pk)} for m in council],
        "choices": Choice.choices, "counts": counted.as_counts(), "size": size,
        "threshold": decision.threshold, "met": decision.passed,
        "is_voting": r.status == ReviewStatus.VOTING,
        "person_url": (reverse("evaluation:person", args=[candidate.person_id, year])
                       if candidate.person_id else ""),
    })
    return render(request, "evaluation/votes.html", context)


@login_required
@require_POST
def votes_fill(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def fill() -> str:
        council = selectors.council_of(r)
        form = VotesFillForm(request.POST, prefix="phieu",
                             members=[(str(m.pk), m.full_name) for m in council],
                             titles=[(t, t) for t in title_labels()])
        if not form.is_valid():
            raise _form_error(form)
        member = next(m for m in council if str(m.pk) == form.cleaned_data["member"])
        n = services.votes_fill(actor=user, review=r, member=member,
                                choice=form.cleaned_data["choice"],
                                title=form.cleaned_data["title"])
        return f"Đã ghi {vn_number(n)} phiếu «{Choice(form.cleaned_data['choice']).label}» "\
               f"của {member.full_name}."

    return run_action(request, fill, success_url=_review_back(unit, year, "bo-phieu"))


@login_required
@require_POST
def review_transition(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)

    def move() -> str:
        to = request.POST.get("to") or ""
        done = services.review_transition(actor=user, review=r, to=to,
                                          note=request.POST.get("note") or "")
        return f"Bình xét chuyển sang bước «{done.get_status_display()}»."

    return run_action(request, move, success_url=_review_back(unit, year))


@login_required
@require_GET
def minutes(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    r = _review_or_404(unit, year)
    response = HttpResponse(minutes_docx(r), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{minutes_filename(r)}"'
    return response


# --- results, corrections, lock --------------------------------------------------------------


@login_required
@require_GET
def results(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    context = _header(user, unit, year)
    labels = context["labels"]
    title = request.GET.get("danh_hieu") or ""
    qs = selectors.results_of(unit, year).order_by(title_order(), "revoked", "id")
    if title:
        qs = qs.filter(title=title)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = selectors.results_counts(unit, year)
    children = selectors.child_units(unit, year) \
        if context["version"] else []
    context.update({
        "page": page, "title": title,
        "rows": [{"r": r, "label": labels.get(r.title, r.title),
                  "subject": services.subject_name(r),
                  "person_url": reverse("evaluation:person", args=[r.person_id, year])
                  if r.person_id else ""} for r in page.object_list],
        "counts": [{"code": t, "label": labels.get(t, t), "n": n,
                    "url": _year_url("results", unit, year, danh_hieu=t)}
                   for t, n in sorted(counts.items(), key=lambda kv: list(labels).index(kv[0])
                                      if kv[0] in labels else 99)],
        "page_prev": _year_url("results", unit, year, danh_hieu=title,
                               trang=page.number - 1) if page.has_previous() else "",
        "page_next": _year_url("results", unit, year, danh_hieu=title,
                               trang=page.number + 1) if page.has_next() else "",
        "corrections": list(selectors.corrections_of(unit, year)[:50]),
        "correction_form": CorrectionForm(units=[(str(c.pk), c.name) for c in children],
                                          titles=list(labels.items())),
        "correct_url": _year_url("correct", unit, year),
        "lock_url": _year_url("lock", unit, year),
    })
    return render(request, "evaluation/results.html", context)


@login_required
@require_POST
def correct(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)
    labels = title_labels()

    def fix() -> str:
        children = selectors.child_units(unit, year)
        form = CorrectionForm(request.POST, units=[(str(c.pk), c.name) for c in children],
                              titles=list(labels.items()))
        if not form.is_valid():
            raise _form_error(form)
        data = form.cleaned_data
        person = selectors.find_on_roster(unit, year, data["who"]) if data["who"] else None
        if data["who"] and person is None:
            raise ApplicationError("Không có ai với số CCCD hoặc mã đoàn viên này trong danh "
                                   f"sách của đơn vị ngày {vn_date(year_end(year))}.")
        subject = next((c for c in children if str(c.pk) == data["unit"]), None)
        if data["action"] == "rating":
            if person is None:
                raise ApplicationError("Sửa xếp loại cần số CCCD hoặc mã đoàn viên.")
            services.rating_correct(actor=user, unit=unit, year=year, person=person,
                                    code=data["code"], reason=data["reason"])
            return f"Đã đính chính xếp loại của {person.full_name}."
        if not data["title"]:
            raise ApplicationError("Hãy chọn danh hiệu.")
        services.title_correct(actor=user, unit=unit, year=year, title=data["title"],
                               action=data["action"], reason=data["reason"], person=person,
                               subject_unit=None if person else subject)
        verb = "bổ sung" if data["action"] == "add" else "hủy"
        return f"Đã {verb} danh hiệu «{labels.get(data['title'], data['title'])}»."

    return run_action(request, fix, success_url=_year_url("results", unit, year) + "#dinh-chinh")


@login_required
@require_POST
def lock(request: HttpRequest, code: str, year: int) -> HttpResponse:
    user = request.user
    unit = _unit_year(user, code, year)

    def close() -> str:
        services.year_lock(actor=user, unit=unit, year=year,
                           note=request.POST.get("note") or "")
        return f"Đã khóa số liệu năm {year}."

    return run_action(request, close, success_url=reverse("evaluation:unit-year", args=[unit.code, year]))


# --- a person's evaluation -------------------------------------------------------------------


def _person_or_404(user: Any, pk: int) -> Person:
    try:
        return selectors.access_person_for(user, pk)
    except NotFoundError:
        raise Http404("Không tìm thấy người này hoặc bạn không có quyền xem.") from None


@login_required
@require_GET
def person(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """A person's facts for the year and the engine's answer per title, with the reasons."""
    user = request.user
    subject = _person_or_404(user, pk)
    try:
        selectors.check_year(year)
    except ApplicationError:
        raise Http404() from None

    facts = build_person_facts(person_ids=[subject.pk], year=year)[subject.pk]
    outcome = evaluate_person(facts)
    labels = title_labels()
    home = selectors.person_home_unit(subject, year)
    is_officer = home is not None and can(user, home.path, "officer")
    key = str(year)
    code = facts["ratings"].get(key, "")
    titles = [{"code": c, "label": labels.get(c, c), **o}
              for c, o in outcome["titles"].items()]
    titles.sort(key=lambda t: (not t["eligible"], list(labels).index(t["code"])
                               if t["code"] in labels else 99))
    context = {
        "person": subject, "year": year, "facts": facts, "outcome": outcome, "titles": titles,
        "rule_set_text": rule_set_text(outcome["rule_set"]),
        "rating_label": RatingCode(code).label if code else "",
        "absence": facts["absence_days"].get(key, 0) - facts["maternity_days"].get(key, 0),
        "maternity": facts["maternity_days"].get(key, 0),
        "months": facts["service_months"].get(key),
        "registered": [labels.get(c, c) for c in sorted(
            facts["registered"].get(key, []),
            key=lambda c: list(labels).index(c) if c in labels else 99)],
        "is_registered": key in facts["registered"],
        "past": [{"year": y, "rating": RatingCode(facts["ratings"][y]).label
                  if y in facts["ratings"] else "",
                  "titles": [labels.get(c, c) for c in facts["titles"].get(y, [])]}
                 for y in sorted(set(facts["ratings"]) | set(facts["titles"]), reverse=True)
                 if y != key],
        "disciplines": list(subject.disciplines.all()),
        "initiatives": list(subject.recognized_initiatives.all()),
        "decided": list(selectors.person_titles(subject).filter(year=year)),
        "home": home, "is_officer": is_officer,
        "home_url": (reverse("evaluation:unit-year", args=[home.code, year])
                     if home is not None and can(user, home.path, "viewer") else ""),
        "prev_url": reverse("evaluation:person", args=[pk, year - 1])
        if year > selectors.MIN_YEAR else "",
        "next_url": reverse("evaluation:person", args=[pk, year + 1])
        if year < today().year + 1 else "",
        "discipline_form": DisciplineFormForm(prefix="kl"),
        "initiative_form": InitiativeForm(prefix="sk", initial={"year": year}),
        "form_names": dict(DisciplineForm.choices), "level_names": dict(InitiativeLevel.choices),
    }
    return render(request, "evaluation/person.html", context)


@login_required
@require_POST
def discipline_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    subject = _person_or_404(user, pk)
    year = int(request.POST.get("year") or default_year())

    def add() -> str:
        form = DisciplineFormForm(request.POST, prefix="kl")
        if not form.is_valid():
            raise _form_error(form)
        services.discipline_record(actor=user, person=subject, **form.cleaned_data)
        return "Đã ghi hình thức kỷ luật."

    back = reverse("evaluation:person", args=[pk, year if 2000 <= year <= 2100 else
                                              default_year()]) + "#ky-luat"
    return run_action(request, add, success_url=back)


@login_required
@require_POST
def initiative_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    subject = _person_or_404(user, pk)

    def add() -> str:
        form = InitiativeForm(request.POST, prefix="sk")
        if not form.is_valid():
            raise _form_error(form)
        services.initiative_record(actor=user, person=subject, **form.cleaned_data)
        return "Đã ghi sáng kiến được công nhận."

    year = request.POST.get("sk-year") or ""
    back_year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else default_year()
    return run_action(request, add, success_url=reverse("evaluation:person", args=[pk, back_year]) + "#sang-kien")
