"""Normalisation of initiative texts for the novelty check.

Everything is compared folded (`thidua.platform.text.fold`: lower case, no diacritics, đ → d), so
"Ngày thứ tư tốc ký" and "ngay thu tu toc ki" are the same text. On top of folding:

- punctuation becomes a space, so the text is a sequence of syllables `[a-z0-9]+`;
- the spelling variants i/y after a consonant are merged ("kỹ"/"kĩ", "lý"/"lí", "quý"/"quí").

`normalize` is the fast path used for every document of the index; `tokens` keeps, for every
syllable, its offsets in the original text, for highlighting.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from thidua.platform.text import fold

__all__ = ["Token", "char_ngrams", "fast_fold", "fold", "normalize", "syllables", "tokens"]

_D_MAP = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
# "ký"/"kí", "kỹ"/"kĩ", "lý"/"lí", "mỹ"/"mĩ", "sỹ"/"sĩ", "tỷ"/"tỉ", "hy"/"hi", "quý"/"quí"
_Y_SYLLABLE = re.compile(r"\b(k|l|m|s|t|h|qu)y\b")


def _fold_char(char: str) -> str:
    """What `fold` makes of one character, before spaces are squeezed."""
    decomposed = unicodedata.normalize("NFD", char.translate(_D_MAP))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


class _FoldTable(dict[int, str]):
    """Translation table filled on first sight of each character (str.translate calls
    __getitem__, so __missing__ runs once per new character). `not_one` holds the characters
    that do not fold to exactly one character (combining marks, "ß", ligatures)."""

    def __init__(self) -> None:
        super().__init__()
        self.not_one: set[str] = set()

    def __missing__(self, codepoint: int) -> str:
        value = _fold_char(chr(codepoint))
        self[codepoint] = value
        if len(value) != 1:
            self.not_one.add(chr(codepoint))
        return value


_TABLE = _FoldTable()


def fast_fold(text: str | None) -> str:
    """The same result as `core.text.fold`, ~10× faster on long texts (one table look-up per
    character instead of a Unicode decomposition per character)."""
    if not text:
        return ""
    return _SPACES.sub(" ", text.translate(_TABLE)).strip()


def normalize(text: str | None) -> str:
    """Folded syllables separated by single spaces: "Kỹ thuật (mới)!" -> "ki thuat moi"."""
    folded = _NON_WORD.sub(" ", fast_fold(text)).strip()
    return _Y_SYLLABLE.sub(r"\1i", folded)


def syllables(text: str | None) -> list[str]:
    return normalize(text).split()


def char_ngrams(norm: str, sizes: tuple[int, ...] = (3, 4, 5)) -> list[str]:
    """Character n-grams of an already normalised text, padded with a space at both ends so
    that the start and end of the text count."""
    padded = f" {norm} "
    return [padded[i : i + n] for n in sizes for i in range(len(padded) - n + 1)]


class Token(NamedTuple):
    """One syllable: its normalised form and where it stands in the original text."""

    norm: str
    start: int
    end: int


def tokens(text: str | None) -> list[Token]:
    """Syllables with their offsets in `text` itself (not in a folded copy), so a span built
    from them marks the characters the user typed, diacritics and NFD marks included."""
    if not text:
        return []
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and _TABLE.not_one.isdisjoint(text):
        # every character folded to exactly one: offsets are the same (the usual NFC text);
        # the i/y merge replaces one letter by one letter, so it keeps them too
        flat = _Y_SYLLABLE.sub(r"\1i", folded)
        return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(flat)]
    pieces: list[str] = []
    origin: list[int] = []  # index in `text` of the character each folded character comes from
    for index, char in enumerate(text):
        value = _TABLE[ord(char)]
        pieces.append(value)
        origin.extend([index] * len(value))
    flat = _Y_SYLLABLE.sub(r"\1i", "".join(pieces))
    out = []
    size = len(text)
    for match in _WORD.finditer(flat):
        start = origin[match.start()]
        end = origin[match.end() - 1] + 1
        while end < size and unicodedata.category(text[end]) == "Mn":  # trailing NFD marks
            end += 1
        out.append(Token(match.group(), start, end))
    return out
