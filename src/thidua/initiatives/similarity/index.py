"""The baseline novelty index: TF-IDF candidates, rapidfuzz ranking.

Scoring (`score_many`) is plain rapidfuzz on normalised text (see `text.normalize`):
``0.3 × token_sort_ratio(titles) + 0.7 × token_set_ratio(texts)``, or the title score alone
when either side has no text. `brute_force_search` applies it to every document; the index
applies the very same function to a few hundred candidates, so whenever the brute-force top-k
is among the candidates, the index returns exactly the same top-k.

Candidates come from two inverted indexes (titles and texts) of TF-IDF weighted features:
folded character 3-, 4- and 5-grams (titles only: they are short and carry the typos that
matter) and syllable unigrams and bigrams (titles and texts). A query touches only the posting
lists of its own features, and skips the features found in more than `MAX_DF` of the
documents: they are the stop-words of the archive ("công tác", "nâng cao", "hiệu quả"), which weigh
almost nothing after IDF and would cost a full scan. The candidate score mirrors the final
one: 0.3 × title cosine + 0.7 × text cosine; the `CANDIDATES` best are ranked by rapidfuzz.

Storage is numpy only: per segment, sorted feature keys (uint64), the start of each posting
list, document rows (int32) and weights (float32). `add` builds a segment for the new
documents and merges it with the newest ones while they are of comparable size (so one new
document never rewrites the whole index); `remove` marks rows dead.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from .text import normalize

__all__ = [
    "CANDIDATES",
    "EXACT_BELOW",
    "TITLE_WEIGHT",
    "Doc",
    "Prepared",
    "TfidfIndex",
    "brute_force_ranking",
    "prepare",
    "score_many",
]

TITLE_WEIGHT = 0.3
TITLE_WEIGHT_CAND = 0.3  # the same split for the candidate score (tuned apart if ever needed)
MAX_TEXT_CHARS = 4000  # of normalised text: a long description is judged on its beginning
CANDIDATES = 600
EXACT_BELOW = 2000  # a small archive is scored whole: exact and still fast (≈ 30 ms)
MAX_DF = 0.2
RAREST_FALLBACK = 8
MIN_DOCS_FOR_MAX_DF = 2000  # below this a scan of every posting is cheap anyway
MAX_SEGMENTS = 24  # a bound only: sizes fall geometrically (see _Field._compact)
CHUNK = 20_000  # documents featurised at once (bounds the memory of a bulk build)


@dataclass(frozen=True)
class Doc:
    id: int
    unit_id: int | None
    year: int | None
    title: str
    text: str


def score_many(q_title: str, q_text: str, titles: Sequence[str], texts: Sequence[str]
               ) -> NDArray[np.float32]:
    """Scores 0–100 of one normalised query against normalised documents (same order)."""
    if not titles:
        return np.zeros(0, dtype=np.float32)
    # rapidfuzz's cdist is typed as returning Any
    s_title = cast(NDArray[np.float32], process.cdist(
        [q_title], titles, scorer=fuzz.token_sort_ratio, dtype=np.float32)[0])
    if not q_text:
        return s_title
    s_text = cast(NDArray[np.float32], process.cdist(
        [q_text], texts, scorer=fuzz.token_set_ratio, dtype=np.float32)[0])
    has_text = np.fromiter((bool(t) for t in texts), dtype=bool, count=len(texts))
    mixed = TITLE_WEIGHT * s_title + (1 - TITLE_WEIGHT) * s_text
    return np.where(has_text, mixed, s_title).astype(np.float32)


def top_k(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores; ties go to the smaller id, so every path agrees."""
    if k <= 0 or not len(scores):
        return np.zeros(0, dtype=np.int64)
    if len(scores) > 4 * k:
        cut = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = np.flatnonzero(scores >= cut)
    else:
        keep = np.arange(len(scores))
    order = np.lexsort((ids[keep], -scores[keep]))
    return keep[order[:k]]


@dataclass
class Prepared:
    """Normalised documents, ready for `brute_force_ranking` (normalise once, scan often)."""

    ids: np.ndarray
    titles: list[str]
    texts: list[str]
    docs: list[Doc]


def _norm_text(text: str) -> str:
    return normalize(text)[:MAX_TEXT_CHARS]


def prepare(docs: Iterable[Doc]) -> Prepared:
    docs = list(docs)
    return Prepared(
        ids=np.fromiter((d.id for d in docs), dtype=np.int64, count=len(docs)),
        titles=[normalize(d.title) for d in docs],
        texts=[_norm_text(d.text) for d in docs],
        docs=docs,
    )


def brute_force_ranking(prepared: Prepared, title: str, text: str, k: int) -> list[tuple[int, float]]:
    """(position in `prepared`, score) of the k best documents, scoring every one of them."""
    q_title, q_text = normalize(title), _norm_text(text)
    if not q_title and not q_text:
        return []
    if not q_title:
        q_title = q_text[:200]
    scores = score_many(q_title, q_text, prepared.titles, prepared.texts)
    best = top_k(scores, prepared.ids, k)
    return [(int(i), float(scores[i])) for i in best]


_KIND_CHAR = 1 << 61
_KIND_UNI = 2 << 61
_KIND_BI = 3 << 61
_LOW61 = (1 << 61) - 1
_LUT = np.zeros(256, dtype=np.uint64)  # 0 = separator between documents
_LUT[ord(" ")] = 1
for _i, _c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789"):
    _LUT[ord(_c)] = 2 + _i
_BASE = 38
_syllable_ids: dict[str, int] = {}


def _syllable_id(word: str) -> int:
    value = _syllable_ids.get(word)
    if value is None:
        value = zlib.crc32(word.encode()) | (len(word) << 32)
        if len(_syllable_ids) < 2_000_000:
            _syllable_ids[word] = value
    return value


def _char_features(norms: Sequence[str], sizes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of every character n-gram of every text (space-padded), vectorised."""
    if not norms:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    joined = "".join(f" {s} \x00" for s in norms).encode("ascii", "replace")
    codes = _LUT[np.frombuffer(joined, dtype=np.uint8)]
    lengths = np.fromiter((len(s) + 3 for s in norms), dtype=np.int64, count=len(norms))
    rows_at = np.repeat(np.arange(len(norms), dtype=np.int64), lengths)
    is_sep = np.concatenate(([0], np.cumsum(codes == 0)))
    rows, keys = [], []
    for n in sizes:
        m = len(codes) - n + 1
        if m <= 0:
            continue
        key = np.zeros(m, dtype=np.uint64)
        for j in range(n):
            key = key * np.uint64(_BASE) + codes[j : j + m]
        ok = (is_sep[n : n + m] - is_sep[:m]) == 0
        rows.append(rows_at[:m][ok])
        keys.append(key[ok] | np.uint64(_KIND_CHAR | (n << 40)))
    return np.concatenate(rows), np.concatenate(keys)


def _syllable_features(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, key) of syllable unigrams and bigrams of every text."""
    ids: list[int] = []
    counts = np.zeros(len(norms), dtype=np.int64)
    sid = _syllable_id
    for i, s in enumerate(norms):
        words = s.split()
        counts[i] = len(words)
        ids.extend(sid(w) for w in words)
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    arr = np.array(ids, dtype=np.uint64)
    rows = np.repeat(np.arange(len(norms), dtype=np.int64), counts)
    uni = (arr & np.uint64(_LOW61)) | np.uint64(_KIND_UNI)
    same = rows[1:] == rows[:-1]
    bi = ((arr[:-1] * np.uint64(0x9E3779B97F4A7C15)) ^ arr[1:]) & np.uint64(_LOW61)
    bi = bi[same] | np.uint64(_KIND_BI)
    return np.concatenate((rows, rows[:-1][same])), np.concatenate((uni, bi))


#: (rows, keys) of the features of a batch of normalised texts
Featuriser = Callable[[Sequence[str]], tuple[np.ndarray, np.ndarray]]


def _title_features(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    r1, k1 = _char_features(norms, (3, 4, 5))
    r2, k2 = _syllable_features(norms)
    return np.concatenate((r1, r2)), np.concatenate((k1, k2))


def _text_features(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    return _syllable_features(norms)


def _term_counts(rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unique (key, row) pairs sorted by key, with their counts."""
    if not len(keys):
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    order = np.lexsort((rows, keys))
    keys, rows = keys[order], rows[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(keys))).astype(np.float32)
    return keys[starts], rows[starts], counts


class _Segment:
    """Immutable posting lists: for keys[i], rows/tf in [starts[i], starts[i+1])."""

    __slots__ = ("keys", "rows", "starts", "tf")

    def __init__(self, keys: np.ndarray, rows: np.ndarray, tf: np.ndarray) -> None:
        # keys sorted (with repeats, one per posting); rows sorted within a key
        new = np.ones(len(keys), dtype=bool)
        new[1:] = keys[1:] != keys[:-1]
        first = np.flatnonzero(new)
        self.keys = keys[first]
        self.starts = np.append(first, len(keys)).astype(np.int64)
        self.rows = rows.astype(np.int32)
        self.tf = tf.astype(np.float32)

    @property
    def postings(self) -> int:
        return len(self.rows)

    def df(self, keys: np.ndarray) -> np.ndarray:
        pos = np.searchsorted(self.keys, keys)
        pos_c = np.minimum(pos, max(len(self.keys) - 1, 0))
        found = (pos < len(self.keys)) & (self.keys[pos_c] == keys) if len(self.keys) else np.zeros(len(keys), bool)
        out = np.zeros(len(keys), dtype=np.int64)
        out[found] = self.starts[pos_c[found] + 1] - self.starts[pos_c[found]]
        return out

    def gather(self, keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows and weight × tf of every posting of the given keys."""
        if not len(self.keys):
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        pos = np.searchsorted(self.keys, keys)
        pos_c = np.minimum(pos, len(self.keys) - 1)
        found = (pos < len(self.keys)) & (self.keys[pos_c] == keys)
        lo = self.starts[pos_c[found]]
        hi = self.starts[pos_c[found] + 1]
        w = weights[found]
        n = hi - lo
        total = int(n.sum())
        if not total:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        # positions lo[i] .. hi[i]-1 for every i, without a Python loop
        offsets = np.repeat(lo - np.concatenate(([0], np.cumsum(n)[:-1])), n)
        idx = np.arange(total, dtype=np.int64)
        idx += offsets
        return self.rows[idx], self.tf[idx] * np.repeat(w.astype(np.float32), n)

    @staticmethod
    def merge(segments: Sequence[_Segment]) -> _Segment:
        keys = np.concatenate([np.repeat(s.keys, np.diff(s.starts)) for s in segments])
        rows = np.concatenate([s.rows for s in segments])
        tf = np.concatenate([s.tf for s in segments])
        order = np.lexsort((rows, keys))
        return _Segment(keys[order], rows[order], tf[order])


class _Field:
    """One inverted index (titles or texts) over the rows of the TfidfIndex."""

    def __init__(self, featurise: Featuriser) -> None:
        self.featurise = featurise
        self.segments: list[_Segment] = []
        self.sq_norm = np.zeros(0, dtype=np.float64)  # Σ (tf-weight × idf)² per row
        self.inv_norm = np.zeros(0, dtype=np.float32)

    def add(self, first_row: int, norms: Sequence[str]) -> None:
        new = []
        for start in range(0, len(norms), CHUNK):
            rows, keys = self.featurise(norms[start : start + CHUNK])
            keys_u, rows_u, counts = _term_counts(rows, keys)
            if len(keys_u):
                tf = (1.0 + np.log(counts)).astype(np.float32)
                new.append(_Segment(keys_u, rows_u + first_row + start, tf))
        if len(new) > 1:
            new = [_Segment.merge(new)]
        self.segments.extend(new)
        self._compact()
        self.sq_norm = np.concatenate((self.sq_norm, np.zeros(len(norms))))
        self.inv_norm = np.concatenate((self.inv_norm, np.zeros(len(norms), dtype=np.float32)))

    def _compact(self) -> None:
        """Merge the newest segment into the one before while it is at least half its size (or
        there are too many): sizes fall geometrically, so adding one document merges only small
        segments (amortised O(log n) per posting) and never rewrites the whole index."""
        segs = self.segments
        while len(segs) > 1 and (2 * segs[-1].postings >= segs[-2].postings
                                 or len(segs) > MAX_SEGMENTS):
            segs[-2:] = [_Segment.merge(segs[-2:])]

    def refresh_norms(self, from_row: int, n_docs: int) -> None:
        """Vector lengths of the rows ≥ from_row with the document frequencies of now (older
        rows keep theirs: candidates only need to be roughly ordered)."""
        total = np.zeros(len(self.sq_norm), dtype=np.float64)
        for seg in self.segments:
            if not len(seg.rows) or seg.rows.max() < from_row:
                continue
            idf = _idf(self, seg.keys, n_docs)
            per_posting = np.repeat(idf, np.diff(seg.starts)) * seg.tf
            mask = seg.rows >= from_row
            total += np.bincount(seg.rows[mask], weights=per_posting[mask].astype(np.float64) ** 2,
                                 minlength=len(total))
        self.sq_norm[from_row:] = total[from_row:]
        norms = np.sqrt(self.sq_norm[from_row:])
        norms[norms == 0] = 1.0
        self.inv_norm[from_row:] = (1.0 / norms).astype(np.float32)

    def doc_freq(self, keys: np.ndarray) -> np.ndarray:
        out = np.zeros(len(keys), dtype=np.int64)
        for seg in self.segments:
            out += seg.df(keys)
        return out

    @property
    def postings(self) -> int:
        return sum(s.postings for s in self.segments)

    def nbytes(self) -> int:
        return sum(s.keys.nbytes + s.starts.nbytes + s.rows.nbytes + s.tf.nbytes
                   for s in self.segments) + self.sq_norm.nbytes


def _idf(field: _Field, keys: np.ndarray, n_docs: int) -> np.ndarray:
    df = field.doc_freq(keys)
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


class TfidfIndex:
    """Rows of normalised documents with two inverted indexes; rows are never reused."""

    def __init__(self) -> None:
        self.ids = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)
        self.titles: list[str] = []
        self.texts: list[str] = []
        self.docs: list[Doc | None] = []
        self.row_of: dict[int, int] = {}
        self.title_field = _Field(_title_features)
        self.text_field = _Field(_text_features)

    def __len__(self) -> int:
        return len(self.row_of)

    def add(self, docs: Sequence[Doc]) -> list[int]:
        """Add (or replace, by id) documents; returns their rows."""
        if not docs:
            return []
        latest: dict[int, Doc] = {}
        for d in docs:
            latest[d.id] = d
        docs = list(latest.values())
        self.remove(d.id for d in docs if d.id in self.row_of)
        first = len(self.titles)
        titles = [normalize(d.title) for d in docs]
        texts = [_norm_text(d.text) for d in docs]
        self.titles.extend(titles)
        self.texts.extend(texts)
        self.docs.extend(docs)
        self.ids = np.concatenate((self.ids, np.array([d.id for d in docs], dtype=np.int64)))
        self.alive = np.concatenate((self.alive, np.ones(len(docs), dtype=bool)))
        rows = list(range(first, first + len(docs)))
        self.row_of.update(zip((d.id for d in docs), rows, strict=True))
        n = len(self.row_of)
        for field, norms in ((self.title_field, titles), (self.text_field, texts)):
            field.add(first, norms)
            field.refresh_norms(first, n)
        return rows

    def remove(self, ids: Iterable[int]) -> list[int]:
        rows = []
        for doc_id in ids:
            row = self.row_of.pop(doc_id, None)
            if row is not None:
                self.alive[row] = False
                self.docs[row] = None
                self.titles[row] = ""
                self.texts[row] = ""
                rows.append(row)
        return rows

    # ---------------------------------------------------------------- search

    def _field_scores(self, field: _Field, query_norm: str, out: np.ndarray, weight: float) -> None:
        if not query_norm or not field.segments:
            return
        rows, keys = field.featurise([query_norm])
        keys_u, _, counts = _term_counts(rows, keys)
        n_docs = max(len(self.row_of), 1)
        df = field.doc_freq(keys_u)
        keep = df > 0
        if n_docs >= MIN_DOCS_FOR_MAX_DF:
            common = df > MAX_DF * n_docs
            if (keep & ~common).any():
                keep &= ~common
            else:  # nothing but common words: use the rarest of them
                keep &= df <= np.sort(df[keep])[:RAREST_FALLBACK].max(initial=0)
        if not keep.any():
            return
        keys_u, counts, df = keys_u[keep], counts[keep], df[keep]
        idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
        q = (1.0 + np.log(counts)) * idf
        q_norm = math.sqrt(float((q**2).sum())) or 1.0
        w = (q * idf / q_norm).astype(np.float32)
        parts = [seg.gather(keys_u, w) for seg in field.segments]
        rows = np.concatenate([r for r, _ in parts])
        if not len(rows):
            return
        acc = np.bincount(rows, weights=np.concatenate([v for _, v in parts]), minlength=len(out))
        out += (weight * acc).astype(np.float32) * field.inv_norm

    def candidates(self, q_title: str, q_text: str, limit: int) -> np.ndarray:
        """Rows of the `limit` most promising live documents (TF-IDF cosine)."""
        n_rows = len(self.titles)
        scores = np.zeros(n_rows, dtype=np.float32)
        if q_text:
            self._field_scores(self.title_field, q_title, scores, TITLE_WEIGHT_CAND)
            self._field_scores(self.text_field, q_text, scores, 1 - TITLE_WEIGHT_CAND)
        else:
            self._field_scores(self.title_field, q_title, scores, 1.0)
            # a title-only query may still name the idea the way a text does
            self._field_scores(self.text_field, q_title, scores, 0.25)
        scores[~self.alive] = -1.0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > limit:
            hits = hits[np.argpartition(-scores[hits], limit - 1)[:limit]]
        return hits

    def search(self, title: str, text: str, k: int, exclude_ids: Iterable[int] = (),
               extra_rows: np.ndarray | None = None, limit: int = CANDIDATES) -> list[tuple[int, float]]:
        """(row, score) of the k best live documents, best first."""
        q_title, q_text = normalize(title), _norm_text(text)
        if not q_title and not q_text or not self.row_of:
            return []
        if not q_title:
            q_title = q_text[:200]
        if len(self.row_of) <= EXACT_BELOW:
            rows = np.flatnonzero(self.alive)
        else:
            rows = self.candidates(q_title, q_text, limit)
        if extra_rows is not None and len(extra_rows):
            rows = np.union1d(rows, extra_rows)
        excluded = {self.row_of[i] for i in exclude_ids if i in self.row_of}
        if excluded:
            rows = np.array([r for r in rows if r not in excluded], dtype=np.int64)
        rows = rows[self.alive[rows]] if len(rows) else rows
        if not len(rows):
            return []
        scores = score_many(q_title, q_text, [self.titles[r] for r in rows], [self.texts[r] for r in rows])
        best = top_k(scores, self.ids[rows], k)
        return [(int(rows[i]), float(scores[i])) for i in best]

    def nbytes(self) -> int:
        return self.title_field.nbytes() + self.text_field.nbytes() + self.ids.nbytes + self.alive.nbytes
