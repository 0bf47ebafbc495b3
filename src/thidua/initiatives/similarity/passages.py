"""Overlapping passages between a query and a match, for highlighting.

A passage is a run of syllables that the two texts share in the same order, compared folded
(so "tốc ký" in one and "toc ki" in the other overlap), allowing one typo per syllable of four
letters or more. Runs shorter than `min_run` syllables are ignored: two texts about the same
field always share "công đoàn" or "người lao động", which says nothing about the idea. Runs
separated by a single different syllable on both sides are joined into one passage.

Spans are (query_start, query_end, match_start, match_end): character offsets in the ORIGINAL
texts, end exclusive, sorted by query_start, never overlapping on either side.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from .text import Token, tokens

__all__ = ["Span", "highlight", "overlapping_passages"]

Span = tuple[int, int, int, int]


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    return len(a) >= 4 and len(b) >= 4 and Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _runs(q: list[Token], m: list[Token], min_run: int) -> list[tuple[int, int, int]]:
    """(q_index, m_index, length) of greedy, non-overlapping shared runs, in query order."""
    seed = min(min_run, 2)
    starts: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(m) - seed + 1):
        starts.setdefault(tuple(t.norm for t in m[j : j + seed]), []).append(j)
    used = [False] * len(m)
    runs = []
    i = 0
    while i <= len(q) - seed:
        best_len, best_j = 0, -1
        for j in starts.get(tuple(t.norm for t in q[i : i + seed]), ()):
            if used[j]:
                continue
            n = 0
            while i + n < len(q) and j + n < len(m) and not used[j + n] and _same(q[i + n].norm, m[j + n].norm):
                n += 1
            if n > best_len:
                best_len, best_j = n, j
        if best_len >= min_run:
            runs.append((i, best_j, best_len))
            for x in range(best_j, best_j + best_len):
                used[x] = True
            i += best_len
        else:
            i += 1
    return runs


def _join(runs: list[tuple[int, int, int]], max_gap: int = 1) -> list[tuple[int, int, int, int]]:
    """(q_first, q_last, m_first, m_last) token ranges, joining runs a small gap apart."""
    out: list[list[int]] = []
    for qi, mj, n in runs:
        if out:
            last = out[-1]
            q_gap, m_gap = qi - last[1] - 1, mj - last[3] - 1
            if 0 <= q_gap <= max_gap and 0 <= m_gap <= max_gap:
                last[1], last[3] = qi + n - 1, mj + n - 1
                continue
        out.append([qi, qi + n - 1, mj, mj + n - 1])
    return [(a, b, c, d) for a, b, c, d in out]


def overlapping_passages(query: str | list[Token], match: str, *, min_run: int = 3) -> list[Span]:
    """Shared passages of two texts as character spans of the originals (`query` may be given
    as its `tokens` already, when it is compared with many matches)."""
    q = tokens(query) if isinstance(query, str) else query
    m = tokens(match)
    if not q or not m:
        return []
    return [(q[a].start, q[b].end, m[c].start, m[d].end) for a, b, c, d in _join(_runs(q, m, min_run))]


def highlight(text: str, ranges: Iterable[tuple[int, int]], tag: str = "mark") -> str:
    """HTML-escaped `text` with the given character ranges wrapped in <mark>…</mark>.

    For one side of the spans: `highlight(query, [(s[0], s[1]) for s in spans])`. Overlapping
    or touching ranges are merged. The result is safe to mark as safe in a template.
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, a), min(len(text), b)) for a, b in ranges):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(html.escape(text[pos:start]))
        out.append(f"<{tag}>{html.escape(text[start:end])}</{tag}>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
