from __future__ import annotations

import re

import pytest

from thidua.platform.errors import ApplicationError
from thidua.platform.pdf import merge_pdfs, page_count, render_pdf
from thidua.platform.tests.tools import pdf_text, require, run

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 15mm }}
body {{ font-family: "DejaVu Serif", "Liberation Serif", serif }}
h1 {{ color: #c00000 }} .page {{ page-break-after: always }}
</style></head><body>{body}</body></html>"""
VIETNAMESE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc"
RECIPIENT = "Công đoàn Trường THCS Ngô Sĩ Liên, quận Hoàn Kiếm"


def test_vietnamese_with_diacritics_reads_back_from_the_pdf(tmp_path) -> None:
    html = PAGE.format(body=f"<p>{VIETNAMESE}</p><h1>BẰNG KHEN</h1><p>Tặng {RECIPIENT}</p>"
                       "<p>Đã có thành tích xuất sắc trong phong trào thi đua năm 2017; "
                       "ươm, ữ, ỷ, Đ, đ</p>")
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    for expected in (VIETNAMESE, "BẰNG KHEN", RECIPIENT, "ươm, ữ, ỷ, Đ, đ"):
        assert expected in text


def test_a4_landscape_from_the_css(tmp_path) -> None:
    require("pdfinfo")
    source = tmp_path / "a4.pdf"
    source.write_bytes(render_pdf(PAGE.format(body="<p>Giấy khen</p>")))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", source))
    assert size is not None
    width, height = float(size[1]), float(size[2])
    assert (round(width), round(height)) == (842, 595)  # 297 × 210 mm


def test_merge_keeps_every_page_in_order(tmp_path) -> None:
    one = render_pdf(PAGE.format(body="<p>Giấy khen số 1</p>"))
    two = render_pdf(PAGE.format(body='<div class="page">Giấy khen số 2</div><div>Giấy khen '
                                 "số 3</div>"))
    assert (page_count(one), page_count(two)) == (1, 2)
    merged = merge_pdfs([one, two])
    assert page_count(merged) == 3
    pages = pdf_text(merged, tmp_path).split("\f")
    assert ["số 1" in pages[0], "số 2" in pages[1], "số 3" in pages[2]] == [True] * 3


def test_broken_input_is_a_clear_error() -> None:
    with pytest.raises(ApplicationError, match="PDF bị hỏng"):
        page_count(b"not a pdf")
    with pytest.raises(ApplicationError, match="PDF bị hỏng"):
        merge_pdfs([render_pdf(PAGE.format(body="x")), b"%PDF-1.7 broken"])
    with pytest.raises(ApplicationError):
        merge_pdfs([])


def test_network_resources_are_never_fetched(tmp_path, monkeypatch) -> None:
    import urllib.request

    opened: list[str] = []
    original = urllib.request.OpenerDirector.open

    def recording(self: urllib.request.OpenerDirector, url: object, *args: object,
                  **kwargs: object) -> object:
        opened.append(getattr(url, "full_url", str(url)))
        return original(self, url, *args, **kwargs)

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", recording)
    image = tmp_path / "emblem.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                     '<rect width="10" height="10" fill="red"/></svg>')
    html = PAGE.format(body='<img src="http://127.0.0.1:9/x.png"><img src="emblem.svg">'
                       "<p>Quốc huy</p>")
    pdf = render_pdf(html, base_url=str(tmp_path) + "/")
    assert "Quốc huy" in pdf_text(pdf, tmp_path)
    # the local emblem loads through file:, the remote image is refused before any request
    assert any(url.startswith("file:") and url.endswith("emblem.svg") for url in opened)
    assert not [url for url in opened if url.startswith("http")]
