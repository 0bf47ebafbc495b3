"""`thidua serve` as a real process tree on a loopback port (SQLite, its own data folder): the
gunicorn master with its web workers and the background-job worker, or waitress alone; static
files with their cache headers; what is left running after SIGTERM and SIGKILL."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")
IMMUTABLE = "public, max-age=31536000, immutable"

pytestmark = [
    pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc"),
    # the process tree is the same whatever the database; tests/production runs gunicorn on
    # PostgreSQL in that run
    pytest.mark.skipif(bool(os.environ.get("THIDUA_DATABASE_URL")), reason="SQLite run only"),
]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA_", "DJANGO_", "PYTEST_"))}
    return {**env, "THIDUA_HOME": str(home), "PYTHONPATH": SRC}


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated data folder for the module (migrating takes long); each test copies it."""
    home = tmp_path_factory.mktemp("migrated")
    subprocess.run([sys.executable, "-m", "thidua.cli", "manage", "migrate", "-v", "0"],
                   env=_env(home), check=True, capture_output=True, timeout=600)
    return home


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_gone(pids: list[int]) -> list[int]:
    """The processes of `pids` still alive after up to 20 s."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if _alive(p)]


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        raw = conn.getresponse()
        return raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read().decode()
    finally:
        conn.close()


@dataclass
class Served:
    proc: subprocess.Popen[str]
    port: int
    job_worker: int  # `thidua manage worker`
    web_workers: list[int]  # gunicorn's forked workers (none with waitress)

    def output(self) -> str:
        return self.proc.stdout.read() if self.proc.stdout else ""


@pytest.fixture
def serve(migrated: Path, tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> Served:
        home = tmp_path / "home"
        shutil.copytree(migrated, home)
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "thidua.cli", "serve", "--port", str(port), *args],
            env=_env(home), text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        started.append(proc)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
            try:
                if get(port, "/dang-nhap/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        children = _children(proc.pid)
        jobs = [p for p in children if "manage worker" in _cmdline(p)]
        assert len(jobs) == 1, "serve runs one background worker"
        web = [p for p in children if " serve " in _cmdline(p)]
        return Served(proc, port, jobs[0], web)

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_gunicorn_workers_static_headers_and_a_graceful_stop(serve):
    served = serve("--workers", "2", "--threads", "2")
    assert len(served.web_workers) == 2, "two web worker processes forked by the master"

    status, headers, html = get(served.port, "/dang-nhap/")
    assert status == 200 and headers["server"] == "gunicorn"
    # a page is never kept by the browser: only the hashed static files are
    assert "immutable" not in headers.get("cache-control", "")
    assert "31536000" not in headers.get("cache-control", "")
    css = re.search(r'href="(/static/thidua/app\.[0-9a-f]{12}\.css)"', html)
    assert css, "the page links the collected, hashed stylesheet"
    status, headers, body = get(served.port, css.group(1))
    assert status == 200 and headers["cache-control"] == IMMUTABLE
    assert body == (Path(SRC) / "thidua/static/thidua/app.css").read_text()
    # the plain name (no hash) may change with a release: a short cache only
    status, headers, _ = get(served.port, "/static/thidua/app.css")
    assert status == 200 and headers["cache-control"] == "max-age=60, public"

    everyone = [served.job_worker, *served.web_workers]
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=40) == 0
    assert "gunicorn, 2 tiến trình × 2 luồng" in served.output()
    assert _wait_gone(everyone) == [], "a process outlived `thidua serve`"


def test_a_killed_master_takes_every_worker_with_it(serve):
    served = serve("--workers", "2")
    everyone = [served.job_worker, *served.web_workers]
    assert len(everyone) == 3
    served.proc.send_signal(signal.SIGKILL)
    served.proc.wait(timeout=20)
    assert _wait_gone(everyone) == [], "a worker was left running with parent 1"


def test_waitress_stays_one_process(serve):
    served = serve("--server", "waitress")
    assert served.web_workers == []
    status, headers, html = get(served.port, "/dang-nhap/")
    assert status == 200 and headers["server"] == "thidua"  # waitress, named by `ident`
    css = re.search(r'href="(/static/thidua/app\.[0-9a-f]{12}\.css)"', html)
    assert css and get(served.port, css.group(1))[1]["cache-control"] == IMMUTABLE
    served.proc.send_signal(signal.SIGTERM)
    assert served.proc.wait(timeout=30) == 0
    assert _wait_gone([served.job_worker]) == [], "the db_worker outlived `thidua serve`"
