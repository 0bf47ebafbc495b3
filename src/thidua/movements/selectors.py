"""Reads of movements, plans and registrations: scoped lists, the coverage of a plan as the union
writes it ("19/19 tổ công đoàn", "100% công đoàn cơ sở"), who has not registered, and the
registered titles the evaluation reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from thidua.movements.catalogue import UNIT_TYPE_NOUNS, UNIT_TYPE_ORDER
from thidua.movements.models import (
    Attachment,
    Commitment,
    Deployment,
    Movement,
    Plan,
    Pledge,
    RegisteredTitle,
    Registration,
    RegistrationRule,
    YearKind,
    YearSetting,
)
from thidua.movements.permissions import (
    managed_paths,
    movement_reach,
    own_registrations,
    plan_reach,
)
from thidua.movements.registered import registered_years
from thidua.org.models import Unit
from thidua.org.permissions import path_q, restrict_queryset, scope_paths
from thidua.org.selectors import units_for
from thidua.people.models import Employment, Person, by_name
from thidua.people.selectors import roster
from thidua.platform.actor import Actor, Visitor
from thidua.platform.errors import NotFoundError
from thidua.platform.text import vn_date, vn_number

STEPLEN = Unit.steplen
IN_CHUNK = 900  # SQLite's default limit of variables per statement is 999


def chunks(items: list[Any], size: int = IN_CHUNK) -> Iterator[list[Any]]:
    if connection.vendor == "postgresql":
        size = 20_000
    for i in range(0, len(items), size):
        yield items[i:i + size]


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and of every node above it, top first."""
    return [path[:i] for i in range(STEPLEN, len(path) + 1, STEPLEN)]



@dataclass(frozen=True)
class Calendar:
    """How a unit counts its year. A school year starting on the start day of year Y-1 and
    ending the day before it in year Y is emulation year Y."""

    kind: str = YearKind.CALENDAR
    start_month: int = 9
    start_day: int = 1
    unit_id: int | None = None  # the unit whose setting this is (None: the default)

    @property
    def is_school(self) -> bool:
        return self.kind == YearKind.SCHOOL

    def period(self, year: int) -> tuple[dt.date, dt.date]:
        """[first day, first day after) of emulation year `year`."""
        if self.is_school:
            return (dt.date(year - 1, self.start_month, self.start_day),
                    dt.date(year, self.start_month, self.start_day))
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)

    def year_of(self, day: dt.date) -> int:
        if self.is_school:
            return day.year + 1 if (day.month, day.day) >= (self.start_month,
                                                             self.start_day) else day.year
        return day.year

    def label(self, year: int) -> str:
        """"năm 2017" or "năm học 2016–2017"."""
        return f"năm học {year - 1}–{year}" if self.is_school else f"năm {year}"

    def reference_day(self, year: int, today: dt.date) -> dt.date:
        """The day whose roster stands for the year: today, kept inside the year's period."""
        start, end = self.period(year)
        if today < start:
            return start
        if today >= end:
            return end - dt.timedelta(days=1)
        return today


DEFAULT_CALENDAR = Calendar()


class RuleBook:
    """The year settings and registration rules that apply inside a subtree (and above it),
    loaded in two queries and resolved per unit path: the nearest setting above or at a unit
    wins, and so does the nearest rule for the year and the unit's kind of year."""

    def __init__(self, path: str, year: int | None = None) -> None:
        scope = Q(unit__path__in=ancestor_paths(path)) | Q(unit__path__startswith=path)
        self.settings: dict[str, Calendar] = {
            p: Calendar(kind, month, day, uid)
            for p, kind, month, day, uid in YearSetting.objects.filter(scope).values_list(
                "unit__path", "kind", "start_month", "start_day", "unit_id")
        }
        rules = RegistrationRule.objects.filter(
            Q(issuer__path__in=ancestor_paths(path)) | Q(issuer__path__startswith=path)
        ).select_related("issuer")
        if year is not None:
            rules = rules.filter(year=year)
        self.rules: dict[tuple[str, int, str], RegistrationRule] = {
            (r.issuer.path, r.year, r.year_kind): r for r in rules
        }

    def calendar(self, path: str) -> Calendar:
        for prefix in reversed(ancestor_paths(path)):
            found = self.settings.get(prefix)
            if found is not None:
                return found
        return DEFAULT_CALENDAR

    def rule(self, path: str, year: int) -> RegistrationRule | None:
        kind = self.calendar(path).kind
        for prefix in reversed(ancestor_paths(path)):
            found = self.rules.get((prefix, year, kind))
            if found is not None:
                return found
        return None


def calendar_for(unit: Unit) -> Calendar:
    found = (YearSetting.objects.filter(unit__path__in=ancestor_paths(unit.path))
             .order_by("-unit__depth").values_list("kind", "start_month", "start_day", "unit_id")
             .first())
    return Calendar(*found) if found else DEFAULT_CALENDAR


def own_year_setting(unit: Unit) -> YearSetting | None:
    return YearSetting.objects.filter(unit=unit).first()


def rule_for(unit: Unit, year: int) -> RegistrationRule | None:
    """The registration rule the unit follows in `year` (see RuleBook)."""
    return RuleBook(unit.path, year).rule(unit.path, year)


def deadline_text(rule: RegistrationRule | None) -> str:
    if rule is None or rule.deadline is None:
        return ""
    return vn_date(rule.deadline)



def movements_for(user: Actor) -> QuerySet[Movement]:
    """Movements launched by a unit in the user's subtrees, or carried by a plan deployed to one."""
    return restrict_queryset(Movement.objects.all(), user, field="issuer__path",
                             also=movement_reach)


def plans_for(user: Actor) -> QuerySet[Plan]:
    """Plans issued in the user's subtrees, or deployed to a unit in them."""
    return restrict_queryset(Plan.objects.all(), user, field="issuer__path", also=plan_reach)


def access_movement(user: Actor, movement_id: int) -> Movement:
    try:
        return movements_for(user).select_related("issuer").get(pk=movement_id)
    except (Movement.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_plan(user: Actor, plan_id: int) -> Plan:
    try:
        return plans_for(user).select_related("issuer").get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def access_deployment(user: Actor, deployment_id: int) -> Deployment:
    """A deployment, for users who see its receiving unit (the issuer's officers included)."""
    paths = scope_paths(user)
    try:
        dep = Deployment.objects.select_related("plan", "plan__issuer", "unit").get(
            pk=deployment_id)
    except (Deployment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if not any(dep.unit.path.startswith(p) for p in paths):
        raise NotFoundError()
    return dep


def access_attachment(user: Actor, attachment_id: int) -> Attachment:
    try:
        att = Attachment.objects.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None
    if att.movement_id is not None:
        access_movement(user, att.movement_id)
    else:
        access_plan(user, att.plan_id)  # type: ignore[arg-type]
    return att


def visible_deployments(user: Actor, plan: Plan) -> QuerySet[Deployment]:
    """All the plan's deployments for those who see its issuer; only those in their own
    subtrees for the officers of receiving units."""
    qs = plan.deployments.all()
    paths = scope_paths(user)
    if any(plan.issuer.path.startswith(p) for p in paths):
        return qs
    return qs.filter(path_q(paths, "unit__path"))



def movements_search(user: Actor, *, year: int | None = None, issuer: Unit | None = None,
                     query: str = "") -> QuerySet[Movement]:
    """The movements the user sees, newest year first; filtered by year, issuer, and a piece of
    their name or code."""
    qs = movements_for(user).select_related("issuer").order_by("-year", "name", "id")
    if year:
        qs = qs.filter(year=year)
    if issuer is not None:
        qs = qs.filter(issuer=issuer)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return qs


def movement_rows(user: Actor, *, year: int | None = None, query: str = "") -> QuerySet[Movement]:
    """The movements list page: `movements_search` with the number of plans carrying each."""
    return movements_search(user, year=year, query=query).annotate(
        n_plans=Count("plans", distinct=True))


def movement_plans(user: Actor, movement: Movement) -> list[Plan]:
    """The plans carrying a movement that the user sees, newest first."""
    return list(plans_for(user).filter(movements=movement).select_related("issuer")
                .order_by("-date", "-id"))


def plan_rows(user: Actor) -> QuerySet[Plan]:
    """The plans list page: newest first, with the units reached and those that launched."""
    return plans_for(user).select_related("issuer").annotate(
        n_units=Count("deployments", distinct=True),
        n_launched=Count("deployments", filter=Q(deployments__launched_at__isnull=False),
                         distinct=True),
    ).order_by("-date", "-id")


def plan_movements(plan: Plan) -> list[Movement]:
    return list(plan.movements.select_related("issuer"))


def plan_movement_options(user: Actor) -> list[Movement]:
    """The movements a new plan may carry (the newest 500 the user sees)."""
    return list(movements_for(user).select_related("issuer").order_by("-year", "name")[:500])


def attachments_of(owner: Movement | Plan) -> list[Attachment]:
    return list(owner.attachments.all())


def first_unit_row(user: Actor) -> list[tuple[str, str, int]]:
    """(code, name, depth) of the topmost live unit the user sees, if any."""
    return list(units_for(user).filter(valid_to__isnull=True).order_by("path")
                .values_list("code", "name", "depth")[:1])


def unit_types_below(paths: list[str]) -> list[str]:
    """Unit types of the live units strictly below the units at these paths."""
    if not paths:
        return []
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p, depth__gt=len(p) // Unit.steplen)
    return list(Unit.objects.filter(q, valid_to__isnull=True).order_by()
                .values_list("type", flat=True).distinct())


def percent_text(count: int, total: int) -> str:
    """"100%", "97,5%": whole numbers without decimals, else one decimal."""
    if not total:
        return "0%"
    value = 100 * count / total
    rounded = round(value, 1)
    if rounded == int(rounded):
        return f"{vn_number(int(rounded))}%"
    return f"{vn_number(rounded, 1)}%"


def coverage_phrase(count: int, total: int, unit_type: str, *, style: str = "fraction",
                    two_digits: bool = False) -> str:
    """The coverage as the articles write it: "19/19 tổ công đoàn", "100% công đoàn cơ sở";
    `two_digits` writes small counts as union reports do ("09/19")."""
    noun = UNIT_TYPE_NOUNS.get(unit_type, "đơn vị")
    if style == "percent":
        return f"{percent_text(count, total)} {noun}"
    if two_digits:
        return f"{count:02d}/{total:02d} {noun}"
    return f"{vn_number(count)}/{vn_number(total)} {noun}"


@dataclass
class CoverageLine:
    unit_type: str
    total: int
    acknowledged: int
    launched: int

    @property
    def noun(self) -> str:
        return UNIT_TYPE_NOUNS.get(self.unit_type, "đơn vị")

    @property
    def launched_phrase(self) -> str:
        return coverage_phrase(self.launched, self.total, self.unit_type)

    @property
    def launched_percent_phrase(self) -> str:
        return coverage_phrase(self.launched, self.total, self.unit_type, style="percent")

    @property
    def acknowledged_phrase(self) -> str:
        return coverage_phrase(self.acknowledged, self.total, self.unit_type)

    @property
    def launched_percent(self) -> int:
        return round(100 * self.launched / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.launched == self.total


@dataclass
class Coverage:
    lines: list[CoverageLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.total for line in self.lines)

    @property
    def launched(self) -> int:
        return sum(line.launched for line in self.lines)

    @property
    def acknowledged(self) -> int:
        return sum(line.acknowledged for line in self.lines)

    def phrase(self, style: str = "fraction") -> str:
        """"19/19 tổ công đoàn" (several types joined by commas)."""
        return ", ".join(
            coverage_phrase(line.launched, line.total, line.unit_type, style=style)
            for line in self.lines)


def coverage_of(deployments: QuerySet[Deployment]) -> Coverage:
    """Counts per unit type: one GROUP BY query."""
    rows = deployments.order_by().values("unit_type").annotate(
        total=Count("id"),
        acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)),
        launched=Count("id", filter=Q(launched_at__isnull=False)),
    )
    lines = [CoverageLine(r["unit_type"], r["total"], r["acknowledged"], r["launched"])
             for r in rows]
    order = {t: i for i, t in enumerate(UNIT_TYPE_ORDER)}
    lines.sort(key=lambda line: order.get(line.unit_type, 99))
    return Coverage(lines)


def plan_coverage(plan: Plan, user: Actor | None = None) -> Coverage:
    """The plan's coverage over the deployments the user sees (all of them without a user)."""
    qs = plan.deployments.all() if user is None else visible_deployments(user, plan)
    return coverage_of(qs)


def plan_pending(plan: Plan, user: Actor, *, step: str,
                 limit: int | None = None) -> list[Deployment]:
    """Deployments not yet acknowledged (`step="acknowledge"`) or not yet launched (the first
    `limit` of them in tree order, when given)."""
    qs = visible_deployments(user, plan).select_related("unit")
    qs = (qs.filter(acknowledged_at__isnull=True) if step == "acknowledge"
          else qs.filter(launched_at__isnull=True))
    qs = qs.order_by("unit__path")
    return list(qs[:limit] if limit is not None else qs)


def plan_deployments(user: Actor, plan: Plan) -> QuerySet[Deployment]:
    """The deployments listed on a plan's page: the units still to launch come first, where
    their buttons are."""
    return visible_deployments(user, plan).select_related("unit").order_by(
        F("launched_at").asc(nulls_first=True), "unit__path")


def pending_for_user(user: Actor) -> QuerySet[Deployment]:
    """Deployments to units on which the user is an officer that still wait for an action."""
    paths = managed_paths(user)
    if not paths:
        return Deployment.objects.none()
    return (Deployment.objects.filter(path_q(paths, "unit__path"), launched_at__isnull=True)
            .select_related("plan", "plan__issuer", "unit").order_by("plan__deadline", "unit__path"))



@dataclass(frozen=True)
class Registered:
    """What a person registered in a year, as the grid, its save and the roster template read
    it: plain values, not model instances (a page of 50 people built 450 of them)."""

    late: bool
    titles: tuple[str, ...]
    commitments: tuple[str, ...]
    pledges: tuple[str, ...]


def registrations_by_person(*, person_ids: Iterable[int], year: int) -> dict[int, Registered]:
    """Registrations of these people in `year`, with titles, commitments and pledges in their
    order (4 queries a chunk), by person id."""
    return _registered("person_id", list(person_ids), year)


def registrations_by_unit(*, unit_ids: Iterable[int], year: int) -> dict[int, Registered]:
    """The units' own registrations in `year`, as `registrations_by_person`, by unit id."""
    return _registered("unit_id", list(unit_ids), year)


def _registered(subject: str, ids: list[int], year: int) -> dict[int, Registered]:
    out: dict[int, Registered] = {}
    for chunk in chunks(ids):
        regs = {pk: (subject_id, late) for pk, subject_id, late
                in Registration.objects.filter(**{f"{subject}__in": chunk}, year=year)
                .values_list("pk", subject, "late")}
        if not regs:
            continue
        parts: dict[str, dict[int, list[str]]] = {}
        for name, model, order in (("titles", RegisteredTitle, ("id",)),
                                   ("commitments", Commitment, ("position", "id")),
                                   ("pledges", Pledge, ("id",))):
            found: dict[int, list[str]] = defaultdict(list)
            field_name = "code" if model is RegisteredTitle else "text"
            for reg_id, value in (model.objects.filter(registration_id__in=list(regs))
                                  .order_by("registration_id", *order)
                                  .values_list("registration_id", field_name)):
                found[reg_id].append(value)
            parts[name] = found
        for reg_id, (subject_id, late) in regs.items():
            out[subject_id] = Registered(
                late=late, titles=tuple(parts["titles"].get(reg_id, ())),
                commitments=tuple(parts["commitments"].get(reg_id, ())),
                pledges=tuple(parts["pledges"].get(reg_id, ())))
    return out


def unit_registration(unit: Unit, year: int) -> Registration | None:
    return (Registration.objects.filter(unit=unit, year=year)
            .prefetch_related("titles", "commitments", "pledges").first())


def registration_years(unit: Unit) -> set[int]:
    """The years with registrations on the unit's subtree (its people's and units' own): the
    year pages open on the latest of them. Read from the kept figures' keys of the unit
    (ADR 0037): the distinct years of the subtree's registrations were a scan of them (84 ms
    for the TLĐ at a tenth of the nation)."""
    return registered_years(unit.pk)


def with_details(qs: QuerySet[Registration]) -> QuerySet[Registration]:
    """Registrations with their subject, units, titles, commitments and pledges fetched."""
    return qs.select_related("person", "unit", "home_unit").prefetch_related(
        "titles", "commitments", "pledges")


def unit_registrations(*, unit: Unit, year: int, subject: str | None = None
                       ) -> QuerySet[Registration]:
    """The registrations of `year` whose home unit is in `unit`'s subtree; `subject` "person" or
    "unit" keeps one kind."""
    qs = Registration.objects.filter(year=year, home_unit__path__startswith=unit.path)
    if subject == "person":
        qs = qs.filter(person__isnull=False)
    elif subject == "unit":
        qs = qs.filter(unit__isnull=False)
    return with_details(qs).order_by("home_unit__path", *by_name("person__"), "id")


def registration_detail(registration_id: int) -> Registration:
    return with_details(Registration.objects.filter(pk=registration_id)).get()


def own_rule(unit: Unit, year: int, year_kind: str) -> RegistrationRule | None:
    """The rule `unit` itself issued for `year` and that kind of year (not an inherited one)."""
    return RegistrationRule.objects.filter(issuer=unit, year=year, year_kind=year_kind).first()


def pledge_options(rule: RegistrationRule | None, registration: Registration | None) -> list[str]:
    """The pledges a registration form offers: the rule's, then those the registration signed
    that the rule no longer lists."""
    return list(dict.fromkeys([*(rule.pledges if rule else []),
                               *([p.text for p in registration.pledges.all()]
                                 if registration else [])]))


def registration_roster(user: Actor, *, unit_path: str, day: dt.date, year: int,
                        query: str = "", registered: bool | None = None,
                        workers: int | None = None) -> QuerySet[Employment]:
    """The roster of the registration grid (`people.selectors.roster` at `day`), optionally only
    the people who did (`registered=True`) or did not register for `year`."""
    qs = roster(user=user, unit_path=unit_path, day=day, query=query, workers=workers)
    has_registered = Exists(Registration.objects.filter(person_id=OuterRef("person_id"),
                                                        year=year))
    if registered is False:
        qs = qs.exclude(has_registered)
    elif registered is True:
        qs = qs.filter(has_registered)
    return qs


def person_of(user: Visitor) -> Person | None:
    """The person record linked to this account, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def home_unit_of(person: Person, year: int) -> Unit | None:
    """The unit whose roster the person is on in `year` (the latest period that year, each unit
    judged by its own kind of year)."""
    rows = list(person.employments.select_related("unit").order_by("-valid_from", "-id"))
    for e in rows:
        start, end = calendar_for(e.unit).period(year)
        if e.valid_from < end and (e.valid_to is None or e.valid_to > start):
            return e.unit
    return None


def current_year_of(person: Person, today: dt.date) -> int:
    """The emulation year `today` falls in, for the unit of the person's latest employment."""
    current = person.employments.select_related("unit").order_by("-valid_from").first()
    if current is None:
        return today.year
    return calendar_for(current.unit).year_of(today)


@dataclass
class OwnRegistration:
    """A member's own registration for a year, and what governs it."""

    person: Person
    year: int
    home: Unit | None  # the unit whose roster they are on that year
    calendar: Calendar | None
    rule: RegistrationRule | None
    registration: Registration | None
    closed: bool  # the deadline has passed

    @property
    def year_label(self) -> str:
        return self.calendar.label(self.year) if self.calendar else f"năm {self.year}"


def own_registration(person: Person, year: int, today: dt.date) -> OwnRegistration:
    home = home_unit_of(person, year)
    calendar, rule = None, None
    if home is not None:
        book = RuleBook(home.path, year)
        calendar, rule = book.calendar(home.path), book.rule(home.path, year)
    reg = with_details(Registration.objects.filter(person=person, year=year)).first()
    closed = bool(rule and rule.deadline and today > rule.deadline)
    return OwnRegistration(person, year, home, calendar, rule, reg, closed)


def registrations_for(user: Actor) -> QuerySet[Registration]:
    """Registrations whose home unit is in the user's subtrees, and the user's own."""
    return restrict_queryset(Registration.objects.all(), user, field="home_unit__path",
                             also=lambda _paths: own_registrations(user))



def registered_titles(*, person_ids: list[int], years: list[int]) -> dict[tuple[int, int],
                                                                          set[str]]:
    """(person id, year) -> title codes registered. Every person-year with a registration is a
    key, even one that registered commitments only (an empty set): "registered for emulation"
    and "registered this title" are both answered. No ORDER BY: the titles' default order by id
    let PostgreSQL walk every title in id order and test each one's registration."""
    out: dict[tuple[int, int], set[str]] = {}
    if not person_ids or not years:
        return out
    for chunk in chunks(list(person_ids)):
        for pid, year in Registration.objects.filter(
                person_id__in=chunk, year__in=years).order_by().values_list("person_id", "year"):
            out[(pid, year)] = set()
        for pid, year, code in RegisteredTitle.objects.filter(
                registration__person_id__in=chunk, registration__year__in=years
        ).order_by().values_list("registration__person_id", "registration__year", "code"):
            out[(pid, year)].add(code)
    return out


def unit_registered_titles(*, unit_ids: list[int], years: list[int]) -> dict[tuple[int, int],
                                                                             set[str]]:
    """(unit id, year) -> collective title codes registered (see `registered_titles`)."""
    out: dict[tuple[int, int], set[str]] = defaultdict(set)
    if not unit_ids or not years:
        return {}
    for chunk in chunks(list(unit_ids)):
        for uid, year in Registration.objects.filter(
                unit_id__in=chunk, year__in=years).order_by().values_list("unit_id", "year"):
            out[(uid, year)] = set()
        for uid, year, code in RegisteredTitle.objects.filter(
                registration__unit_id__in=chunk, registration__year__in=years
        ).order_by().values_list("registration__unit_id", "registration__year", "code"):
            out[(uid, year)].add(code)
    return dict(out)
