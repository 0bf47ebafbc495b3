"""Records of a reporting year on the shared test world (`thidua.testing.make_world`). Titles and
awards are written as the end of their flows writes them (those flows are tested in their own
apps; walking a proposal through a council here would test them again, slowly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from thidua.evaluation.figures import title_figures
from thidua.evaluation.models import DecidedBy, TitleResult
from thidua.evaluation.unit_figures import unit_figures
from thidua.honours.figures import award_figures
from thidua.honours.models import Award, Decision
from thidua.org.models import Unit
from thidua.people.models import Person
from thidua.reports.kept import family_figures, party_figures, welfare_figures, welfare_figures_add
from thidua.reports.models import Beneficiary, FamilyCultureTitle, PartyCandidate, WelfareActivity

D = dt.date
YEAR = 2023


def decision(issuer: Unit, year: int = YEAR, number: str = "1/QĐ") -> Decision:
    return Decision.objects.create(issuer=issuer, year=year, number=f"{number}-{issuer.code}",
                                   date=D(year + 1, 1, 10), title="Khen thưởng",
                                   signer_name="Nguyễn Văn Chủ", signer_title="Chủ tịch")


def award(d: Decision, form: str, *, person: Person | None = None, unit: Unit | None = None,
          home: Unit | None = None, revoked: bool = False) -> Award:
    assert (person is None) != (unit is None)
    home_unit = home or unit
    if home_unit is None:
        assert person is not None
        home_unit = person.employments.order_by("-valid_from").first().unit  # type: ignore[union-attr]
    # as the decision services store one: with the decision's kept award figures (ADR 0034)
    with award_figures([d.pk]):
        return Award.objects.create(
            decision=d, issuer=d.issuer, form=form, person=person, subject_unit=unit,
            home_unit=home_unit, recipient_name=person.full_name if person else unit.name,  # type: ignore[union-attr]
            year=d.year, revoked=revoked)


def title(code: str, decided_by: Unit, *, person: Person | None = None,
          unit: Unit | None = None, year: int = YEAR, revoked: bool = False) -> Any:
    # as the title services store one: with the holder's kept title figures (ADR 0031, 0036)
    with (title_figures([person.pk] if person is not None else []),
          unit_figures([unit.pk] if unit is not None else [])):
        return TitleResult.objects.create(person=person, subject_unit=unit, year=year,
                                          title=code, unit=decided_by, how=DecidedBy.COUNCIL,
                                          revoked=revoked)


# Party candidacies, welfare and family titles as their services store them: with the kept
# figures of the year-end report (ADR 0032), for the tests that only need the records


def party(person: Person, unit: Unit, introduced_on: dt.date,
          admitted_on: dt.date | None = None) -> PartyCandidate:
    with party_figures([person.pk]):
        return PartyCandidate.objects.create(person=person, unit=unit,
                                             introduced_on=introduced_on, admitted_on=admitted_on)


def welfare(unit: Unit, day: dt.date, occasion: str,
            *people: tuple[Person | None, int]) -> WelfareActivity:
    """An activity with its beneficiaries: (person or None, amount) each."""
    with welfare_figures([]):
        activity = WelfareActivity.objects.create(unit=unit, year=day.year, date=day,
                                                  occasion=occasion)
        welfare_figures_add([activity.pk])
        for i, (person, amount) in enumerate(people):
            Beneficiary.objects.create(activity=activity, person=person,
                                       name=person.full_name if person else f"Người nhận {i}",
                                       amount=amount)
    return activity


def family(person: Person, unit: Unit, year: int = YEAR) -> FamilyCultureTitle:
    with family_figures([person.pk]):
        return FamilyCultureTitle.objects.create(person=person, year=year, unit=unit)
