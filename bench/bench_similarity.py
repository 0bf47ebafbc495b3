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
    ok = speedup >= SPEEDUP_TARGET and mean_recall >= RECALL_TARGET
    print(f"similarity: top-10 among {vn(len(docs))} initiatives in {vn(mean_index * 1000, 1)} ms "
          f"(brute-force rapidfuzz scan {vn(mean_scan * 1000, 1)} ms): {vn(speedup, 1)}× faster "
          f"(target ≥ {vn(SPEEDUP_TARGET)}×); recall@10 against the scan {vn(mean_recall, 3)} "
          f"(target ≥ {vn(RECALL_TARGET, 2)}); build {vn(build, 1)} s, index +{vn(rss_index)} MB RSS, "
          f"peak RSS {vn(peak_rss_mb())} MB — {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
