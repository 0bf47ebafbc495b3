"""The demo's initiatives: the Hai Bà Trưng figures of the seed article (89 at district and city
level in 2022–2023, 16 in award dossiers, 7 recognised by the city, «Ngày thứ tư tốc ký» among
them), built through the services on top of the base demo, and a second run that changes
nothing."""


import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from thidua.audit.models import AuditEntry
from thidua.demo.initiatives import demo_initiatives
from thidua.initiatives.models import (
    Author,
    Initiative,
    InitiativeUse,
    Level,
    Recognition,
    Status,
    UseKind,
)
from thidua.initiatives.selectors import initiative_counts, recognized_initiatives
from thidua.org.models import Unit


@pytest.fixture
def built(demo, db):
    return {"admin": demo.admin()}


def test_the_seed_figures(built):
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    figures = initiative_counts(unit=hbt, years=[2022, 2023])
    assert figures.at_levels([Level.HUYEN, Level.TINH]) == 89
    assert figures.applications == 89 and figures.recognized == 89
    assert figures.by_level[Level.TINH] == 7
    assert figures.used_for_commendation == 16
    # the same figures counted straight from the rows
    years = [2022, 2023]
    in_hbt = Initiative.objects.filter(unit__path__startswith=hbt.path)
    assert in_hbt.filter(year__in=years, recognitions__level__in=["huyen", "tinh"]).distinct(
        ).count() == 89
    assert Recognition.objects.filter(initiative__in=in_hbt, level="tinh",
                                      year__in=years).count() == 7
    assert InitiativeUse.objects.filter(initiative__in=in_hbt, kind=UseKind.COMMENDATION,
                                        year__in=years).values("initiative").distinct(
        ).count() == 16


def test_ngay_thu_tu_toc_ky_at_the_one_stop_desk(built):
    ini = Initiative.objects.get(title__contains="Ngày thứ tư tốc ký")
    assert "một cửa" in ini.title
    assert ini.unit.name == "Tổ Công đoàn Bộ phận Một cửa"
    assert set(ini.recognitions.values_list("level", flat=True)) == {"huyen", "tinh"}
    assert ini.recognitions.get(level="tinh").issuer == "Chủ tịch UBND thành phố Hà Nội"
    assert ini.uses.filter(kind=UseKind.COMMENDATION).exists()
    # the member account is one of its authors
    assert ini.authors.filter(person__user__username="doanvien").exists()


def test_every_one_went_through_the_council(built):
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    old = Initiative.objects.filter(unit__path__startswith=hbt.path, year__in=[2022, 2023])
    assert set(old.values_list("status", flat=True)) == {Status.RECOGNIZED}
    for ini in old.prefetch_related("reviews__council", "authors", "reviews__council__members"):
        review = ini.reviews.get()
        assert review.outcome == "passed" and review.council.year == ini.year
        assert review.votes_for * 3 >= 2 * review.members_total
        members = {m.person_id for m in review.council.members.all()}
        assert not members & {a.person_id for a in ini.authors.all()}
        assert sum(a.contribution for a in ini.authors.all()) == 100
        assert ini.submitted_at.year == ini.year
    titles = list(old.values_list("title", flat=True))
    assert len(set(titles)) == 89


def test_authors_come_from_the_roster_of_their_group(built):
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    authors = Author.objects.filter(initiative__unit__path__startswith=hbt.path)
    assert not authors.filter(person__isnull=True).exists()
    assert authors.filter(person__employments__unit__path__startswith=hbt.path).distinct(
        ).count() == authors.count()


def test_work_in_progress_for_2024(built):
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    now = Initiative.objects.filter(unit__path__startswith=hbt.path, year=2024)
    assert sorted(now.values_list("status", flat=True)) == ["draft", "submitted", "under_review"]


def test_facts_for_the_rules_engine(built):
    ini = Initiative.objects.get(title__contains="Ngày thứ tư tốc ký")
    year = ini.recognitions.get(level="tinh").year
    pid = ini.authors.get(person__user__username="doanvien").person_id
    facts = recognized_initiatives(person_ids=[pid], years=[2022, 2023])
    assert {"year": year, "level": "tinh"} in facts[pid]


def test_pages_show_it(built, client):
    client.force_login(get_user_model().objects.get(username="canbo.cdcs"))
    body = client.get(reverse("initiatives:counts"),
                      {"don_vi": "CD-UBND-HBT", "tu_nam": 2022, "den_nam": 2023}).content.decode()
    assert ("có <strong>89</strong> sáng kiến được công nhận (cấp quận, huyện: 89; cấp tỉnh, "
            "thành phố: 07); <strong>16</strong> sáng kiến được đề nghị làm hồ sơ khen thưởng"
            ) in body
    listing = client.get(reverse("initiatives:list"), {"q": "ngay thu tu toc ky"})
    assert "Ngày thứ tư tốc ký" in listing.content.decode()


def test_a_second_run_changes_nothing(built):
    counts = (Initiative.objects.count(), Recognition.objects.count(),
              InitiativeUse.objects.count(), AuditEntry.objects.count())
    demo_initiatives(actor=built["admin"])
    assert (Initiative.objects.count(), Recognition.objects.count(),
            InitiativeUse.objects.count(), AuditEntry.objects.count()) == counts
