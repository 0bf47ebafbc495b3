"""The person picker: diacritic-insensitive name search within the user's scope, no CCCD in the
answer, and the four forms that choose a person accept the id it fills (issue 8 §4)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from thidua.evaluation.forms import CandidatePersonForm, CouncilMemberForm
from thidua.initiatives.forms import AuthorForm, MemberForm
from thidua.platform import forms as platform_forms
from thidua.testing import make_person, make_unit


def _search(client, user, q: str) -> str:
    client.force_login(user)
    response = client.get(reverse("people:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_with_and_without_diacritics_gives_name_unit_and_birth_year(client, world):
    dung = make_person(world.cdcs_a, "Nguyễn Văn Dũng", birth=dt.date(1985, 5, 2))
    make_person(world.cdcs_a, "Nguyễn Văn Đức", birth=dt.date(1980, 1, 1))
    for q in ("nguyen van dung", "Nguyễn Văn Dũng", "NGUYEN VAN DUNG", "van dung"):
        html = _search(client, world.officer_cdcs, q)
        assert "Nguyễn Văn Dũng" in html and f'data-id="{dung.pk}"' in html
        assert "Nguyễn Văn Đức" not in html
        assert "sinh năm 1985" in html and "Công đoàn Sở Tư pháp" in html
        assert dung.cccd not in html  # never the CCCD
    both = _search(client, world.officer_cdcs, "nguyen van d")
    assert both.index("Nguyễn Văn Dũng") < both.index("Nguyễn Văn Đức")  # Vietnamese order


def test_search_is_scoped_an_outsider_finds_nothing(client, world):
    make_person(world.cdcs_a, "Nguyễn Văn Dũng")
    html = _search(client, world.outsider, "nguyen van dung")
    assert "Nguyễn Văn Dũng" not in html and "Không tìm thấy" in html
    assert "Nguyễn Văn Dũng" in _search(client, world.officer_above, "dung")
    # too short a query lists nobody
    assert "data-id" not in _search(client, world.officer_cdcs, "n")


def test_search_needs_login(client, db):
    response = client.get(reverse("people:search"), {"q": "dung"})
    assert response.status_code == 302


def test_evaluation_forms_accept_the_picked_id(world):
    p = world.member
    titles = [("ld_tien_tien", "Lao động tiên tiến")]
    form = CandidatePersonForm({"person": str(p.pk), "title": "ld_tien_tien", "reason": "Sót"},
                               titles=titles)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["who"] == p.member_code
    assert 'data-person-picker' in str(form["person"])
    empty = CandidatePersonForm({"title": "ld_tien_tien", "reason": "Sót"}, titles=titles)
    assert not empty.is_valid() and "person" in empty.errors
    council = CouncilMemberForm({"person": str(p.pk), "role": "chu_tich"})
    assert council.is_valid(), council.errors
    assert council.cleaned_data["who"] == p.member_code


def test_initiative_forms_accept_the_picked_id_and_render_the_picker(world):
    p = world.member
    people = [(p.pk, p.full_name)]
    author = AuthorForm({"person": str(p.pk), "contribution": "100"}, people=people)
    assert author.is_valid(), author.errors
    assert author.cleaned_data["person"] == p.pk
    html = str(AuthorForm(initial={"person": p.pk}, people=people, prefix="authors-0")["person"])
    assert "data-person-picker" in html and "<select" not in html
    assert f'value="{p.full_name}"' in html and "id_authors-0-full_name" in html
    member = MemberForm({"person": str(p.pk), "role": "chu_tich"}, people=people)
    assert member.is_valid(), member.errors


def test_unit_suggestions_match_code_or_name_within_the_scope(client, world):
    """A typed unit field asks for suggestions as the officer types: codes by their start, names
    by what they hold (a name's first letter in capitals too: «điện» finds «Điện»), only units
    the user sees, top levels first."""
    make_unit("CDCS-D", "cdcs", world.cdvc, name="Điện lực Hà Nội")
    url = reverse("people:unit-suggest")

    def suggested(user, q: str, truong: str = "") -> list[str]:
        client.force_login(user)
        response = client.get(url, {"truong": truong, truong: q} if truong else {"q": q})
        assert response.status_code == 200
        return re.findall(r'<option value="([^"]+)">', response.content.decode())

    assert suggested(world.leader, "cdcs") == ["CDCS-A", "CDCS-B", "CDCS-D", "CDCS-C"]  # tree order
    assert suggested(world.leader, "sở") == ["CDCS-A", "CDCS-B"]
    assert suggested(world.leader, "điện lực") == ["CDCS-D"]
    assert suggested(world.leader, "ĐIỆN LỰC") == ["CDCS-D"]  # a phone's capitals
    assert suggested(world.leader, "tổ công", truong="chuyen-to_unit") == ["TO-A1"]
    assert suggested(world.leader, "hà nội") == ["LDLD-HN", "CDVC-HN", "CDCS-D"]
    assert suggested(world.outsider, "cdcs") == ["CDCS-C"]  # the other branch's are not shown
    assert suggested(world.outsider, "sở") == []
    client.force_login(world.leader)
    assert client.get(url, {"q": "c"}).status_code == 204  # too short: the list stays
    client.logout()
    assert client.get(url, {"q": "cdcs"}).status_code == 302


def test_a_typed_unit_field_asks_for_suggestions_as_it_is_typed(client, world, monkeypatch):
    monkeypatch.setattr(platform_forms, "UNIT_CHOICES", 3)
    client.force_login(world.leader)
    page = client.get(reverse("honours:proposal-create")).content.decode()
    assert ('hx-vals=\'{"truong": "unit"}\' hx-trigger="input delay:250ms from:#id_unit" '
            'hx-include="#id_unit" hx-target="#unit-goi-y"') in page
    person = make_person(world.cdcs_a, "Nguyễn Văn Đức", actor=world.admin)
    client.force_login(world.officer_above)
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'id="id_chuyen-to_unit"' in page
    assert ('hx-vals=\'{"truong": "chuyen-to_unit"}\' '
            'hx-trigger="input delay:250ms from:#id_chuyen-to_unit"') in page
