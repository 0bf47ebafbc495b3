"""The overlapping passages of two texts, and their marking."""

from __future__ import annotations

from thidua.initiatives.similarity import highlight
from thidua.initiatives.similarity.passages import overlapping_passages
from thidua.initiatives.tests.similarity_docs import TOC_KY


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
