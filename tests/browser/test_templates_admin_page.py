"""The Word templates page in a real browser: an upload refused beside its field, an accepted
one, at desktop and phone width (screenshots in screenshots/templates-admin-*.png)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from thidua.accounts.services import user_create
from thidua.initiatives.documents import CERTIFICATE
from thidua.testing import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "matkhau-thu-nghiem"


def _edited(tmp_path: Path, name: str, line: str) -> Path:
    doc = Document(str(CERTIFICATE))
    doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def test_templates_page(page: Any, shoot: Any, live_server: Any, settings: Any,
                        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_world()
    user = user_create(actor=None, username="quantri.toan", password=PASSWORD,
                       full_name="Hoàng Văn Toàn")
    user.is_superuser = True
    user.save()
    page.goto("/dang-nhap/")
    page.fill("#id_username", "quantri.toan")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    # from the administration menu entry, beside the audit log
    page.locator(".site-nav").get_by_role("link", name="Quản trị").click()
    page.get_by_role("link", name="Mẫu văn bản").click()
    page.wait_for_url(live_server.url + "/quan-tri/mau-van-ban/")
    shoot("templates-admin")
    card = page.locator("#mau-initiatives-giay-chung-nhan")
    card.locator("input[type=file]").set_input_files(
        str(_edited(tmp_path, "sai-truong.docx", "Số: {{ so_moi }}")))
    card.get_by_role("button", name="Tải lên và thay mẫu").click()
    error = page.locator("#mau-initiatives-giay-chung-nhan .field-error .error")
    assert "«{{ so_moi }}» không có trong dữ liệu" in error.inner_text()
    error.scroll_into_view_if_needed()
    shoot("templates-admin-refused")
    card = page.locator("#mau-initiatives-giay-chung-nhan")
    card.locator("input[type=file]").set_input_files(
        str(_edited(tmp_path, "giay-chung-nhan-2025.docx", "Số sổ: {{ certificate_no }}")))
    card.get_by_role("button", name="Tải lên và thay mẫu").click()
    assert "Đã thay mẫu «Giấy chứng nhận sáng kiến»" in page.locator(".messages").inner_text()
    assert "giay-chung-nhan-2025.docx" in page.locator(
        "#mau-initiatives-giay-chung-nhan").inner_text()
    shoot("templates-admin-replaced")
    # the refused upload answers 400 on purpose; nothing else may fail
    assert [e for e in page.js_errors if "status of 400" not in e] == []
    page.js_errors.clear()
