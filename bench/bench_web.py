"""Web load: 50 logged-in users on a realistic mix of pages against the real production server.

    .venv/bin/python bench/bench_web.py [--database demo|members] [--members 1000000]
        [--users 50] [--seconds 60] [--think 1] [--servers gunicorn,waitress]
        [--workers N] [--threads N] [--home DIR] [--alone N] [--shape levels|union]
    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua .venv/bin/python bench/...

It builds a database in a temporary THIDUA_HOME (PostgreSQL: a new database beside the
configured one, dropped at the end): `--database demo` runs `thidua demo --no-serve`;
`--database members` first writes bench_counts.py's tree (`--members` members, 18.031 units at
1.000.000) with an officer `bench.tinh` of its root, then the demo beside it; `--database
national` builds nothing: it reads THIDUA_DATABASE_URL's database, made by `thidua national`,
as its officers of the TLĐ, a province and a CĐCS, a third of the users each (`--shape
levels`, the default), or as one officer per user spread as the union's work is (`--shape
union`: 2 % at the TLĐ, 8 % in provinces, 20 % in cấp trên, 70 % in CĐCS; `national_mix`).
Then, for each of
`--servers`, it starts `thidua serve` on a loopback port (gunicorn with `--workers` processes ×
`--threads`, or the single-process waitress the demo uses) and runs locust headless for
`--seconds` with `--users` users, each logged in as a demo persona (or bench.tinh) and each
waiting `--think` seconds (± 50 %) between requests: the tree page, unit pages, the member
list and a member search, a registration page (movements), a review page (evaluation), a
proposal (honours), the dashboard and the year-end report (reports) — and the hashed static
stylesheet, the baseline measured in the same run under the same load.

Printed per request kind: count, errors, p50, p95 and p95 against the static file's p95; then
requests/s and the pages' p95 against the static p95 (target ≤ 3×, 0 errors; exit 1 when
missed). Each URL is checked to answer 200 for its persona before the load starts.

`--alone N` runs no load: each URL of the mix is requested N times by one client, one request
at a time, and each kind's p50 and p95 are printed beside the static file's, to find which pages
cost the workers most by themselves.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import ROOT, table, vn

PASSWORD = "thidua@2026"
TARGET = 3.0
#: persona -> [kind, url, weight]; {proposal:UNIT} is the first proposal of UNIT's list
DEMO_MIX: dict[str, list[tuple[str, str, int]]] = {
    "canbo.ldld": [
        ("tree", "/don-vi/", 2),
        ("unit", "/don-vi/LDLD-HN/", 1),
        ("unit", "/don-vi/CDVC-HN/", 1),
        ("member list", "/nguoi-lao-dong/?don_vi=CDVC-HN", 1),
        ("member search", "/nguoi-lao-dong/?q=nguy%E1%BB%85n+th%E1%BB%8B&don_vi=LDLD-HN", 1),
        ("proposal", "{proposal:LDLD-HN}", 1),
        ("dashboard", "/bang-dieu-khien/LDLD-HN/2017/", 1),
        ("report", "/bao-cao/LDLD-HN/2017/", 1),
    ],
    "canbo.cdvc": [
        ("tree", "/don-vi/", 2),
        ("unit", "/don-vi/CDVC-HN-01/", 1),
        ("member list", "/nguoi-lao-dong/?don_vi=CDVC-HN-02", 1),
        ("member search", "/nguoi-lao-dong/?q=tr%E1%BA%A7n&don_vi=CDVC-HN", 1),
        ("proposal", "{proposal:CDVC-HN}", 1),
        ("dashboard", "/bang-dieu-khien/CDVC-HN/2017/", 1),
        ("report", "/bao-cao/CDVC-HN/2017/", 1),
    ],
    "canbo.cdcs": [
        ("tree", "/don-vi/", 1),
        ("unit", "/don-vi/CD-UBND-HBT/", 1),
        ("member list", "/nguoi-lao-dong/?don_vi=CD-UBND-HBT", 1),
        ("member search", "/nguoi-lao-dong/?q=l%C3%AA&don_vi=CD-UBND-HBT", 1),
        ("registration", "/dang-ky-thi-dua/CD-UBND-HBT/2023/", 2),
        ("review", "/danh-gia/CD-UBND-HBT/2023/binh-xet/", 2),
        ("dashboard", "/bang-dieu-khien/CD-UBND-HBT/2023/", 1),
        ("report", "/bao-cao/CD-UBND-HBT/2023/", 1),
    ],
}
#: the large tree of bench_counts.py, read by its own officer
MEMBERS_MIX: dict[str, list[tuple[str, str, int]]] = {
    "bench.tinh": [
        ("tree", "/don-vi/", 2),
        ("unit", "/don-vi/BENCH/", 1),
        ("unit", "/don-vi/B-1-1/", 1),
        ("member list", "/nguoi-lao-dong/?don_vi=B-1", 1),
        ("member search", "/nguoi-lao-dong/?q=ng%C6%B0%E1%BB%9Di+lao+%C4%91%E1%BB%99ng+12&don_vi=BENCH", 1),
        ("dashboard", "/bang-dieu-khien/BENCH/2024/", 1),
        ("report", "/bao-cao/BENCH/2024/", 1),
    ],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def thidua(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "thidua.cli", *args], env=env, text=True,
                          capture_output=True, check=False)
    if proc.returncode:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"thidua {' '.join(args)} failed ({proc.returncode})")
    return proc.stdout


def postgres_database(url: str, name: str) -> str:
    """A new database beside the configured one (dropped first if a run left it)."""
    import psycopg

    parsed = urllib.parse.urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        db.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return parsed._replace(path=f"/{name}").geturl()


def drop_postgres_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')  # type: ignore[arg-type]


def build_members(members: int) -> None:
    """Phase run in its own process (env: THIDUA_HOME, THIDUA_DATABASE_URL): migrate, write
    bench_counts.py's tree, give it an officer."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings.dev"
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    from bench_counts import build_tree

    built = build_tree(members)
    from thidua.accounts.services import role_grant_create, user_create
    from thidua.org.models import Unit, UnitVersion
    from thidua.people.models import Employment, Membership, Person

    # the tree was written with explicit ids: PostgreSQL's sequences must move past them
    # before the demo adds its own rows
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(
                no_style(), [Unit, UnitVersion, Person, Employment, Membership]):
            cursor.execute(sql)
    user = user_create(actor=None, username="bench.tinh", password=PASSWORD,
                       full_name="Cán bộ tỉnh thử tải")
    role_grant_create(actor=None, user=user, unit=Unit.objects.get(pk=built["root"]),
                      role="officer")
    print(json.dumps(built))


def national_mix(shape: str = "levels") -> None:
    """Phase run in its own process on the configured database made by `thidua national`
    (env: THIDUA_DATABASE_URL): officers (created when missing) and the mix of their pages,
    printed as JSON. The national data has no proposals (the generator writes the decisions and
    awards they led to), so the mix has none.

    `shape` "levels": one officer of the TLĐ, of the province with the most units and of one of
    its CĐCS, the users spread evenly over the three (a third of them at the TLĐ, opening the
    whole nation's dashboard, report and member search: a stress mix). "union": one persona per
    user, spread as the union's work is: `UNION_SHAPE` — 2 % at the TLĐ, 8 % in provinces, 20 %
    in cấp trên trực tiếp cơ sở, 70 % in CĐCS, each officer on a unit of their own (the
    largest provinces, their first cấp trên, the CĐCS below them that registered in the
    year). Still far heavier above the grassroots than the union's shape (126.000 CĐCS, 1.596
    cấp trên, 83 provinces and sector unions, one TLĐ)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings.dev"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from thidua.accounts.services import role_grant_create, user_create
    from thidua.movements.models import Registration
    from thidua.org.models import Unit

    year = 2024
    User = get_user_model()

    def officer(username: str, unit: Any) -> str:
        user = User.objects.filter(username=username).first() or user_create(
            actor=None, username=username, password=PASSWORD, full_name=f"Thử tải {unit.code}")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        if not user.role_grants.filter(unit=unit, role="officer").exists():
            role_grant_create(actor=None, user=user, unit=unit, role="officer")
        return username

    def registered_cdcs(above: Any, n: int) -> list[str]:
        codes = list(Registration.objects.filter(
            year=year, unit__isnull=True, home_unit__path__startswith=above.path,
            home_unit__type="cdcs").order_by("home_unit__path")
            .values_list("home_unit__code", flat=True).distinct()[:n])
        if len(codes) < n:
            codes += [c for c in Unit.objects.filter(type="cdcs", path__startswith=above.path)
                      .order_by("path").values_list("code", flat=True)[:n]
                      if c not in codes][:n - len(codes)]
        return codes

    q = urllib.parse.quote_plus
    root = Unit.objects.get(code="TLD")
    provinces = list(Unit.objects.filter(type="ldld_tinh", valid_to__isnull=True)
                     .annotate(n=Count("child_versions",
                                       filter=Q(child_versions__valid_to__isnull=True)))
                     .order_by("-n", "code"))
    assert provinces, "no provincial federation: not a `thidua national` database"

    def tld_mix() -> list[tuple[str, str, int]]:
        return [("tree", "/don-vi/", 2), ("unit", "/don-vi/TLD/", 1),
                ("unit", f"/don-vi/{provinces[0].code}/", 1),
                ("member search", f"/nguoi-lao-dong/?q={q('nguyễn thị hoa')}", 1),
                ("dashboard", f"/bang-dieu-khien/TLD/{year}/", 1),
                ("report", f"/bao-cao/TLD/{year}/", 1)]

    def officer_mix(own: str, listed: str, name: str) -> list[tuple[str, str, int]]:
        """The pages of an officer above the grassroots: tree, own unit, a member list, a name
        searched in the own subtree, dashboard and report."""
        return [("tree", "/don-vi/", 2), ("unit", f"/don-vi/{own}/", 1),
                ("member list", f"/nguoi-lao-dong/?don_vi={listed}", 1),
                ("member search", f"/nguoi-lao-dong/?q={q(name)}&don_vi={own}", 1),
                ("dashboard", f"/bang-dieu-khien/{own}/{year}/", 1),
                ("report", f"/bao-cao/{own}/{year}/", 1)]

    def province_mix(province: Any, above: Any) -> list[tuple[str, str, int]]:
        return [*officer_mix(province.code, above.code, "trần văn"),
                ("unit", f"/don-vi/{above.code}/", 1)]

    def above_mix(above: Any) -> list[tuple[str, str, int]]:
        return officer_mix(above.code, above.code, "nguyễn văn")

    def cdcs_mix(cdcs: str) -> list[tuple[str, str, int]]:
        return [("tree", "/don-vi/", 1), ("unit", f"/don-vi/{cdcs}/", 1),
                ("member list", f"/nguoi-lao-dong/?don_vi={cdcs}", 1),
                ("member search", f"/nguoi-lao-dong/?q={q('lê')}&don_vi={cdcs}", 1),
                ("registration", f"/dang-ky-thi-dua/{cdcs}/{year}/", 2),
                ("review", f"/danh-gia/{cdcs}/{year}/binh-xet/", 2),
                ("dashboard", f"/bang-dieu-khien/{cdcs}/{year}/", 1),
                ("report", f"/bao-cao/{cdcs}/{year}/", 1)]

    def aboves(province: Any, n: int) -> list[Any]:
        return list(Unit.objects.filter(type="cap_tren_co_so", valid_to__isnull=True,
                                        path__startswith=province.path).order_by("path")[:n])

    mix: dict[str, list[tuple[str, str, int]]] = {}
    if shape == "levels":
        province = provinces[0]
        above = aboves(province, 1)[0]
        cdcs = registered_cdcs(above, 1)[0]
        mix[officer("bench.tld", root)] = tld_mix()
        mix[officer("bench.tinh", province)] = province_mix(province, above)
        mix[officer("bench.cdcs", Unit.objects.get(code=cdcs))] = cdcs_mix(cdcs)
    else:
        users = int(os.environ.get("BENCH_WEB_USERS", "50"))
        counts = [max(1, round(users * share)) for share in UNION_SHAPE]
        counts[-1] = max(1, users - sum(counts[:-1]))
        n_tld, n_tinh, n_above, n_cdcs = counts
        chosen = provinces[:n_tinh]
        above_units = [a for p in chosen for a in aboves(p, -(-n_above // n_tinh))][:n_above]
        per_above = -(-n_cdcs // len(above_units))
        cdcs_codes = [c for a in above_units for c in registered_cdcs(a, per_above)][:n_cdcs]
        for i in range(n_tld):
            mix[officer(f"bench.1tld.{i:02d}", root)] = tld_mix()
        for i, province in enumerate(chosen):
            mix[officer(f"bench.2tinh.{i:02d}", province)] = province_mix(
                province, aboves(province, 1)[0])
        for i, above in enumerate(above_units):
            mix[officer(f"bench.3ctr.{i:02d}", above)] = above_mix(above)
        for i, code in enumerate(cdcs_codes):
            mix[officer(f"bench.4cdcs.{i:02d}", Unit.objects.get(code=code))] = cdcs_mix(code)
    from thidua.platform.planner import DATABASE_SETTINGS, database_settings

    for name, value in database_settings().items():
        advised = DATABASE_SETTINGS[name]
        print(f"Cơ sở dữ liệu: {name} = {value}"
              + ("" if value == advised else f" (docs/scaling.md: {advised})"))
    print(json.dumps(mix))


#: `--shape union`: the users' shares at the TLĐ, in provinces, in cấp trên trực tiếp cơ sở
#: and in CĐCS (docs: bench/README.md, `bench_web.py`)
UNION_SHAPE = (0.02, 0.08, 0.20, 0.70)


class Client:
    """urllib with cookies: the checks before the load."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=300) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def log_in(self, username: str) -> None:
        _, html = self.get("/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token, "no CSRF token on the login page"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1),
                                       "username": username, "password": PASSWORD}).encode()
        request = urllib.request.Request(self.base + "/dang-nhap/", data=data,
                                         headers={"Referer": self.base + "/dang-nhap/"})
        try:
            self.opener.open(request, timeout=60)
            status = 200
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 302:
            raise SystemExit(f"{username} cannot log in ({status})")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def plan_requests(base: str, mix: dict[str, list[tuple[str, str, int]]]
                  ) -> tuple[dict[str, list[list[Any]]], str]:
    """The mix with its placeholders filled, every URL checked to answer 200; and the static
    stylesheet's (hashed) URL."""
    personas: dict[str, list[list[Any]]] = {}
    static = ""
    for persona, requests in mix.items():
        client = Client(base)
        client.log_in(persona)
        filled = []
        for kind, url, weight in requests:
            if m := re.fullmatch(r"\{proposal:(.+)\}", url):
                _, html = client.get("/khen-thuong/ho-so/")
                ids = re.findall(r'href="/khen-thuong/ho-so/(\d+)/"', html)
                if not ids:
                    raise SystemExit(f"{persona}: no proposal in the list for {m.group(1)}")
                url = f"/khen-thuong/ho-so/{ids[0]}/"
            status, html = client.get(url)
            if status != 200:
                raise SystemExit(f"{persona} {url}: {status} before any load")
            if not static and (css := re.search(r'href="(/static/thidua/app[^"]*\.css)"', html)):
                static = css.group(1)
            filled.append([kind, url, weight])
        personas[persona] = filled
    if not static or static == "/static/thidua/app.css":
        raise SystemExit("the pages do not link a hashed stylesheet (collectstatic?)")
    return personas, static


def wait_until_up(base: str, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"thidua serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/dang-nhap/", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("thidua serve did not answer within 300 s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@contextlib.contextmanager
def serving(env: dict[str, str], server: str, args: argparse.Namespace) -> Iterator[str]:
    """`thidua serve` on a free loopback port (gunicorn with `--workers` × `--threads`, or
    waitress) until the block ends; yields its base URL once it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    extra = ["--server", server]
    if server == "gunicorn":
        extra += ["--workers", str(args.workers), "--threads", str(args.threads)]
    proc = subprocess.Popen([sys.executable, "-m", "thidua.cli", "serve", "--port", str(port),
                             *extra], env=env, text=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_until_up(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_load(env: dict[str, str], server: str, args: argparse.Namespace,
             mix: dict[str, list[tuple[str, str, int]]], work: Path) -> dict[str, Any]:
    with serving(env, server, args) as base:
        personas, static = plan_requests(base, mix)
        out = work / f"times-{server}.json"
        plan = work / f"plan-{server}.json"
        plan.write_text(json.dumps({"password": PASSWORD, "think": args.think, "out": str(out),
                                    "users": args.users, "seconds": args.seconds,
                                    "static": static, "personas": personas}))
        spawn_rate = max(1, args.users // 5)
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locust_web.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(spawn_rate),
             # an upper bound: the users stop `--seconds` after the last one logged in
             "--run-time", f"{args.seconds + 600}s", "--host", base,
             "--only-summary", "--stop-timeout", "30", "--exit-code-on-error", "0",
             "--loglevel", "WARNING"],
            env={**os.environ, "BENCH_WEB_PLAN": str(plan)}, check=False,
            capture_output=True, text=True, timeout=args.seconds + 900)
        if locust.returncode or not out.exists():
            sys.stderr.write(locust.stdout[-3000:] + locust.stderr[-3000:])
            raise SystemExit(f"locust failed ({locust.returncode})")
        return json.loads(out.read_text())


def run_alone(env: dict[str, str], server: str, args: argparse.Namespace,
              mix: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[float]]:
    """Each URL of the mix requested `args.alone` times by one client, one request at a time,
    interleaved (no load): what each kind of page costs the server by itself."""
    with serving(env, server, args) as base:
        personas, static = plan_requests(base, mix)
        clients = {}
        for persona in personas:
            clients[persona] = Client(base)
            clients[persona].log_in(persona)
        times: dict[str, list[float]] = {}
        for _ in range(args.alone):
            for persona, requests in personas.items():
                for kind, url, _weight in [*requests, ["static", static, 1]]:
                    started = time.perf_counter()
                    status, _ = clients[persona].get(url)
                    elapsed = (time.perf_counter() - started) * 1000
                    if status != 200:
                        raise SystemExit(f"{persona} {url}: {status}")
                    times.setdefault(f"{kind} ({persona})", []).append(elapsed)
        return times


def report_alone(label: str, times: dict[str, list[float]]) -> None:
    static50 = percentile([t for k, v in times.items() if k.startswith("static ")
                           for t in v], 0.5)
    rows = [["loại trang (người dùng)", "số", "p50 ms", "p95 ms", "p50 / tĩnh"]]
    for kind in sorted(times, key=lambda k: -percentile(times[k], 0.5)):
        values = times[kind]
        rows.append([kind, vn(len(values)), vn(percentile(values, 0.5), 1),
                     vn(percentile(values, 0.95), 1),
                     vn(percentile(values, 0.5) / static50, 1) + "×"])
    print(f"\n{label}, từng trang một, không tải\n{table(rows)}", flush=True)


def report(label: str, result: dict[str, Any], users: int) -> tuple[bool, str]:
    times: dict[str, list[float]] = result["times"]
    errors: dict[str, list[str]] = result["errors"]
    if not times.get("static") or len(times) < 2:
        print(f"\n{label}: too few answers to compare ({sum(map(len, times.values()))} in "
              f"{vn(result['seconds'])} s; errors: {sum(map(len, errors.values()))})", flush=True)
        return False, "0"
    static95 = percentile(times["static"], 0.95)
    pages = [t for kind, values in times.items() if kind != "static" for t in values]
    rows = [["loại yêu cầu", "số", "lỗi", "p50 ms", "p95 ms", "p95 / tĩnh"]]
    for kind in sorted(times, key=lambda k: (k == "static", k)):
        values = times[kind]
        rows.append([kind, vn(len(values)), vn(len(errors.get(kind, []))),
                     vn(percentile(values, 0.5)), vn(percentile(values, 0.95)),
                     vn(percentile(values, 0.95) / static95, 2) + "×"])
    pages95 = percentile(pages, 0.95)
    rows.append(["mọi trang", vn(len(pages)), vn(sum(len(e) for k, e in errors.items()
                                                        if k != "static")),
                 vn(percentile(pages, 0.5)), vn(pages95), vn(pages95 / static95, 2) + "×"])
    total = sum(len(v) for v in times.values())
    n_errors = sum(len(v) for v in errors.values())
    rate = total / result["seconds"]
    ratio = pages95 / static95
    worst = max((k for k in times if k != "static"),
                key=lambda k: percentile(times[k], 0.95))
    print(f"\n{label}\n{table(rows)}")
    for kind, messages in errors.items():
        print(f"  lỗi {kind}: {messages[0]}")
    line = (f"web ({label}): {users} users, {vn(rate, 1)} requests/s, {vn(n_errors)} errors; "
            f"p95 pages {vn(pages95)} ms, static {vn(static95)} ms: ratio {vn(ratio, 2)}× "
            f"(target ≤ {vn(TARGET)}×); slowest kind {worst} p95 "
            f"{vn(percentile(times[worst], 0.95))} ms ({vn(percentile(times[worst], 0.95) / static95, 2)}×)")
    print(line, flush=True)
    return ratio <= TARGET and n_errors == 0, f"{rate:.6f}"


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--phase-build-members":
        build_members(int(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "--phase-national-mix":
        national_mix(sys.argv[2] if len(sys.argv) > 2 else "levels")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["demo", "members", "national"], default="demo",
                        help="national: THIDUA_DATABASE_URL's database as it is (made by "
                             "`thidua national`; nothing built, nothing dropped)")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--servers", default="gunicorn,waitress")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--home", help="use (and keep) this data folder; build only if empty")
    parser.add_argument("--shape", choices=["levels", "union"], default="levels",
                        help="--database national: levels (one officer of the TLĐ, of a "
                             "province and of a CĐCS, a third of the users each) or union "
                             "(one officer each, spread as UNION_SHAPE)")
    parser.add_argument("--alone", type=int, default=0, metavar="N",
                        help="instead of the load: each URL N times, one request at a time")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="thidua-bench-web-"))
    home = Path(args.home) if args.home else work / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "DJANGO_"))}
    env.update({"THIDUA_HOME": str(home), "PYTHONPATH": str(ROOT / "src"),
                "THIDUA_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    pg_url = os.environ.get("THIDUA_DATABASE_URL", "")
    label_db = "SQLite"
    fresh = not (home / "built").exists()
    national = args.database == "national"
    if national:
        if not pg_url:
            raise SystemExit("--database national needs THIDUA_DATABASE_URL (PostgreSQL)")
        env["THIDUA_DATABASE_URL"] = pg_url
        fresh = False
        label_db = "PostgreSQL"
    if pg_url and not national:
        name = f"thidua_bench_web_{args.database}"
        label_db = "PostgreSQL"
        if fresh:
            env["THIDUA_DATABASE_URL"] = postgres_database(pg_url, name)
        else:
            env["THIDUA_DATABASE_URL"] = urllib.parse.urlparse(pg_url)._replace(
                path=f"/{name}").geturl()
    mix = dict(DEMO_MIX)
    try:
        started = time.perf_counter()
        if fresh:
            if args.database == "members":
                phase = subprocess.run(
                    [sys.executable, __file__, "--phase-build-members", str(args.members)],
                    env={**env, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'bench'}"},
                    text=True, capture_output=True, check=False)
                if phase.returncode:
                    sys.stderr.write(phase.stdout[-3000:] + phase.stderr[-3000:])
                    raise SystemExit("building the large tree failed")
            thidua(env, "demo", "--no-serve")
            (home / "built").write_text(args.database)
        if args.database == "members":
            mix.update(MEMBERS_MIX)
        if national:
            phase = subprocess.run([sys.executable, __file__, "--phase-national-mix", args.shape],
                                   env={**env, "BENCH_WEB_USERS": str(args.users)},
                                   text=True, capture_output=True, check=False)
            if phase.returncode:
                sys.stderr.write(phase.stdout[-3000:] + phase.stderr[-3000:])
                raise SystemExit("the national mix could not be made")
            *said, last = phase.stdout.strip().splitlines()
            mix = {persona: [tuple(r) for r in rows] for persona, rows in
                   json.loads(last).items()}
            print("\n".join(said), flush=True)
        what = {"members": f"demo + {vn(args.members)} đoàn viên",
                "national": f"toàn quốc (thidua national), người dùng theo {args.shape}"
                }.get(args.database, "demo")
        load = (f"mỗi trang {args.alone} lần, từng yêu cầu một" if args.alone else
                f"{args.users} người dùng, {args.seconds} s, nghỉ {vn(args.think, 1)} s ± 50 %")
        print(f"{label_db}, dữ liệu {what}: sẵn sàng sau {vn(time.perf_counter() - started)} s; "
              f"{load}", flush=True)
        ok = True
        rates: dict[str, float] = {}
        for server in args.servers.split(","):
            label = (f"gunicorn {args.workers} tiến trình × {args.threads} luồng"
                     if server == "gunicorn" else "waitress 1 tiến trình × 8 luồng")
            if args.alone:
                report_alone(f"{label_db}, {label}", run_alone(env, server, args, mix))
                continue
            result = run_load(env, server, args, mix, work)
            passed, rate = report(f"{label_db}, {label}", result, args.users)
            rates[server] = float(rate)
            if server == "gunicorn":
                ok = ok and passed
        if {"gunicorn", "waitress"} <= set(rates) and rates["waitress"]:
            print(f"gunicorn / waitress: {vn(rates['gunicorn'] / rates['waitress'], 2)}× "
                  "the requests per second, same users, same run")
        return 0 if ok else 1
    finally:
        if not args.home:
            if pg_url and not national:
                drop_postgres_database(env["THIDUA_DATABASE_URL"])
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
