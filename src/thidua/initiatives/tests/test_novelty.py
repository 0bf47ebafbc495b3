"""The novelty check as pages use it, against a tiny fake of the similarity package: visible
matches with marked passages, a count of the hidden ones, drafts left out, the index built once
and kept in step with changes, and no gate anywhere."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from thidua.initiatives import novelty, services
from thidua.initiatives.models import Status
from thidua.initiatives.services import AuthorInput
from thidua.initiatives.tests import fake_similarity
from thidua.initiatives.tests.helpers import new_initiative, submitted
from thidua.testing import make_person

pytestmark = pytest.mark.django_db

QUERY_TITLE = "Sổ chứng thực điện tử"
QUERY_TEXT = "Ghi sổ chứng thực bằng bảng tính dùng chung, tra cứu nhanh theo tên."


@pytest.fixture(autouse=True)
def fake(monkeypatch):
    monkeypatch.setattr(novelty, "_similarity", lambda: fake_similarity)
    monkeypatch.setattr(novelty, "MIN_PERCENT", 0)  # the stand-in scores on another scale
    novelty.forget_index()
    fake_similarity.BUILDS.clear()
    yield fake_similarity
    novelty.forget_index()


@pytest.fixture
def archive(world):
    """One submitted initiative in CDCS-A, one in CDCS-C (another branch), one draft."""
    mine = submitted(world)
    stranger = make_person(world.cdcs_c, "Lý Văn Ngoài", actor=world.admin)
    theirs = services.initiative_create(
        actor=world.outsider, unit=world.cdcs_c, year=2022,
        authors=[AuthorInput(person_id=stranger.pk, contribution=Decimal(100))],
        title="Sổ chứng thực bản sao điện tử", field="Tư pháp", kind="tac_nghiep",
        description="Ghi sổ chứng thực trên máy tính thay cho sổ giấy.")
    services.initiative_transition(actor=world.outsider, initiative=theirs, to=Status.SUBMITTED)
    draft = new_initiative(world, title="Sổ chứng thực nháp chưa nộp")
    return {"mine": mine, "theirs": theirs, "draft": draft}


def test_visible_matches_and_a_count_of_the_others(world, archive):
    result = novelty.similar_initiatives(user=world.officer_cdcs, title=QUERY_TITLE,
                                         text=QUERY_TEXT)
    assert result.searched and result.available
    assert [m.id for m in result.visible] == [archive["mine"].pk]
    assert result.hidden_count == 1
    item = result.visible[0]
    assert "<mark>" in item.title_html and "<mark>" in item.snippet_html
    assert item.unit_name == "Công đoàn Sở Tư pháp" and item.status_label == "Đã nộp"
    assert 0 < item.percent <= 100
    # an administrator sees both, the outsider sees theirs and counts ours
    assert len(novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE,
                                           text=QUERY_TEXT).visible) == 2
    other = novelty.similar_initiatives(user=world.outsider, title=QUERY_TITLE, text=QUERY_TEXT)
    assert [m.id for m in other.visible] == [archive["theirs"].pk] and other.hidden_count == 1


def test_drafts_are_not_indexed_and_self_is_excluded(world, archive):
    result = novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT,
                                         exclude_ids=[archive["mine"].pk])
    ids = [m.id for m in result.visible]
    assert archive["draft"].pk not in ids and archive["mine"].pk not in ids
    assert ids == [archive["theirs"].pk]


def test_the_index_is_built_once_and_follows_changes(world, archive):
    novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT)
    novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT)
    assert fake_similarity.BUILDS == [2]
    services.initiative_transition(actor=world.officer_cdcs, initiative=archive["draft"],
                                   to=Status.SUBMITTED)
    result = novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT)
    assert fake_similarity.BUILDS == [2]  # the delta was applied, nothing rebuilt
    assert archive["draft"].pk in [m.id for m in result.visible]


def test_weak_matches_are_left_out(world, archive, monkeypatch):
    everything = novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE,
                                             text=QUERY_TEXT)
    scores = sorted(m.percent for m in everything.visible)
    assert len(scores) == 2 and scores[0] < scores[1]
    monkeypatch.setattr(novelty, "MIN_PERCENT", scores[1])
    strong = novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT)
    assert [m.percent for m in strong.visible] == [scores[1]] and strong.hidden_count == 0


def test_short_text_is_not_searched(world, archive):
    result = novelty.similar_initiatives(user=world.admin, title="Sổ", text="")
    assert not result.searched and not result.visible


def test_missing_package_is_not_an_error(world, archive, monkeypatch):
    def missing():
        raise ImportError("no similarity")

    monkeypatch.setattr(novelty, "_similarity", missing)
    result = novelty.similar_initiatives(user=world.admin, title=QUERY_TITLE, text=QUERY_TEXT)
    assert not result.available and not result.visible


def test_marks_escape_html():
    html = novelty.mark("a <b> & c", [(2, 5), (0, 1), (100, 120)])
    assert html == "<mark>a</mark> <mark>&lt;b&gt;</mark> &amp; c"
    long = "x" * 300 + " trùng khớp " + "y" * 300
    snip = novelty.snippet(long, [(301, 311)])
    assert snip.startswith("…") and snip.endswith("…") and "<mark>trùng khớp</mark>" in snip
    assert novelty.percent(45.6) == 46 and novelty.percent(120) == 100
    # the index gives (query_start, query_end, match_start, match_end): the match side is marked
    assert novelty._match_side([(0, 3, 10, 14), (5, 6)]) == [(10, 14), (5, 6)]


def test_the_panel_while_typing(client, world, archive):
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("initiatives:similar"),
                           {"title": QUERY_TITLE, "description": QUERY_TEXT})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>" in body and f'href="/sang-kien/{archive["mine"].pk}/"' in body
    assert f'href="/sang-kien/{archive["theirs"].pk}/"' not in body
    assert "Ngoài ra có <strong>1</strong> sáng kiến gần giống" in body
    assert "không phải căn cứ" in body or "chỉ để tham khảo" in body


def test_the_panel_on_the_detail_page_and_submission_is_never_blocked(client, world, archive):
    # a near copy of an earlier initiative is still submitted: the check is an aid, not a gate
    copy = new_initiative(world, title="Sổ chứng thực điện tử tại một cửa", year=2024)
    services.initiative_transition(actor=world.officer_cdcs, initiative=copy,
                                   to=Status.SUBMITTED)
    client.force_login(world.officer_cdcs)
    body = client.get(reverse("initiatives:detail", args=[copy.pk])).content.decode()
    assert "Sáng kiến tương tự đã có" in body
    assert f'href="/sang-kien/{archive["mine"].pk}/"' in body
    assert "sáng kiến gần giống ở đơn vị bạn không có quyền xem" in body


def test_the_panel_names_its_threshold_when_nothing_is_similar(client, world, archive):
    client.force_login(world.officer_cdcs)
    response = client.post(reverse("initiatives:similar"),
                           {"title": "Zzqx wvyk", "description": "Qqzx vvwk yyqz"})
    body = response.content.decode()
    assert "Không thấy sáng kiến nào gần giống" in body
    assert f"(mức giống nhau từ {novelty.MIN_PERCENT}% trở lên)" in body
