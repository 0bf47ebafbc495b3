"""The WSGI servers `thidua serve` runs (docs/deployment.md, ADR 0026).

- **gunicorn** (Linux, production): a master process and `workers` processes forked from it,
  each with `threads` threads (gthread), so the pages use every core instead of one Python
  interpreter's share of it. SIGTERM stops gracefully (requests in flight finish, up to
  GRACEFUL_SECONDS), SIGINT at once, SIGHUP reloads the workers, TTIN/TTOU add or remove one.
- **waitress** (the demo, Windows, `--server waitress`): one process, pure Python.

Both take X-Forwarded-Proto, -For and -Host from the trusted proxy only (THIDUA_TRUSTED_PROXY)
and drop them from anyone else."""

from __future__ import annotations

import ctypes
import ipaddress
import os
import signal
import sys
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: the headers a reverse proxy sets; from anyone but the trusted proxy they are dropped
PROXY_HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")
#: how long a stopping worker may take to finish the requests it is serving
GRACEFUL_SECONDS = 30
DEFAULT_THREADS = 4


def gunicorn_available() -> bool:
    """gunicorn forks: not on Windows, where it is not installed (pyproject's marker)."""
    if sys.platform.startswith("win"):
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """THIDUA_WEB_WORKERS, else one worker process per core."""
    value = os.environ.get("THIDUA_WEB_WORKERS", "").strip()
    return max(1, int(value)) if value else cores()


def default_threads() -> int:
    """THIDUA_WEB_THREADS, else DEFAULT_THREADS: a thread waiting on the database lets another
    render a page in the same process."""
    value = os.environ.get("THIDUA_WEB_THREADS", "").strip()
    return max(1, int(value)) if value else DEFAULT_THREADS


class TrustedProxy:
    """THIDUA_TRUSTED_PROXY: addresses or networks, comma-separated, or `*` (anyone: only when
    nothing but the proxy can reach the port)."""

    def __init__(self, spec: str) -> None:
        self.spec = spec.strip()
        self.anyone = self.spec == "*"
        self.networks = [] if self.anyone else [
            ipaddress.ip_network(part.strip(), strict=False)
            for part in self.spec.split(",") if part.strip()]

    def __bool__(self) -> bool:
        return self.anyone or bool(self.networks)

    def __contains__(self, address: object) -> bool:
        if self.anyone:
            return True
        try:
            ip = ipaddress.ip_address(str(address))
        except ValueError:
            return False
        return any(ip in net for net in self.networks)


class ForwardedFromProxy:
    """WSGI middleware for gunicorn, which sets the scheme from a trusted proxy but passes every
    X-Forwarded-* header on to Django whoever sent it, and never sets REMOTE_ADDR from them.
    Here, as waitress does: from the trusted proxy, REMOTE_ADDR is the last X-Forwarded-For
    entry (the address the proxy itself saw: login throttling and the verification limit count
    it) and the host the forwarded one; from anyone else the headers are removed, so a client
    cannot claim HTTPS (SECURE_PROXY_SSL_HEADER) or another address."""

    def __init__(self, app: WSGIApp, trusted: TrustedProxy) -> None:
        self.app = app
        self.trusted = trusted

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if self.trusted and environ.get("REMOTE_ADDR") in self.trusted:
            hops = [h.strip() for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            if hops[-1]:
                environ["REMOTE_ADDR"] = hops[-1]
            host = environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[-1].strip()
            if host:
                environ["HTTP_HOST"] = host
        else:
            for key in PROXY_HEADERS:
                environ.pop(key, None)
        return self.app(environ, start_response)


def waitress_options(trusted_proxy: str) -> dict[str, object]:
    """waitress options for a reverse proxy at `trusted_proxy` (its address as waitress sees it,
    e.g. 127.0.0.1): without them waitress drops X-Forwarded-Proto, Django believes every
    request is plain HTTP and, with SECURE_SSL_REDIRECT, redirects each page to itself. With
    them the scheme, host and client address (REMOTE_ADDR, which login throttling and the
    verification rate limit count) are the ones the proxy saw. The headers are taken from that
    address only, and only its last hop (the proxy's own entry)."""
    if not trusted_proxy:
        return {}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for", "x-forwarded-host"},
        "clear_untrusted_proxy_headers": True,
    }


def gunicorn_options(*, host: str, port: int, workers: int, threads: int,
                     trusted_proxy: str) -> dict[str, object]:
    """gunicorn settings of `thidua serve` (the names of gunicorn's configuration file)."""
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # Django is loaded once in the master and the workers fork from it: they start in
        # milliseconds and share its memory pages
        "preload_app": True,
        "graceful_timeout": GRACEFUL_SECONDS,
        # the scheme from the trusted proxy only (gunicorn's default trusts 127.0.0.1 always),
        # and only from the header our nginx file sets: a client's X-Forwarded-Ssl passed on by
        # the proxy cannot contradict it into a 400
        "forwarded_allow_ips": trusted_proxy.strip() or "",
        "secure_scheme_headers": {"X-FORWARDED-PROTO": "https"},
        "proc_name": "thidua",
        # no control socket: its default path is shared by every gunicorn of the account
        "control_socket_disable": True,
        "post_fork": lambda server, worker: die_with_parent(),
    }


def die_with_parent() -> None:
    """In a child process: Linux sends it SIGTERM when its parent dies, even by SIGKILL, so no
    process of `thidua serve` is left running with parent 1."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not glibc Linux: the workers still notice their parent is gone
        pass


def run_gunicorn(app: WSGIApp, options: dict[str, object]) -> None:
    """Run gunicorn's master in this process until it is stopped (SystemExit then)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApp:
            return app

    Server().run()
