"""A tiny stand-in for thidua.initiatives.similarity with the same interface (Doc,
SimilarityIndex(docs).search(...) -> [Match], split_visible): the share of the query's folded
words found in an earlier initiative is its score (0–100), and each shared word is a span
(query_start, query_end, match_start, match_end) as the real package gives them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from thidua.platform.text import fold

BUILDS: list[int] = []


@dataclass(frozen=True)
class Doc:
    id: int
    unit_id: int | None
    year: int | None
    title: str
    text: str


@dataclass
class Match:
    id: int
    score: float
    title_spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    text_spans: list[tuple[int, int, int, int]] = field(default_factory=list)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if len(w) > 2}


def _places(text: str) -> dict[str, tuple[int, int]]:
    # fold() keeps one character per character for Vietnamese, so offsets carry over
    folded = fold(text) if len(fold(text)) == len(text) else text.lower()
    out: dict[str, tuple[int, int]] = {}
    for m in re.finditer(r"\w+", folded):
        out.setdefault(m.group(), (m.start(), m.end()))
    return out


def _spans(query: str, text: str, words: set[str]) -> list[tuple[int, int, int, int]]:
    q = _places(query)
    folded = fold(text) if len(fold(text)) == len(text) else text.lower()
    return [(*q.get(m.group(), (0, 0)), m.start(), m.end())
            for m in re.finditer(r"\w+", folded) if m.group() in words]


class SimilarityIndex:
    def __init__(self, docs: Iterable[Doc]) -> None:
        self.docs = list(docs)
        BUILDS.append(len(self.docs))

    def add(self, docs: Iterable[Doc]) -> None:
        new = list(docs)
        self.remove(d.id for d in new)
        self.docs.extend(new)

    def remove(self, ids: Iterable[int]) -> None:
        gone = set(ids)
        self.docs = [d for d in self.docs if d.id not in gone]

    def search(self, title: str, text: str, k: int = 10,
               exclude_ids: Iterable[int] = ()) -> list[Match]:
        query = _words(title + " " + text)
        out = []
        for d in self.docs:
            if d.id in set(exclude_ids):
                continue
            shared = query & _words(d.title + " " + d.text)
            if not shared:
                continue
            score = 100 * len(shared) / max(1, len(query))
            out.append(Match(d.id, score, _spans(title, d.title, shared),
                             _spans(text, d.text, shared)))
        out.sort(key=lambda m: (-m.score, m.id))
        return out[:k]


def split_visible(matches: list[Match], visible_ids: set[int]) -> tuple[list[Match], int]:
    shown = [m for m in matches if m.id in visible_ids]
    return shown, len(matches) - len(shown)
