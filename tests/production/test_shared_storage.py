"""Two app servers of one installation: same database, same secret key, each its own
THIDUA_HOME, one shared THIDUA_MEDIA_ROOT. A file uploaded through one is downloaded through
the other; a server with its own media folder (the old default) does not have it."""

from __future__ import annotations

import pytest

from .conftest import Browser, Deployment, free_port

KEY = "evaluation.bien_ban_binh_xet"
BASE = f"/quan-tri/mau-van-ban/{KEY}"


pytestmark = pytest.mark.production


def test_a_file_uploaded_through_one_server_downloads_through_another(
        deployment: Deployment, start_servers):
    shared = deployment.root / "shared-media"
    a_port, b_port, c_port = free_port(), free_port(), free_port()
    start_servers({
        a_port: deployment.server_env("a", THIDUA_MEDIA_ROOT=str(shared)),
        b_port: deployment.server_env("b", THIDUA_MEDIA_ROOT=str(shared)),
        c_port: deployment.server_env("c"),  # media under its own THIDUA_HOME, as before
    })

    a = Browser("http", a_port)
    assert a.log_in().status == 302
    default = a.get(f"{BASE}/mac-dinh/")
    assert default.status == 200 and default.body.startswith(b"PK")
    page = a.get("/quan-tri/mau-van-ban/")
    token = a.cookies["csrftoken"]
    assert page.status == 200
    uploaded = a.post(f"{BASE}/thay/", {"csrfmiddlewaretoken": token},
                      files={"file": ("mau-rieng.docx", default.body)})
    assert uploaded.status == 302, uploaded.text[-2000:]
    stored = deployment.query("SELECT file FROM platform_documenttemplate WHERE active")
    assert len(stored) == 1 and not stored[0][0].startswith("/")  # a name in the storage
    assert (shared / stored[0][0]).is_file()

    # the session is in the database: the same cookie is logged in on every server
    b = Browser("http", b_port, cookies=dict(a.cookies))
    got = b.get(f"{BASE}/dang-dung/")
    assert got.status == 200, got.text[-500:]
    assert "mau-rieng.docx" in got.header("Content-Disposition")
    assert got.body == default.body

    c = Browser("http", c_port, cookies=dict(a.cookies))
    assert c.get(f"{BASE}/dang-dung/").status == 404  # what issue 10 found, without the share
