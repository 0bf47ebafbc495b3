"""Novelty check: top-10 similar initiatives among N, index beside a brute-force rapidfuzz scan.

    .venv/bin/python bench/bench_similarity.py [--n 100000] [--queries 50] [--seed 1]

1. Generates N initiatives from templates (`initiatives.similarity.synthetic`): eight fields,
   varied objects, tools, places, problems and figures; 2 % of them are planted near-duplicates
   of others (synonyms, other figures, a sentence dropped or moved, typos, some without
   diacritics).
2. Builds `SimilarityIndex` over them (time, peak RSS, size of its arrays), and prepares the
   normalised texts for the scan (timed apart: the scan should not pay for normalising).
3. Runs the queries: 70 % rewritten copies of an indexed initiative (as a re-submission would
   be), 20 % the title only, 10 % new initiatives. Each query runs through
   `SimilarityIndex.search` and through `brute_force_search` (the same rapidfuzz score on every
   initiative) in the same run, alternating which goes first. Both return Match objects with
   passages, so both pay for highlighting.
4. Reports latencies, the speed-up (mean scan time / mean index time) and recall@10 of the index
   against the scan's top-10. Targets: ≥ 20× and ≥ 0,95. Exits with 1 when one is missed.
5. **Labelled ground truth** (`--labelled`, default 200): as many initiatives are copied into
   the archive as labelled near-duplicates of a known source, in four kinds — a paraphrase
   (synonyms, a sentence moved or dropped, other figures), the same text without diacritics,
   the words of the title and of each sentence reordered, and a few words changed — plus as
   the 71 hand-written pairs labelled unrelated of `tests/data/similarity_pairs.json` (their
   `b` put in the archive, their `a` searched). Each labelled one is searched (itself
   excluded): recall@1 and recall@10 of its source (or another copy of the same source), per
   kind; precision of what the novelty panel would show (top-1 at or above the panel's
   threshold, `MIN_PERCENT`), any match shown for an unrelated query counting as wrong;
   and, for every fifth labelled query, agreement of the index's top-10 with the scan's.
6. **Incremental updates** (ADR 0029): `--changes` (default 200) changes applied to the built
   index as a process applies a delta — an edit (the initiative removed and added again), a
   new submission (added), a withdrawal (removed) — each timed; p95 against the whole rebuild
   of step 2 (what every change cost before). Each added one must then be found first by its
   own text.

No database is involved: the index is in-process memory.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from common import peak_rss_mb, table, vn

SPEEDUP_TARGET = 20.0
RECALL_TARGET = 0.95


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--labelled", type=int, default=200,
                        help="labelled near-duplicates (and as many unrelated queries)")
    parser.add_argument("--changes", type=int, default=200, help="incremental changes timed")
    args = parser.parse_args()

    from thidua.initiatives.similarity import Doc, SimilarityIndex, brute_force_search, prepare
    from thidua.initiatives.similarity import index as index_module
    from thidua.initiatives.similarity.synthetic import generate, near_duplicate

    rng = random.Random(args.seed)
    planted = args.n // 50
    started = time.perf_counter()
    base = generate(args.n - planted, seed=args.seed)
    docs = [Doc(i + 1, rng.randint(1, 3000), rng.randint(2010, 2025), t, x) for i, (t, x) in enumerate(base)]
    for _ in range(planted):
        title, text = near_duplicate(*base[rng.randrange(len(base))], rng)
        docs.append(Doc(len(docs) + 1, rng.randint(1, 3000), rng.randint(2010, 2025), title, text))
    labelled = labelled_copies(base, args.labelled, rng)
    family: dict[int, set[int]] = {}  # source id -> ids of every copy of it, source included
    for _kind, source, (title, text) in labelled:
        docs.append(Doc(len(docs) + 1, rng.randint(1, 3000), rng.randint(2010, 2025), title, text))
        family.setdefault(source + 1, {source + 1}).add(len(docs))
    from thidua.initiatives.similarity.evaluate import load_pairs

    unrelated = []  # hand-written pairs labelled unrelated: b in the archive, a searched
    for pair in load_pairs():
        if pair["label"] == "unrelated":
            docs.append(Doc(len(docs) + 1, None, 2024, pair["b"]["title"], pair["b"]["text"]))
            unrelated.append((pair["a"]["title"], pair["a"]["text"], len(docs)))
    generated = time.perf_counter() - started
    print(f"{vn(len(docs))} sáng kiến ({vn(planted)} bản gần trùng cài sẵn) sinh trong {vn(generated, 1)} s",
          flush=True)

    rss_before = current_rss_mb()
    started = time.perf_counter()
    index = SimilarityIndex(docs, semantic=False)
    build = time.perf_counter() - started
    rss_index = current_rss_mb() - rss_before
    arrays_mb = index._index.nbytes() / 2**20
    print(f"dựng chỉ mục: {vn(build, 1)} s; RSS +{vn(rss_index)} MB (mảng numpy {vn(arrays_mb)} MB); "
          f"{vn(index._index.title_field.postings)} + {vn(index._index.text_field.postings)} mục đăng",
          flush=True)
    started = time.perf_counter()
    prepared = prepare(docs)
    prep = time.perf_counter() - started

    queries: list[tuple[str, str, str, int | None]] = []
    fresh = generate(args.queries, seed=args.seed + 1000)
    for j in range(args.queries):
        source = rng.randrange(len(base))
        title, text = near_duplicate(*base[source], rng)
        if j % 10 in (7, 8):
            queries.append(("chỉ tên", title, "", source + 1))
        elif j % 10 == 9:
            queries.append(("mới", *fresh[j], None))
        else:
            queries.append(("viết lại", title, text, source + 1))

    t_index: list[float] = []
    t_scan: list[float] = []
    recall: list[float] = []
    found_source = 0
    with_source = 0
    for j, (_, title, text, source) in enumerate(queries):
        def run_index(title=title, text=text):
            t0 = time.perf_counter()
            out = index.search(title, text, k=10)
            t_index.append(time.perf_counter() - t0)
            return out

        def run_scan(title=title, text=text):
            t0 = time.perf_counter()
            out = brute_force_search(prepared, title, text, k=10)
            t_scan.append(time.perf_counter() - t0)
            return out

        if j % 2:
            got, ref = run_index(), run_scan()
        else:
            ref, got = run_scan(), run_index()
        ref_ids = {m.id for m in ref}
        recall.append(len({m.id for m in got} & ref_ids) / max(len(ref_ids), 1))
        if source is not None:
            with_source += 1
            found_source += bool(got) and got[0].id == source
    mean_index, mean_scan = statistics.mean(t_index), statistics.mean(t_scan)
    speedup = mean_scan / mean_index
    mean_recall = statistics.mean(recall)

    def ms(values: list[float], q: float) -> str:
        ordered = sorted(values)
        return vn(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    print(table([
        ["", "trung bình ms", "trung vị ms", "p95 ms", "tối đa ms"],
        ["SimilarityIndex.search", vn(mean_index * 1000, 1), ms(t_index, 0.5), ms(t_index, 0.95), ms(t_index, 1.0)],
        ["brute_force_search (quét hết)", vn(mean_scan * 1000, 1), ms(t_scan, 0.5), ms(t_scan, 0.95), ms(t_scan, 1.0)],
    ]))
    by_kind: dict[str, list[float]] = {}
    for (kind, *_), r in zip(queries, recall, strict=True):
        by_kind.setdefault(kind, []).append(r)
    print("recall@10 theo loại truy vấn: " + "; ".join(
        f"{kind} {vn(statistics.mean(v), 3)} (n={len(v)})" for kind, v in by_kind.items()))
    print(f"bản gốc đứng đầu kết quả chỉ mục: {found_source}/{with_source}; chuẩn hóa cho quét: {vn(prep, 1)} s; "
          f"ứng viên {index_module.CANDIDATES}, bỏ đặc trưng có df > {vn(index_module.MAX_DF * 100)} %")
    labelled_report(index, prepared, docs, labelled, family, unrelated,
                    generate(len(labelled), seed=args.seed + 2000))
    incremental_report(index, docs, args.changes, build, rng)
    ok = speedup >= SPEEDUP_TARGET and mean_recall >= RECALL_TARGET
    print(f"similarity: top-10 among {vn(len(docs))} initiatives in {vn(mean_index * 1000, 1)} ms "
          f"(brute-force rapidfuzz scan {vn(mean_scan * 1000, 1)} ms): {vn(speedup, 1)}× faster "
          f"(target ≥ {vn(SPEEDUP_TARGET)}×); recall@10 against the scan {vn(mean_recall, 3)} "
          f"(target ≥ {vn(RECALL_TARGET, 2)}); build {vn(build, 1)} s, index +{vn(rss_index)} MB RSS, "
          f"peak RSS {vn(peak_rss_mb())} MB — {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


KINDS = ("diễn đạt lại", "bỏ dấu", "đảo trật tự từ", "đổi vài từ")


def _reorder(text: str, rng: random.Random) -> str:
    out = []
    for sentence in text.split(". "):
        words = sentence.split(" ")
        if len(words) > 3:  # a few neighbouring words swapped, not a word salad
            for _ in range(max(1, len(words) // 4)):
                i = rng.randrange(len(words) - 1)
                words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return ". ".join(out)


_OTHER_WORDS = ("mới", "toàn bộ", "thường xuyên", "cụ thể", "chủ động", "kịp thời", "hằng ngày",
                "bước đầu", "trực tiếp", "đồng bộ")


def _change_words(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    for _ in range(min(3, len(words))):
        words[rng.randrange(len(words))] = rng.choice(_OTHER_WORDS)
    return " ".join(words)


def labelled_copies(base: list[tuple[str, str]], n: int, rng: random.Random
                    ) -> list[tuple[str, int, tuple[str, str]]]:
    """(kind, source index in `base`, (title, text)) of n labelled near-duplicates."""
    from thidua.initiatives.similarity.synthetic import near_duplicate, strip_diacritics

    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        source = rng.randrange(len(base))
        title, text = base[source]
        if kind == "diễn đạt lại":
            copy = near_duplicate(title, text, rng)
        elif kind == "bỏ dấu":
            copy = (strip_diacritics(title), strip_diacritics(text))
        elif kind == "đảo trật tự từ":
            copy = (_reorder(title, rng), _reorder(text, rng))
        else:
            copy = (_change_words(title, rng) if rng.random() < 0.5 else title,
                    _change_words(text, rng))
        out.append((kind, source, copy))
    return out


def labelled_report(index, prepared, docs, labelled, family, unrelated, siblings) -> None:
    from common import setup_django

    setup_django()  # the panel's threshold is a setting
    from thidua.initiatives.novelty import MIN_PERCENT
    from thidua.initiatives.similarity import brute_force_search

    first_labelled = len(docs) - len(unrelated) - len(labelled) + 1
    at1: dict[str, list[bool]] = {}
    at10: dict[str, list[bool]] = {}
    shown_right = shown_wrong = 0
    agreement: list[float] = []
    for j, (kind, source, (title, text)) in enumerate(labelled):
        own = first_labelled + j
        truth = family[source + 1] - {own}
        got = index.search(title, text, k=10, exclude_ids=[own])
        at1.setdefault(kind, []).append(bool(got) and got[0].id in truth)
        at10.setdefault(kind, []).append(any(m.id in truth for m in got))
        if got and got[0].score >= MIN_PERCENT:
            if got[0].id in truth:
                shown_right += 1
            else:
                shown_wrong += 1
        if j % 5 == 0:
            ref = brute_force_search(prepared, title, text, k=11)
            ref_ids = {m.id for m in ref if m.id != own}
            ref_ids = set(list(ref_ids)[:10]) if len(ref_ids) > 10 else ref_ids
            agreement.append(len({m.id for m in got} & ref_ids) / max(len(ref_ids), 1))
    false_alarms = pair_shown = 0
    for title, text, b in unrelated:
        got = index.search(title, text, k=1)
        if got and got[0].score >= MIN_PERCENT:
            false_alarms += 1
            pair_shown += got[0].id == b
    template_shown = 0
    for title, text in siblings:  # new ones made from the archive's own templates
        got = index.search(title, text, k=1)
        template_shown += bool(got) and got[0].score >= MIN_PERCENT
    every1 = [x for v in at1.values() for x in v]
    every10 = [x for v in at10.values() for x in v]
    print(table([["loại bản gần trùng (có nhãn)", "n", "recall@1", "recall@10"]] + [
        [kind, vn(len(at1[kind])), vn(statistics.mean(at1[kind]), 3),
         vn(statistics.mean(at10[kind]), 3)] for kind in at1] + [
        ["tất cả", vn(len(every1)), vn(statistics.mean(every1), 3),
         vn(statistics.mean(every10), 3)]]))
    shown = shown_right + shown_wrong + false_alarms
    precision = shown_right / shown if shown else 1.0
    print(f"labelled: recall@1 {vn(statistics.mean(every1), 3)}, recall@10 "
          f"{vn(statistics.mean(every10), 3)} over {vn(len(every1))} labelled near-duplicates; "
          f"precision of the panel (top-1 ≥ {MIN_PERCENT} %) {vn(precision, 3)} "
          f"({shown_right} right, {shown_wrong} wrong source, {false_alarms} of "
          f"{vn(len(unrelated))} hand-labelled unrelated queries shown a match, {pair_shown} of "
          f"them their unrelated pair); agreement with the scan's top-10 "
          f"{vn(statistics.mean(agreement), 3)} (n={len(agreement)})")
    print(f"  (new initiatives made from the archive's own templates: {template_shown} of "
          f"{len(siblings)} meet a sibling at ≥ {MIN_PERCENT} % — same sentences, other slots)")


def incremental_report(index, docs, changes: int, build: float, rng: random.Random) -> None:
    from thidua.initiatives.similarity import Doc
    from thidua.initiatives.similarity.synthetic import generate

    fresh = generate(changes, seed=rng.randrange(10**6) + 3000)
    times: dict[str, list[float]] = {"sửa": [], "nộp mới": [], "rút": []}
    added: list[Doc] = []
    next_id = len(docs) + 1
    for j in range(changes):
        kind = ("sửa", "nộp mới", "rút")[j % 3]
        t0 = time.perf_counter()
        if kind == "rút":
            index.remove([rng.randrange(1, len(docs) + 1)])
        else:
            title, text = fresh[j]
            if kind == "sửa":
                doc = Doc(rng.randrange(1, len(docs) + 1), None, 2025, title, text)
                index.remove([doc.id])
            else:
                doc = Doc(next_id, None, 2025, title, text)
                next_id += 1
            index.add([doc])
            added.append(doc)
        times[kind].append(time.perf_counter() - t0)
    every = sorted(t for v in times.values() for t in v)
    p95 = every[min(len(every) - 1, int(0.95 * len(every)))]
    found = sum(1 for d in added if (got := index.search(d.title, d.text, k=1)) and
                got[0].id == d.id)
    per_kind = "; ".join(
        f"{kind} p95 {vn(sorted(v)[min(len(v) - 1, int(0.95 * len(v)))] * 1000, 1)} ms"
        for kind, v in times.items())
    print(f"incremental: {vn(changes)} changes applied to the index ({per_kind}); p95 "
          f"{vn(p95 * 1000, 1)} ms, mean {vn(statistics.mean(every) * 1000, 1)} ms, against a "
          f"whole rebuild of {vn(build, 1)} s in the same run ({vn(build / p95)}× less at p95); "
          f"{found}/{len(added)} changed initiatives found first by their own text; "
          f"{len(index._index.title_field.segments)} title segments")


if __name__ == "__main__":
    sys.exit(main())
