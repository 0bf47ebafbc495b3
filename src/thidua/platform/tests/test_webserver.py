"""The proxy headers under gunicorn: taken from the trusted proxy, dropped from anyone else (as
waitress does). The app below is a real WSGI callable that records what it was given."""

from __future__ import annotations

from typing import Any

from thidua.platform.webserver import (
    ForwardedFromProxy,
    TrustedProxy,
    gunicorn_options,
    waitress_options,
)

HEADERS = {
    "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9",
    "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_X_FORWARDED_HOST": "thidua.example.vn",
    "HTTP_HOST": "127.0.0.1:8000",
}


def seen_by_app(trusted: str, peer: str) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    ForwardedFromProxy(app, TrustedProxy(trusted))({"REMOTE_ADDR": peer, **HEADERS},
                                                   lambda *a: None)
    return seen


def test_the_trusted_proxy_gives_the_client_address_and_host():
    seen = seen_by_app("127.0.0.1", "127.0.0.1")
    # the proxy's own entry is the last one; earlier ones were written by the client
    assert seen["REMOTE_ADDR"] == "203.0.113.9"
    assert seen["HTTP_HOST"] == "thidua.example.vn"
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


def test_anyone_else_cannot_claim_https_or_another_address():
    seen = seen_by_app("127.0.0.1", "127.0.0.2")
    assert seen["REMOTE_ADDR"] == "127.0.0.2"
    assert seen["HTTP_HOST"] == "127.0.0.1:8000"
    assert not {"HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO",
                "HTTP_X_FORWARDED_HOST"} & set(seen)


def test_no_proxy_configured_trusts_nobody():
    seen = seen_by_app("", "127.0.0.1")
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and "HTTP_X_FORWARDED_PROTO" not in seen
    # gunicorn's own default would trust 127.0.0.1 for the scheme
    assert gunicorn_options(host="127.0.0.1", port=8000, workers=2, threads=4,
                            trusted_proxy="")["forwarded_allow_ips"] == ""
    assert waitress_options("") == {}


def test_networks_lists_and_anyone():
    assert "10.1.2.3" in TrustedProxy("10.0.0.0/8, 192.0.2.1")
    assert "192.0.2.1" in TrustedProxy("10.0.0.0/8, 192.0.2.1")
    assert "192.0.2.2" not in TrustedProxy("10.0.0.0/8, 192.0.2.1")
    assert "not an address" not in TrustedProxy("127.0.0.1")
    assert "203.0.113.1" in TrustedProxy("*")
    assert not TrustedProxy("")


def test_gunicorn_options_of_thidua_serve():
    options = gunicorn_options(host="::1", port=8001, workers=3, threads=2,
                               trusted_proxy="127.0.0.1")
    assert options["bind"] == ["[::1]:8001"]
    assert (options["workers"], options["threads"], options["worker_class"]) == (3, 2, "gthread")
    assert options["forwarded_allow_ips"] == "127.0.0.1"
    assert options["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
