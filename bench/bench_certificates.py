"""A decision's 1.000 certificates as one signed PDF, beside WeasyPrint printing the same pages
from static HTML, measured in the same run.

    .venv/bin/python bench/bench_certificates.py [--n 1000] [--profile]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

1. A fresh database with the test world (units and accounts through the services), a signing
   key for the issuer (CĐVC Hà Nội) made with `make_pkcs12` in a temporary THIDUA_SIGNING_DIR.
2. N people, one decision, N awards and N certificate codes written with `bulk_create` (a
   benchmark fixture: it bypasses the services on purpose). Names come from the demo's
   generator; every achievement is a full sentence.
3. **Baseline**: the N pages' HTML is built beforehand from objects held in memory (no
   database; QR codes included), then only `render_pdf` is timed: one WeasyPrint pass.
4. **The real path**: `certificates_render(actor=…, decision=…)` — the permission check, the
   database read, the pages' text, the HTML with N QR codes, one WeasyPrint pass, the PAdES
   signature, the file in the storage, the N certificate rows updated and the audit entry.
Target: the real path takes at most 1,5× the baseline. A warm-up page is printed first so that
neither phase pays for loading the fonts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import fresh_database, peak_rss_mb, timer, vn

TARGET = 1.5
DAY = dt.date(2025, 1, 10)
ACHIEVEMENT = ("Đã có thành tích xuất sắc trong phong trào thi đua lao động giỏi, lao động "
               "sáng tạo và xây dựng tổ chức Công đoàn vững mạnh năm 2024")


def build(n: int) -> tuple[Any, Any, list[Any]]:
    """The world, a decision of N awards with certificate codes; returns (actor, decision,
    in-memory awards for the baseline)."""
    from django.db import transaction

    from thidua.demo.builder import PeopleGenerator
    from thidua.honours.models import Award, Certificate, Decision
    from thidua.honours.services.decisions import new_certificate_code
    from thidua.people.models import Person
    from thidua.platform.collation import person_order_key
    from thidua.platform.text import fold
    from thidua.testing import make_world

    w = make_world()
    gen = PeopleGenerator(seed=n)
    with transaction.atomic():
        people = []
        for _ in range(n):
            p = gen.person(kind="office", women_share=0.6, born=(1962, 2002),
                           joined_by=dt.date(2020, 1, 1), member=True)
            people.append(Person(full_name=p["full_name"], name_folded=fold(p["full_name"]),
                                 sort_name=person_order_key(p["full_name"]),
                                 gender=p["gender"], birth_date=p["birth_date"],
                                 position=p["position"]))
        Person.objects.bulk_create(people, batch_size=500)
        decision = Decision.objects.create(
            issuer=w.cdvc, year=2024, seq=1, seq_year=DAY.year, number="1/QĐ-CĐ", date=DAY,
            form="GK_CAP_TREN", title="Về việc tặng Giấy khen năm 2024",
            signer_name="Nguyễn Văn Chủ", signer_title="TM. Ban Thường vụ\nChủ tịch",
            place="Hà Nội")
        awards = Award.objects.bulk_create([
            Award(decision=decision, issuer=w.cdvc, form=decision.form, person=p,
                  home_unit=w.cdcs_a, recipient_name=p.full_name, position=p.position,
                  achievement=ACHIEVEMENT, year=2024, golden_book_no=i)
            for i, p in enumerate(people, 1)], batch_size=500)
        certificates = Certificate.objects.bulk_create(
            [Certificate(award=a, code=new_certificate_code()) for a in awards], batch_size=500)
    # the baseline's objects: the same text, held in memory (no query when read)
    memory = []
    for a, c, p in zip(awards, certificates, people, strict=True):
        a.person, a.home_unit, a.certificate = p, w.cdcs_a, c
        memory.append(a)
    return w.officer_above, decision, memory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="certificates (default 1.000)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the real path (cProfile, printed on stderr)")
    args = parser.parse_args()
    keys = tempfile.mkdtemp(prefix="thidua-bench-keys-")
    os.environ["THIDUA_SIGNING_DIR"] = keys
    cleanup = fresh_database("certificates")
    try:
        from common import database_label
        from django.conf import settings

        from thidua.honours.certificates import certificate_pages, certificates_html
        from thidua.honours.services.certificates import certificates_render
        from thidua.platform.pdf import page_count, render_pdf
        from thidua.platform.signing import make_pkcs12, signer_for, verify_pdf

        settings.THIDUA_SIGNING_DIR = Path(keys)
        make_pkcs12(Path(keys) / "CDVC-HN.p12", common_name="Nguyễn Văn Chủ",
                    organisation="Công đoàn Viên chức thành phố Hà Nội", passphrase=b"")
        with timer() as t_build:
            actor, decision, memory = build(args.n)
        # the baseline's HTML: no database, built before the clock starts
        html = certificates_html(certificate_pages(decision, memory))
        render_pdf(certificates_html(certificate_pages(decision, memory[:1])))  # warm-up
        with timer() as t_base:
            baseline_pdf = render_pdf(html)
        assert page_count(baseline_pdf) == args.n
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            with timer() as t_real:
                pdf = profiler.runcall(certificates_render, actor=actor, decision=decision)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumtime").print_stats(25)
        else:
            with timer() as t_real:
                pdf = certificates_render(actor=actor, decision=decision)
        assert page_count(pdf) == args.n
        check = verify_pdf(pdf)
        assert check.signed and check.intact, check.summary_vi
        # where the difference goes (each part again, outside the measured runs)
        from thidua.honours.certificates import decision_awards

        with timer() as t_read:
            pages = certificate_pages(decision, decision_awards(decision))
        with timer() as t_html:
            certificates_html(pages)
        signer = signer_for("CDVC-HN")
        assert signer is not None
        with timer() as t_sign:
            signer.sign(baseline_pdf, reason="bench")
        base_s, real_s = t_base["seconds"], t_real["seconds"]
        ratio = real_s / base_s
        print(f"{database_label()}: {vn(args.n)} certificates of one decision; fixture written "
              f"in {vn(t_build['seconds'], 1)} s; PDF {vn(len(pdf) / 1024 / 1024, 1)} MB, "
              f"signed and intact")
        print(f"  parts of the real path: read + text {vn(t_read['seconds'], 2)} s, HTML with QR "
              f"codes {vn(t_html['seconds'], 2)} s, signature {vn(t_sign['seconds'], 2)} s; "
              f"peak RSS {vn(peak_rss_mb())} MB")
        print(f"  baseline (WeasyPrint, static HTML, no database): {vn(base_s, 1)} s")
        print(f"  certificates_render (database, HTML, WeasyPrint, signature, storage): "
              f"{vn(real_s, 1)} s")
        print(f"certificates: {vn(args.n)} pages in {vn(real_s, 1)} s; baseline {vn(base_s, 1)} "
              f"s; ratio {vn(ratio, 2)}× (target ≤ {vn(TARGET, 1)}×)")
        return 0 if ratio <= TARGET else 1
    finally:
        cleanup()
        import shutil

        shutil.rmtree(keys, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
