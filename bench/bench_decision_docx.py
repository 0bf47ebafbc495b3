"""A decision of N recipients as .docx (default 1.000), beside docxtpl filling the same table of
the same template from a plain list.

    .venv/bin/python bench/bench_decision_docx.py [--recipients 1000] [--repeat 3]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. A fresh database with the test tree, N people and one decision of CĐVC Hà Nội giving each of
   them a Giấy khen with a golden-book number and cash (bulk rows: a benchmark fixture, not the
   workflow, which the honours tests cover).
2. **The real path**: `honours.documents.render_decision(decision)` — the queries, the context
   (names, numbers, dates, the list) and the rendering of `honours/docx/quyet_dinh.docx`.
3. **Baseline**: docxtpl alone (`DocxTemplate(...).render(context)` and `save`) on the same
   template, from the same context built once beforehand as a plain dict of lists.
Best of `--repeat` runs each. Target: the real path takes at most 1,5× the baseline.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile

from common import database_label, fresh_database, peak_rss_mb, table, timer, vn

TARGET = 1.5


def build(n: int) -> object:
    import datetime as dt

    from thidua.honours.models import Award, Certificate, Decision
    from thidua.people.models import Person
    from thidua.platform.text import fold
    from thidua.testing import make_world

    w = make_world()
    people = Person.objects.bulk_create(
        [Person(full_name=f"Nguyễn Thị Người Nhận {i:04d}",
                name_folded=fold(f"Nguyễn Thị Người Nhận {i:04d}"), gender="nu",
                birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i)) for i in range(n)],
        batch_size=1000)
    decision = Decision.objects.create(
        issuer=w.cdvc, year=2024, seq_year=2025, seq=1, number="1/QĐ-CĐ",
        date=dt.date(2025, 1, 10), form="GK_CAP_TREN", title="Về việc tặng Giấy khen năm 2024",
        signer_name="Nguyễn Văn Chủ", signer_title="Chủ tịch", place="Hà Nội")
    awards = Award.objects.bulk_create(
        [Award(decision=decision, issuer=w.cdvc, form="GK_CAP_TREN", person=p,
               home_unit=w.cdcs_a, recipient_name=p.full_name,
               position="Chuyên viên, Văn phòng Sở Tư pháp", year=2024,
               golden_book_no=i + 1, cash_amount=585_000) for i, p in enumerate(people)],
        batch_size=1000)
    Certificate.objects.bulk_create([Certificate(award=a, code=f"B{a.pk:019d}")
                                     for a in awards], batch_size=1000)
    return decision


def best(fn: object, repeat: int) -> tuple[float, bytes]:
    times, data = [], b""
    for _ in range(repeat):
        with timer() as t:
            data = fn()  # type: ignore[operator]
        times.append(t["seconds"])
    return min(times), data


def rows_in(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").count(b"Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Ng\xc6\xb0\xe1"
                                                 b"\xbb\x9di Nh\xe1\xba\xadn")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cleanup = fresh_database("decision")
    try:
        from docxtpl import DocxTemplate

        from thidua.honours import documents

        decision = build(args.recipients)
        template = documents.TEMPLATES["honours.quyet_dinh"]
        context = documents.decision_context(decision)  # type: ignore[arg-type]

        def baseline() -> bytes:
            doc = DocxTemplate(str(template))
            doc.render(context, autoescape=True)
            out = io.BytesIO()
            doc.save(out)
            return out.getvalue()

        real_s, real = best(lambda: documents.render_decision(decision), args.repeat)
        base_s, base = best(baseline, args.repeat)
        assert rows_in(real) == rows_in(base) == args.recipients, (rows_in(real), rows_in(base))
        ratio = real_s / base_s
        print(f"{database_label()}; {vn(args.recipients)} recipients; best of {args.repeat}")
        print(table([
            ["phase", "seconds", ".docx size (KB)"],
            ["render_decision (DB + context + docxtpl)", vn(real_s, 3), vn(len(real) / 1024)],
            ["docxtpl from a plain list (baseline)", vn(base_s, 3), vn(len(base) / 1024)],
        ]))
        print(f"peak RSS {vn(peak_rss_mb())} MB")
        ok = ratio <= TARGET
        print(f"render_decision / baseline: {vn(ratio, 2)}× (target ≤ {vn(TARGET, 1)}×"
              f"{'' if ok else ', MISSED'})")
        return 0 if ok else 1
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
