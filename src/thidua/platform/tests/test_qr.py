from __future__ import annotations

import base64
import urllib.parse

from thidua.platform.pdf import render_pdf
from thidua.platform.qr import qr_png, qr_svg_data_uri
from thidua.platform.tests.tools import require, run

URL = "https://thidua.congdoan.vn/xac-minh/7K3M9QX2TB4WZ8HD5RJN"


def _decode(png, tmp_path) -> list[str]:
    require("zbarimg")
    path = tmp_path / "qr.png"
    path.write_bytes(png)
    return run("zbarimg", "--raw", "-q", path).splitlines()


def test_svg_qr_printed_on_a_certificate_page_decodes_to_the_exact_url(tmp_path) -> None:
    require("pdftoppm", "zbarimg")
    uri = qr_svg_data_uri(URL)
    assert uri.startswith("data:image/svg+xml")
    html = ('<html><head><style>@page { size: A4 landscape; margin: 15mm }</style></head><body>'
            '<h1 style="color:#c00000">GIẤY KHEN</h1>'
            f'<img src="{uri}" style="width: 30mm; height: 30mm"> <span>Mã: 7K3M9QX2</span>'
            "</body></html>")
    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(render_pdf(html))
    run("pdftoppm", "-r", "150", "-png", "-singlefile", pdf, tmp_path / "page")
    assert run("zbarimg", "--raw", "-q", tmp_path / "page.png").splitlines() == [URL]


def test_svg_is_vector_data_not_a_bitmap() -> None:
    uri = qr_svg_data_uri(URL)
    payload = uri.split(",", 1)[1]
    svg = (base64.b64decode(payload).decode() if ";base64" in uri.split(",", 1)[0]
           else urllib.parse.unquote(payload))
    assert "<svg" in svg and "<path" in svg and "<image" not in svg


def test_png_decodes_and_scale_sets_the_size(tmp_path) -> None:
    small, large = qr_png(URL, scale=2), qr_png(URL, scale=8)
    assert small.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(small[16:20], "big"), int.from_bytes(large[16:20], "big")
    assert width[1] == 4 * width[0]
    assert _decode(large, tmp_path) == [URL]
    assert _decode(qr_png("Thi đua – Khen thưởng"), tmp_path) == ["Thi đua – Khen thưởng"]
