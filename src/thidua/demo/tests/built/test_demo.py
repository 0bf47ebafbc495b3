"""The demo data: the figures of the seed articles, the fictional history, the accounts, and a
second run that changes nothing. The demo database is the package's (conftest.py); each test
runs in a savepoint within it."""

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from thidua.accounts.models import RoleGrant
from thidua.demo import names
from thidua.demo.builder import (
    BINH_MINH,
    DEMO_PASSWORD,
    HOA_SEN,
    MEMBER_PERSON_NAME,
    MERGED,
    demo_plan,
)
from thidua.org.models import Unit, UnitEvent, UnitVersion
from thidua.org.selectors import version_at
from thidua.people.cccd import cccd_problems
from thidua.people.models import Employment, Person
from thidua.platform.text import fold

D = dt.date


@pytest.fixture
def built(demo, db):
    return demo.summary


def stats(code: str, day: str) -> dict:
    out = io.StringIO()
    call_command("stats", "--unit", code, "--date", day, stdout=out)
    return json.loads(out.getvalue())


def children(code: str, day: dt.date) -> list[str]:
    parent = version_at(Unit.objects.get(code=code), day)
    return sorted(
        UnitVersion.objects.at(day)
        .filter(path__startswith=parent.path, depth=parent.depth + 1)
        .values_list("unit__code", flat=True)
    )


def test_cdvc_hn_at_the_end_of_2017(built):
    data = stats("CDVC-HN", "2017-12-31")
    assert data["members"] == 10141
    assert data["workers"] == 10159
    assert data["units"]["cdcs"] == 65
    assert data["units"]["to_cd"] > 0  # some CĐCS have tổ; their people are in the counts
    assert 0.55 <= data["women"] / data["workers"] <= 0.65
    direct = children("CDVC-HN", D(2017, 12, 31))
    assert len(direct) == 65
    assert set(Unit.objects.filter(code__in=direct).values_list("type", flat=True)) == {"cdcs"}
    assert len(set(Unit.objects.filter(code__in=direct).values_list("name", flat=True))) == 65
    people_in_groups = Employment.objects.filter(unit__type="to_cd",
                                                 unit__path__startswith=Unit.objects.get(
                                                     code="CDVC-HN").path).count()
    assert people_in_groups > 0


def test_cd_ubnd_hbt_at_the_end_of_2023(built):
    data = stats("CD-UBND-HBT", "2023-12-31")
    assert data["units"]["to_cd"] == 19
    assert data["members"] == 393
    assert data["workers"] >= 393
    assert 0.55 <= data["women"] / data["workers"] <= 0.65
    group_names = set(Unit.objects.filter(code__startswith="CD-UBND-HBT-T")
                      .values_list("name", flat=True))
    assert {"Tổ Công đoàn Văn phòng HĐND-UBND", "Tổ Công đoàn Phòng Tư pháp",
            "Tổ Công đoàn Bộ phận Một cửa"} <= group_names


def test_the_demo_units_are_alive_today_with_their_award_line(built):
    today = timezone.localdate()
    for code in ["TLD", "LDLD-HN", "CDVC-VN", "CDVC-HN", "LDLD-HBT", "CD-UBND-HBT"]:
        unit = Unit.objects.get(code=code)
        assert unit.is_alive(today), code
        assert not UnitEvent.objects.filter(units_before=unit).exclude(kind="create").exists()
    assert stats("CDVC-HN", today.isoformat())["members"] == 10141
    cdvc = Unit.objects.get(code="CDVC-HN")
    assert list(cdvc.award_lines.values_list("issuer__code", flat=True)) == ["CDVC-VN"]
    assert Unit.objects.get(code="LDLD-HN").type == "ldld_tinh"
    assert Unit.objects.get(code="CDVC-VN").type == "cd_nganh_tw"


def test_the_fictional_history_gives_a_different_tree_in_2017_and_today(built):
    today = timezone.localdate()
    assert children("LDLD-HBT", D(2017, 12, 31)) == sorted(["CD-UBND-HBT", HOA_SEN, BINH_MINH])
    assert children("LDLD-HBT", today) == sorted(["CD-UBND-HBT", MERGED])
    moved = Unit.objects.get(code=f"{BINH_MINH}-T03")
    assert children(BINH_MINH, D(2017, 12, 31)) == [f"{BINH_MINH}-T0{i}" for i in (1, 2, 3)]
    assert moved.code in children(HOA_SEN, D(2022, 1, 1))
    assert moved.code in children(MERGED, today)
    binh_minh = Unit.objects.get(code=BINH_MINH)
    assert "ví dụ minh họa" in version_at(binh_minh, D(2017, 12, 31)).name
    assert version_at(binh_minh, D(2017, 12, 31)).name != version_at(binh_minh, D(2020, 1, 1)).name
    assert version_at(binh_minh, today) is None
    for unit in Unit.objects.filter(code__startswith="VD-"):
        assert unit.name.endswith("(ví dụ minh họa)"), unit.name
    before = stats("LDLD-HBT", "2017-12-31")
    after = stats("LDLD-HBT", today.isoformat())
    assert (before["units"]["cdcs"], after["units"]["cdcs"]) == (3, 2)
    # the people of both schools are all in the merged school now
    merged_people = stats(MERGED, today.isoformat())
    school_people = (stats(HOA_SEN, "2017-12-31")["workers"]
                     + stats(BINH_MINH, "2017-12-31")["workers"])
    assert merged_people["workers"] == school_people > 0
    # ... and the seed figures are not touched by the example
    assert stats("CD-UBND-HBT", "2023-12-31")["members"] == 393


def test_people_look_real(built):
    people = list(Person.objects.values_list("full_name", "gender", "birth_date", "cccd",
                                             "ethnicity", "position"))
    assert len(people) > 10159 + 393
    cccds = [p[3] for p in people]
    assert len(set(cccds)) == len(cccds)
    for full_name, gender, birth, cccd, _, _ in people:
        assert not cccd_problems(cccd, birth_date=birth, gender=gender), (full_name, cccd)
        assert D(1960, 1, 1) <= birth <= D(2000, 12, 31)
        assert len(full_name.split()) >= 3
    with_diacritics = sum(1 for p in people if fold(p[0]) != p[0].lower())
    assert with_diacritics / len(people) > 0.9
    ethnicities = Counter(p[4] for p in people)
    assert ethnicities.most_common(1)[0][0] == "Kinh"
    assert {"Tày", "Mường", "Thái"} <= set(ethnicities)
    assert ethnicities["Kinh"] / len(people) > 0.85
    assert len({p[5] for p in people}) >= 10
    assert sum(1 for c in cccds if c.startswith("001")) / len(cccds) > 0.3
    assert Person.objects.filter(full_name=MEMBER_PERSON_NAME).count() == 1


def test_accounts_log_in_with_their_roles(built, client):
    User = get_user_model()
    for username in ["canbo.cdcs", "canbo.cdvc", "lanhdao.ldld", "quantri", "doanvien"]:
        response = client.post(reverse("login"), {"username": username,
                                                  "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)
        client.logout()
    grants = {(g.user.username, g.unit.code, g.role)
              for g in RoleGrant.objects.select_related("user", "unit")}
    assert {("canbo.cdcs", "CD-UBND-HBT", "officer"), ("canbo.cdvc", "CDVC-HN", "officer"),
            ("lanhdao.ldld", "LDLD-HN", "leader"), ("quantri", "TLD", "admin"),
            ("canbo.ldld", "LDLD-HN", "officer"), ("canbo.quan", "LDLD-HBT", "officer"),
            ("canbo.cdvcvn", "CDVC-VN", "officer"), ("canbo.tld", "TLD", "officer")} <= grants
    assert User.objects.get(username="quantri").is_superuser
    assert not RoleGrant.objects.filter(user__username="doanvien").exists()
    person = User.objects.get(username="doanvien").person
    assert person.full_name == MEMBER_PERSON_NAME
    hbt = Unit.objects.get(code="CD-UBND-HBT")
    assert person.employments.get(valid_to__isnull=True).unit.path.startswith(hbt.path)
    assert person.memberships.filter(valid_to__isnull=True).exists()


def test_first_build_is_reported(built):
    plan = demo_plan()
    # the tree of the plan, the two fictional schools and the school they merged into (the
    # years' steps add units of their own after the build)
    assert built.units_created == len(plan.units) + len(plan.history_units) + 1
    assert Unit.objects.filter(code__in=[u.code for u in plan.units]).count() == len(plan.units)
    assert built.people_created == Person.objects.count()
    assert built.accounts_created == 9  # the five of issue 2, and officers at four levels above
    assert built.history_built
    [cdvc, hbt] = built.figures
    assert (cdvc["unit"], cdvc["members"], hbt["unit"], hbt["members"]) == (
        "CDVC-HN", 10141, "CD-UBND-HBT", 393)


def test_the_plan_is_the_same_on_every_call():
    first, second = demo_plan(), demo_plan()
    assert first.rosters[0].rows == second.rosters[0].rows
    assert first.member_cccd == second.member_cccd
    assert [u.code for u in first.units] == [u.code for u in second.units]
    assert len(names.CDVC_HN_CDCS) == 65
    assert len(names.HBT_GROUPS) == 19


def test_units_tracked_from_a_start_date_have_an_unknown_founding_date(built):
    # the day the demo starts tracking a unit is not its founding day (issue: "Thành lập ngày
    # 01/01/2010" was shown for every demo unit)
    assert Unit.objects.get(code="CD-UBND-HBT").founded_on is None
    assert Unit.objects.get(code="TLD").founded_on == dt.date(1929, 7, 28)
