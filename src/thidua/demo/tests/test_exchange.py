"""The exchange format (issue 13 §4): a subtree dumped from one database and loaded into an
empty one gives the same rows and figures; a broken file is refused in Vietnamese and nothing
is written. The data is the national generator's at a small scale."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import QuerySet

from thidua.demo.national.generate import national_generate
from thidua.demo.tests.exchange_above import hold_what_is_issued_above
from thidua.evaluation import figures as title_figures
from thidua.evaluation import unit_figures as grading_figures
from thidua.evaluation.models import Grading, GradingAnswer, GradingTemplate, Rating, TitleResult
from thidua.honours import figures as award_figures
from thidua.honours.models import Award, AwardChange, Certificate, Decision, DecisionKind
from thidua.honours.selectors import certificate_by_code
from thidua.honours.selectors_lists import award_counts
from thidua.honours.services.decisions import DECISION, GOLDEN_BOOK, next_number, take_numbers
from thidua.initiatives.models import (
    Author,
    Initiative,
    InitiativeUse,
    NoveltyChange,
    Recognition,
    TrialParticipant,
)
from thidua.movements import figures as registration_figures
from thidua.movements import registered
from thidua.movements.models import (
    Commitment,
    Deployment,
    Movement,
    Plan,
    Pledge,
    RegisteredTitle,
    Registration,
)
from thidua.org.models import DatedFigure, Unit, UnitVersion
from thidua.org.rollups import rolled_sums
from thidua.people.exchange_format import EXTENSIONS, open_exchange
from thidua.people.figures import figures_differences
from thidua.people.models import Employment, Membership, Person
from thidua.people.services.exchange import exchange_dump, exchange_load
from thidua.people.stats import unit_stats
from thidua.people.tests.exchange_helpers import edit_dumped_cell
from thidua.platform.errors import ApplicationError
from thidua.reports import kept as report_figures
from thidua.reports.models import (
    Beneficiary,
    FamilyCultureTitle,
    PartyCandidate,
    WelfareActivity,
    YearFigure,
)

SCALE = 0.0002
DAYS = (dt.date(2022, 12, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31))
ROOT = "LDLD-PTO"  # Phú Thọ: Vĩnh Phúc and Hòa Bình merged into it on 01/07/2025


def _activity(a: WelfareActivity, people: object) -> tuple[object, ...]:
    """A welfare activity with its beneficiaries; one outside the dump's people is a name."""
    given = sorted((((b.person.cccd if b.person in people else "") if b.person else ""),  # type: ignore[operator]
                    b.name, b.amount, b.gift, b.note) for b in a.beneficiaries.all())
    return (a.unit.code, a.year, a.date, a.occasion, a.funding, a.title, a.note, str(given))


def _registration(r: Registration) -> tuple[object, ...]:
    """A registration by its subject and year, with its titles, commitments and pledges."""
    return (r.person.cccd if r.person else None, r.unit.code if r.unit else None,
            r.home_unit.code, r.year, r.registered_on, r.source, r.late, r.late_reason,
            r.commitment_count, sorted(t.code for t in r.titles.all()),
            [(c.position, c.text) for c in r.commitments.all()],
            sorted(p.text for p in r.pledges.all()))


def _registration_sums(root: Unit, units: QuerySet[Unit]) -> dict[object, int]:
    """The CĐCS' registration sums (ADR 0036) by unit code: the root's every year, and every
    unit's in 2025 (before the 2025 merger a merged unit's own sums lay in the other subtree)."""
    keys = [registration_figures.REGISTERED, registration_figures.CULTURE_REGISTERED]
    codes = dict(units.values_list("pk", "code"))
    found = rolled_sums(registration_figures.SUMS, unit_ids=[root.pk], years=range(2021, 2026),
                        keys=keys)
    found |= rolled_sums(registration_figures.SUMS, unit_ids=codes, years=[2025], keys=keys)
    return {(codes[unit_id], year, key): n for (unit_id, year, key), n in found.items()}


def _launch_and_grading_sums(root: Unit, units: QuerySet[Unit]) -> dict[object, int]:
    """The CĐCS' launches and gradings sums (ADR 0036, `m:` and `u:`) by unit code: the root's
    every year, and every unit's in 2025."""
    codes = dict(units.values_list("pk", "code"))
    found: dict[object, int] = {}
    for sums, keys in ((registration_figures.SUMS, [registration_figures.LAUNCHED]),
                       (grading_figures.SUMS, [grading_figures.GRADED, grading_figures.GRADED_STRONG,
                                               grading_figures.GRADED_WEAK])):
        got = rolled_sums(sums, unit_ids=[root.pk], years=range(2021, 2026), keys=keys)
        got |= rolled_sums(sums, unit_ids=codes, years=[2025], keys=keys)
        found |= {(codes[unit_id], year, key): n for (unit_id, year, key), n in got.items()}
    return found


def _plans_state(root: Unit, units: QuerySet[Unit]) -> dict[str, object]:
    """The movements, plans, deployments and gradings of the subtree, by natural keys."""
    return {
        "movements": sorted(Movement.objects.filter(issuer__in=units).values_list(
            "issuer__code", "code", "name", "catalogue_code", "year", "start_date", "end_date",
            "audience", "content")),
        "plans": sorted((p.issuer.code, p.year, p.number, p.date, p.title, p.deadline,
                         p.levels, p.deployed_at,
                         sorted((m.issuer.code, m.code) for m in p.movements.all()))
                        for p in Plan.objects.filter(issuer__in=units).select_related("issuer")
                        .prefetch_related("movements__issuer")),
        "deployments": sorted(Deployment.objects.filter(unit__in=units).values_list(
            "plan__issuer__code", "plan__year", "plan__number", "unit__code", "unit_type",
            "acknowledged_at", "launched_on", "launched_at", "note"), key=str),
        "templates": sorted((t.issuer.code, t.year, t.name, t.scale, t.thresholds, t.source,
                             t.confidence, [(c.order, c.code, c.group, c.text, c.max_points)
                                            for c in t.criteria.all()])
                            for t in GradingTemplate.objects.filter(issuer__in=units)
                            .select_related("issuer")),
        "gradings": sorted(Grading.objects.filter(unit__in=units).values_list(
            "unit__code", "year", "template__issuer__code", "template__year", "template__name",
            "total", "label", "reasons", "rule_set"), key=str),
        "answers": sorted(GradingAnswer.objects.filter(grading__unit__in=units).values_list(
            "grading__unit__code", "grading__year", "criterion__code", "points"), key=str),
        "launch_and_grading_sums": _launch_and_grading_sums(root, units),
    }


def _subtree_state(code: str) -> dict[str, object]:
    """Everything the dump should carry, by natural keys (ids and paths differ after a load)."""
    root = Unit.objects.get(code=code)
    units = Unit.objects.filter(path__startswith=root.path)
    people = Person.objects.filter(employments__unit__in=units).distinct()
    codes = set(units.values_list("code", flat=True))
    return {
        "figures": {day: unit_stats(root, day) for day in DAYS},
        "units": sorted((code, name, type_, numchild, depth - root.depth, since, until)
                        for code, name, type_, numchild, depth, since, until in units.values_list(
                            "code", "name", "type", "numchild", "depth", "valid_from",
                            "valid_to")),
        "people": sorted(people.values_list("cccd", "full_name", "birth_date", "gender",
                                            "member_code")),
        "employments": sorted(Employment.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "valid_from", "valid_to")),
        "memberships": sorted(Membership.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "status", "opened_by", "closed_by", "valid_from",
            "valid_to")),
        "ratings": sorted(Rating.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "year", "code", "absence_days", "maternity_days",
            "service_months", "family_ok", "note"), key=str),
        # the titles decided inside the subtree, by people and by units
        "titles": sorted(TitleResult.objects.filter(unit__in=units).values_list(
            "person__cccd", "subject_unit__code", "unit__code", "year", "title", "how",
            "revoked", "reasons", "rule_set", "note"), key=str),
        "title_figures": {year: title_figures.subtree_title_figures(unit_ids=units, year=year)
                          for year in range(2021, 2026)},
        # the decisions taken inside the subtree, their awards and what corrections changed
        "decisions": sorted(Decision.objects.filter(issuer__in=units).values_list(
            "issuer__code", "external_issuer", "kind", "year", "seq_year", "seq", "number",
            "date", "form", "title", "signer_name", "signer_title", "place", "basis", "reason",
            "target__number"), key=str),
        "awards": sorted(Award.objects.filter(issuer__in=units).values_list(
            "decision__number", "issuer__code", "form", "person__cccd", "subject_unit__code",
            "home_unit__code", "recipient_name", "position", "year", "golden_book_no",
            "cash_amount", "revoked", "revoked_by__number", "revoked_reason",
            "certificate__code"), key=str),
        "changes": sorted(AwardChange.objects.filter(award__issuer__in=units).values_list(
            "award__recipient_name", "decision__number", "field", "before", "after")),
        # the initiatives filed in the subtree, with what hangs on them
        "initiatives": sorted(Initiative.objects.filter(unit__in=units).values_list(
            "unit__code", "year", "title", "title_folded", "field", "kind", "first_applied_on",
            "description", "benefit_expected_vnd", "status", "submitted_at"), key=str),
        "authors": sorted(Author.objects.filter(initiative__unit__in=units).values_list(
            "initiative__title", "order", "person__cccd", "full_name", "birth_date",
            "contribution"), key=str),
        "participants": sorted(TrialParticipant.objects.filter(
            initiative__unit__in=units).values_list("initiative__title", "full_name", "task")),
        "recognitions": sorted(Recognition.objects.filter(initiative__unit__in=units).values_list(
            "initiative__title", "level", "year", "decided_on", "decision_no", "issuer")),
        "uses": sorted(InitiativeUse.objects.filter(initiative__unit__in=units).values_list(
            "initiative__title", "kind", "reference", "year", "person__cccd"), key=str),
        # the report's own records of the subtree's units, and their kept figures
        "party": sorted(PartyCandidate.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "introduced_on", "admitted_on", "note"), key=str),
        "families": sorted(FamilyCultureTitle.objects.filter(unit__in=units).values_list(
            "person__cccd", "unit__code", "year", "note"), key=str),
        "welfare": sorted((_activity(a, people) for a in WelfareActivity.objects.filter(
            unit__in=units).select_related("unit").prefetch_related("beneficiaries__person")),
            key=str),
        "report_figures": sorted(YearFigure.objects.filter(unit__in=units).values_list(
            "unit__code", "year", "key", "value")),
        # the registrations of the subtree's units and of the people registered through them
        "registrations": sorted((_registration(r) for r in Registration.objects.filter(
            home_unit__in=units).select_related("person", "unit", "home_unit")
            .prefetch_related("titles", "commitments", "pledges")), key=str),
        "registration_sums": _registration_sums(root, units),
        # those given by the subtree's units (a TLĐ award goes with the TLĐ's dump)
        "award_figures": {year: [r for r in award_counts(unit_ids=units.values("pk"),
                                                         years=[year], day=dt.date(year, 12, 31))
                                 if r["issuer"] in codes] for year in range(2021, 2026)},
        **_plans_state(root, units),
    }


def _vary_the_review() -> None:
    """What the generator leaves plain: the "đảm việc nhà" half both ways, a title's reasons
    (Vietnamese, commas, quotes) and a revoked title beside its replacement."""
    units = Unit.objects.filter(path__startswith=Unit.objects.get(code=ROOT).path)
    ratings = list(Rating.objects.filter(unit__in=units).order_by("id")[:2])
    Rating.objects.filter(pk=ratings[0].pk).update(family_ok=True, absence_days=12,
                                                   service_months=11, note='ghi "chú", ngắn')
    Rating.objects.filter(pk=ratings[1].pk).update(family_ok=False)
    title = TitleResult.objects.filter(unit__in=units, person__isnull=False).order_by("id")[0]
    TitleResult.objects.filter(pk=title.pk).update(
        reasons=[{"rule_id": "xep_loai", "text": 'Xếp loại "Hoàn thành tốt", đủ 12 tháng.',
                  "passed": True}], rule_set="luat-2022-nd98-2023")
    TitleResult.objects.create(person_id=title.person_id, year=title.year, title=title.title,
                               unit_id=title.unit_id, how="correction", revoked=True,
                               note="bản cũ, đã đính chính")
    # an award revoked by a later decision, another corrected, a printed certificate's code
    first, second = Award.objects.filter(issuer__in=units, person__isnull=False).order_by("id")[:2]
    target = first.decision
    amend = {"issuer_id": target.issuer_id, "year": target.year, "form": target.form,
             "date": dt.date(target.year + 1, 6, 1), "signer_name": "Nguyễn Văn Ký",
             "signer_title": "Chủ tịch", "target": target, "reason": "Khai man thành tích"}
    revoking = Decision.objects.create(kind=DecisionKind.THU_HOI, number="901/QĐ-THU-HOI",
                                       title="Về việc thu hồi khen thưởng", **amend)
    Award.objects.filter(pk=first.pk).update(revoked=True, revoked_by=revoking,
                                             revoked_reason="Khai man, thành tích \"ảo\"")
    correcting = Decision.objects.create(kind=DecisionKind.DINH_CHINH, number="902/QĐ-DC",
                                         title="Về việc đính chính", **amend)
    AwardChange.objects.create(award=second, decision=correcting, field="recipient_name",
                               before=second.recipient_name, after="Nguyễn Thị Đính Chính")
    Certificate.objects.create(award=second, code="K7QMABCDEFGH23456789")
    award_figures.rebuild()  # written around the services
    # an initiative with a recognition, a use, a trial participant, amounts and a shared
    # authorship
    initiative = Initiative.objects.filter(unit__in=units).order_by("id").first()
    assert initiative is not None
    Initiative.objects.filter(pk=initiative.pk).update(
        status="recognized", benefit_expected_vnd=Decimal("1500000"),
        submitted_at=dt.datetime(2023, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC))
    Author.objects.filter(initiative=initiative).update(contribution=Decimal("33.33"))
    Recognition.objects.create(initiative=initiative, level="huyen", year=initiative.year,
                               decided_on=dt.date(initiative.year, 11, 2), decision_no="5/QĐ",
                               issuer="Thủ trưởng cơ quan")
    InitiativeUse.objects.create(initiative=initiative, kind="title", reference="CSTĐCS",
                                 year=initiative.year, person=first.person)
    TrialParticipant.objects.create(initiative=initiative, full_name="Lê Thị Thử",
                                    task="Áp dụng thử, ghi số liệu")
    # the report's records: Party candidates (one admitted), a family title, welfare with a
    # beneficiary of the roster, one known by name only and one from outside the subtree
    rated = list(Rating.objects.filter(unit__in=units).select_related("person", "unit")
                 .order_by("id")[:3])
    PartyCandidate.objects.create(person=rated[0].person, unit=rated[0].unit,
                                  introduced_on=dt.date(2023, 4, 1),
                                  admitted_on=dt.date(2024, 2, 3), note="Đoàn viên ưu tú")
    PartyCandidate.objects.create(person=rated[1].person, unit=rated[1].unit,
                                  introduced_on=dt.date(2024, 5, 6))
    FamilyCultureTitle.objects.create(person=rated[2].person, unit=rated[2].unit, year=2024)
    activity = WelfareActivity.objects.create(unit=rated[0].unit, year=2024,
                                              date=dt.date(2024, 3, 8), occasion="8_3",
                                              title="Tặng quà 8/3, \"nữ\" công nhân")
    outsider = Person.objects.exclude(employments__unit__in=units).first()
    Beneficiary.objects.create(activity=activity, person=rated[2].person,
                               name=rated[2].person.full_name, amount=500_000)
    Beneficiary.objects.create(activity=activity, name="Cháu Nguyễn Văn Bé", amount=200_000,
                               gift="hien_vat")
    Beneficiary.objects.create(activity=activity, person=outsider, name="Người ngoài",
                               amount=100_000)
    WelfareActivity.objects.create(unit=rated[1].unit, year=2023, date=dt.date(2023, 6, 28),
                                   occasion="28_6", funding="tai_tro")
    report_figures.rebuild()  # written around the services
    # registrations: a pledge on a CĐCS's, a CĐCS registered for «Cơ quan, đơn vị văn hóa»,
    # and a member registered (late, for 2023: the generator registers people for 2024) through
    # a unit of the subtree by an account that stays
    registration = (Registration.objects.filter(unit__in=units, unit__type="cdcs")
                    .exclude(titles__code="CQ_VAN_HOA").order_by("id").first())
    assert registration is not None
    Pledge.objects.create(registration=registration, text="Thực hiện Quy tắc ứng xử, \"văn minh\"")
    RegisteredTitle.objects.create(registration=registration, code="CQ_VAN_HOA")
    member = Registration.objects.create(
        year=2023, person=rated[0].person, home_unit=rated[0].unit, commitment_count=2,
        registered_on=dt.date(2023, 2, 20), source="web", late=True,
        late_reason="Nộp muộn: ốm dài ngày", registered_by=get_user_model().objects.create_user(
            "canbo_dang_ky"))
    RegisteredTitle.objects.bulk_create([RegisteredTitle(registration=member, code=code)
                                         for code in ("LDTT", "CSTDCS")])
    Commitment.objects.bulk_create([
        Commitment(registration=member, position=0, text="Không đi muộn, về sớm"),
        Commitment(registration=member, position=1, text="Tiết kiệm điện, nước")])
    Pledge.objects.create(registration=member, text="Quy tắc ứng xử")
    registration_figures.rebuild()  # written around the services


def _dump_from_generated(out: Path, **kwargs: object) -> dict[str, object]:
    """Generate, dump the subtree, roll everything back: the database is empty again."""
    point = transaction.savepoint()
    try:
        national_generate(scale=SCALE, seed=11, say=lambda _: None)
        _vary_the_review()
        state = _subtree_state(ROOT)
        exchange_dump(actor=None, unit=Unit.objects.get(code=ROOT), out=out, **kwargs)  # type: ignore[arg-type]
        return state
    finally:
        transaction.savepoint_rollback(point)


@pytest.mark.django_db
def test_a_subtree_dumped_and_loaded_into_an_empty_database_keeps_its_rows_and_figures(tmp_path):
    before = _dump_from_generated(tmp_path / "pto.tar")
    assert not Unit.objects.exists()
    # the target holds what the bodies above issued (the TLĐ's plans and grading sheet, the
    # plans of the provinces merged in 2025): the dump names them by their natural keys
    above = hold_what_is_issued_above(tmp_path / "pto.tar")
    assert "TLD" in above

    counts = exchange_load(actor=None, source=tmp_path / "pto.tar")

    after = _subtree_state(ROOT)
    assert after == before
    assert grading_figures.differences() == []  # the gradings in the CĐCS' sums
    out = StringIO()
    call_command("figures_check", stdout=out)
    assert "0 chỗ khác" in out.getvalue()
    assert counts["plans"] == len(before["plans"]) > 0  # type: ignore[arg-type]
    assert counts["deployments"] == len(before["deployments"]) > 0  # type: ignore[arg-type]
    assert counts["gradings"] == len(before["gradings"]) > 0  # type: ignore[arg-type]
    assert counts["grading_answers"] == len(before["answers"])  # type: ignore[arg-type]
    assert counts["grading_templates"] == 0  # the TLĐ's sheet is matched, not loaded
    assert any(k[2] == registration_figures.LAUNCHED and n
               for k, n in before["launch_and_grading_sums"].items())  # type: ignore[attr-defined]
    assert figures_differences() == []  # the loaded people's periods are in the kept figures
    assert title_figures.differences() == []  # and their titles in the title figures
    assert award_figures.differences() == []  # and the awards in the award figures
    assert report_figures.differences() == []  # and the report's records in theirs
    assert registration_figures.differences() == []  # and the CĐCS' registrations in theirs
    # and who has registered, per subtree and day (ADR 0037): the member loaded with theirs
    assert registered.differences() == []
    assert DatedFigure.objects.filter(key__startswith="dk:2023:").exists()
    assert counts["registrations"] == len(before["registrations"]) > 2  # type: ignore[arg-type]
    assert counts["registration_titles"] == sum(
        len(r[9]) for r in before["registrations"]) > 2  # type: ignore[attr-defined]
    assert counts["registration_commitments"] == sum(
        len(r[10]) for r in before["registrations"]) > 2  # type: ignore[attr-defined]
    assert counts["registration_pledges"] == 2
    assert any(row[0] for row in before["registrations"])  # type: ignore[attr-defined]  # a person's
    assert any(key[2] == registration_figures.CULTURE_REGISTERED
               for key in before["registration_sums"])  # type: ignore[attr-defined]
    # the account that typed a registration stays in the source installation
    assert not Registration.objects.filter(registered_by__isnull=False).exists()
    assert counts["party_candidates"] == 2 and counts["family_titles"] >= 1
    assert counts["welfare_activities"] == 2 and counts["welfare_beneficiaries"] == 3
    assert Beneficiary.objects.filter(person__isnull=True).count() == 2  # the outsider: a name
    assert counts["persons"] == len(before["people"]) > 0  # type: ignore[arg-type]
    assert counts["ratings"] == len(before["ratings"]) > 0  # type: ignore[arg-type]
    assert counts["titles"] == len(before["titles"]) > 0  # type: ignore[arg-type]
    assert counts["decisions"] == len(before["decisions"]) > 2  # type: ignore[arg-type]
    assert counts["awards"] == len(before["awards"]) > 0  # type: ignore[arg-type]
    assert counts["award_changes"] == 1
    assert counts["initiatives"] == len(before["initiatives"]) > 0  # type: ignore[arg-type]
    assert counts["initiative_recognitions"] == len(before["recognitions"]) > 1 and counts["initiative_uses"] == 1
    # every process's novelty index learns of the loaded initiatives
    assert set(NoveltyChange.objects.values_list("initiative_id", flat=True)) == set(
        Initiative.objects.values_list("pk", flat=True))
    # the printed code still verifies; the issuers number on after the loaded numbers
    found = certificate_by_code("K7QM-ABCD-EFGH-2345-6789")
    assert found is not None and found.award.recipient_name
    # loaded twice: refused, the printed codes named among the problems
    with pytest.raises(ApplicationError, match="mã xác minh «K7QMABCDEFGH23456789» đã có"):
        exchange_load(actor=None, source=tmp_path / "pto.tar")
    numbered = Decision.objects.filter(seq__isnull=False)
    for issuer in Unit.objects.filter(pk__in=numbered.values("issuer_id")):
        for year in set(numbered.filter(issuer=issuer).values_list("seq_year", flat=True)):
            last = max(numbered.filter(issuer=issuer, seq_year=year).values_list("seq", flat=True))
            assert next_number(issuer, year, DECISION) == last + 1  # type: ignore[arg-type,operator]
        books = Award.objects.filter(issuer=issuer, golden_book_no__isnull=False)
        if books.exists():
            last = max(books.values_list("golden_book_no", flat=True))
            assert take_numbers(issuer, 0, GOLDEN_BOOK, 1)[0] == last + 1  # type: ignore[operator]
    assert any(row[1] for row in before["titles"])  # type: ignore[attr-defined]  # a unit's title
    root = Unit.objects.get(code=ROOT)
    assert root.depth == 1 and Unit.objects.filter(depth=1).count() == 1 + len(above)
    # the periods the merged units spent under Vĩnh Phúc, Hòa Bình are not this subtree's
    assert not UnitVersion.objects.exclude(path__startswith=root.path).exclude(
        unit__code__in=above).exists()
    # treebeard sees a sound tree: children counts match the paths
    for unit in Unit.objects.all():
        children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        assert unit.numchild == children.count()


@pytest.mark.django_db
def test_a_broken_file_is_refused_in_vietnamese_and_nothing_is_written(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    persons = tmp_path / "pto" / "persons.csv"
    lines = persons.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = lines[2].split(",")
    parts[2] = "31/02/1990"  # birth_date, not a date
    lines[2] = ",".join(parts)
    persons.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(ApplicationError, match="đã bị thay đổi hoặc hỏng"):
        exchange_load(actor=None, source=tmp_path / "pto")

    # the same edit with a matching checksum: the row itself is refused, with its line
    manifest_path = tmp_path / "pto" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    from thidua.people.exchange_format import sha256_of

    for entry in manifest["tables"]:
        if entry["name"] == "persons":
            entry["sha256"] = sha256_of(persons)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=tmp_path / "pto")
    assert "persons.csv, dòng 3" in caught.value.message
    assert "chưa ghi gì" in caught.value.message
    assert not Unit.objects.exists() and not Person.objects.exists()


@pytest.mark.django_db
def test_a_dump_without_cccd_carries_no_number_and_loading_twice_is_refused(tmp_path):
    _dump_from_generated(tmp_path / "plain", with_cccd=False)
    import csv

    with (tmp_path / "plain" / "persons.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(row["cccd"] == "" for row in rows)
    hold_what_is_issued_above(tmp_path / "plain")
    exchange_load(actor=None, source=tmp_path / "plain")
    assert Person.objects.exists() and not Person.objects.filter(cccd__isnull=False).exists()
    with pytest.raises(ApplicationError, match="mã đơn vị đã có"):
        exchange_load(actor=None, source=tmp_path / "plain")




@pytest.mark.django_db
def test_a_wrong_rating_or_title_is_refused_with_its_line_and_nothing_is_written(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    hold_what_is_issued_above(tmp_path / "pto")  # the plans named by natural key
    folder = tmp_path / "pto"
    # the reasons are readable JSON on both databases (SQLite stores \u escapes)
    titles = (folder / "titles.csv").read_text(encoding="utf-8")
    assert "Xếp loại" in titles and "đủ 12 tháng" in titles and "\\u" not in titles
    edit_dumped_cell(folder, "ratings", 2, "absence_days", "400")
    edit_dumped_cell(folder, "titles", 3, "title", "KHONG_CO")
    edit_dumped_cell(folder, "titles", 4, "person_id", "")  # neither a person nor a unit
    edit_dumped_cell(folder, "titles", 5, "reasons", "[chưa đóng")

    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)

    message = caught.value.message
    assert "ratings.csv, dòng 2: cột «absence_days» phải từ 0 đến 366, có 400." in message
    assert "titles.csv, dòng 3: cột «title» có giá trị không hợp lệ «KHONG_CO»." in message
    assert "titles.csv, dòng 5: cột «reasons» không phải JSON hợp lệ." in message
    assert "chưa ghi gì" in message
    # the row checks first: the title without a holder is reported once they pass
    assert not Unit.objects.filter(code=ROOT).exists() and not Rating.objects.exists()
    edit_dumped_cell(folder, "ratings", 2, "absence_days", "4")
    edit_dumped_cell(folder, "titles", 3, "title", "LDTT")
    edit_dumped_cell(folder, "titles", 5, "reasons", "[]")
    with pytest.raises(ApplicationError, match="titles.csv, dòng 4: mỗi danh hiệu thuộc đúng"):
        exchange_load(actor=None, source=folder)
    assert not Unit.objects.filter(code=ROOT).exists() and not TitleResult.objects.exists()


@pytest.mark.django_db
def test_a_dump_of_an_older_version_without_the_tables_added_since_still_loads(tmp_path):
    before = _dump_from_generated(tmp_path / "old")
    manifest_path = tmp_path / "old" / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version"] = 1
    later = {name for name, e in EXTENSIONS.items() if e.since >= 8}  # proposals and the rest
    manifest["tables"] = [e for e in manifest["tables"] if e["name"] not in (
        "ratings", "titles", "movements", "plans", "plan_movements", "deployments",
        "grading_templates", "grading_criteria", "gradings", "grading_answers", *later)]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    counts = exchange_load(actor=None, source=tmp_path / "old")

    assert counts["persons"] == len(before["people"])  # type: ignore[arg-type]
    assert counts["ratings"] == counts["titles"] == 0
    assert not Rating.objects.exists() and title_figures.differences() == []
    manifest["version"] = 2  # the same files claiming version 2 lack two tables
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ApplicationError, match="thiếu bảng «ratings»"):
        exchange_load(actor=None, source=tmp_path / "old")


@pytest.mark.django_db
def test_dumps_of_versions_2_to_8_load_without_the_tables_added_since(tmp_path):
    _dump_from_generated(tmp_path / "old")
    manifest_path = tmp_path / "old" / "manifest.json"
    full = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert full["version"] == 9
    # version 9's tables: the commendation proposals with their councils
    nine = {name for name, e in EXTENSIONS.items() if e.since == 9}
    assert {"proposals", "proposal_candidates", "honours_councils"} <= nine
    full["tables"] = [e for e in full["tables"] if e["name"] not in nine]
    eight_tables = list(full["tables"])
    # version 8's tables: the attached files, the initiative councils
    eight = {name for name, e in EXTENSIONS.items() if e.since == 8}
    assert {"initiative_attachments", "movement_attachments", "initiative_reviews"} <= eight
    full["tables"] = [e for e in full["tables"] if e["name"] not in eight]
    seven = list(full["tables"])
    # version 7's tables: a dump of an older version has none of them
    plans = ("movements", "plans", "plan_movements", "deployments", "grading_templates",
             "grading_criteria", "gradings", "grading_answers")
    full["tables"] = [e for e in full["tables"] if e["name"] not in plans]
    awards = ("decisions", "awards", "award_changes")
    initiatives = tuple(e["name"] for e in full["tables"] if e["name"].startswith("initiative"))
    assert len(initiatives) == 5
    reports = ("party_candidates", "family_titles", "welfare_activities", "welfare_beneficiaries")
    registrations = tuple(e["name"] for e in full["tables"] if e["name"].startswith("registration"))
    assert len(registrations) == 4

    def load_as(version: int, without: tuple[str, ...]) -> dict[str, int]:
        manifest = {**full, "version": version,
                    "tables": [e for e in full["tables"] if e["name"] not in without]}
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        point = transaction.savepoint()
        try:
            return exchange_load(actor=None, source=tmp_path / "old")
        finally:
            transaction.savepoint_rollback(point)

    counts = load_as(2, awards + initiatives + reports + registrations)
    assert counts["titles"] > 0 and counts["awards"] == counts["initiatives"] == 0
    counts = load_as(3, initiatives + reports + registrations)
    assert counts["awards"] > 0 and counts["initiatives"] == 0
    with pytest.raises(ApplicationError, match="thiếu bảng «decisions»"):
        load_as(3, awards + initiatives + reports + registrations)
    with pytest.raises(ApplicationError, match="thiếu bảng «initiatives»"):
        load_as(4, initiatives)
    counts = load_as(4, reports + registrations)
    assert counts["initiatives"] > 0
    assert counts["party_candidates"] == counts["welfare_activities"] == 0
    with pytest.raises(ApplicationError, match="thiếu bảng «party_candidates»"):
        load_as(5, reports + registrations)
    counts = load_as(5, registrations)
    assert counts["welfare_beneficiaries"] == 3 and counts["registrations"] == 0
    assert counts["registration_titles"] == counts["registration_pledges"] == 0
    with pytest.raises(ApplicationError, match="thiếu bảng «registrations»"):
        load_as(6, registrations)
    # a version-6 dump loads into an empty database: nothing in it names what a body above
    # the subtree issued, and the loaded CĐCS' launches and gradings start empty
    counts = load_as(6, ())
    assert counts["registration_pledges"] == 2
    assert counts["deployments"] == counts["gradings"] == 0
    with pytest.raises(ApplicationError, match="thiếu bảng «movements»"):
        load_as(7, ())
    # a version-7 dump is read without the attached files; a version-8 one must hold them
    for version in (7, 8):
        manifest_path.write_text(json.dumps({**full, "version": version, "tables": seven}),
                                 encoding="utf-8")
        if version == 7:
            assert open_exchange(tmp_path / "old", tmp_path)[1]["version"] == 7
            continue
        with pytest.raises(ApplicationError, match="thiếu bảng «(movement|initiative)_"):
            open_exchange(tmp_path / "old", tmp_path)
    # a version-8 dump is read without the proposals; a version-9 one must hold them
    for version in (8, 9):
        manifest_path.write_text(json.dumps({**full, "version": version,
                                             "tables": eight_tables}), encoding="utf-8")
        if version == 8:
            assert open_exchange(tmp_path / "old", tmp_path)[1]["version"] == 8
            continue
        with pytest.raises(ApplicationError, match="thiếu bảng «(proposal|honours)_?"):
            open_exchange(tmp_path / "old", tmp_path)
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_a_wrong_decision_or_award_is_refused_with_its_line_and_nothing_is_written(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    hold_what_is_issued_above(tmp_path / "pto")  # the plans named by natural key
    folder = tmp_path / "pto"
    edit_dumped_cell(folder, "decisions", 2, "kind", "khen_lao")
    edit_dumped_cell(folder, "awards", 2, "golden_book_no", "-3")
    edit_dumped_cell(folder, "initiative_authors", 2, "contribution", "33.333")
    edit_dumped_cell(folder, "initiatives", 2, "submitted_at", "hôm qua")
    edit_dumped_cell(folder, "initiatives", 3, "benefit_expected_vnd", "1e400")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    message = caught.value.message
    assert "decisions.csv, dòng 2: cột «kind» có giá trị không hợp lệ «khen_lao»." in message
    assert "awards.csv, dòng 2: cột «golden_book_no» phải từ 1 đến" in message
    assert ("initiative_authors.csv, dòng 2: cột «contribution» phải là số có tối đa 2 chữ số "
            "sau dấu chấm, có «33.333».") in message
    assert "initiatives.csv, dòng 2: cột «submitted_at» phải là thời điểm dạng" in message
    assert "initiatives.csv, dòng 3: cột «benefit_expected_vnd» phải" in message
    assert not Unit.objects.filter(code=ROOT).exists() and not Decision.objects.exists()

    # the rows read, their references and the tables' own checks
    edit_dumped_cell(folder, "decisions", 2, "kind", "khen_thuong")
    edit_dumped_cell(folder, "awards", 2, "golden_book_no", "")
    edit_dumped_cell(folder, "initiative_authors", 2, "contribution", "33.33")
    edit_dumped_cell(folder, "initiatives", 2, "submitted_at", "")
    edit_dumped_cell(folder, "initiatives", 3, "benefit_expected_vnd", "")
    edit_dumped_cell(folder, "awards", 2, "decision_id", "999999999")
    edit_dumped_cell(folder, "awards", 3, "person_id", "")  # neither a person nor a collective
    edit_dumped_cell(folder, "awards", 4, "certificate_code", "NGAN")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    message = caught.value.message
    assert ("awards.csv, dòng 2: mã tham chiếu 999999999 (cột «decision_id») không có trong "
            "tệp.") in message
    assert "awards.csv, dòng 3: mỗi khen thưởng thuộc đúng một người" in message
    assert "awards.csv, dòng 4: mã xác minh bằng, giấy khen phải gồm 20 chữ, số." in message
    assert "chưa ghi gì" in message
    assert not Unit.objects.filter(code=ROOT).exists() and not Decision.objects.exists()
    assert not Award.objects.exists()


@pytest.mark.django_db
def test_a_wrong_party_family_or_welfare_row_is_refused_with_its_line(tmp_path):
    _dump_from_generated(tmp_path / "pto")
    hold_what_is_issued_above(tmp_path / "pto")  # the plans named by natural key
    folder = tmp_path / "pto"
    edit_dumped_cell(folder, "party_candidates", 2, "admitted_on", "2020-01-01")  # before introduced
    edit_dumped_cell(folder, "welfare_activities", 2, "year", "2019")  # not the year of its day
    edit_dumped_cell(folder, "welfare_beneficiaries", 2, "gift", "vang")
    edit_dumped_cell(folder, "welfare_beneficiaries", 3, "activity_id", "999999999")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    message = caught.value.message
    assert "welfare_beneficiaries.csv, dòng 2: cột «gift» có giá trị không hợp lệ «vang»." in message
    assert not Unit.objects.filter(code=ROOT).exists() and not WelfareActivity.objects.exists()
    edit_dumped_cell(folder, "welfare_beneficiaries", 2, "gift", "tien_mat")
    with pytest.raises(ApplicationError) as caught:
        exchange_load(actor=None, source=folder)
    message = caught.value.message
    assert "party_candidates.csv, dòng 2: ngày kết nạp 2020-01-01 trước ngày giới thiệu" in message
    assert "welfare_activities.csv, dòng 2: năm 2019 không phải năm của ngày" in message
    assert ("welfare_beneficiaries.csv, dòng 3: mã tham chiếu 999999999 (cột «activity_id») "
            "không có trong tệp.") in message
    assert not Unit.objects.filter(code=ROOT).exists() and not PartyCandidate.objects.exists()
    assert not Beneficiary.objects.exists() and not YearFigure.objects.exists()
