"""Connection pooling: PgBouncer in transaction mode (docs/pgbouncer/pgbouncer.ini) against
direct connections to PostgreSQL, measured with pgbench on a fresh database (issue 13 §5).

    THIDUA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua python bench/bench_pool.py \
        [--seconds 10] [--clients 20] [--many 150]

Cases, each `pgbench -S` (one indexed SELECT per transaction, the shape of a page's reads):
  * a new connection per transaction (-C): what an app server with CONN_MAX_AGE=0 does on
    every request — direct (the baseline) and through PgBouncer;
  * kept connections (CONN_MAX_AGE > 0): direct and through PgBouncer (the pooler's own cost);
  * --many clients through PgBouncer: more than the primary's max_connections allows directly
    (the direct run is not made: it would take every connection of a shared server).
Exits 1 when PgBouncer with a new connection per request is not at least 2× the direct one."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from common import ROOT, table, vn

PGBENCH = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pgbench(host: str, port: int, db: str, user: str, *args: str) -> float:
    out = subprocess.run([PGBENCH, "-h", host, "-p", str(port), "-U", user, "-n", *args, db],
                         capture_output=True, text=True, check=True).stdout
    match = re.search(r"tps = ([\d.]+)", out)
    assert match, out
    return float(match.group(1))


def start_pgbouncer(tmp: Path, host: str, port: int, user: str) -> tuple[subprocess.Popen[bytes], int]:
    listen = free_port()
    ini = (ROOT / "docs" / "pgbouncer" / "pgbouncer.ini").read_text()
    ini = re.sub(r"^\* = .*$", f"* = host={host} port={port}", ini, flags=re.M)
    ini = re.sub(r"^listen_port = .*$", f"listen_port = {listen}", ini, flags=re.M)
    ini = re.sub(r"^auth_file = .*$", f"auth_file = {tmp / 'userlist.txt'}", ini, flags=re.M)
    ini += f"logfile = {tmp / 'pgbouncer.log'}\npidfile = {tmp / 'pgbouncer.pid'}\n"
    shutil.copy(ROOT / "docs" / "pgbouncer" / "userlist.txt", tmp / "userlist.txt")
    (tmp / "pgbouncer.ini").write_text(ini)
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        shutil.chown(tmp, "postgres")
        for f in tmp.iterdir():
            shutil.chown(f, "postgres")
    cmd = ["pgbouncer", *(["-u", "postgres"] if os.geteuid() == 0 else []), str(tmp / "pgbouncer.ini")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", listen)) == 0:
                return proc, listen
        if proc.poll() is not None:
            raise SystemExit(f"pgbouncer: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    raise SystemExit("pgbouncer did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--many", type=int, default=150)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    url = urlparse(os.environ.get("THIDUA_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
    host, port, user = url.hostname or "127.0.0.1", url.port or 5432, url.username or "postgres"
    db = f"thidua_bench_pool_{os.getpid()}"
    psql = ["psql", "-h", host, "-p", str(port), "-U", user, "-d", "postgres", "-Atqc"]
    subprocess.run([*psql, f"CREATE DATABASE {db}"], check=True)
    tmp = Path(tempfile.mkdtemp(prefix="thidua-pgbouncer-"))
    bouncer = None
    try:
        subprocess.run([PGBENCH, "-h", host, "-p", str(port), "-U", user, "-i", "-q",
                        "-s", str(args.scale), db], check=True, capture_output=True)
        bouncer, bport = start_pgbouncer(tmp, host, port, user)
        max_conn = subprocess.run([*psql, "show max_connections"], capture_output=True,
                                  text=True, check=True).stdout.strip()
        run = ["-S", "-T", str(args.seconds), "-c", str(args.clients), "-j", "2"]
        direct_new = pgbench(host, port, db, user, *run, "-C")
        pooled_new = pgbench("127.0.0.1", bport, db, user, *run, "-C")
        direct_kept = pgbench(host, port, db, user, *run)
        pooled_kept = pgbench("127.0.0.1", bport, db, user, *run)
        many = ["-S", "-T", str(args.seconds), "-c", str(args.many), "-j", "2", "-C"]
        pooled_many = pgbench("127.0.0.1", bport, db, user, *many)
    finally:
        if bouncer is not None:
            bouncer.terminate()
            bouncer.wait(timeout=10)
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {db}"], check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    c = args.clients
    print(f"pgbench -S, scale {args.scale}, {args.seconds} s per case, {os.cpu_count()} cores, "
          f"max_connections {max_conn}")
    print(table([
        ["case", "transactions/s", "× baseline"],
        [f"direct, new connection per transaction, {c} clients (baseline)", vn(direct_new), "1,00"],
        [f"PgBouncer, new connection per transaction, {c} clients", vn(pooled_new),
         vn(pooled_new / direct_new, 2)],
        [f"direct, kept connections, {c} clients", vn(direct_kept), vn(direct_kept / direct_new, 2)],
        [f"PgBouncer, kept connections, {c} clients", vn(pooled_kept),
         vn(pooled_kept / direct_new, 2)],
        [f"PgBouncer, new connection per transaction, {args.many} clients (20 server connections)",
         vn(pooled_many), vn(pooled_many / direct_new, 2)],
    ]))
    ok = pooled_new >= 2 * direct_new
    print(f"PgBouncer / direct with a new connection per request: {vn(pooled_new / direct_new, 2)}× "
          f"(target ≥ 2×) — {'đạt' if ok else 'KHÔNG ĐẠT'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
