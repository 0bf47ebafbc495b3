"""The documented production setup, for real: Debian's nginx with docs/nginx/thidua.conf (only
its ports, certificate and upstream changed) and a self-signed certificate, in front of
`thidua serve` with the production settings on loopback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Browser, Deployment, free_port, stop, wait_for_port

CONF = Path(__file__).resolve().parents[2] / "docs" / "nginx" / "thidua.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


pytestmark = pytest.mark.production


def site_conf(http: int, https: int, app: int, cert: Path, key: Path, static: Path) -> str:
    """The documented file with this test's ports and certificate; every change is checked to
    have happened, so the test breaks if the document changes shape."""
    text = CONF.read_text()
    for old, new in [
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app};"),
        ("/etc/ssl/thidua/fullchain.pem", str(cert)),
        ("/etc/ssl/thidua/privkey.pem", str(key)),
        ("server_name thidua.example.vn;", "server_name 127.0.0.1;"),
        ("alias /srv/thidua/static/;", f"alias {static}/;"),
    ]:
        assert old in text, f"docs/nginx/thidua.conf no longer has «{old}»"
        text = text.replace(old, new)
    return text


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[int, int, int, Path]]:
    """nginx on its own ports (not a system service: `-c` this test's file, in the foreground),
    proxying to an app port the test then serves, and serving tmp_path/static (the app's
    THIDUA_STATIC_ROOT); yields (http, https, app, certificate)."""
    if not Path(NGINX).exists():
        message = "nginx not found (apt-get install nginx; scripts/test.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60)
    http, https, app = free_port(), free_port(), free_port()
    (tmp_path / "site.conf").write_text(
        site_conf(http, https, app, cert, key, tmp_path / "static"))
    user = "user root;" if os.geteuid() == 0 else ""  # workers read the test's private files
    (tmp_path / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;    # as Debian's /etc/nginx/nginx.conf does
    default_type application/octet-stream;
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
""")
    proc = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(https, proc, timeout=30)
        yield http, https, app, cert
    finally:
        stop(proc)


def test_https_behind_nginx_as_documented(deployment: Deployment, nginx, start_servers):
    http, https, app, cert = nginx
    prod = {"DJANGO_SETTINGS_MODULE": "thidua.settings.prod"}

    # issue 10: without the trusted proxy every page redirects to itself over https, forever
    [old] = start_servers({app: deployment.server_env("loop", **prod)})
    looping = Browser("https", https, cert).get("/")
    assert looping.status == 301
    assert looping.header("Location") == f"https://127.0.0.1:{https}/"
    stop(old)
    assert "chưa đặt THIDUA_TRUSTED_PROXY" in (old.stdout.read() if old.stdout else "")

    static = cert.parent / "static"  # the folder the nginx fixture serves /static/ from
    [server] = start_servers({app: deployment.server_env(
        "app", THIDUA_TRUSTED_PROXY="127.0.0.1", THIDUA_STATIC_ROOT=str(static), **prod)})
    client = Browser("https", https, cert, client_address="127.0.0.2")
    home = client.get("/")
    assert home.status == 302 and home.header("Location").startswith("/dang-nhap/")
    login_page = client.get(home.header("Location"))
    assert login_page.status == 200
    assert login_page.header("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains")
    assert any("csrftoken=" in c and "Secure" in c for c in client.set_cookie_lines)

    logged_in = client.log_in()
    assert logged_in.status == 302 and logged_in.header("Location") == "/", logged_in.text[-800:]
    assert any("sessionid=" in c and "Secure" in c and "HttpOnly" in c
               for c in client.set_cookie_lines)
    page = client.get("/")
    assert page.status == 200 and "quantri" in page.text

    source = (Path(__file__).resolve().parents[2] / "src/thidua/static/thidua/app.css")
    css = client.get("/static/thidua/app.css")
    assert css.status == 200 and css.header("Content-Type").startswith("text/css")
    assert css.body == source.read_bytes()
    assert css.header("Cache-Control") == "max-age=60, public"
    # the page links the hashed name, which nginx serves from the collected folder for a year
    hashed = re.search(r'href="(/static/thidua/app\.[0-9a-f]{12}\.css)"', page.text)
    assert hashed, "the page links the hashed stylesheet"
    forever = client.get(hashed.group(1))
    assert forever.status == 200 and forever.body == source.read_bytes()
    assert forever.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert "immutable" not in page.header("Cache-Control")

    # straight to the app server, not from the trusted proxy: a claimed HTTPS is not believed
    spoofed = Browser("http", app, client_address="127.0.0.2").request(
        "GET", "/dang-nhap/", headers={"X-Forwarded-Proto": "https"})
    assert spoofed.status == 301 and spoofed.header("Location").startswith("https://")

    plain = Browser("http", http).get("/ho-so/?a=1")
    assert plain.status == 301 and plain.header("Location") == "https://127.0.0.1/ho-so/?a=1"

    # the app sees the client's address, not nginx's: login throttling counts the right one
    stranger = Browser("https", https, cert, client_address="127.0.0.3")
    refused = stranger.log_in(password="sai-mat-khau")
    assert refused.status in (200, 400, 403)
    attempts = deployment.query("SELECT ip_address FROM axes_accessattempt")
    addresses = {str(row[0]) for row in attempts}  # PostgreSQL: inet values
    assert "127.0.0.3" in addresses and "127.0.0.1" not in addresses

    # nginx itself served the static files: they stay there with the app stopped
    stop(server)
    assert client.get(hashed.group(1)).status == 200
    assert client.get("/").status == 502
