"""Helpers of the evaluation tests: a small roster in the shared world, registrations either as
a fake (services take it as an argument) or as real movements rows, and a way to fill a
review's votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from thidua.evaluation import services
from thidua.evaluation.models import Review
from thidua.testing import World, make_person

YEAR = 2024


@dataclass
class Roster:
    world: World
    people: list[Any]  # the member of TO-A1 first, then five more in CDCS-A / TO-A1
    registered: dict[tuple[int, int], set[str]]

    def registrations(self) -> Callable[..., dict[tuple[int, int], set[str]]]:
        def fake(*, person_ids: list[int], years: list[int]) -> dict[tuple[int, int], set[str]]:
            return {k: v for k, v in self.registered.items() if k[0] in person_ids
                    and k[1] in years}

        return fake

    def register(self, people: Iterable[Any], titles: Iterable[str], year: int = YEAR) -> None:
        for p in people:
            self.registered.setdefault((p.pk, year), set()).update(titles)


def no_units(*, unit_ids: list[int], years: list[int]) -> dict[tuple[int, int], set[str]]:
    return {}


@pytest.fixture
def roster(world: World) -> Roster:
    w = world
    people = [w.member]
    names = [("Nguyễn Văn An", "nam"), ("Lê Thị Bình", "nu"), ("Phạm Văn Cường", "nam"),
             ("Hoàng Thị Dung", "nu"), ("Vũ Văn Em", "nam")]
    for i, (name, gender) in enumerate(names):
        people.append(make_person(w.to_a1 if i % 2 else w.cdcs_a, name, gender=gender,
                                  birth=dt.date(1980 + i, 2, 3), actor=w.admin))
    return Roster(w, people, {})


def rate(roster: Roster, codes: list[str], year: int = YEAR, **extra: Any) -> None:
    rows = [services.RatingRow(person_id=p.pk, code=c, **extra)
            for p, c in zip(roster.people, codes, strict=False) if c is not None]
    services.ratings_save(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a, year=year,
                          rows=rows)


def open_review(roster: Roster, year: int = YEAR) -> Review:
    return services.review_open(actor=roster.world.officer_cdcs, unit=roster.world.cdcs_a,
                                year=year, registrations=roster.registrations(),
                                unit_registrations=no_units)


def council(review: Review, roster: Roster, size: int = 5) -> list[Any]:
    actor = roster.world.officer_cdcs
    roles = ["chu_tich", "thu_ky"] + ["uy_vien"] * (size - 2)
    return [services.council_member_add(actor=actor, review=review, role=role,
                                        name=f"Thành viên {i + 1}", position="Ủy viên BCH")
            for i, role in enumerate(roles)]


def vote_all(review: Review, roster: Roster, members: list[Any],
             choices: dict[int, str] | None = None) -> None:
    """Every member votes on every included candidate: `choices[member index]` or "dong_y"."""
    actor = roster.world.officer_cdcs
    for i, m in enumerate(members):
        services.votes_fill(actor=actor, review=review, member=m,
                            choice=(choices or {}).get(i, "dong_y"))


ALL = ["LDTT", "CSTDCS", "DVXS", "GVNDVN"]


def officer(roster: Roster) -> Any:
    return roster.world.officer_cdcs


def ready_review(roster: Roster) -> Review:
    """Everyone registered for every title and rated, and the review opened."""
    roster.register(roster.people, ALL)
    rate(roster, ["HTXSNV", "HTTNV", "HTXSNV", "HTNV", "HTTNV", "KHTNV"])
    return open_review(roster)


def voting_review(roster: Roster, size: int = 5) -> tuple[Review, list[Any]]:
    """A ready review with a council of `size`, moved to the vote."""
    review = ready_review(roster)
    members = council(review, roster, size)
    services.review_transition(actor=officer(roster), review=review, to="voting")
    return review, members
