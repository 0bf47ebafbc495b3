"""The whole-tree figures of the year-end report on a large tree, beside hand-written SQL.

    .venv/bin/python bench/bench_report.py [--members 1000000] [--year 2024] [--repeat 3]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

Builds, in a fresh database, the tree and roster of `bench_counts.build_tree` (1 province → ~30
cấp trên → ~3.000 CĐCS → ~15.000 tổ, about `--members` members), then fills, with raw bulk
inserts, the records of `--year` (and some of the year before) the report reads: ratings and
titles (LĐTT, CSTĐ, GVNĐVN, ĐVXS; collective titles, "Cơ quan văn hóa"), CĐCS gradings, award
decisions of the province, the cấp trên and the CĐCS, initiatives recognised at several levels
and put forward for awards, the province's movements with their plans and deployments, the
registrations of units and people, Party candidates, welfare activities with beneficiaries,
family culture titles and the province's targets (see `fill_year` for the proportions). This is
a benchmark fixture: it bypasses the services on purpose (a million rows through them would take
hours and measure something else).

It then times, best of `--repeat` (alternating):

(a) `reports.figures.year_figures(root, year)`: every figure of the root's year-end report (the
    titles from the kept title figures, ADR 0031, recomputed after the fixture and timed apart);
(b) the baseline: the same totals by hand-written SQL, one statement per figure family, run
    back to back (`BASELINE`; bench/README.md lists what each computes);
(c) `reports.dashboard.dashboard(root, year)`: the same figures and the table of the children.

It checks that (a) and (b) give the same totals, and exits with 1 when (a) takes more than 1,5×
(b)."""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import random
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from bench_counts import build_tree, insert
from common import database_label, fresh_database, peak_rss_mb, table, timer, vn

D = dt.date

# --- the records of a year ------------------------------------------------------------------------


def put(model: type, fields: list[str], rows: list[tuple]) -> None:
    """`insert` with every column not given at its default (auto_now: now; NULL; "")."""
    from django.db import connection
    from django.db.models import JSONField
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    given = {model._meta.get_field(f).column for f in fields}
    names: list[str] = []
    values: list[Any] = []
    for f in model._meta.local_concrete_fields:
        if f.column in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value: Any = now
        elif f.has_default():
            value = f.get_default()
            if isinstance(f, JSONField):
                value = json.dumps(value)
        elif f.null:
            value = None
        else:
            value = ""
        names.append(f.name)
        values.append(value)
    extra = tuple(values)
    for i in range(0, len(rows), 100_000):
        insert(model, fields + names, [r + extra for r in rows[i:i + 100_000]])


def fill_year(built: dict[str, int], year: int) -> dict[str, int]:
    """The records the report reads for `year` (and some of `year` - 1), in the proportions of a
    province: see the comments. Returns the number of rows written per table."""
    from django.db import connection, transaction

    from thidua.evaluation.models import Grading, GradingTemplate, Rating, TitleResult
    from thidua.honours.models import Award, Decision
    from thidua.initiatives.models import Initiative, InitiativeUse, Recognition
    from thidua.movements.models import Deployment, Movement, Plan, RegisteredTitle, Registration
    from thidua.reports.models import (
        Beneficiary,
        FamilyCultureTitle,
        PartyCandidate,
        Target,
        WelfareActivity,
    )

    rng = random.Random(year)
    day = connection.ops.adapt_datefield_value
    last = year - 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, type, path FROM org_unit ORDER BY path")
        units = cursor.fetchall()
        # workers on the roster at the year end (those who left in 2019 are not)
        cursor.execute("SELECT e.person_id, e.unit_id, p.gender FROM people_employment e "
                       "JOIN people_person p ON p.id = e.person_id WHERE e.valid_to IS NULL "
                       "ORDER BY e.person_id")
        workers = cursor.fetchall()
    by_path = {path: uid for uid, _, path in units}
    parent = {uid: by_path.get(path[:-4]) for uid, _, path in units}
    kind = {uid: type_ for uid, type_, _ in units}
    root = built["root"]
    caps = [uid for uid, t, _ in units if t == "cap_tren_co_so"]
    cdcs = [uid for uid, t, _ in units if t == "cdcs"]
    tos = [uid for uid, t, _ in units if t == "to_cd"]
    home = {uid: (uid if kind[uid] == "cdcs" else parent[uid]) for uid in cdcs + tos}
    staff: dict[int, list[tuple[int, int, str]]] = defaultdict(list)  # CĐCS -> its workers
    for pid, unit, gender in workers:
        staff[home[unit]].append((pid, unit, gender))
    counts: Counter[str] = Counter()

    def write(model: type, fields: list[str], rows: list[tuple]) -> None:
        put(model, fields, rows)
        counts[model._meta.db_table] += len(rows)

    with transaction.atomic():
        # ratings and titles of people: 15/70/12/3 % HTXSNV/HTTNV/HTNV/KHTNV; LĐTT for 92 % of
        # the first two, CSTĐCS for 10 % of HTXSNV, CSTĐ tỉnh for 5 % of those; GVNĐVN for 45 %
        # of the women; ĐVXS for 25 % of the members; 0,1 % of the LĐTT revoked. The year
        # before: LĐTT and GVNĐVN in the same proportions.
        ratings, titles = [], []
        for pid, unit, gender in workers:
            cd = home[unit]
            r = rng.random()
            code = "HTXSNV" if r < .15 else "HTTNV" if r < .85 else "HTNV" if r < .97 else "KHTNV"
            ratings.append((pid, year, cd, code))
            if code in ("HTXSNV", "HTTNV") and rng.random() < .92:
                titles.append((pid, None, year, "LDTT", cd, "engine", rng.random() < .001))
                if code == "HTXSNV" and rng.random() < .1:
                    titles.append((pid, None, year, "CSTDCS", cd, "engine", False))
                    if rng.random() < .05:
                        titles.append((pid, None, year, "CSTD_TINH", root, "council", False))
            if gender == "nu" and rng.random() < .45:
                titles.append((pid, None, year, "GVNDVN", cd, "engine", False))
            if pid <= built["members"] and rng.random() < .25:
                titles.append((pid, None, year, "DVXS", cd, "engine", False))
            if rng.random() < .8:
                titles.append((pid, None, last, "LDTT", cd, "engine", False))
            if gender == "nu" and rng.random() < .45:
                titles.append((pid, None, last, "GVNDVN", cd, "engine", False))
        # collective titles: CĐCS vững mạnh 75 %, TTLĐXS 15 %, TTLĐTT 50 %, Cơ quan văn hóa
        # 55 % of the CĐCS; tổ vững mạnh 70 %, TTLĐTT 40 % of the tổ (decided the level above)
        for uid in cdcs:
            for code, p in (("CDCS_VUNG_MANH", .75), ("TTLDXS", .15), ("TTLDTT", .5),
                            ("CQ_VAN_HOA", .55)):
                if rng.random() < p:
                    titles.append((None, uid, year, code, parent[uid], "council", False))
        for uid in tos:
            for code, p in (("TO_CD_VUNG_MANH", .7), ("TTLDTT", .4)):
                if rng.random() < p:
                    titles.append((None, uid, year, code, parent[uid], "council", False))
        write(Rating, ["person", "year", "unit", "code"], ratings)
        write(TitleResult, ["person", "subject_unit", "year", "title", "unit", "how", "revoked"],
              titles)
        del ratings, titles

        # gradings of the CĐCS on the old scale: 80/12/5/2 % vững mạnh/khá/TB/yếu, 1 % not graded
        write(GradingTemplate, ["id", "issuer", "year", "name", "scale"],
              [(1, root, year, "Bảng chấm điểm CĐCS", "cu")])
        gradings = []
        for uid in cdcs:
            r = rng.random()
            label = ("vung_manh" if r < .8 else "kha" if r < .92 else "trung_binh" if r < .97
                     else "yeu" if r < .99 else "")
            gradings.append((uid, year, 1, label))
        write(Grading, ["unit", "year", "template", "label"], gradings)

        # awards of the year and the year before: the province's Bằng khen to 0,1 % of the
        # workers and 3 % of the CĐCS; each cấp trên's Giấy khen to 0,6 % of its workers and
        # 10 % of its CĐCS; each CĐCS's Giấy khen to 1,5 % of its workers and 20 % of its tổ;
        # 0,5 % revoked
        decisions, awards = [], []
        caps_cdcs: dict[int, list[int]] = defaultdict(list)
        for uid in cdcs:
            caps_cdcs[parent[uid]].append(uid)
        cdcs_tos: dict[int, list[int]] = defaultdict(list)
        for uid in tos:
            cdcs_tos[parent[uid]].append(uid)

        def decide(issuer: int, y: int, form: str, people: list[tuple[int, int, str]],
                   collectives: list[int]) -> None:
            did = len(decisions) + 1
            decisions.append((did, issuer, y, f"{did}/QĐ-BENCH", day(D(y, 12, 20)), form,
                              "Khen thưởng tổng kết năm", "Nguyễn Văn A", "Chủ tịch"))
            for pid, unit, _ in people:
                awards.append((did, issuer, form, pid, None, unit, f"Người lao động {pid}", y,
                               rng.random() < .005))
            for uid in collectives:
                awards.append((did, issuer, form, None, uid, uid, f"Tập thể {uid}", y, False))

        all_staff = [w for ws in staff.values() for w in ws]
        for y in (last, year):
            decide(root, y, "BK_LDLD", rng.sample(all_staff, len(all_staff) // 1000),
                   rng.sample(cdcs, max(1, len(cdcs) * 3 // 100)))
            for cap in caps:
                theirs = [w for cd in caps_cdcs[cap] for w in staff[cd]]
                decide(cap, y, "GK_CAP_TREN", rng.sample(theirs, len(theirs) * 6 // 1000),
                       rng.sample(caps_cdcs[cap], max(1, len(caps_cdcs[cap]) // 10)))
            for cd in cdcs:
                decide(cd, y, "GK_CDCS", rng.sample(staff[cd], round(len(staff[cd]) * .015)),
                       rng.sample(cdcs_tos[cd], 1))
        write(Decision, ["id", "issuer", "year", "number", "date", "form", "title", "signer_name",
                         "signer_title"], decisions)
        write(Award, ["decision", "issuer", "form", "person", "subject_unit", "home_unit",
                      "recipient_name", "year", "revoked"], awards)

        # initiatives: one per 150 workers a year, in the CĐCS or a tổ; 80 % recognised at the
        # grassroots level, of those 25 % also at the district level, 5 % at the province and
        # 0,2 % nationally; 10 % put forward for a commendation, 30 % for a title
        initiatives, recognitions, uses = [], [], []
        levels = (("huyen", .25), ("tinh", .05), ("toan_quoc", .002))
        for y in (last, year):
            for _ in range(max(1, len(workers) // 150)):
                iid = len(initiatives) + 1
                unit = rng.choice(tos) if rng.random() < .5 else rng.choice(cdcs)
                recognised = rng.random() < .8
                status = ("recognized" if recognised else
                          rng.choice(("submitted", "under_review", "not_recognized")))
                initiatives.append((iid, unit, y, f"Sáng kiến {iid}", f"sang kien {iid}",
                                    "Quản lý", "quan_ly", "Mô tả", status))
                if not recognised:
                    continue
                recognitions.append((iid, "co_so", y, day(D(y, 11, 1)), f"{iid}/QĐ", "Thủ trưởng"))
                for level, p in levels:
                    if rng.random() < p:
                        recognitions.append((iid, level, y, day(D(y, 12, 1)), f"{iid}/QĐ-{level}",
                                             "Cấp trên"))
                if rng.random() < .1:
                    uses.append((iid, "commendation", "Bằng khen", y))
                if rng.random() < .3:
                    uses.append((iid, "title", "CSTĐCS", y))
        write(Initiative, ["id", "unit", "year", "title", "title_folded", "field", "kind",
                           "description", "status"], initiatives)
        write(Recognition, ["initiative", "level", "year", "decided_on", "decision_no", "issuer"],
              recognitions)
        write(InitiativeUse, ["initiative", "kind", "reference", "year"], uses)
        del initiatives, recognitions, uses

        # movements: the province launches 4 a year in one plan, deployed to every cấp trên and
        # CĐCS, plus a second plan of the first movement to the cấp trên only; 90 % of the units
        # launch it. Each cấp trên launches one of its own, deployed to its CĐCS.
        movements, plans, links, deployments = [], [], [], []
        for y in (last, year):
            first = len(movements) + 1
            for k in range(4):
                mid = len(movements) + 1
                movements.append((mid, root, f"PT{y}-{k}", f"Phong trào {k + 1} năm {y}", y,
                                  day(D(y, 1, 1)), day(D(y, 12, 31))))
            for pid_, targets, carried in ((len(plans) + 1, caps + cdcs, range(first, first + 4)),
                                           (len(plans) + 2, caps, range(first, first + 1))):
                plans.append((pid_, root, f"{pid_}/KH", day(D(y, 1, 15)), y, "Kế hoạch"))
                links += [(pid_, m) for m in carried]
                for uid in targets:
                    launched = rng.random() < .9
                    deployments.append((pid_, uid, kind[uid], day(D(y, 2, 1)) if launched else None,
                                        connection.ops.adapt_datetimefield_value(
                                            dt.datetime(y, 2, 1, tzinfo=dt.UTC))
                                        if launched else None))
            for cap in caps:
                mid, pid_ = len(movements) + 1, len(plans) + 1
                movements.append((mid, cap, f"PT{y}-C{cap}", f"Phong trào của cấp trên {cap}", y,
                                  day(D(y, 1, 1)), day(D(y, 12, 31))))
                plans.append((pid_, cap, f"{pid_}/KH", day(D(y, 1, 20)), y, "Kế hoạch"))
                links.append((pid_, mid))
                for uid in caps_cdcs[cap]:
                    deployments.append((pid_, uid, "cdcs", None, None))
        write(Movement, ["id", "issuer", "code", "name", "year", "start_date", "end_date"],
              movements)
        write(Plan, ["id", "issuer", "number", "date", "year", "title"], plans)
        write(Plan.movements.through, ["plan", "movement"], links)
        write(Deployment, ["plan", "unit", "unit_type", "launched_on", "launched_at"], deployments)
        del movements, plans, links, deployments

        # registrations of the year: 85 % of the CĐCS (TTLĐTT, and Cơ quan văn hóa for 65 % of
        # them); 90 % of the workers (LĐTT, and CSTĐCS for 15 % of them)
        registrations, registered = [], []
        for uid in cdcs:
            if rng.random() < .85:
                rid = len(registrations) + 1
                registrations.append((rid, year, None, uid, uid, day(D(year, 2, 1))))
                registered.append((rid, "TTLDTT"))
                if rng.random() < .65:
                    registered.append((rid, "CQ_VAN_HOA"))
        for pid, unit, _ in workers:
            if rng.random() < .9:
                rid = len(registrations) + 1
                registrations.append((rid, year, pid, None, unit, day(D(year, 2, 1))))
                registered.append((rid, "LDTT"))
                if rng.random() < .15:
                    registered.append((rid, "CSTDCS"))
        write(Registration, ["id", "year", "person", "unit", "home_unit", "registered_on"],
              registrations)
        write(RegisteredTitle, ["registration", "code"], registered)
        del registrations, registered

        # Party: 0,4 % of the members introduced each year; of the year's, 55 % admitted the
        # same year; of the year before's, 30 % admitted then and 40 % in the year
        candidates = []
        for pid, unit, _ in workers:
            if pid > built["members"] or rng.random() >= .008:
                continue
            y = year if rng.random() < .5 else last
            introduced = D(y, 1, 1) + dt.timedelta(days=rng.randrange(200))
            r = rng.random()
            admitted = (introduced + dt.timedelta(days=100) if y == year and r < .55 or
                        y == last and r < .3 else D(year, 6, 1) if y == last and r < .7 else None)
            candidates.append((pid, home[unit], day(introduced),
                               day(admitted) if admitted else None))
        write(PartyCandidate, ["person", "unit", "introduced_on", "admitted_on"], candidates)
        del candidates

        # welfare: in each CĐCS, Tết (8 % of the workers, 1.000.000 đ), 8/3 (40 % of the
        # women, 200.000 đ), illness (3 %, 500.000 đ), hardship (1 %, 2.000.000 đ); 5 % of the
        # beneficiaries named only (a retired member); Tết of the year before too
        activities, beneficiaries = [], []
        for cd in cdcs:
            women = [w for w in staff[cd] if w[2] == "nu"]
            for y, occasion, when, pool, share, amount in (
                    (year, "TET", D(year, 1, 20), staff[cd], .08, 1_000_000),
                    (year, "8_3", D(year, 3, 8), women, .4, 200_000),
                    (year, "OM_DAU", D(year, 7, 1), staff[cd], .03, 500_000),
                    (year, "KHO_KHAN", D(year, 10, 1), staff[cd], .01, 2_000_000),
                    (last, "TET", D(last, 1, 20), staff[cd], .08, 1_000_000)):
                aid = len(activities) + 1
                activities.append((aid, cd, y, day(when), occasion))
                for pid, _, _ in rng.sample(pool, round(len(pool) * share)):
                    person = None if rng.random() < .05 else pid
                    beneficiaries.append((aid, person, f"Người lao động {pid}", amount))
        write(WelfareActivity, ["id", "unit", "year", "date", "occasion"], activities)
        write(Beneficiary, ["activity", "person", "name", "amount"], beneficiaries)
        del activities, beneficiaries

        # family culture titles: 60 % of the workers' families this year, 50 % the year before
        families = [(pid, y, home[unit]) for pid, unit, _ in workers
                    for y, p in ((year, .6), (last, .5)) if rng.random() < p]
        write(FamilyCultureTitle, ["person", "year", "unit"], families)
        del families

        # the province's targets for the year (every measure) and the next (three)
        values = {"cdcs_phat_dong": 100, "cdcs_dang_ky": 100, "nld_danh_hieu": 75,
                  "nu_gvndvn": 85, "gia_dinh_van_hoa": 95, "co_quan_dang_ky_van_hoa": 100,
                  "co_quan_van_hoa": 60, "cdcs_vung_manh": 90, "cdcs_yeu": 0,
                  "dang_gioi_thieu": 200, "dang_ket_nap": 150}
        targets = [(root, year, code, "le" if code == "cdcs_yeu" else "ge", Decimal(v))
                   for code, v in values.items()]
        targets += [(root, year + 1, code, "ge", Decimal(values[code]))
                    for code in ("cdcs_phat_dong", "nld_danh_hieu", "dang_ket_nap")]
        targets += [(cap, year, "nld_danh_hieu", "ge", Decimal(80)) for cap in caps[:3]]
        write(Target, ["unit", "year", "measure", "comparison", "value"], targets)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return dict(counts)


# --- the baseline ---------------------------------------------------------------------------------

#: the units of the root's subtree on the day (a CTE every statement starts with). SQLite reads
#: a CTE used more than once once (it materialises it); on PostgreSQL the CTEs are NOT
#: MATERIALIZED: its planner does not know a materialised CTE's size (it guesses 200 rows) and
#: then probes an index once per row where a hash join is three to five times faster at
#: 1.000.000 members
SUBTREE = """WITH sub AS {hint} (SELECT unit_id, depth FROM org_unitversion
             WHERE path LIKE %(like)s AND valid_from <= %(day)s
                   AND (valid_to IS NULL OR valid_to > %(day)s))
"""

#: one statement per figure family; %(…)s are the root's path, depth, id, the day (31/12 of
#: the year), the year, and the first and last day of the year
BASELINE: dict[str, str] = {
    # unit types strictly below the root, and directly below it
    "units": """
SELECT u.type, COUNT(*), SUM(CASE WHEN sub.depth = %(depth)s + 1 THEN 1 ELSE 0 END)
FROM sub JOIN org_unit u ON u.id = sub.unit_id
WHERE sub.depth > %(depth)s GROUP BY u.type""",
    # workers and women workers on the roster; members, women members, active and suspended
    "roster": """
SELECT 'workers', COUNT(*), SUM(CASE WHEN p.gender = 'nu' THEN 1 ELSE 0 END), 0, 0
FROM people_employment e JOIN people_person p ON p.id = e.person_id
WHERE e.unit_id IN (SELECT unit_id FROM sub) AND e.valid_from <= %(day)s
      AND (e.valid_to IS NULL OR e.valid_to > %(day)s)
UNION ALL
SELECT 'members', COUNT(*), SUM(CASE WHEN p.gender = 'nu' THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.status = 'active' THEN 1 ELSE 0 END),
       SUM(CASE WHEN m.status = 'suspended' THEN 1 ELSE 0 END)
FROM people_membership m JOIN people_person p ON p.id = m.person_id
WHERE m.unit_id IN (SELECT unit_id FROM sub) AND m.valid_from <= %(day)s
      AND (m.valid_to IS NULL OR m.valid_to > %(day)s)""",
    # titles of the year (not revoked): people on the roster per title, units strictly below per
    # title, and people holding any of the workers' titles (LĐTT, CSTĐ) once
    "titles": """
, roster AS {hint} (SELECT e.person_id FROM people_employment e
             WHERE e.unit_id IN (SELECT unit_id FROM sub) AND e.valid_from <= %(day)s
                   AND (e.valid_to IS NULL OR e.valid_to > %(day)s))
SELECT t.title, COUNT(DISTINCT t.person_id) FROM evaluation_titleresult t
WHERE t.year = %(year)s AND NOT t.revoked AND t.person_id IN (SELECT person_id FROM roster)
GROUP BY t.title
UNION ALL
SELECT t.title, COUNT(DISTINCT t.subject_unit_id) FROM evaluation_titleresult t
WHERE t.year = %(year)s AND NOT t.revoked
      AND t.subject_unit_id IN (SELECT unit_id FROM sub WHERE depth > %(depth)s)
GROUP BY t.title
UNION ALL
SELECT '*worker_titles', COUNT(DISTINCT t.person_id) FROM evaluation_titleresult t
WHERE t.year = %(year)s AND NOT t.revoked
      AND t.title IN ('LDTT', 'CSTDCS', 'CSTD_TINH', 'CSTD_TQ')
      AND t.person_id IN (SELECT person_id FROM roster)""",
    # awards of the year (not revoked) by issuer and form, with the issuer's name on the day
    "awards": """
SELECT u.code, COALESCE(v.name, u.name), a.form,
       SUM(CASE WHEN a.subject_unit_id IS NOT NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.person_id IS NOT NULL THEN 1 ELSE 0 END)
FROM honours_award a JOIN org_unit u ON u.id = a.issuer_id
LEFT JOIN org_unitversion v ON v.unit_id = u.id AND v.valid_from <= %(day)s
     AND (v.valid_to IS NULL OR v.valid_to > %(day)s)
WHERE a.home_unit_id IN (SELECT unit_id FROM sub) AND a.year = %(year)s AND NOT a.revoked
GROUP BY u.code, COALESCE(v.name, u.name), a.form""",
    # initiatives recognised in the year per level, in all (each once), and put forward for a
    # commendation
    "initiatives": """
, recs AS (SELECT r.initiative_id, r.level FROM initiatives_recognition r
           JOIN initiatives_initiative i ON i.id = r.initiative_id
           WHERE r.year = %(year)s AND i.unit_id IN (SELECT unit_id FROM sub))
SELECT level, COUNT(DISTINCT initiative_id) FROM recs GROUP BY level
UNION ALL
SELECT '*total', COUNT(DISTINCT initiative_id) FROM recs
UNION ALL
SELECT '*proposed', COUNT(DISTINCT u.initiative_id) FROM initiatives_initiativeuse u
JOIN initiatives_initiative i ON i.id = u.initiative_id
WHERE u.year = %(year)s AND u.kind = 'commendation' AND i.unit_id IN (SELECT unit_id FROM sub)""",
    # the root's movements of the year: units its plans reached, and those that launched them
    "movements": """
SELECT m.code, COUNT(DISTINCT d.unit_id),
       COUNT(DISTINCT CASE WHEN d.launched_at IS NOT NULL THEN d.unit_id END)
FROM movements_movement m
LEFT JOIN movements_plan_movements pm ON pm.movement_id = m.id
LEFT JOIN movements_plan p ON p.id = pm.plan_id AND p.issuer_id = %(root)s
LEFT JOIN movements_deployment d ON d.plan_id = p.id
WHERE m.issuer_id = %(root)s AND m.year = %(year)s
GROUP BY m.id, m.code""",
    # members introduced for, and admitted to, the Party in the year
    "party": """
SELECT SUM(CASE WHEN introduced_on BETWEEN %(first)s AND %(day)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN admitted_on BETWEEN %(first)s AND %(day)s THEN 1 ELSE 0 END)
FROM reports_partycandidate WHERE unit_id IN (SELECT unit_id FROM sub)
     AND (introduced_on BETWEEN %(first)s AND %(day)s OR admitted_on BETWEEN %(first)s AND %(day)s)""",
    # welfare of the year by occasion: activities, beneficiaries, amount
    "welfare": """
SELECT a.occasion, COUNT(DISTINCT a.id), COUNT(b.id), COALESCE(SUM(b.amount), 0)
FROM reports_welfareactivity a LEFT JOIN reports_beneficiary b ON b.activity_id = a.id
WHERE a.year = %(year)s AND a.unit_id IN (SELECT unit_id FROM sub)
GROUP BY a.occasion""",
    # families recognised "Gia đình văn hóa" in the year, and those of women workers
    "families": """
SELECT COUNT(*), SUM(CASE WHEN p.gender = 'nu' THEN 1 ELSE 0 END)
FROM reports_familyculturetitle f JOIN people_person p ON p.id = f.person_id
WHERE f.year = %(year)s AND f.unit_id IN (SELECT unit_id FROM sub)""",
    # the CĐCS of the subtree: those that launched a plan of the year, registered (any title;
    # Cơ quan văn hóa), were graded, strong, weak
    "grassroots": """
, cd AS (SELECT sub.unit_id FROM sub JOIN org_unit u ON u.id = sub.unit_id
         WHERE u.type IN ('cdcs', 'cdcs_thanh_vien'))
SELECT
 (SELECT COUNT(DISTINCT d.unit_id) FROM movements_deployment d
  JOIN movements_plan p ON p.id = d.plan_id
  WHERE p.year = %(year)s AND d.launched_at IS NOT NULL AND d.unit_id IN (SELECT unit_id FROM cd)),
 (SELECT COUNT(DISTINCT r.unit_id) FROM movements_registration r
  WHERE r.year = %(year)s AND r.unit_id IN (SELECT unit_id FROM cd)),
 (SELECT COUNT(DISTINCT r.unit_id) FROM movements_registration r
  JOIN movements_registeredtitle t ON t.registration_id = r.id AND t.code = 'CQ_VAN_HOA'
  WHERE r.year = %(year)s AND r.unit_id IN (SELECT unit_id FROM cd)),
 COUNT(*), SUM(CASE WHEN g.label IN ('vung_manh', 'HTXSNV') THEN 1 ELSE 0 END),
 SUM(CASE WHEN g.label IN ('yeu', 'KHTNV') THEN 1 ELSE 0 END)
FROM evaluation_grading g
WHERE g.year = %(year)s AND g.label <> '' AND g.unit_id IN (SELECT unit_id FROM cd)""",
    # the root's targets for the year and the next
    "targets": """
SELECT year, measure, comparison, value, value_max FROM reports_target
WHERE unit_id = %(root)s AND year IN (%(year)s, %(year)s + 1) ORDER BY year, measure""",
}


def baseline(root: Any, year: int) -> dict[str, list[tuple]]:
    from django.db import connection

    version = root.versions.get(valid_to__isnull=True)
    hint = "NOT MATERIALIZED" if connection.vendor == "postgresql" else ""
    params = {"like": version.path + "%", "depth": version.depth, "root": root.pk,
              "day": D(year, 12, 31), "first": D(year, 1, 1), "year": year}
    out: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for name, sql in BASELINE.items():
            cursor.execute((SUBTREE + sql).replace("{hint}", hint), params)
            out[name] = cursor.fetchall()
    return out


def check(got: dict[str, Any], base: dict[str, list[tuple]]) -> None:
    """The report's totals are the baseline's (AssertionError naming the first that differs)."""
    def same(what: str, ours: object, theirs: object) -> None:
        assert ours == theirs, f"{what}: year_figures {ours!r} ≠ baseline {theirs!r}"

    same("units", got["units"], {t: n for t, n, _ in base["units"]})
    same("direct_units", got["direct_units"], {t: n for t, _, n in base["units"] if n})
    (_, workers, women, _, _), (_, members, _, _, _) = base["roster"]
    same("roster", (got["workers"], got["women"], got["members"]), (workers, women, members))
    titles = {code: n for code, n in base["titles"] if not code.startswith("*")}
    worker_titles = dict(base["titles"])["*worker_titles"]
    families, women_families = base["families"][0]
    ours = {code: v["count"] for code, v in got["titles"].items() if code != "GDVH"}
    same("titles", ours, titles)
    same("families", (got["titles"]["GDVH"]["count"], got["titles"]["GDVH"]["women"]["count"]),
         (families, women_families))
    same("worker titles", got["actuals"]["nld_danh_hieu"]["done"], worker_titles)
    same("awards", sorted((a["issuer"], a["issuer_name"], a["form"], a["collectives"],
                           a["individuals"]) for a in got["awards"]), sorted(base["awards"]))
    levels = {lvl: n for lvl, n in base["initiatives"] if not lvl.startswith("*")}
    marks = dict(base["initiatives"])
    same("initiatives", got["initiatives"],
         {**levels, "total": marks["*total"], "proposed_for_awards": marks["*proposed"]})
    same("movements", sorted((m["code"], m["coverage"]["of"], m["coverage"]["done"])
                             for m in got["movements"]), sorted(base["movements"]))
    introduced, admitted = base["party"][0]
    same("party", (got["party_introduced"], got["party_admitted"]), (introduced, admitted))
    same("welfare", sorted((o["code"], o["activities"], o["beneficiaries"], o["amount"])
                           for o in got["welfare"]["occasions"]),
         sorted((c, a, b, int(m)) for c, a, b, m in base["welfare"]))
    launched, registered, culture, graded, strong, weak = base["grassroots"][0]
    a = got["actuals"]
    same("grassroots", (a["cdcs_phat_dong"]["done"], a["cdcs_dang_ky"]["done"],
                        a["co_quan_dang_ky_van_hoa"]["done"], a["cdcs_vung_manh"]["of"],
                        a["cdcs_vung_manh"]["done"], a["cdcs_yeu"]["actual"]),
         (launched, registered, culture, graded, strong, weak))
    for key, y in (("targets", got["year"]), ("next_targets", got["year"] + 1)):
        same(key, sorted((t["code"], t["target"]) for t in got.get(key, [])),
             sorted((m, int(v)) for ty, m, _, v, _ in base["targets"] if ty == y))


def profile(root: Any, year: int) -> None:
    """cProfile of one more year_figures run, then the time of each of its queries and of each
    baseline statement, slowest first (on stderr)."""
    from django.db import connection

    from thidua.reports.figures import year_figures

    profiler = cProfile.Profile()
    profiler.runcall(year_figures, root, year)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    for label, run in (("year_figures", lambda: year_figures(root, year)),
                       ("baseline", lambda: baseline(root, year))):
        spent: list[tuple[float, str]] = []

        def timed(execute: Any, sql: str, params: Any, many: bool, context: Any,
                  spent: list[tuple[float, str]] = spent) -> Any:
            with timer() as t:
                result = execute(sql, params, many, context)
            spent.append((t["seconds"], " ".join(sql.split())[:300]))
            return result

        with connection.execute_wrapper(timed):
            run()
        print(f"--- {label}: {len(spent)} queries, {vn(sum(s for s, _ in spent), 3)} s",
              file=sys.stderr)
        for seconds, sql in sorted(spent, reverse=True)[:15]:
            print(f"{vn(seconds, 3):>7} s  {sql}", file=sys.stderr)


def reuse_database(name: str) -> Any:
    """Configure Django on a database kept by --keep (nothing is migrated or dropped)."""
    import os
    from urllib.parse import urlsplit, urlunsplit

    from common import setup_django

    url = os.environ.get("THIDUA_DATABASE_URL")
    if url:
        os.environ["THIDUA_DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path="/" + name))
    else:
        os.environ["THIDUA_HOME"] = name
    setup_django()
    from django.conf import settings

    settings.DEBUG = False
    return lambda: None


def reused() -> tuple[dict[str, int], dict[str, int]]:
    from django.db import connection

    from thidua.org.models import Unit
    from thidua.people.models import Employment, Membership

    built = {"units": Unit.objects.count(), "root": Unit.objects.get(code="BENCH").pk,
             "workers": Employment.objects.count(), "members": Membership.objects.count()}
    with connection.cursor() as cursor:
        rows = {}
        for table_name in ("evaluation_titleresult", "reports_familyculturetitle",
                           "movements_registration", "reports_beneficiary", "honours_award"):
            cursor.execute(f"SELECT COUNT(*) FROM {table_name}")
            rows[table_name] = cursor.fetchone()[0]
    return built, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of one more year_figures run")
    parser.add_argument("--reuse", metavar="DATABASE",
                        help="time again on a database kept by --keep (PostgreSQL: its name; "
                             "SQLite: its folder), without building")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database afterwards (to EXPLAIN its queries) and say where")
    args = parser.parse_args()

    if args.reuse:
        cleanup = reuse_database(args.reuse)
        args.keep = True
    else:
        cleanup = fresh_database("report")
    try:
        from thidua.org.models import Unit
        from thidua.reports.dashboard import dashboard
        from thidua.reports.figures import year_figures

        with timer() as t_build:
            if args.reuse:
                built, rows = reused()
            else:
                built = build_tree(args.members)
                rows = fill_year(built, args.year)
        kept_seconds = 0.0
        if not args.reuse:
            # the titles, families, Party candidates, welfare, awards, gradings, launches,
            # registrations and recognitions were written without the services: their kept
            # figures and subtree sums (ADR 0031, 0032, 0034, 0036) are recomputed from the
            # records, as `figures_rebuild` does for a restore
            from thidua.evaluation.figures import rebuild as title_figures_rebuild
            from thidua.evaluation.unit_figures import rebuild as unit_sums_rebuild
            from thidua.honours.figures import rebuild as award_figures_rebuild
            from thidua.initiatives.figures import rebuild as initiative_sums_rebuild
            from thidua.movements.figures import rebuild as movement_sums_rebuild
            from thidua.reports.kept import rebuild as report_figures_rebuild

            with timer() as t_kept:
                rows["evaluation_titlefigure"] = title_figures_rebuild()
                rows["reports_yearfigure"] = report_figures_rebuild()
                rows["honours_awardfigure"] = award_figures_rebuild()
                for rebuild in (unit_sums_rebuild, movement_sums_rebuild,
                                initiative_sums_rebuild):
                    rebuild()  # sums only: no rows of their own
            kept_seconds = t_kept["seconds"]
        print(f"{database_label()}: cây thử tải {vn(built['units'])} đơn vị, "
              f"{vn(built['workers'])} CBCCVCLĐ, {vn(built['members'])} đoàn viên, "
              + (f"dùng lại cơ sở dữ liệu {args.reuse}" if args.reuse else
                 f"{vn(sum(rows.values()))} bản ghi năm {args.year - 1}–{args.year} "
                 f"— dựng trong {vn(t_build['seconds'], 1)} s, số liệu lưu sẵn (danh hiệu, "
                 f"gia đình, Đảng, chăm lo, khen thưởng) tính lại trong {vn(kept_seconds, 1)} s"), flush=True)
        print(", ".join(f"{name} {vn(n)}" for name, n in sorted(rows.items())), flush=True)
        root = Unit.objects.get(pk=built["root"])
        best = {"ours": float("inf"), "baseline": float("inf"), "dashboard": float("inf")}
        for _ in range(args.repeat):
            with timer() as t:
                base = baseline(root, args.year)
            best["baseline"] = min(best["baseline"], t["seconds"])
            with timer() as t:
                figures = year_figures(root, args.year)
            best["ours"] = min(best["ours"], t["seconds"])
            with timer() as t:
                board = dashboard(root, args.year)
            best["dashboard"] = min(best["dashboard"], t["seconds"])
            check(figures, base)
        if args.profile:
            profile(root, args.year)
        ratio = best["ours"] / best["baseline"]
        rows_out = [
            ["phép đo", "thời gian", "ghi chú"],
            ["year_figures(gốc)", f"{vn(best['ours'], 2)} s",
             f"{vn(figures['workers'])} CBCCVCLĐ, {vn(len(figures['titles']))} danh hiệu, "
             f"{vn(sum(a['individuals'] + a['collectives'] for a in figures['awards']))} khen thưởng"],
            ["baseline: SQL viết tay", f"{vn(best['baseline'], 2)} s",
             f"{len(BASELINE)} câu lệnh, cùng các tổng"],
            ["dashboard(gốc)", f"{vn(best['dashboard'], 2)} s",
             f"{vn(len(board['children']))} đơn vị trực thuộc"],
        ]
        print(table(rows_out))
        print(f"report: year_figures(root) in {vn(best['ours'], 2)} s; baseline "
              f"{vn(best['baseline'], 2)} s; ratio {vn(ratio, 2)}× (target ≤ 1,5×); "
              f"dashboard(root) {vn(best['dashboard'], 2)} s; build {vn(t_build['seconds'], 1)} s; "
              f"peak RSS {vn(peak_rss_mb())} MB")
        return 0 if ratio <= 1.5 else 1
    finally:
        if args.keep:
            from django.db import connection

            print(f"database kept: {connection.settings_dict['NAME']}")
        else:
            cleanup()


if __name__ == "__main__":
    sys.exit(main())
