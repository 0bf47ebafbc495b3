"""Folding and normalising Vietnamese text for the novelty check."""

from __future__ import annotations

import random
import unicodedata

import pytest

from thidua.initiatives.similarity.text import fast_fold, normalize, tokens
from thidua.platform.text import fold


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
