"""Production as documented, run for real: `thidua serve` processes on loopback ports, one
database migrated once for the session (the run's kind: SQLite, or PostgreSQL when
THIDUA_DATABASE_URL is set), nginx from Debian in front when a test needs it."""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")
PASSWORD = "Mat-khau-Trien-khai-9!"
ADMIN = "quantri"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"process exited with {proc.returncode}:\n{out[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port} after {timeout} s")


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def thidua(env: dict[str, str], *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "thidua.cli", *args], env=env, text=True,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]


@dataclass
class Deployment:
    """What every app server of one installation shares: the database and the secret key."""

    root: Path
    env: dict[str, str]
    database_url: str

    def server_env(self, name: str, **extra: str) -> dict[str, str]:
        """The environment of app server `name`: its own THIDUA_HOME, the shared rest."""
        return {**self.env, "THIDUA_HOME": str(self.root / name), **extra}

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Read the servers' database directly (not the pytest one)."""
        if self.database_url.startswith("sqlite:"):
            import sqlite3

            with sqlite3.connect(urlparse(self.database_url).path) as db:
                return list(db.execute(sql).fetchall())
        import psycopg

        with psycopg.connect(self.database_url) as db:
            return list(db.execute(sql).fetchall())  # type: ignore[arg-type]


def _postgres_database(url: str) -> str:
    """A fresh database beside the run's own, for the servers: postgres://…/<name>_servers."""
    import psycopg

    parsed = urlparse(url)
    base = os.environ.get("THIDUA_TEST_DATABASE_NAME") or f"test_{parsed.path.lstrip('/')}"
    name = f"{base}_servers"
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        db.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return parsed._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    root = tmp_path_factory.mktemp("deployment")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("THIDUA_", "DJANGO_", "PYTEST_"))}
    run_url = os.environ.get("THIDUA_DATABASE_URL", "")
    url = _postgres_database(run_url) if run_url else f"sqlite:///{root / 'shared.sqlite3'}"
    env.update({
        "PYTHONPATH": SRC,
        "THIDUA_SECRET_KEY": f"khoa-trien-khai-{uuid.uuid4().hex}",
        "THIDUA_DATABASE_URL": url,
        "THIDUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    })
    setup = {**env, "THIDUA_HOME": str(root / "setup")}
    # one process for both steps: each start of Django costs seconds
    thidua(setup, "manage", "shell", "-c",
           "from django.core.management import call_command; "
           "call_command('migrate', interactive=False, verbosity=0); "
           f"call_command('createsuperuser', interactive=False, username='{ADMIN}', "
           "email='quantri@example.vn')")
    return Deployment(root, env, url)


@pytest.fixture
def start_servers() -> Iterator[Any]:
    """start_servers({port: env, …}): `thidua serve --no-worker` on each port, started together
    (each checks the migrations first: seconds), stopped at the end of the test."""
    procs: list[subprocess.Popen[str]] = []

    def start(servers: dict[int, dict[str, str]]) -> list[subprocess.Popen[str]]:
        started = []
        for port, env in servers.items():
            proc = subprocess.Popen(
                [sys.executable, "-m", "thidua.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--no-worker"],
                env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            procs.append(proc)
            started.append(proc)
        for port, proc in zip(servers, started, strict=True):
            wait_for_port(port, proc)
        return started

    yield start
    for proc in procs:  # all at once: each takes a moment to exit
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        stop(proc)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""


@dataclass
class Browser:
    """Just enough of a browser: cookies, no redirect followed, HTTPS verified against the
    test's certificate, and a chosen client address on loopback (127.0.0.2 …)."""

    scheme: str
    port: int
    ca_file: Path | None = None
    client_address: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookie_lines: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        source = (self.client_address, 0)
        conn: http.client.HTTPConnection
        if self.scheme == "https":
            ctx = ssl.create_default_context(cafile=str(self.ca_file))
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=60,
                                               source_address=source)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                              source_address=source)
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=all_headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_lines.append(line)
            jar: SimpleCookie = SimpleCookie()
            jar.load(line)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str] | None = None,
             files: dict[str, tuple[str, bytes]] | None = None) -> Response:
        """A form POST from this origin's page (Referer and Origin as a browser sends them)."""
        headers = {"Referer": f"{self.origin}{path}", "Origin": self.origin}
        if files:
            boundary = uuid.uuid4().hex
            parts: list[bytes] = []
            for k, v in (data or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"'
                             f"\r\n\r\n{v}\r\n".encode())
            for k, (filename, content) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                             f'filename="{filename}"\r\nContent-Type: application/octet-stream'
                             "\r\n\r\n".encode() + content + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(data or {}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, headers)

    def log_in(self, username: str = ADMIN, password: str = PASSWORD) -> Response:
        page = self.get("/dang-nhap/")
        assert page.status == 200, (page.status, page.header("Location"))
        return self.post("/dang-nhap/", {"csrfmiddlewaretoken": csrf_token(page.text),
                                         "username": username, "password": password})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
